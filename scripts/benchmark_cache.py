"""The section page from the page cache, against the same server's static file.

    .venv/bin/python scripts/benchmark_cache.py [--seconds 10] [--clients 4]

Builds (once) a PostgreSQL database with the seed data (`akk_caching_bench` on
PG_URL's server), then for each configuration starts gunicorn with the
production settings and deploy/gunicorn.conf.py (2 workers) on a free port and
measures, with keep-alive client threads on the loopback: the seed section
page (1.2, 21 citations) rendered every time (PAGE_CACHE=0), from the
local-memory page cache, from the Redis page cache (a redis-server on a free
port), a revalidation answered 304, and a static file of the same server in
the same run. Prints req/s, the median and p99 latency, and the ratio to the
static file. Not part of the test suite; docs/performance.md has the figures.
"""

import argparse
import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_URL = os.getenv("PG_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE = "akk_caching_bench"
SECTION = "/nl/akkoorden/regeerakkoord-2019-2024/samenleven/1.2/"
STATIC = "/static/css/site.css"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int) -> None:
    for _ in range(200):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing on port {port}")


def environment(**overrides) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "PYTEST_VERSION"}}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=f"{PG_URL}/{DATABASE}",
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_MANIFEST="0",
        RATE_LIMIT="0",
        WEB_CONCURRENCY="2",
        LOG_LEVEL="WARNING",
    )
    env.update(overrides)
    return env


def build_database() -> None:
    created = subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], capture_output=True
    )
    manage = [str(BIN / "python"), "manage.py"]
    env = environment()
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)
    if created.returncode == 0:  # a new database; an existing one already has the seed
        subprocess.run([*manage, "load_seed"], cwd=BASE_DIR, env=env, check=True)


@contextmanager
def running(command: list[str], port: int, env: dict[str, str] | None = None):
    process = subprocess.Popen(
        command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for(port)
        yield
    finally:
        process.terminate()
        process.wait(timeout=15)


def gunicorn(port: int, **overrides):
    env = environment(GUNICORN_BIND=f"127.0.0.1:{port}", **overrides)
    command = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "config.wsgi"]
    # Access log off: the same cost for every configuration, and not what is measured.
    return running([*command, "--access-logfile", "/dev/null"], port, env)


def load(port: int, path: str, seconds: float, clients: int, headers=None) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, codes = [], {}
        sent = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1", **(headers or {})}
        while time.monotonic() < deadline:
            started = time.perf_counter()
            connection.request("GET", path, headers=sent)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            codes[response.status] = codes.get(response.status, 0) + 1
            if response.will_close:
                connection.close()
        with lock:
            latencies.extend(mine)
            for code, count in codes.items():
                statuses[code] = statuses.get(code, 0) + count

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "rate": len(latencies) / seconds,
        "median": statistics.median(latencies) * 1000,
        "p99": latencies[int(0.99 * (len(latencies) - 1))] * 1000,
        "statuses": statuses,
    }


def etag_of(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"X-Forwarded-Proto": "https", "Host": "127.0.0.1"})
    response = connection.getresponse()
    response.read()
    return response.getheader("ETag")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    build_database()
    rows = []

    def measure(label, port, path, headers=None):
        load(port, path, 1, args.clients, headers)  # warm up: workers, caches, connections
        rows.append((label, load(port, path, args.seconds, args.clients, headers)))

    port = free_port()
    with gunicorn(port, PAGE_CACHE="0"):
        measure("section page, rendered (PAGE_CACHE=0)", port, SECTION)
        measure("static file, same server", port, STATIC)
    port = free_port()
    with gunicorn(port):
        measure("section page, local-memory page cache", port, SECTION)
        measure("static file, same server", port, STATIC)
    # Local memory reads the content version from the database on every request:
    # with CONN_MAX_AGE=0 (the default until now) that includes a new connection.
    port = free_port()
    with gunicorn(port, CONN_MAX_AGE="60"):
        measure("  the same, CONN_MAX_AGE=60", port, SECTION)
        measure("static file, same server", port, STATIC)
    redis_port, port = free_port(), free_port()
    redis = ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""]
    with running(redis, redis_port), gunicorn(port, REDIS_URL=f"redis://127.0.0.1:{redis_port}/0"):
        measure("section page, Redis page cache", port, SECTION)
        etag = etag_of(port, SECTION)
        measure("section page, 304 to If-None-Match", port, SECTION, {"If-None-Match": etag})
        measure("static file, same server", port, STATIC)

    print(f"{args.clients} keep-alive clients, {args.seconds:.0f} s each, gunicorn 2 workers")
    print(f"{'':42} {'req/s':>8} {'median':>8} {'p99':>8}  statuses")
    for label, row in rows:
        print(
            f"{label:42} {row['rate']:8.0f} {row['median']:6.1f}ms {row['p99']:6.1f}ms  "
            f"{row['statuses']}"
        )
    # Each page row against the static file measured right after it, same server.
    print()
    for index, (label, row) in enumerate(rows):
        if label.startswith("static"):
            continue
        static = next(r for lbl, r in rows[index:] if lbl.startswith("static"))
        print(f"{label:42} {row['rate'] / static['rate']:6.0%} of the static-file rate")


if __name__ == "__main__":
    main()
