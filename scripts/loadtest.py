"""Load check: N clients for S seconds against a mixed page set, with or
without an import running, counting every status and every failure.

    python scripts/loadtest.py http://127.0.0.1:8001 [--clients 16] [--seconds 60]

Each client is a thread with its own keep-alive connection and its own
address in X-Forwarded-For (as our reverse proxy on 127.0.0.1 would send it),
so the per-address rate limits apply per client as in production. The pages
are drawn at random, with weights, from what the database holds: the overview,
chapters, section lists (plain, filtered, sorted, late page), section pages,
decision lists and pages, search, feeds, exports and the health endpoint.
An error is a 5xx, a connection failure, a timeout or any status other than
200 / 301 / 302 / 304 / 404; 429 (rate limit, by design) is counted apart.
Not part of the test suite; docs/operations.md has the method and figures.
"""

import argparse
import collections
import http.client
import json
import random
import statistics
import threading
import time
import urllib.request
from urllib.parse import urlsplit

OK = {200, 301, 302, 304, 404}


def page_set(base: str) -> list[tuple[str, int]]:
    """(path, weight) for the pages of this site, found through its own exports."""

    def fetch_json(path: str):
        # As through the proxy: https, so that the site does not redirect.
        request = urllib.request.Request(base + path, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (our URL)
            return json.load(response)

    sections = fetch_json("/nl/secties/export.json")
    decisions = fetch_json("/nl/beslissingen/export.json?date_from=2024-05-01")
    section_paths = [urlsplit(row["url"]).path for row in sections]
    decision_paths = [urlsplit(row["url"]).path for row in decisions[:500]]
    chapters = sorted({path.rsplit("/", 2)[0] + "/" for path in section_paths})
    pages = [
        ("/nl/", 10),
        ("/nl/secties/", 6),
        ("/nl/secties/?status=in_progress", 3),
        ("/nl/secties/?decided_from=2022-01-01", 3),
        ("/nl/secties/?sort=-referenties", 2),
        ("/nl/secties/?page=5", 2),
        ("/nl/beslissingen/", 6),
        ("/nl/beslissingen/?page=40", 2),
        ("/nl/beslissingen/?q=subsidie", 2),
        ("/nl/zoeken/?q=onderwijs", 2),
        ("/nl/zoeken/?q=discriminatie", 2),
        ("/nl/feeds/beslissingen/", 2),
        ("/nl/feeds/statussen/", 1),
        ("/nl/secties/export.csv", 1),
        ("/nl/beslissingen/export.csv?date_from=2024-06-01", 1),
        ("/nl/over/", 1),
        ("/healthz", 2),
    ]
    pages += [(path, 3) for path in chapters]
    pages += [(path, 1) for path in random.sample(section_paths, min(40, len(section_paths)))]
    pages += [(path, 1) for path in random.sample(decision_paths, min(40, len(decision_paths)))]
    return pages


def client(number, base, pages, deadline, results, lock):
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=35)
    paths, weights = zip(*pages, strict=True)
    rng = random.Random(number)
    headers = {
        "X-Forwarded-For": f"203.0.113.{number + 1}",
        "X-Forwarded-Proto": "https",
        "Host": parts.hostname,
    }
    statuses, latencies, failures = collections.Counter(), [], collections.Counter()
    while time.monotonic() < deadline:
        path = rng.choices(paths, weights)[0]
        started = time.monotonic()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            statuses[response.status] += 1
            if response.status >= 500:
                failures[f"{response.status} {path.split('?')[0]}"] += 1
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
        except (OSError, http.client.HTTPException) as error:
            failures[f"{type(error).__name__} {path.split('?')[0]}"] += 1
            connection.close()
        latencies.append(time.monotonic() - started)
    with lock:
        results["statuses"].update(statuses)
        results["latencies"].extend(latencies)
        results["failures"].update(failures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="e.g. http://127.0.0.1:8001")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    base = args.base.rstrip("/")
    pages = page_set(base)
    results = {
        "statuses": collections.Counter(),
        "latencies": [],
        "failures": collections.Counter(),
    }
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=client, args=(n, base, pages, deadline, results, lock))
        for n in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses, latencies = results["statuses"], sorted(results["latencies"])
    total = sum(statuses.values()) + sum(
        count for key, count in results["failures"].items() if not key[0].isdigit()
    )
    errors = sum(c for s, c in statuses.items() if s not in OK and s != 429) + sum(
        count for key, count in results["failures"].items() if not key[0].isdigit()
    )
    print(f"{args.clients} clients, {args.seconds} s, {len(pages)} distinct pages")
    print(f"requests {total}  ({total / args.seconds:.1f}/s)  errors {errors}")
    print("statuses " + ", ".join(f"{s}: {c}" for s, c in sorted(statuses.items())))
    if latencies:
        p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
        print(
            f"latency median {statistics.median(latencies) * 1000:.0f} ms, "
            f"p95 {p(0.95) * 1000:.0f} ms, p99 {p(0.99) * 1000:.0f} ms, "
            f"max {latencies[-1] * 1000:.0f} ms"
        )
    for key, count in results["failures"].most_common(10):
        print(f"  failure {key}: {count}")


if __name__ == "__main__":
    main()
