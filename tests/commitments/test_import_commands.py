"""The import commands as an operator runs them: output, exit status, load_seed."""

import os
import sqlite3
import subprocess
import sys
import threading
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from commitments.models import Section
from decisions.models import Decision, DecisionDocument
from tests import builders
from tests.import_lock import another_import_running

BASE_DIR = settings.BASE_DIR


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_import_analyses_prints_the_summary_for_seed_000():
    output = run("import_analyses", str(builders.SEED_ANALYSIS), "--chapter", "Samenleven")
    assert output.splitlines() == [
        "  Samenleven 1.2 Uitsluiting voorkomen, samenleven bevorderen",
        "Bestanden: 1",
        "Secties: 1 nieuw, 0 bijgewerkt, 0 ongewijzigd",
        "Referenties: 21, waarvan 1 onvolledig",
        "Beslissingen: 20 nieuw, 0 hergebruikt",
        "Waarschuwingen: 0",
        "Conflicten: 0",
    ]


@pytest.mark.django_db
def test_import_analyses_twice_on_the_corpus_reports_all_unchanged():
    first = run("import_analyses", str(builders.require_corpus_sample()))
    second = run("import_analyses", str(builders.require_corpus_sample()))
    assert "Secties: 13 nieuw, 0 bijgewerkt, 0 ongewijzigd" in first
    assert second.splitlines() == [
        "Bestanden: 13",
        "Secties: 0 nieuw, 0 bijgewerkt, 13 ongewijzigd",
        "Referenties: 434, waarvan 25 onvolledig",
        "Beslissingen: 0 nieuw, 0 hergebruikt",
        "Waarschuwingen: 0",
        "Conflicten: 0",
    ]


@pytest.mark.django_db
def test_import_analyses_dry_run_says_so_and_writes_nothing():
    before = builders.model_counts()
    output = run("import_analyses", str(builders.require_corpus_sample()), "--dry-run")
    assert output.startswith("Proefdraai: er is niets opgeslagen.")
    assert builders.model_counts() == before


@pytest.mark.django_db
def test_import_analyses_error_names_file_and_line(tmp_path):
    builders.write_analysis(tmp_path, "A/x.md", references=["**[\\[0\\]]** : **(2021-13-01)**"])
    with pytest.raises(CommandError, match=r"/A/x\.md:13: ongeldige datum '2021-13-01'"):
        run("import_analyses", str(tmp_path))


def test_import_command_exits_non_zero_with_the_message(tmp_path):
    """Through manage.py, as an operator runs it, on a scratch SQLite file."""
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=BASE_DIR, env=env, check=True
    )
    (tmp_path / "A").mkdir()
    (tmp_path / "A" / "leeg.md").write_text("", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_analyses", str(tmp_path / "A" / "leeg.md"),
         "--chapter", "A"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert f"{tmp_path}/A/leeg.md:1: leeg bestand" in result.stderr


@pytest.mark.django_db
def test_load_seed_loads_section_and_document_and_twice_is_harmless():
    first = run("load_seed")
    counts = builders.model_counts()
    second = run("load_seed")

    assert builders.model_counts() == counts
    section = Section.objects.get()
    assert (section.chapter.title, section.number, section.citations.count()) == (
        "Samenleven", "1.2", 21,
    )  # fmt: skip
    document = DecisionDocument.objects.get()
    assert document.decision.title.startswith("Doelstellingenkader Horizontaal")
    assert "Secties: 1 nieuw" in first and "Document (nieuw)" in first
    assert "Secties: 0 nieuw, 0 bijgewerkt, 1 ongewijzigd" in second
    assert "Document (ongewijzigd)" in second
    assert Decision.objects.count() == 21


@pytest.mark.django_db
def test_load_seed_matches_a_later_corpus_import():
    run("load_seed")
    output = run("import_analyses", str(builders.require_corpus_sample()))
    assert "Secties: 12 nieuw, 0 bijgewerkt, 1 ongewijzigd" in output


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_only
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's shared in-memory test database reports a held lock at once instead of "
    "waiting; the file-database test below covers SQLite",
)
def test_import_command_waits_for_a_running_import_and_says_so(tmp_path):
    builders.write_analysis(tmp_path, "A/een.md")
    with another_import_running() as release:
        # The other import ends a moment after this one started waiting.
        timer = threading.Timer(1.0, release)
        timer.start()
        try:
            output = run("import_analyses", str(tmp_path))
        finally:
            timer.join()
    assert output.splitlines()[0] == "Er loopt al een import; deze wacht tot die klaar is …"
    assert "Secties: 1 nieuw, 0 bijgewerkt, 0 ongewijzigd" in output


def test_import_command_on_sqlite_waits_its_timeout_then_gives_up_clearly(tmp_path):
    """Through manage.py on a scratch SQLite file whose write lock another
    session holds for longer than the configured timeout (2 s here)."""
    database = tmp_path / "db.sqlite3"
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}?timeout=2"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=BASE_DIR, env=env, check=True
    )
    builders.write_analysis(tmp_path, "A/een.md")
    other = sqlite3.connect(database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", "import_analyses", str(tmp_path / "A")],
            cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.stdout.startswith("Er loopt al een import; deze wacht tot die klaar is …")
    assert result.returncode != 0
    assert "een andere import hield de database te lang bezet; er is niets opgeslagen" in (
        result.stderr
    )
