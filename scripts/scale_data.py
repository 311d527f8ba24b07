"""Fill an empty, migrated database with a corpus a hundred times the real one:
1,000 sections in 20 chapters, ~50,000 citations (one section with 104), 100,000
decisions with ministers and themes, and evaluations. Used by
scripts/benchmark_pages.py; runs inside a configured Django process:

    DATABASE_URL=postgres://…/akk_scale_bench python scripts/scale_data.py

Rows go in with bulk_create in large batches (not through the importer, which
would take an hour at this size); the data are random but seeded, so every
build is the same. Not part of the test suite.
"""

import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from commitments.models import (  # noqa: E402
    Agreement,
    Chapter,
    Citation,
    Evaluation,
    Section,
    Status,
    Summary,
    relink_section_parents,
    section_sort_key,
)
from decisions.models import Decision, DecisionDocument, Minister, Theme, normalize_title  # noqa: E402

CHAPTERS = 20
SECTIONS_PER_CHAPTER = 50
CITATIONS_PER_SECTION = 50
BIG_SECTION_CITATIONS = 104  # section 1.1 of the first chapter: the "~100 citations" page
DECISIONS = 100_000
MINISTERS = 12
THEMES = 40
BATCH = 5_000
FIRST_DAY = date(2019, 10, 2)
DAYS = (date(2024, 6, 9) - FIRST_DAY).days

WORDS = [
    "subsidie",
    "onderwijs",
    "zorg",
    "mobiliteit",
    "klimaat",
    "energie",
    "wonen",
    "welzijn",
    "cultuur",
    "sport",
    "jeugd",
    "werk",
    "economie",
    "innovatie",
    "landbouw",
    "natuur",
    "water",
    "erfgoed",
    "media",
    "toerisme",
    "armoede",
    "inburgering",
    "gezin",
    "kinderopvang",
    "ouderen",
    "handicap",
    "gelijke",
    "kansen",
    "digitalisering",
    "openbaar",
    "vervoer",
    "fietspad",
    "renovatie",
    "begroting",
    "decreet",
    "besluit",
    "samenwerkingsakkoord",
    "conceptnota",
    "projectoproep",
    "toekenning",
    "erkenning",
    "uitvoering",
    "evaluatie",
    "programma",
    "strategie",
    "actieplan",
    "hervorming",
]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng, rng.randint(6, 14)) for _ in range(sentences))


def build() -> dict[str, int]:
    rng = random.Random(2019)
    user_model = get_user_model()
    editor = user_model.objects.create_user("bench.redacteur", first_name="An", last_name="Peeters")
    reviewer = user_model.objects.create_user(
        "bench.eindredacteur", first_name="Bart", last_name="Claes"
    )
    agreement = Agreement.objects.create(
        title="Regeerakkoord 2019-2024",
        slug="regeerakkoord-2019-2024",
        start_date=FIRST_DAY,
        end_date=date(2024, 6, 9),
    )
    chapters = Chapter.objects.bulk_create(
        Chapter(agreement=agreement, title=f"Hoofdstuk {n}", slug=f"hoofdstuk-{n}", position=n)
        for n in range(1, CHAPTERS + 1)
    )
    ministers = Minister.objects.bulk_create(
        Minister(name=f"Minister {n}", title=f"Vlaams minister van {WORDS[n]}")
        for n in range(1, MINISTERS + 1)
    )
    themes = Theme.objects.bulk_create(
        Theme(external_id=f"thema-{n}", label=f"Thema {WORDS[n].capitalize()} {n}")
        for n in range(1, THEMES + 1)
    )

    # Decisions, about 55 a day over the term; `created` spread after the meeting.
    decision_ids: list[int] = []
    for start in range(0, DECISIONS, BATCH):
        batch = []
        for n in range(start, min(start + BATCH, DECISIONS)):
            day = FIRST_DAY + timedelta(days=n * DAYS // DECISIONS)
            title = f"{sentence(rng, rng.randint(5, 12))[:-1]} (dossier {n})"
            batch.append(
                Decision(
                    title=title,
                    normalized_title=normalize_title(title),
                    date=day,
                    kind=rng.choice(["nota", "mededeling", ""]),
                    text=paragraph(rng, rng.randint(2, 6)),
                    source_url=f"https://beslissingenvlaamseregering.vlaanderen.be/news-items/{n}",
                    external_id=f"bench-{n}",
                )
            )
        decision_ids += [d.pk for d in Decision.objects.bulk_create(batch)]
    with connection.cursor() as cursor:
        # bulk_create gives every row the same auto_now_add time; the feed of new
        # decisions needs them spread, as real imports spread them.
        cursor.execute(
            f"UPDATE {Decision._meta.db_table} SET created = "  # noqa: S608 (our own table name)
            "(date::timestamp + (id % 86400) * interval '1 second') AT TIME ZONE 'UTC', "
            "updated = (date::timestamp + (id % 86400) * interval '1 second') AT TIME ZONE 'UTC'"
        )
    ministers_through = Decision.ministers.through
    themes_through = Decision.themes.through
    for start in range(0, DECISIONS, BATCH):
        ids = decision_ids[start : start + BATCH]
        ministers_through.objects.bulk_create(
            ministers_through(decision_id=pk, minister_id=m.pk)
            for pk in ids
            for m in rng.sample(ministers, rng.randint(1, 2))
        )
        themes_through.objects.bulk_create(
            themes_through(decision_id=pk, theme_id=t.pk)
            for pk in ids
            for t in rng.sample(themes, rng.randint(1, 3))
        )
    DecisionDocument.objects.bulk_create(
        DecisionDocument(
            decision_id=pk,
            kind="MEDEDELING AAN DE VLAAMSE REGERING",
            subject=sentence(rng, 8),
            issuer="DE VLAAMSE MINISTER VAN WELZIJN",
            body=paragraph(rng, 12),
        )
        for pk in decision_ids[::100]
    )
    decisions = dict(Decision.objects.values_list("pk", "date"))
    titles = dict(Decision.objects.values_list("pk", "title"))

    # Sections: numbers 1, 1.1 … 1.9, 2, 2.1 … per chapter.
    sections = []
    for chapter in chapters:
        for k in range(SECTIONS_PER_CHAPTER):
            number = str(k // 10 + 1) if k % 10 == 0 else f"{k // 10 + 1}.{k % 10}"
            sections.append(
                Section(
                    chapter=chapter,
                    number=number,
                    sort_key=section_sort_key(number),
                    title=sentence(rng, rng.randint(3, 7))[:-1],
                    text=paragraph(rng, rng.randint(3, 8)),
                )
            )
    sections = Section.objects.bulk_create(sections, batch_size=BATCH)
    for chapter in chapters:
        relink_section_parents(chapter.pk)

    citations, summaries = [], []
    for index, section in enumerate(sections):
        count = BIG_SECTION_CITATIONS if index == 1 else CITATIONS_PER_SECTION
        # A section cites decisions from one stretch of the term, as real ones do.
        centre = rng.randrange(DECISIONS)
        for number in range(count):
            if rng.random() < 0.02:
                citations.append(
                    Citation(
                        section=section,
                        number=number,
                        incomplete=True,
                        raw_date=FIRST_DAY + timedelta(days=rng.randrange(DAYS)),
                    )
                )
                continue
            pk = decision_ids[(centre + rng.randint(-8000, 8000)) % DECISIONS]
            citations.append(
                Citation(
                    section=section,
                    number=number,
                    decision_id=pk,
                    raw_date=decisions[pk],
                    raw_title=titles[pk],
                )
            )
        body = "\n\n".join(
            f"{paragraph(rng, 2)} \\[{n}\\]\\[{n + 1}\\]" for n in range(0, count - 1, 2)
        )
        summaries.append(
            Summary(
                section=section,
                body=body,
                conclusion=paragraph(rng, 2),
                produced_by="taalmodel (geïmporteerde analyse)",
            )
        )
    Citation.objects.bulk_create(citations, batch_size=BATCH)
    Summary.objects.bulk_create(summaries, batch_size=1_000)

    # Evaluations: 60% of the sections judged once to three times, a few proposals.
    statuses = [s for s in Status.values if s != Status.NOT_ASSESSED]
    evaluations = []
    for section in sections:
        if rng.random() < 0.6:
            moment = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(900))
            for _ in range(rng.randint(1, 3)):
                moment += timedelta(days=rng.randint(10, 200), hours=rng.randint(0, 23))
                evaluations.append(
                    Evaluation(
                        section=section,
                        status=rng.choice(statuses),
                        rationale=f"{paragraph(rng, 2)} Zie \\[{rng.randrange(10)}\\].",
                        author=editor,
                        reviewer=reviewer,
                        created=moment - timedelta(days=1),
                        reviewed_at=moment,
                        published_at=moment,
                        state=Evaluation.State.PUBLISHED,
                    )
                )
        if rng.random() < 0.05:
            evaluations.append(
                Evaluation(
                    section=section,
                    status=rng.choice(statuses),
                    rationale=paragraph(rng, 1),
                    author=editor,
                )
            )
    Evaluation.objects.bulk_create(evaluations, batch_size=BATCH)
    return {
        "sections": len(sections),
        "citations": len(citations),
        "decisions": len(decision_ids),
        "evaluations": len(evaluations),
    }


if __name__ == "__main__":
    started = time.perf_counter()
    with transaction.atomic():
        counts = build()
    print(
        ", ".join(f"{n:,} {name}" for name, n in counts.items())
        + f" in {time.perf_counter() - started:.0f} s"
    )
