"""Benchmark the suggestions (commitments/suggestions.py) on the corpus sample:
recall and time per call, on SQLite and on PostgreSQL. Not part of the test suite.

    python scripts/benchmark_suggestions.py [--pg-url URL] [--skip-postgres] [--scale N]

Each database is fresh: an SQLite file in a temporary folder, and a scratch
PostgreSQL database (default akk_suggestions_bench) that this script creates and
drops. The corpus sample (settings.CORPUS_SAMPLE_DIR) is imported with the
importer, and seed 003's document onto its decision (as `load_seed` does).

For every decision cited in the sample, in a transaction that is rolled back:
its citations are deleted and so are the summary lines that carry their markers
(a new decision is described nowhere yet); then

- suggest_sections(decision, limit=5): is one of its true sections at rank 1, in
  the top 3, in the top 5?
- suggest_decisions(section, limit=10) for each of its true sections: is the
  decision in the top 10?

`--scale N` then adds N synthetic decisions (random Dutch-like texts, ~1 kB)
and the generated analyses of scripts/generate_analyses.py, and times both
functions on that database (no recall: the synthetic texts mean nothing).
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


def child(args) -> None:
    """Runs in a process whose DATABASE_URL is the fresh database."""
    import random
    import statistics
    import time
    import tomllib
    from datetime import date, timedelta

    import django

    sys.path.insert(0, str(BASE_DIR))
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    from commitments.importers import import_analyses
    from commitments.models import Citation, Section, Summary
    from commitments.suggestions import suggest_decisions, suggest_sections
    from decisions.importers import import_document
    from decisions.models import Decision, DecisionDocument

    if args.existing:
        _time_existing(Section, Decision, suggest_sections, suggest_decisions, connection)
        return
    call_command("migrate", verbosity=0)
    import_analyses([settings.CORPUS_SAMPLE_DIR])
    seeds = BASE_DIR / "fixtures" / "seeds"
    manifest = tomllib.loads((seeds / "manifest.toml").read_text(encoding="utf-8"))
    for document in manifest["documents"]:
        import_document(
            path=seeds / document["path"], title=document["title"], date=document["date"]
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    result: dict = {"vendor": connection.vendor}
    seed_decision = Decision.objects.get(title=manifest["documents"][0]["title"])
    seed_target = Section.objects.get(chapter__title="Samenleven", number="1.2")
    ranked = suggest_sections(seed_decision, limit=5)
    result["seed003_rank"] = ranked.index(seed_target) + 1 if seed_target in ranked else None
    result["seed003_top5"] = [f"{s.chapter.title} {s.number}" for s in ranked]

    cited = Decision.objects.filter(citations__isnull=False).distinct().order_by("date", "id")
    hits = {1: 0, 3: 0, 5: 0}
    decision_hits = 0
    decision_calls = 0
    section_times: list[float] = []
    decision_times: list[float] = []
    decisions = list(cited)
    for decision in [] if args.scale_only else decisions:
        with transaction.atomic():
            citations = list(Citation.objects.filter(decision=decision))
            truth = {c.section_id for c in citations}
            _hide(citations, Citation, Summary)
            start = time.perf_counter()
            suggested = [s.pk for s in suggest_sections(decision, limit=5)]
            section_times.append(time.perf_counter() - start)
            for k in hits:
                hits[k] += bool(truth & set(suggested[:k]))
            for section in Section.objects.filter(pk__in=truth):
                start = time.perf_counter()
                found = suggest_decisions(section, limit=10)
                decision_times.append(time.perf_counter() - start)
                decision_calls += 1
                decision_hits += decision in found
            transaction.set_rollback(True)
    result.update(
        sections=Section.objects.count(),
        decisions=len(decisions),
        all_decisions=Decision.objects.count(),
        recall={k: hits[k] / len(decisions) for k in hits},
        decision_recall10=decision_hits / max(decision_calls, 1),
        decision_calls=decision_calls,
        section_time=_times(section_times, statistics),
        decision_time=_times(decision_times, statistics),
    )

    if args.scale:
        rng = random.Random(20241125)
        vocabulary = [
            w for s in Section.objects.all() for w in s.text.split() if w.isalpha() and len(w) > 4
        ]
        batch = []
        for n in range(args.scale):
            words = rng.choices(vocabulary, k=150)
            batch.append(
                Decision(
                    title=" ".join(words[:10]) + f" {n}",
                    normalized_title=f"bench {n}",
                    date=date(2019, 10, 4) + timedelta(days=n % 1700),
                    text="<p>" + " ".join(words) + "</p>",
                )
            )
            if len(batch) == 5000:
                _create_indexed(batch, Decision)
                batch = []
        _create_indexed(batch, Decision)
        with tempfile.TemporaryDirectory() as tree:
            subprocess.run(
                [sys.executable, "scripts/generate_analyses.py", str(args.scale_sections), tree],
                cwd=BASE_DIR,
                check=True,
                capture_output=True,
            )
            import_analyses([tree])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        sample_decisions = rng.sample(decisions, min(20, len(decisions)))
        sample_sections = rng.sample(list(Section.objects.all()), 20)
        times_s, times_d = [], []
        for decision in sample_decisions:
            start = time.perf_counter()
            suggest_sections(decision)
            times_s.append(time.perf_counter() - start)
        for section in sample_sections:
            start = time.perf_counter()
            suggest_decisions(section)
            times_d.append(time.perf_counter() - start)
        if connection.vendor == "postgresql":
            result["explain"] = _explain(suggest_decisions, sample_sections[0], connection)
        result["scale"] = {
            "sections": Section.objects.count(),
            "decisions": Decision.objects.count(),
            "documents": DecisionDocument.objects.count(),
            "section_time": _times(times_s, statistics),
            "decision_time": _times(times_d, statistics),
        }
    print(json.dumps(result))


def _time_existing(Section, Decision, suggest_sections, suggest_decisions, connection) -> None:
    """Time both functions on an existing database (--existing), in one
    READ ONLY transaction: nothing is written, not even statistics."""
    import random
    import statistics
    import time

    from django.db import transaction

    rng = random.Random(20241125)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION READ ONLY")
        decision_ids = list(Decision.objects.order_by("pk").values_list("pk", flat=True))
        section_ids = list(Section.objects.order_by("pk").values_list("pk", flat=True))
        decisions = Decision.objects.in_bulk(rng.sample(decision_ids, 30)).values()
        sections = Section.objects.in_bulk(rng.sample(section_ids, 30)).values()
        times_s, times_d = [], []
        for decision in decisions:
            start = time.perf_counter()
            suggest_sections(decision)
            times_s.append(time.perf_counter() - start)
        for section in sections:
            start = time.perf_counter()
            suggest_decisions(section)
            times_d.append(time.perf_counter() - start)
        result = {
            "vendor": connection.vendor,
            "existing": {
                "sections": len(section_ids),
                "decisions": len(decision_ids),
                "section_time": _times(times_s, statistics),
                "decision_time": _times(times_d, statistics),
            },
        }
        if connection.vendor == "postgresql":
            result["explain"] = _explain(suggest_decisions, next(iter(sections)), connection)
            result["explain"] += _explain(suggest_sections, next(iter(decisions)), connection)
    print(json.dumps(result))


def _create_indexed(batch, Decision) -> None:
    """bulk_create sends no signals: the search documents the suggestions
    read are written here, as the importer writes them."""
    from decisions.searchindex import refresh_decisions

    created = Decision.objects.bulk_create(batch)
    refresh_decisions([d.pk for d in created], notify=False)


def _explain(function, argument, connection) -> list[str]:
    """EXPLAIN ANALYZE of every statement one call runs (the plan's last lines
    and the lines that name an index or a scan)."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function(argument)
    lines = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if not query["sql"].startswith(("SELECT", "WITH")):
                continue  # BEGIN, SAVEPOINT, RELEASE
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = [row[0] for row in cursor.fetchall()]
            lines.append(query["sql"][:120])
            lines += [p for p in plan if "Scan" in p or "Limit" in p][:12] + plan[-2:]
    return lines


def _hide(citations, Citation, Summary) -> None:
    """Delete the citations and every summary line that carries one of their markers."""
    by_section: dict[int, set[int]] = {}
    for citation in citations:
        by_section.setdefault(citation.section_id, set()).add(citation.number)
    for summary in Summary.objects.filter(section_id__in=by_section):
        markers = [f"\\[{n}\\]" for n in by_section[summary.section_id]]
        for field in ("body", "conclusion"):
            lines = getattr(summary, field).splitlines()
            kept = [line for line in lines if not any(m in line for m in markers)]
            setattr(summary, field, "\n".join(kept))
        summary.save(update_fields=["body", "conclusion"])
    Citation.objects.filter(pk__in=[c.pk for c in citations]).delete()
    # The suggestions read the sections' search documents: make sure they no
    # longer hold the hidden lines, whatever the signals did.
    from commitments.searchindex import refresh_sections

    refresh_sections(by_section)


def _times(seconds: list[float], statistics) -> dict:
    ordered = sorted(seconds)
    if not ordered:
        return {"calls": 0, "median_ms": 0.0, "p95_ms": 0.0}
    return {
        "calls": len(ordered),
        "median_ms": statistics.median(ordered) * 1000,
        "p95_ms": ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000,
    }


def run(database_url: str, args) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "benchmark-only"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    command = [sys.executable, __file__, "--child"]
    if args.scale_only:
        command.append("--scale-only")
    if args.scale:
        command += ["--scale", str(args.scale), "--scale-sections", str(args.scale_sections)]
    output = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True)
    if output.returncode:
        sys.exit(f"benchmark on {database_url} failed:\n{output.stderr}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def pg_admin(url: str, sql: str) -> None:
    import psycopg

    admin = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql)


def report(r: dict) -> None:
    if "explain" in r:
        print("\n".join(r["explain"]))
    if "existing" in r:
        e = r["existing"]
        print(
            f"{r['vendor']} existing ({e['sections']} sections, {e['decisions']} decisions): "
            f"suggest_sections median {e['section_time']['median_ms']:.0f} ms, "
            f"p95 {e['section_time']['p95_ms']:.0f} ms; "
            f"suggest_decisions median {e['decision_time']['median_ms']:.0f} ms, "
            f"p95 {e['decision_time']['p95_ms']:.0f} ms"
        )
        return
    print(
        f"{r['vendor']}: {r['sections']} sections, {r['all_decisions']} decisions, "
        f"{r['decisions']} cited"
    )
    print(f"  seed 003 -> Samenleven 1.2 at rank {r['seed003_rank']}; top 5: {r['seed003_top5']}")
    recall = r["recall"]
    print(
        f"  suggest_sections  recall@1 {recall['1']:.0%}  @3 {recall['3']:.0%}  "
        f"@5 {recall['5']:.0%}  time median {r['section_time']['median_ms']:.1f} ms, "
        f"p95 {r['section_time']['p95_ms']:.1f} ms ({r['section_time']['calls']} calls)"
    )
    print(
        f"  suggest_decisions recall@10 {r['decision_recall10']:.0%}  "
        f"time median {r['decision_time']['median_ms']:.1f} ms, "
        f"p95 {r['decision_time']['p95_ms']:.1f} ms ({r['decision_calls']} calls)"
    )
    if "scale" in r:
        s = r["scale"]
        print(
            f"  at scale ({s['sections']} sections, {s['decisions']} decisions): "
            f"suggest_sections median {s['section_time']['median_ms']:.0f} ms, "
            f"p95 {s['section_time']['p95_ms']:.0f} ms; "
            f"suggest_decisions median {s['decision_time']['median_ms']:.0f} ms, "
            f"p95 {s['decision_time']['p95_ms']:.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--pg-url",
        default=os.getenv(
            "BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/akk_suggestions_bench"
        ),
    )
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--scale", type=int, default=0, help="synthetic decisions to add")
    parser.add_argument("--scale-sections", type=int, default=1000)
    parser.add_argument("--scale-only", action="store_true", help="skip the recall run")
    parser.add_argument(
        "--existing",
        metavar="URL",
        help="only time both functions on this existing database, read only",
    )
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if args.existing:
        env = {**os.environ, "DATABASE_URL": args.existing, "SECRET_KEY": "benchmark-only"}
        env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        output = subprocess.run(
            [sys.executable, __file__, "--child", "--existing", args.existing],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
        )
        if output.returncode:
            sys.exit(f"benchmark on {args.existing} failed:\n{output.stderr}")
        report(json.loads(output.stdout.strip().splitlines()[-1]))
        return
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        if not args.skip_sqlite:
            results.append(run(f"sqlite:///{Path(scratch) / 'bench.sqlite3'}", args))
    if not args.skip_postgres:
        name = urlsplit(args.pg_url).path.lstrip("/")
        pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{name}"')
        pg_admin(args.pg_url, f'CREATE DATABASE "{name}"')
        try:
            results.append(run(args.pg_url, args))
        finally:
            pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{name}"')
    for result in results:
        report(result)


if __name__ == "__main__":
    main()
