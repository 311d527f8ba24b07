"""The application's version: the one in pyproject.toml, as installed."""

from functools import cache
from importlib.metadata import PackageNotFoundError, version


@cache
def app_version() -> str:
    """`pip install` (or `make install`) records pyproject.toml's version in the
    package metadata; a checkout that was never installed has none to show."""
    try:
        return version("akkoordmonitor")
    except PackageNotFoundError:
        return ""
