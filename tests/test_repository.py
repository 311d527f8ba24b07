"""The repository stands on its own: what a new user or a fresh clone meets."""

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def test_license_is_an_spdx_string_that_setuptools_reads_without_warning():
    """The TOML-table form made setuptools warn three times on every install."""
    pyproject = tomllib.loads((BASE_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["license"] == "MIT"
    requires = pyproject["build-system"]["requires"]
    setuptools = next(item for item in requires if item.startswith("setuptools"))
    minimum = re.search(r">=\s*(\d+)", setuptools)
    assert minimum and int(minimum[1]) >= 77, setuptools


def _readme() -> str:
    return (BASE_DIR / "README.md").read_text(encoding="utf-8")


def test_readme_shows_how_to_serve_on_another_address_and_it_works():
    line = next(
        (line for line in _readme().splitlines() if line.startswith("make run HOST=")), None
    )
    assert line, "README does not show `make run HOST=…`"
    host = line.split("HOST=", 1)[1].split()[0]
    dry_run = subprocess.run(
        [shutil.which("make"), "-n", *shlex.split(line)[1:]],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"manage.py runserver {host}" in dry_run.stdout


def _shell_lines(markdown: str) -> list[str]:
    """Command lines inside ```sh blocks."""
    blocks = re.findall(r"^```sh\n(.*?)^```", markdown, re.S | re.M)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


@pytest.mark.parametrize("document", ["README.md", "docs/importing.md"])
def test_documented_commands_run_in_a_development_shell(document):
    """Copied literally on a development machine, a manage.py command must not
    stop at the missing SECRET_KEY: it sets DEBUG=1, or the document exports it
    before its first command."""
    exported = False
    for line in _shell_lines((BASE_DIR / document).read_text(encoding="utf-8")):
        exported = exported or line.startswith("export DEBUG=1")
        if "manage.py" in line and not exported:
            assert line.startswith(("DEBUG=1 ", "SECRET_KEY=")), line


def test_a_clone_without_shared_beside_it_collects_every_test(tmp_path):
    """A fresh clone in any folder, without ../shared, must collect the suite:
    only the tests that need the corpus sample skip, at run time."""
    clone = tmp_path / "kloon"
    tracked = subprocess.run(
        [shutil.which("git"), "ls-files", "-z"], cwd=BASE_DIR, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, tracked.split("\0")):
        source = BASE_DIR / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
    assert not (clone.parent / "shared").exists()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CORPUS_SAMPLE_DIR", "DATABASE_URL", "PYTEST_ADDOPTS"}
    }
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert re.search(r"^\d+ tests collected", result.stdout, re.M), result.stdout[-1000:]
