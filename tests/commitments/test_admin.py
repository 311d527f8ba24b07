import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments.models import Citation, Evaluation, Section, Status
from tests.builders import (
    make_chapter,
    make_citation,
    make_decision,
    make_evaluation,
    make_section,
    make_summary,
)

pytestmark = pytest.mark.django_db


def _fill_chapter(count: int):
    chapter = make_chapter()
    for i in range(count):
        section = make_section(chapter, number=f"1.{i + 1}")
        make_citation(section)
        make_evaluation(section, status=Status.IN_PROGRESS)
    return chapter


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_section_changelist_uses_the_same_number_of_queries_for_1_and_50_rows(
    admin_user_client,
):
    url = reverse("admin:commitments_section_changelist")
    _fill_chapter(1)
    one = _count_queries(admin_user_client, url)
    _fill_chapter(49)
    fifty = _count_queries(admin_user_client, url)
    assert one == fifty


def test_section_changelist_query_count(admin_user_client, django_assert_num_queries):
    _fill_chapter(50)
    url = reverse("admin:commitments_section_changelist")
    # 1 session, 2 user, 3 filtered count, 4 full count, 5 the page of sections
    # (chapter + agreement joined, status and citation count annotated),
    # 6 agreements for the "agreement" filter, 7 chapters for the "chapter" filter.
    with django_assert_num_queries(7):
        response = admin_user_client.get(url)
    assert response.status_code == 200
    assert "50 secties" in response.text


def test_section_changelist_filters_on_the_current_status(admin_user_client):
    achieved = make_section(title="Gehaald")
    make_evaluation(achieved, status=Status.ACHIEVED)
    make_section(title="Nog niets")
    url = reverse("admin:commitments_section_changelist")
    response = admin_user_client.get(url, {"status": Status.ACHIEVED})
    assert "Gehaald" in response.text
    assert "Nog niets" not in response.text


def test_section_change_page_shows_citations_and_evaluation_history(admin_user_client):
    section = make_section()
    make_summary(section, body="Samenvatting van de analyse")
    make_citation(
        section, decision=make_decision(title="Oprichtingsdecreet Mensenrechteninstituut")
    )
    make_evaluation(section, status=Status.NOT_STARTED, rationale="Eerste oordeel")
    response = admin_user_client.get(reverse("admin:commitments_section_change", args=[section.pk]))
    assert response.status_code == 200
    assert "Oprichtingsdecreet Mensenrechteninstituut" in response.text
    assert "Eerste oordeel" in response.text
    assert "Samenvatting van de analyse" in response.text


def _section_change_post(section, **evaluation_fields) -> dict:
    data = {
        "chapter": section.chapter_id,
        "number": section.number,
        "title": section.title,
        "text": section.text,
        "summary-TOTAL_FORMS": "0",
        "summary-INITIAL_FORMS": "0",
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        "evaluations-TOTAL_FORMS": "1",
        "evaluations-INITIAL_FORMS": "0",
    }
    data.update({f"evaluations-0-{key}": value for key, value in evaluation_fields.items()})
    return data


def test_adding_an_evaluation_on_the_section_keeps_history_and_records_the_author(
    admin_user_client,
):
    section = make_section()
    make_evaluation(section, status=Status.NOT_STARTED, rationale="Eerste oordeel")
    url = reverse("admin:commitments_section_change", args=[section.pk])
    response = admin_user_client.post(
        url,
        _section_change_post(section, status=Status.IN_PROGRESS, rationale="Decreet goedgekeurd"),
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    history = list(section.evaluations.newest_first())
    assert [e.status for e in history] == [Status.IN_PROGRESS, Status.NOT_STARTED]
    assert history[0].author == admin_user_client.user
    assert history[0].rationale == "Decreet goedgekeurd"
    # A proposal until another person approves it: the public status is unchanged.
    assert history[0].state == Evaluation.State.PROPOSED
    assert Section.objects.with_status().get().current_status == Status.NOT_STARTED


def test_an_evaluation_cannot_be_edited_in_the_admin(admin_user_client):
    evaluation = make_evaluation(rationale="Oorspronkelijk")
    url = reverse("admin:commitments_evaluation_change", args=[evaluation.pk])
    admin_user_client.post(
        url, {"section": evaluation.section_id, "status": Status.ABANDONED, "rationale": "X"}
    )
    evaluation.refresh_from_db()
    assert evaluation.rationale == "Oorspronkelijk"
    assert Evaluation.objects.count() == 1


def test_choosing_a_decision_resolves_an_incomplete_citation(admin_user_client):
    citation = make_citation(decision=None)
    decision = make_decision()
    url = reverse("admin:commitments_citation_change", args=[citation.pk])
    response = admin_user_client.post(
        url,
        {
            "section": citation.section_id,
            "number": citation.number,
            "raw_date": "",
            "raw_title": "",
            "raw_url": "",
            "decision": decision.pk,
            "incomplete": "on",
        },
    )
    assert response.status_code == 302
    citation.refresh_from_db()
    assert citation.decision == decision
    assert citation.incomplete is False


def test_incomplete_citations_can_be_listed_on_their_own(admin_user_client):
    make_citation(decision=make_decision(title="Volledig"))
    make_citation(decision=None, raw_title="Zonder beslissing")
    response = admin_user_client.get(
        reverse("admin:commitments_citation_changelist"), {"incomplete__exact": "1"}
    )
    assert "Zonder beslissing" in response.text
    assert "Volledig" not in response.text
    assert Citation.objects.incomplete().count() == 1


def test_decision_autocomplete_finds_decisions_by_title(admin_user_client):
    make_decision(title="Oprichtingsdecreet Vlaams Mensenrechteninstituut")
    response = admin_user_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "mensenrechten",
            "app_label": "commitments",
            "model_name": "citation",
            "field_name": "decision",
        },
    )
    assert response.status_code == 200
    assert "Mensenrechteninstituut" in response.json()["results"][0]["text"]


def test_admin_requires_a_staff_login(client):
    response = client.get(reverse("admin:commitments_section_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
