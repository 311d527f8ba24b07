"""Benchmark the analysis import on SQLite and PostgreSQL: files/s, citations/s
and peak memory for two corpus sizes (memory should not grow with N).

    python scripts/benchmark_import.py [--sizes 200 800] [--pg-url URL]

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


def run_child(database_url: str, tree: Path) -> dict:
    env = {
        **os.environ,
        # DEBUG off as in production: with DEBUG on Django keeps the SQL of the
        # last 9,000 queries, bulk inserts included, which is not the import's memory.
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-not-secret",
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
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
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 800])
    parser.add_argument(
        "--pg-url",
        default=os.getenv("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/akk_import_bench"),
    )
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    pg_name = urlsplit(args.pg_url).path.lstrip("/")

    rows = []
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
                pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{pg_name}"')
                pg_admin(args.pg_url, f'CREATE DATABASE "{pg_name}"')
                try:
                    rows.append(("postgresql", run_child(args.pg_url, tree)))
                finally:
                    pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{pg_name}"')

    print(f"{'database':<11}{'files':>7}{'citations':>11}{'seconds':>9}{'files/s':>9}"
          f"{'citations/s':>13}{'peak MB':>9}{'import MB':>11}")  # fmt: skip
    for database, r in rows:
        print(
            f"{database:<11}{r['files']:>7}{r['citations']:>11}{r['seconds']:>9.2f}"
            f"{r['files'] / r['seconds']:>9.0f}{r['citations'] / r['seconds']:>13.0f}"
            f"{r['peak_kb'] / 1024:>9.0f}{(r['peak_kb'] - r['baseline_kb']) / 1024:>11.0f}"
        )


if __name__ == "__main__":
    main()
