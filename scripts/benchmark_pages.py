"""Page benchmark at a hundred times the real corpus (issue 11): every page type
of the public site against a PostgreSQL database of 1,000 sections, ~50,000
citations, 100,000 decisions and their evaluations, served the production way.

    python scripts/benchmark_pages.py [--pg-url postgres://postgres@127.0.0.1:5432]
        [--database akk_scale_bench] [--rebuild] [--seconds 3] [--clients 4]
        [--explain docs/performance-plans.md]

1. The database is built once (scripts/scale_data.py, bulk inserts, ~2 min) and
   marked; later runs reuse it, apply new migrations and ANALYZE. --rebuild
   starts over.
2. Per page, in one Django process with the production settings (DEBUG off,
   JIT off and the statement timeout as config/wsgi.py sets them, rate limits
   off): the number of queries, and the median server time of 15 requests
   through Django's test client after 2 warm-ups. Every request carries a
   fresh cache-busting parameter, so no cache layer answers for the page.
3. gunicorn with deploy/gunicorn.conf.py (DEBUG off, its own port) serves the
   same database; a small threaded load generator (--clients keep-alive
   connections for --seconds per page) gives req/s and p99 per page, and the
   same for a static file of the same server, measured before and after the
   pages: each page's rate is shown as a share of that static rate.
4. Each target of issue 11 point 2 is marked met or unmet.

Loopback, on whatever else the machine is doing: compare ratios and orders of
magnitude, not single milliseconds. Not part of the test suite; the method and
a run's output are in docs/performance.md.
"""

import argparse
import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# Bump when scripts/scale_data.py changes what it builds: older databases are rebuilt.
BUILD_VERSION = 3
MARKER_TABLE = "akk_benchmark_marker"

# Targets of issue 11 point 2.
MAX_QUERIES = 10
LIST_MS = 50
SECTION_MS = 15
OVERVIEW_MS = 20
SECTION_STATIC_SHARE = 0.5
EXPORT_SECONDS = 5


def database_env(url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "PYTEST_VERSION"}}
    env.update(
        DATABASE_URL=url,
        SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SETTINGS_MODULE="config.settings",
        RATE_LIMIT="0",
        STATIC_MANIFEST="1",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        **extra,
    )
    return env


def manage(url: str, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=database_env(url), check=True
    )


def ensure_database(server: str, name: str, rebuild: bool) -> str:
    """The benchmark database's URL, built if it is missing, stale or --rebuild."""
    url = f"{server.rstrip('/')}/{name}"
    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    built = False
    if exists and not rebuild:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", [MARKER_TABLE]).fetchone()
            if row[0]:
                version = conn.execute(f"SELECT max(version) FROM {MARKER_TABLE}").fetchone()  # noqa: S608
                built = version[0] == BUILD_VERSION
    if built:
        print(f"Reusing {name} (built earlier); applying new migrations.", flush=True)
        manage(url, "migrate", "--noinput", "--verbosity", "0")
    else:
        print(f"Building {name}: migrate, then bulk inserts (a few minutes).", flush=True)
        with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        manage(url, "migrate", "--noinput", "--verbosity", "0")
        subprocess.run(
            [sys.executable, "scripts/scale_data.py"],
            cwd=BASE_DIR,
            env=database_env(url),
            check=True,
        )
        # Bulk inserts send no signals: the search documents are built once here,
        # as an operator would after loading data by SQL.
        manage(url, "rebuild_search_index")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"CREATE TABLE {MARKER_TABLE} (version int, built timestamptz)")
            conn.execute(f"INSERT INTO {MARKER_TABLE} VALUES (%s, now())", [BUILD_VERSION])  # noqa: S608
    with psycopg.connect(url, autocommit=True) as conn:
        # Fresh statistics and visibility map: plans as a settled production database has them.
        conn.execute("VACUUM ANALYZE")
    return url


# Runs in a child process with the production settings: the page list with query
# counts and median server times (and the EXPLAIN of list queries), as JSON.
MEASURE = r"""
import json, statistics, sys, time, tracemalloc
import django
django.setup()
from operations.database import limit_web_queries
limit_web_queries()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from commitments.models import Chapter, Section
from decisions.models import Decision, Minister, Theme

explain = sys.argv[1] == "1"
runs = int(sys.argv[2])
only = [word for word in sys.argv[3].split(",") if word]
chapter = Chapter.objects.order_by("position").first()
big = Section.objects.filter(chapter=chapter, number="1.1").first()
minister = Minister.objects.order_by("pk").first()
theme = Theme.objects.order_by("pk").first()
decision = big.citations.exclude(decision=None).order_by("number").first().decision
sections = reverse("commitments:section-list")
decisions = reverse("decisions:list")
pages = [
    ("overview", "overview", reverse("commitments:home")),
    ("chapter", "page", chapter.get_absolute_url()),
    ("section list", "list", sections),
    ("section list ?status", "list", sections + "?status=in_progress"),
    ("section list ?chapter", "list", sections + f"?chapter={chapter.pk}"),
    ("section list ?has_decisions=true", "list", sections + "?has_decisions=true"),
    ("section list ?has_decisions=false", "list", sections + "?has_decisions=false"),
    ("section list ?decided_from", "list", sections + "?decided_from=2022-01-01"),
    ("section list ?decided_to", "list", sections + "?decided_to=2020-06-30"),
    ("section list ?minister", "list", sections + f"?minister={minister.pk}"),
    ("section list ?q", "list", sections + "?q=klimaat"),
    ("section list sort -referenties", "list", sections + "?sort=-referenties"),
    ("section list sort -laatste_beslissing", "list", sections + "?sort=-laatste_beslissing"),
    ("section list sort titel", "list", sections + "?sort=titel"),
    ("section list page 40 (last)", "list", sections + "?page=40"),
    ("section page (104 citations)", "section", big.get_absolute_url()),
    ("decision list", "list", decisions),
    ("decision list page 2000", "list", decisions + "?page=2000"),
    ("decision list page 4000 (last)", "list", decisions + "?page=4000"),
    ("decision list ?date_from", "list", decisions + "?date_from=2023-01-01"),
    ("decision list ?kind", "list", decisions + "?kind=nota"),
    ("decision list ?minister", "list", decisions + f"?minister={minister.pk}"),
    ("decision list ?theme", "list", decisions + f"?theme={theme.pk}"),
    # The synthetic texts share a small vocabulary: any word matches most of them.
    ("decision list ?q (11 matches)", "list", decisions + "?q=dossier+4242"),
    ("decision list ?q (63% match)", "list", decisions + "?q=fietspad"),
    ("decision page", "page", decision.get_absolute_url()),
    ("search", "page", reverse("commitments:search") + "?q=onderwijs"),
    ("feed decisions", "page", reverse("feed-decisions")),
    ("feed statuses", "page", reverse("feed-status")),
    ("export sections csv", "export", reverse("commitments:section-export", args=["csv"])),
    ("export sections json", "export", reverse("commitments:section-export", args=["json"])),
    ("export decisions csv (100k)", "export", reverse("decisions:export", args=["csv"])),
    ("export decisions json (100k)", "export", reverse("decisions:export", args=["json"])),
    ("healthz", "page", reverse("operations:healthz")),
]
client = Client(HTTP_X_FORWARDED_PROTO="https")
counter = iter(range(10**9))
cpu_times = []

def get(path):
    sep = "&" if "?" in path else "?"
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(f"{path}{sep}_bench={next(counter)}", secure=True)
    body = response.streaming_content if response.streaming else [response.content]
    size = sum(len(chunk) for chunk in body)
    cpu_times.append(time.process_time() - cpu)
    return time.perf_counter() - started, response.status_code, size

out = []
for name, kind, path in pages:
    if only and not any(word in name for word in only):
        continue
    n = 3 if kind == "export" else runs
    if kind != "export":
        get(path); get(path)
    cpu_times = []
    with CaptureQueriesContext(connection) as captured:
        if kind == "export":
            tracemalloc.start()
        first = get(path)
        peak = tracemalloc.get_traced_memory()[1] if kind == "export" else 0
        tracemalloc.stop()
    # Read now: the next request's request_started signal empties the query log.
    queries = list(captured.captured_queries)
    times = [first[0]] + [get(path)[0] for _ in range(n - 1)]
    row = {"name": name, "kind": kind, "path": path, "status": first[1], "bytes": first[2],
           "queries": len(queries), "median_ms": statistics.median(times) * 1000,
           "cpu_ms": statistics.median(cpu_times) * 1000,
           "peak_mb": peak / 2**20}
    if explain and kind in {"list", "overview"}:
        plans = []
        with connection.cursor() as cursor:
            for query in queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, BUFFERS OFF) " + sql)
                plans.append({"sql": sql, "plan": "\n".join(r[0] for r in cursor.fetchall())})
        row["plans"] = plans
    out.append(row)
from django.templatetags.static import static
print(json.dumps({"pages": out, "static": static("css/site.css")}))
"""


def measure(url: str, explain: bool, runs: int, only: str) -> dict:
    # The production static storage (hashed names) needs the collected files.
    manage(url, "collectstatic", "--noinput", "--verbosity", "0")
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, "1" if explain else "0", str(runs), only],
        cwd=BASE_DIR,
        env=database_env(url, LOG_LEVEL="WARNING"),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"measuring failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(url: str, port: int) -> subprocess.Popen:
    env = database_env(url, GUNICORN_BIND=f"127.0.0.1:{port}", LOG_LEVEL="WARNING")
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-c",
            "deploy/gunicorn.conf.py",
            "config.wsgi",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def load(port: int, path: str, clients: int, seconds: float) -> dict:
    """Closed-loop load: `clients` threads, each with its own keep-alive connection,
    requesting `path` for `seconds`; req/s, p99 and non-200 answers."""
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {
            "Host": "127.0.0.1",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": f"203.0.113.{number + 1}",
        }
        mine, failed = [], 0
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
            mine.append(time.monotonic() - started)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else 0
    return {"rps": len(latencies) / elapsed, "p99_ms": p99 * 1000, "errors": errors[0]}


def targets(row: dict, static_rps: float) -> list[str]:
    """The issue's targets this page has, each with met/unmet."""
    marks = []
    if row["kind"] != "export":
        marks.append(("queries<=10", row["queries"] <= MAX_QUERIES))
    if row["kind"] == "list":
        marks.append((f"<={LIST_MS}ms", row["median_ms"] <= LIST_MS))
    if row["kind"] == "overview":
        marks.append((f"<={OVERVIEW_MS}ms", row["median_ms"] <= OVERVIEW_MS))
    if row["kind"] == "section":
        marks.append((f"<={SECTION_MS}ms", row["median_ms"] <= SECTION_MS))
        if "rps" in row:
            marks.append(("rate>=50%static", row["rps"] >= SECTION_STATIC_SHARE * static_rps))
    if row["kind"] == "export" and "decisions" in row["name"]:
        marks.append((f"<={EXPORT_SECONDS}s", row["median_ms"] <= EXPORT_SECONDS * 1000))
    return [f"{label} {'met' if ok else 'UNMET'}" for label, ok in marks]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="akk_scale_bench")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--seconds", type=float, default=3.0, help="load per page")
    parser.add_argument("--clients", type=int, default=4, help="load generator threads")
    parser.add_argument("--runs", type=int, default=15, help="timed requests per page")
    parser.add_argument("--explain", help="write the EXPLAIN ANALYZE of every list query here")
    parser.add_argument("--no-load", action="store_true", help="server times only")
    parser.add_argument("--only", default="", help="pages whose name contains one of a,b,…")
    args = parser.parse_args()

    url = ensure_database(args.pg_url, args.database, args.rebuild)
    with psycopg.connect(url) as conn:
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in (
                "commitments_section",
                "commitments_citation",
                "decisions_decision",
                "commitments_evaluation",
            )
        }
    print("Database: " + ", ".join(f"{t.split('_', 1)[1]} {n:,}" for t, n in counts.items()))
    load_before = os.getloadavg()[0]
    result = measure(url, bool(args.explain), args.runs, args.only)
    pages = result["pages"]
    static_rps = 0.0
    if not args.no_load:
        port = free_port()
        server = start_gunicorn(url, port)
        try:
            before = load(port, result["static"], args.clients, args.seconds)
            for row in pages:
                if row["kind"] == "export":
                    continue  # seconds per request: timed above, not a rate
                row.update(load(port, row["path"], args.clients, args.seconds))
            after = load(port, result["static"], args.clients, args.seconds)
        finally:
            server.terminate()
            server.wait(timeout=30)
        static_rps = (before["rps"] + after["rps"]) / 2
        print(
            f"Static file {result['static']}: {before['rps']:.0f} req/s before the pages, "
            f"{after['rps']:.0f} after (p99 {before['p99_ms']:.1f} / {after['p99_ms']:.1f} ms); "
            f"{args.clients} keep-alive clients, {args.seconds:g} s per page."
        )
    header = (
        f"{'page':40} {'st':>3} {'q':>3} {'median':>9} {'cpu':>8} {'req/s':>7} {'p99':>8}"
        f" {'static':>7}"
        "  targets"
    )
    print(header)
    print("-" * len(header))
    unmet = 0
    for row in pages:
        marks = targets(row, static_rps)
        unmet += sum("UNMET" in m for m in marks)
        median = (
            f"{row['median_ms'] / 1000:.2f} s"
            if row["kind"] == "export"
            else f"{row['median_ms']:.1f} ms"
        )
        rate = (
            f"{row['rps']:7.0f} {row['p99_ms']:6.0f}ms {row['rps'] / static_rps:6.0%}"
            if "rps" in row and static_rps
            else (
                f"{'':7} {row['peak_mb']:5.1f}MB{'':8}"
                if row["kind"] == "export"
                else f"{'':7} {'':8} {'':7}"
            )
        )
        errors = f" errors {row['errors']}" if row.get("errors") else ""
        print(
            f"{row['name']:40} {row['status']:>3} {row['queries']:>3} {median:>9}"
            f" {row['cpu_ms']:6.1f}ms {rate}"
            f"  {', '.join(marks)}{errors}"
        )
    print(
        f"\n{'Every target met.' if not unmet else f'{unmet} target(s) unmet.'}"
        f" Machine: {os.cpu_count()} CPUs, load average {load_before:.1f} at the start,"
        f" {os.getloadavg()[0]:.1f} at the end (times are wall clock; cpu = the Django"
        " process's own CPU time per request, database time excluded)."
    )
    if args.explain:
        lines = ["# EXPLAIN ANALYZE of every list query (scripts/benchmark_pages.py --explain)", ""]
        lines.append(
            "Generated on the benchmark database: "
            + ", ".join(f"{t} {n:,}" for t, n in counts.items())
            + "."
        )
        for row in pages:
            for index, plan in enumerate(row.get("plans", []), 1):
                lines += [
                    "",
                    f"## {row['name']} — query {index}",
                    "",
                    "```sql",
                    plan["sql"],
                    "```",
                    "",
                    "```",
                    plan["plan"],
                    "```",
                ]
        Path(args.explain).write_text("\n".join(lines) + "\n")
        print(f"Plans written to {args.explain}")


if __name__ == "__main__":
    main()
