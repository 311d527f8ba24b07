"""CSV and JSON exports (streamed, honouring filters) and Atom feeds."""

import csv
import io
import json
from datetime import UTC, date, datetime
from xml.etree import ElementTree  # our own feed output, not untrusted XML

import pytest
from django.urls import reverse

from commitments.models import Evaluation
from commitments.services import evaluation_approve, evaluation_create
from tests.builders import (
    make_chapter_with_sections,
    make_citation,
    make_decision,
    make_evaluation,
    make_minister,
    make_section,
    make_seed_section,
    make_user,
)

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _body(response) -> str:
    assert response.streaming, "exports are streamed"
    return b"".join(response.streaming_content).decode("utf-8")


def test_section_csv_has_status_and_counts_and_honours_filters(client):
    chapter = make_chapter_with_sections(4, title="Omgeving", slug="omgeving")
    response = client.get(reverse("commitments:section-export", args=["csv"]) + "?status=achieved")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="secties.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(_body(response).lstrip("\ufeff"))))
    assert [row["number"] for row in rows] == ["2.1", "4.1"]
    assert rows[0]["status"] == "achieved"
    assert rows[0]["status_label"] == "Gerealiseerd"
    assert rows[0]["citation_count"] == "2"
    assert rows[0]["chapter"] == chapter.title
    assert rows[0]["url"].endswith(
        reverse("commitments:section", args=["regeerakkoord-2019-2024", "omgeving", "2.1"])
    )


def test_section_json_parses_back(client, django_assert_max_num_queries):
    make_seed_section()
    response = client.get(reverse("commitments:section-export", args=["json"]))
    rows = json.loads(_body(response))
    assert rows == [
        {
            "agreement": "Regeerakkoord 2019-2024",
            "chapter": "Samenleven",
            "number": "1.2",
            "title": "Uitsluiting voorkomen, samenleven bevorderen",
            "status": "not_assessed",
            "status_label": "Nog niet beoordeeld",
            "rationale": "",
            "evaluation_date": None,
            "author": "",
            "reviewer": "",
            "citation_count": 21,
            "decision_count": 20,
            "latest_decision_date": "2023-12-22",
            "url": "http://testserver"
            + reverse("commitments:section", args=["regeerakkoord-2019-2024", "samenleven", "1.2"]),
        }
    ]


def test_section_exports_carry_the_current_published_judgement(client):
    section = make_seed_section()
    author = make_user(username="an.login", first_name="An", last_name="Peeters")
    reviewer = make_user(username="bart.login", first_name="Bart", last_name="Claes")
    make_evaluation(
        section,
        status="not_started",
        rationale="Oud.",
        author=author,
        published_at=datetime(2023, 1, 1, tzinfo=UTC),
    )
    proposal = evaluation_create(
        section=section, status="achieved", rationale="Het **decreet** is er.", author=author
    )
    evaluation_approve(evaluation=proposal, reviewer=reviewer)
    Evaluation.objects.filter(pk=proposal.pk).update(
        published_at=datetime(2024, 3, 31, 22, 30, tzinfo=UTC)  # 1 April in Brussels
    )
    evaluation_create(section=section, status="abandoned", rationale="Voorstel.", author=author)
    expected = {
        "status": "achieved",
        "status_label": "Gerealiseerd",
        "rationale": "Het **decreet** is er.",
        "evaluation_date": "2024-04-01",
        "author": "An Peeters",
        "reviewer": "Bart Claes",
    }
    row = json.loads(_body(client.get(reverse("commitments:section-export", args=["json"]))))[0]
    assert {key: row[key] for key in expected} == expected
    text = _body(client.get(reverse("commitments:section-export", args=["csv"])))
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {key: row[key] for key in expected} == expected
    assert ".login" not in text


def test_section_export_query_count_does_not_grow_with_data(client, django_assert_num_queries):
    chapter = make_chapter_with_sections(2)
    for section in chapter.sections.all():
        make_evaluation(section, author=make_user(), reviewer=make_user())

    def export():
        # 1 the sections with status, counts and their current evaluation's
        #   rationale, date, author and reviewer names (subqueries), one cursor
        with django_assert_num_queries(1):
            return json.loads(
                _body(client.get(reverse("commitments:section-export", args=["json"])))
            )

    assert len(export()) == 2
    make_chapter_with_sections(40, citations_per_section=3, agreement=chapter.agreement)
    assert len(export()) == 42


def test_decision_exports_honour_filters(client):
    minister = make_minister(name="Bart Somers")
    make_decision(title="Oud", date=date(2020, 1, 10), ministers=[minister])
    make_decision(title="Nieuw", date=date(2023, 1, 10))
    rows = json.loads(
        _body(client.get(reverse("decisions:export", args=["json"]) + "?date_from=2021-01-01"))
    )
    assert [row["title"] for row in rows] == ["Nieuw"]
    text = _body(client.get(reverse("decisions:export", args=["csv"]) + f"?minister={minister.pk}"))
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [(row["title"], row["ministers"], row["date"]) for row in rows] == [
        ("Oud", "Bart Somers", "2020-01-10")
    ]


def test_export_links_on_the_list_carry_the_filters(client):
    make_chapter_with_sections(1)
    html = client.get(
        reverse("commitments:section-list") + "?status=achieved&page=1"
    ).content.decode()
    for fmt in ["csv", "json"]:
        export = reverse("commitments:section-export", args=[fmt])
        assert f'href="{export}?status=achieved"' in html


def test_unknown_export_format_is_404(client):
    assert client.get(reverse("commitments:section-list") + "export.xml").status_code == 404


def test_new_decisions_feed_is_atom(client):
    make_decision(title="Eerste beslissing")
    make_decision(title="Tweede <beslissing>")
    response = client.get(reverse("feed-decisions"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Tweede <beslissing> (2022-01-21)", "Eerste beslissing (2022-01-21)"]


def test_status_feed_lists_evaluations_newest_first(client):
    section = make_seed_section()
    make_evaluation(section, status="in_progress", rationale="Eerst.")
    proposal = evaluation_create(
        section=section, status="achieved", rationale="Nu klaar.", author=make_user()
    )
    evaluation_approve(evaluation=proposal, reviewer=make_user())
    feed = ElementTree.fromstring(client.get(reverse("feed-status")).content)  # noqa: S314
    entries = list(feed.iter(f"{ATOM}entry"))
    assert entries[0].find(f"{ATOM}title").text.endswith(": In uitvoering → Gerealiseerd")
    assert entries[1].find(f"{ATOM}title").text.endswith(": Nog niet beoordeeld → In uitvoering")
    link = entries[0].find(f"{ATOM}link").get("href")
    section_url = reverse(
        "commitments:section", args=["regeerakkoord-2019-2024", "samenleven", "1.2"]
    )
    assert f"{section_url}#evaluatie-" in link


def test_decision_export_is_one_query_at_any_size(client, django_assert_num_queries):
    def export():
        # 1 the decisions with counts and minister names (subqueries), one cursor
        with django_assert_num_queries(1):
            return json.loads(_body(client.get(reverse("decisions:export", args=["json"]))))

    make_decision(ministers=[make_minister()])
    assert len(export()) == 1
    ministers = [make_minister(), make_minister()]
    for _ in range(30):
        make_citation(make_section(), decision=make_decision(ministers=ministers))
    assert len(export()) == 31


def test_decision_export_lists_ministers_alphabetically_with_counts(client):
    decision = make_decision(
        title="Twee ministers",
        ministers=[make_minister(name="Zuhal Demir"), make_minister(name="Bart Somers")],
    )
    chapter = make_chapter_with_sections(1)
    section = chapter.sections.get()
    make_citation(section, decision=decision)
    make_citation(section, decision=decision, number=99)
    make_decision(title="Geen ministers")
    rows = {
        row["title"]: row
        for row in json.loads(_body(client.get(reverse("decisions:export", args=["json"]))))
    }
    assert rows["Twee ministers"]["ministers"] == "Bart Somers; Zuhal Demir"
    assert rows["Twee ministers"]["citation_count"] == 2
    assert rows["Twee ministers"]["section_count"] == 1
    assert rows["Twee ministers"]["url"] == f"http://testserver{decision.get_absolute_url()}"
    assert rows["Geen ministers"]["ministers"] == ""
    assert rows["Geen ministers"]["citation_count"] == 0
    assert list(rows["Twee ministers"]) == [
        "id", "date", "title", "kind", "ministers", "citation_count", "section_count",
        "source_url", "url",
    ]  # fmt: skip
