"""Benchmark the editorial workflow at scale on PostgreSQL: the admin start
page with its queue counts, each queue's changelist, the evaluation workspace
and the section change page of a 10,000-citation section, and "Opslaan en
volgende".

    python scripts/benchmark_workflow.py [--pg-url URL] [--sections 1000] [--keep]

Builds the data in a scratch database (default akk_workflow_bench, created and
dropped by this script unless --keep): `--sections` sections of 10 citations
in every queue state, one section of 10,000 citations, twice as many decisions
as citations (so many are uncited). Prints the median time of each page over 5
requests, its query count and size, and EXPLAIN ANALYZE of the two queue
counts with subqueries. Not part of the test suite.
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

BIG = 10_000


def pg_admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql)


def build(sections: int):
    from django.contrib.auth import get_user_model
    from django.db import connection

    from commitments.models import Agreement, Chapter, Citation, Evaluation, Section, Summary
    from commitments.roles import grant_role
    from decisions.models import Decision

    rng = random.Random(7)
    agreement = Agreement.objects.create(title="Regeerakkoord 2019-2024", slug="ra")
    chapters = Chapter.objects.bulk_create(
        Chapter(agreement=agreement, title=f"Hoofdstuk {i}", slug=f"h{i}", position=i)
        for i in range(20)
    )
    rows = [
        Section(
            chapter=chapters[i % 20],
            number=f"{i // 20 + 1}.1",
            title=f"Sectie {i}",
            text="Tekst. " * 50,
            sort_key=f"{i // 20 + 1:04d}.0001",
        )
        for i in range(sections)
    ]
    rows.append(
        Section(chapter=chapters[0], number="999", title="Groot", text="T", sort_key="0999")
    )
    section_rows = Section.objects.bulk_create(rows)
    big = section_rows[-1]
    Summary.objects.bulk_create(
        Summary(section=s, body=" ".join(f"Zin \\[{n}\\]." for n in range(0, 40)))
        for s in section_rows
    )
    day0 = date(2019, 10, 1)
    total = sections * 10 + BIG
    decisions = Decision.objects.bulk_create(
        (
            Decision(title=f"B {i}", normalized_title=f"b {i}", date=day0 + timedelta(i % 1700))
            for i in range(2 * total)
        ),
        batch_size=5000,
    )
    Citation.objects.bulk_create(
        (
            Citation(
                section=s,
                number=n,
                decision=None if n == 9 and s.pk % 3 == 0 else rng.choice(decisions),
                incomplete=n == 9 and s.pk % 3 == 0,
                raw_title="t",
                raw_url="https://beslissingenvlaamseregering.vlaanderen.be/?search=" + "x" * 300,
            )
            for s in section_rows
            for n in range(BIG if s is big else 10)
        ),
        batch_size=5000,
    )
    User = get_user_model()
    users = [User.objects.create_user(username=f"u{i}", password=None) for i in range(10)]
    for user in users:
        grant_role(user=user, role="eindredacteur")
    evaluations = []
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for index, section in enumerate(section_rows):
        kind = index % 4  # 0 never judged, 1 published, 2 proposed, 3 rejected
        if kind == 0:
            continue
        at = start + timedelta(days=rng.randint(0, 1500))
        author, reviewer = rng.sample(users, 2)
        evaluations.append(
            Evaluation(
                section=section,
                status="in_progress",
                rationale="Motivering.",
                author=author,
                created=at,
                state={1: "published", 2: "proposed", 3: "rejected"}[kind],
                reviewer=None if kind == 2 else reviewer,
                reviewed_at=None if kind == 2 else at,
                published_at=at if kind == 1 else None,
            )
        )
    Evaluation.objects.bulk_create(evaluations, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"data: {len(section_rows)} sections ({BIG} citations in one), "
        f"{Citation.objects.count()} citations, {len(decisions)} decisions, "
        f"{len(evaluations)} evaluations"
    )
    return big, users[0]


def _median(client, method: str, url: str, data=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = getattr(client, method)(url, data or {}, secure=True)
            times.append(time.perf_counter() - started)
        assert response.status_code in (200, 302), (url, response.status_code)
    return statistics.median(times) * 1000, len(queries), response


def measure(big, user) -> None:
    from django.test import Client
    from django.urls import reverse

    from commitments.models import Section
    from commitments.queues import QUEUES

    client = Client()
    client.force_login(user)
    pages = {"admin start page (queues)": reverse("admin:index")}
    for key, queue in QUEUES.items():
        app = "decisions" if queue.model == "decision" else "commitments"
        pages[f"changelist ?queue={key}"] = (
            reverse(f"admin:{app}_{queue.model}_changelist") + f"?queue={key}"
        )
    pages[f"workspace, {BIG} citations"] = reverse(
        "admin:commitments_section_assess", args=[big.pk]
    )
    pages[f"section change page, {BIG} citations"] = reverse(
        "admin:commitments_section_change", args=[big.pk]
    )
    print(f"\n{'page':40} {'median ms':>10} {'queries':>8} {'KiB':>8} {'fields':>7}")
    for name, url in pages.items():
        ms, queries, response = _median(client, "get", url)
        html = response.content.decode()
        fields = len(set(re.findall(r'<(?:input|select|textarea)[^>]*name="([^"]+)"', html)))
        print(f"{name:40} {ms:10.1f} {queries:8} {len(html) / 1024:8.0f} {fields:7}")

    # Save and next through the not-assessed queue: each POST proposes one section.
    first = QUEUES["not_assessed"].sections(user).first()
    url = reverse("admin:commitments_section_assess", args=[first.pk]) + "?queue=not_assessed"
    times = []
    for _ in range(5):
        started = time.perf_counter()
        response = client.post(
            url,
            {"status": "not_started", "rationale": "Nog niets.", "_next": "1"},
            secure=True,
        )
        times.append(time.perf_counter() - started)
        assert response.status_code == 302
        url = response["Location"]
    print(f"{'POST Opslaan en volgende':40} {statistics.median(times) * 1000:10.1f}")

    for key in ("not_assessed", "stale"):
        print(f"\nEXPLAIN ANALYZE count of queue {key}:")
        queryset = QUEUES[key].filter(Section.objects.all(), user)
        print(queryset.values("pk").explain(analyze=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/akk_workflow_bench")
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
        big, user = build(args.sections)
        measure(big, user)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
