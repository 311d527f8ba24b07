"""One version, written in pyproject.toml, shown on the about page and named in
the changelog."""

import re
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.version import app_version

BASE_DIR = Path(settings.BASE_DIR)


def pyproject_version() -> str:
    return tomllib.loads((BASE_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]


def test_installed_version_is_the_one_in_pyproject():
    assert app_version() == pyproject_version()


def test_changelog_starts_with_the_current_version():
    changelog = (BASE_DIR / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## (\S+)", changelog, re.M)
    assert versions, "CHANGELOG.md has no '## <version>' heading"
    assert versions[0] == pyproject_version()


@pytest.mark.django_db
def test_about_page_shows_the_version(client):
    html = client.get(reverse("commitments:about")).content.decode()
    assert f"Akkoordmonitor versie {pyproject_version()}." in html
