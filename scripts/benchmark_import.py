"""Benchmark the imports on SQLite and PostgreSQL: the analysis import (files/s,
citations/s and peak memory for two corpus sizes; memory should not grow with N)
and the decision-record import (records/s and peak memory for a JSON dump of
100,000 news items, first import and an unchanged re-import), and the full
decision export of those records (seconds, queries, memory).

    python scripts/benchmark_import.py [--sizes 200 800] [--decisions 100000] [--pg-url URL]

Each run imports freshly generated files (scripts/generate_analyses.py) into a
fresh database: an SQLite file in a temporary folder, and a scratch PostgreSQL
database (default akk_import_bench) that this script creates and drops. The
import runs in its own process, so its peak RSS is the import's alone.
Not part of the test suite.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent

# Runs inside the child process: import once, report time, counts and memory.
CHILD = """
import json, resource, sys, time
import django
django.setup()
from commitments.importers import import_analyses
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
report = import_analyses([sys.argv[1]])
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "files": report.files, "citations": report.citations,
                  "decisions": report.decisions_created, "baseline_kb": baseline,
                  "peak_kb": peak}))
"""


# The decision-record import, first run and an unchanged second run.
DECISIONS_CHILD = """
import json, resource, sys, time
import django
django.setup()
from decisions.importers import import_decisions
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
runs = []
for _ in range(2):
    start, cpu = time.perf_counter(), time.process_time()
    report = import_decisions(path=sys.argv[1])
    runs.append({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
                 "records": report.records, "created": report.created,
                 "unchanged": report.unchanged})
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
# The full decision export of what was imported, as the web serves it (the view,
# streamed and consumed): seconds, queries and the Python memory it held at most.
import tracemalloc
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from decisions.views import decision_export
from operations.database import limit_web_queries
# As a web process: JIT off and the statement timeout, on a fresh connection.
connection.close()
limit_web_queries()
exports = []
for fmt in ("csv", "json"):
    tracemalloc.start()
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = decision_export(RequestFactory().get(f"/beslissingen/export.{fmt}"), fmt)
        size = sum(len(chunk) for chunk in response.streaming_content)
    exports.append({"format": fmt, "seconds": time.perf_counter() - start,
                    "queries": len(queries), "mb": size / 2**20,
                    "traced_peak_mb": tracemalloc.get_traced_memory()[1] / 2**20})
    tracemalloc.stop()
print(json.dumps({"runs": runs, "baseline_kb": baseline, "peak_kb": peak, "exports": exports}))
"""


def write_news_items(count: int, path: Path) -> None:
    """A dump like the decision database's: ~1 kB of HTML each, 30 ministers,
    20 themes, titles that recur on other dates (readings of one decision)."""
    import random
    from datetime import date, timedelta

    rng = random.Random(20241124)
    ministers = [
        {"name": f"Minister {n}", "title": f"Vlaams minister van Domein {n}"} for n in range(30)
    ]
    themes = [{"id": f"http://themis.example/thema/{n}", "label": f"Thema {n}"} for n in range(20)]
    words = [
        "beslissing",
        "regering",
        "decreet",
        "subsidie",
        "onderwijs",
        "welzijn",
        "mobiliteit",
        "omgeving",
    ]
    with path.open("w", encoding="utf-8") as output:
        output.write("[\n")
        for n in range(count):
            item = {
                "id": f"bench-{n:07d}",
                "title": f"Beslissing {n // 3} over {rng.choice(words)} en {rng.choice(words)}",
                "alternativeTitle": f"Besluit van de Vlaamse Regering nummer {n}",
                "htmlContent": "<p>" + " ".join(rng.choices(words, k=150)) + "</p>",
                "meetingDate": (date(2019, 10, 4) + timedelta(days=7 * (n % 250))).isoformat(),
                "agendaitemType": rng.choice(["Nota", "Mededeling"]),
                "mandatees": rng.sample(ministers, rng.randint(1, 3)),
                "themes": rng.sample(themes, rng.randint(0, 2)),
            }
            output.write(("," if n else "") + json.dumps(item, ensure_ascii=False) + "\n")
        output.write("]\n")


def run_decisions_child(database_url: str, dump: Path) -> dict:
    env = child_env(database_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=BASE_DIR, env=env, check=True
    )
    result = subprocess.run(
        [sys.executable, "-c", DECISIONS_CHILD, str(dump)],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def child_env(database_url: str) -> dict:
    return {
        **os.environ,
        # DEBUG off as in production: with DEBUG on Django keeps the SQL of the
        # last 9,000 queries, bulk inserts included, which is not the import's memory.
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-not-secret",
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # The export measurement builds absolute URLs for Django's test host.
        "ALLOWED_HOSTS": "testserver",
    }


def run_child(database_url: str, tree: Path) -> dict:
    env = child_env(database_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=BASE_DIR, env=env, check=True
    )
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(tree)],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def pg_admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[200, 800], help="none: skip")
    parser.add_argument(
        "--pg-url",
        default=os.getenv("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/akk_import_bench"),
    )
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument(
        "--decisions", type=int, default=100_000, help="news items in the JSON dump (0: skip)"
    )
    args = parser.parse_args()
    pg_name = urlsplit(args.pg_url).path.lstrip("/")

    def fresh_pg(run):
        pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{pg_name}"')
        pg_admin(args.pg_url, f'CREATE DATABASE "{pg_name}"')
        try:
            return run(args.pg_url)
        finally:
            pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{pg_name}"')

    rows = []
    decision_rows = []
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        for size in args.sizes:
            tree = scratch / f"tree-{size}"
            subprocess.run(
                [sys.executable, "scripts/generate_analyses.py", str(size), str(tree)],
                cwd=BASE_DIR,
                check=True,
            )
            rows.append(("sqlite", run_child(f"sqlite:///{scratch / f'{size}.sqlite3'}", tree)))
            if not args.skip_postgres:
                rows.append(("postgresql", fresh_pg(lambda url, tree=tree: run_child(url, tree))))
        if args.decisions:
            dump = scratch / "news-items.json"
            write_news_items(args.decisions, dump)
            megabytes = dump.stat().st_size / 2**20
            sqlite_url = f"sqlite:///{scratch / 'decisions.sqlite3'}"
            decision_rows.append(("sqlite", run_decisions_child(sqlite_url, dump)))
            if not args.skip_postgres:
                decision_rows.append(
                    ("postgresql", fresh_pg(lambda url: run_decisions_child(url, dump)))
                )

    if rows:
        print(f"{'database':<11}{'files':>7}{'citations':>11}{'seconds':>9}{'files/s':>9}"
              f"{'citations/s':>13}{'peak MB':>9}{'import MB':>11}")  # fmt: skip
    for database, r in rows:
        print(
            f"{database:<11}{r['files']:>7}{r['citations']:>11}{r['seconds']:>9.2f}"
            f"{r['files'] / r['seconds']:>9.0f}{r['citations'] / r['seconds']:>13.0f}"
            f"{r['peak_kb'] / 1024:>9.0f}{(r['peak_kb'] - r['baseline_kb']) / 1024:>11.0f}"
        )
    if decision_rows:
        print()
        print(f"import_decisions: {args.decisions} news items, {megabytes:.0f} MB of JSON")
        # CPU: this process only (on SQLite that includes the database's work; on
        # PostgreSQL the server's is not in it). On a shared machine the wall time
        # depends on the neighbours; the CPU time does not.
        print(f"{'database':<11}{'run':<11}{'records':>8}{'seconds':>9}{'records/s':>11}"
              f"{'CPU s':>8}{'peak MB':>9}{'import MB':>11}")  # fmt: skip
        for database, r in decision_rows:
            for name, run in zip(("first", "unchanged"), r["runs"], strict=True):
                print(
                    f"{database:<11}{name:<11}{run['records']:>8}{run['seconds']:>9.2f}"
                    f"{run['records'] / run['seconds']:>11.0f}{run['cpu']:>8.1f}"
                    f"{r['peak_kb'] / 1024:>9.0f}"
                    f"{(r['peak_kb'] - r['baseline_kb']) / 1024:>11.0f}"
                )
        print()
        print("Full decision export of those records (the view, streamed to the end):")
        print(f"{'database':<11}{'format':<8}{'seconds':>9}{'queries':>9}{'MB out':>8}"
              f"{'Python peak MB':>16}")  # fmt: skip
        for database, r in decision_rows:
            for export in r["exports"]:
                print(
                    f"{database:<11}{export['format']:<8}{export['seconds']:>9.2f}"
                    f"{export['queries']:>9}{export['mb']:>8.1f}{export['traced_peak_mb']:>16.1f}"
                )


if __name__ == "__main__":
    main()
