"""The importer under abuse: arbitrary input, a killed process, two runs at once.

The last two need a second process that sees the test database. pytest-django's
SQLite test database lives in memory, invisible to other processes, so they
run on PostgreSQL only (the PostgreSQL half of `make test`); SQLite's own
journal gives the same all-or-nothing guarantee, and the rollback-on-error
tests above cover it on both databases.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from commitments.importers import AnalysisImportError, import_analyses, parse_analysis
from commitments.models import Chapter, Section
from decisions.models import Decision
from tests import builders

SEED_TEXT = builders.SEED_ANALYSIS.read_text(encoding="utf-8")
BASE_DIR = Path(settings.BASE_DIR)

requires_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a second process on the test database; SQLite's test DB is in memory",
)


@given(st.text(max_size=3000))
@hypothesis_settings(max_examples=300, deadline=None)
def test_arbitrary_text_parses_or_raises_only_the_import_error(text):
    try:
        parse_analysis(text, source="x.md")
    except AnalysisImportError as error:
        assert str(error).startswith("x.md")


def _mutate(text: str, data) -> str:
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "replace", "insert", "cut"]))
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "replace":
            lines[index] = data.draw(st.text(max_size=80))
        elif action == "insert":
            lines.insert(index, data.draw(st.sampled_from(
                ["</details>", "<details>", "**[\\[3\\]]** : **(2020-02-31)**", "# Conclusie",
                 "**[\\[99\\]](https://x.be)** : **(2020-01-01)** Nieuw", "\\[42\\]", ""]
            )))  # fmt: skip
        else:
            cut = data.draw(st.integers(0, len(lines[index])))
            lines[index] = lines[index][:cut]
        if not lines:
            lines = [""]
    return "\n".join(lines)


@pytest.mark.django_db
@given(data=st.data())
@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_mutated_seed_imports_fully_or_not_at_all(data):
    text = _mutate(SEED_TEXT, data)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "Samenleven" / "mutant.md"
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        before = builders.model_counts()
        try:
            report = import_analyses([directory])
        except AnalysisImportError as error:
            assert error.path == str(path)
            assert builders.model_counts() == before
        else:
            assert report.files == 1
            section = Section.objects.get(chapter__title="Samenleven", number=report_number(text))
            assert section.citations.count() == report.citations


def report_number(text: str) -> str:
    return parse_analysis(text, source="again").number


def _subprocess_env(application_name: str) -> dict[str, str]:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    url = (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}?application_name={application_name}"
    )
    return {**os.environ, "DEBUG": "1", "DATABASE_URL": url}


def _generate(count: int, outdir: Path, seed: int = 1) -> Path:
    subprocess.run(
        [sys.executable, "scripts/generate_analyses.py", str(count), str(outdir),
         "--seed", str(seed)],
        cwd=BASE_DIR, check=True,
    )  # fmt: skip
    return outdir


def _backends(application_name: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT state, query FROM pg_stat_activity WHERE application_name = %s",
            [application_name],
        )
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_only
@requires_postgresql
def test_import_killed_halfway_leaves_the_database_unchanged(tmp_path):
    tree = _generate(400, tmp_path / "tree")
    before = builders.model_counts()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_analyses", str(tree)],
        cwd=BASE_DIR, env=_subprocess_env("akk-kill-test"),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        # Kill it once it has written citations inside its open transaction.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if any(
                'INSERT INTO "commitments_citation"' in q for _s, q in _backends("akk-kill-test")
            ):
                break
            time.sleep(0.005)
        assert process.poll() is None, "the import finished before it could be killed"
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
    deadline = time.monotonic() + 30
    while _backends("akk-kill-test") and time.monotonic() < deadline:
        time.sleep(0.05)

    assert process.returncode == -signal.SIGKILL
    assert builders.model_counts() == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_only
@requires_postgresql
def test_two_imports_at_once_are_serialised_without_duplicates(tmp_path):
    shared = _generate(120, tmp_path / "shared")
    tree_a = tmp_path / "a"
    tree_b = tmp_path / "b"
    shutil.copytree(shared, tree_a)
    shutil.copytree(shared, tree_b)
    shutil.copytree(builders.require_corpus_sample(), tree_b, dirs_exist_ok=True)
    expected_decisions = set()
    expected_sections = set()
    for tree in (tree_a, tree_b):
        for path in tree.rglob("*.md"):
            relative = path.relative_to(tree)
            chapter = relative.parts[0] if len(relative.parts) > 1 else path.stem
            parsed = parse_analysis(path.read_text(encoding="utf-8"), source=str(relative))
            expected_sections.add((chapter, parsed.number))
            expected_decisions.update(c.decision_key for c in parsed.citations if not c.incomplete)

    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "import_analyses", str(tree)],
            cwd=BASE_DIR,
            env=_subprocess_env(f"akk-concurrent-{name}"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, tree in (("a", tree_a), ("b", tree_b))
    ]
    results = [process.communicate(timeout=300) for process in processes]

    assert [p.returncode for p in processes] == [0, 0], results
    assert Decision.objects.count() == len(expected_decisions)
    assert Section.objects.count() == len(expected_sections)
    assert Chapter.objects.count() == len({chapter for chapter, _n in expected_sections})
    # One of them waited for the other and found the shared files already imported.
    assert any("120 ongewijzigd" in out for out, _e in results), results


@pytest.mark.parametrize(
    "hostile",
    [
        "<details><summary>Regeerakkoord Sectie </summary><p>1.1 x\n" * 20000,
        "<details><summary>Regeerakkoord Sectie </summary><p>1.1 T x</p></details>\n"
        "<details><summary> Referenties</summary>\n**[\\[0\\]]** : **(" + " " * 500000 + "x\n",
        "<details><summary>Regeerakkoord Sectie </summary><p>1.1 T x</p></details>\n"
        "<details><summary> Referenties</summary>\n**[\\[0\\]](" + " " * 500000 + "x\n",
    ],
    ids=["unclosed-section-blocks", "spaces-in-date", "spaces-in-link"],
)
def test_hostile_file_near_the_size_limit_gets_a_plain_error(hostile):
    # Each of these once made a backtracking regex run for minutes; now they
    # are rejected like any other bad file.
    with pytest.raises(AnalysisImportError):
        parse_analysis("# T\n" + hostile, source="hostile.md")
