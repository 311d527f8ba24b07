"""Benchmark the public face of the judgements at scale on PostgreSQL: the
overview with its trend chart, a section page, the status feeds and the section
export, with 1,000 sections, 10,000 citations, a few thousand evaluations.

    python scripts/benchmark_judgements.py [--pg-url URL] [--sections 1000] [--keep]

Builds the data in a scratch database (default akk_judgements_bench, created and
dropped by this script unless --keep), then prints the median time of each page
over 5 requests, its query count, and EXPLAIN ANALYZE of the queries added for
the chart, the feeds and the export. Not part of the test suite.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def pg_admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql)


def build(sections: int) -> None:
    from django.contrib.auth import get_user_model

    from commitments.models import Agreement, Chapter, Citation, Evaluation, Section
    from decisions.models import Decision

    rng = random.Random(7)
    agreement = Agreement.objects.create(
        title="Regeerakkoord 2019-2024",
        slug="regeerakkoord-2019-2024",
        start_date=date(2019, 10, 2),
        end_date=date(2024, 6, 9),
    )
    chapters = Chapter.objects.bulk_create(
        Chapter(agreement=agreement, title=f"Hoofdstuk {i}", slug=f"h{i}", position=i)
        for i in range(20)
    )
    rows = []
    for index in range(sections):
        number = f"{index // 20 + 1}.{index % 7 + 1}"
        rows.append(
            Section(
                chapter=chapters[index % 20],
                number=number,
                title=f"Sectie {index}",
                text="Tekst. " * 50,
                sort_key=".".join(f"{int(p):04d}" for p in number.split(".")),
            )
        )
    # Unique (chapter, number): one section per chapter per number.
    seen, unique = set(), []
    for row in rows:
        if (row.chapter.pk, row.number) not in seen:
            seen.add((row.chapter.pk, row.number))
            unique.append(row)
    section_rows = Section.objects.bulk_create(unique)
    day0 = date(2019, 10, 1)
    decisions = Decision.objects.bulk_create(
        Decision(
            title=f"Beslissing {i}",
            normalized_title=f"beslissing {i}",
            date=day0 + timedelta(days=i % 1700),
        )
        for i in range(2 * len(section_rows) * 10)
    )
    Citation.objects.bulk_create(
        Citation(section=s, number=n, decision=rng.choice(decisions), raw_title="t")
        for s in section_rows
        for n in range(10)
    )
    users = [
        get_user_model().objects.create_user(
            username=f"u{i}", first_name="Voor", last_name=f"Naam {i}", password=None
        )
        for i in range(10)
    ]
    statuses = ["not_started", "in_progress", "partially_achieved", "achieved", "abandoned"]
    evaluations = []
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for section in section_rows:
        at = start + timedelta(days=rng.randint(0, 900))
        for _step in range(rng.randint(1, 5)):
            author, reviewer = rng.sample(users, 2)
            evaluations.append(
                Evaluation(
                    section=section,
                    status=rng.choice(statuses),
                    rationale="Motivering. " * 20,
                    author=author,
                    reviewer=reviewer,
                    created=at,
                    reviewed_at=at,
                    state="published",
                    published_at=at,
                )
            )
            at += timedelta(days=rng.randint(20, 400))
        evaluations.append(
            Evaluation(
                section=section,
                status="achieved",
                rationale="Voorstel.",
                author=rng.choice(users),
                created=at,
                state="proposed",
            )
        )
    Evaluation.objects.bulk_create(evaluations, batch_size=2000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"data: {len(section_rows)} sections, {Citation.objects.count()} citations, "
        f"{len(decisions)} decisions, {Evaluation.objects.published().count()} published "
        f"and {Evaluation.objects.proposed().count()} proposed evaluations"
    )


def measure() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from commitments.charts import status_trend_chart
    from commitments.history import agreement_status_trend, previous_published_status
    from commitments.models import Chapter, Evaluation, Section

    client = Client()
    chapter = Chapter.objects.select_related("agreement").first()
    section = Section.objects.filter(chapter=chapter).order_by("sort_key").first()
    section_url = section.get_absolute_url()
    pages = {
        "overview /": "/",
        "section page": section_url,
        "feed all sections": "/nl/feeds/statussen/",
        "feed chapter": f"/nl/feeds/statussen/{chapter.agreement.slug}/{chapter.slug}/",
        "feed section": section_url.replace("/akkoorden/", "/nl/feeds/statussen/"),
        "sections export.csv": "/nl/secties/export.csv",
    }
    print(f"\n{'page':24} {'median ms':>10} {'queries':>8}")
    for name, url in pages.items():
        times = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, secure=True)
                if response.streaming:
                    b"".join(response.streaming_content)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{name:24} {statistics.median(times) * 1000:10.1f} {len(queries):8}")

    agreement = chapter.agreement
    times = []
    for _ in range(5):
        started = time.perf_counter()
        status_trend_chart(agreement_status_trend(agreement, section_count=Section.objects.count()))
        times.append(time.perf_counter() - started)
    print(
        f"\ntrend chart alone (query + fold + geometry): {statistics.median(times) * 1000:.1f} ms"
    )
    explain = {
        "trend chart (overview)": Evaluation.objects.published()
        .filter(section__chapter__agreement=agreement)
        .order_by("section_id", "published_at", "id")
        .values_list("section_id", "status", "published_at"),
        "feed, all sections": Evaluation.objects.newest_published_first()
        .select_related("section__chapter__agreement", "author", "reviewer")
        .annotate(previous_status=previous_published_status())[:50],
    }
    for name, queryset in explain.items():
        print(f"\nEXPLAIN ANALYZE {name}:")
        print(queryset.explain(analyze=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pg-url", default="postgres://postgres@127.0.0.1:5432/akk_judgements_bench"
    )
    parser.add_argument("--sections", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    name = urlsplit(args.pg_url).path.lstrip("/")
    os.environ.update(
        DEBUG="0",
        SECRET_KEY="benchmark-only-not-secret",  # noqa: S106
        DATABASE_URL=args.pg_url,
        ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{name}"')
    pg_admin(args.pg_url, f'CREATE DATABASE "{name}"')
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        build(args.sections)
        measure()
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
