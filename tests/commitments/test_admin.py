import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments.models import Citation, Evaluation, Status
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


def test_section_change_page_links_to_the_workspace_and_the_sections_citations(
    admin_user_client,
):
    section = make_section()
    make_summary(section, body="Samenvatting van de analyse")
    make_citation(
        section, decision=make_decision(title="Oprichtingsdecreet Mensenrechteninstituut")
    )
    make_evaluation(section, status=Status.NOT_STARTED, rationale="Eerste oordeel")
    response = admin_user_client.get(reverse("admin:commitments_section_change", args=[section.pk]))
    assert response.status_code == 200
    assert "Samenvatting van de analyse" in response.text
    # Citations and judgements have their own pages: the change form stays small.
    assert "Oprichtingsdecreet Mensenrechteninstituut" not in response.text
    assert reverse("admin:commitments_section_assess", args=[section.pk]) in response.text
    changelist = reverse("admin:commitments_citation_changelist")
    citations = f"{changelist}?section__id__exact={section.pk}"
    assert citations in response.text
    listed = admin_user_client.get(citations)
    assert "Oprichtingsdecreet Mensenrechteninstituut" in listed.text


def test_section_change_form_posts_the_same_few_fields_at_any_citation_count(admin_user_client):
    section = make_section()
    make_summary(section)
    Citation.objects.bulk_create(
        Citation(section=section, number=n, raw_title=f"Titel {n}", incomplete=True)
        for n in range(1500)
    )
    response = admin_user_client.get(reverse("admin:commitments_section_change", args=[section.pk]))
    fields = set(re.findall(r'name="([^"]+)"', response.text))
    assert len(fields) < 40, sorted(fields)
    response = admin_user_client.post(
        reverse("admin:commitments_section_change", args=[section.pk]),
        {
            "chapter": section.chapter_id,
            "number": section.number,
            "title": "Nieuwe titel",
            "text": section.text,
            "summary-TOTAL_FORMS": "0",
            "summary-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.title == "Nieuwe titel"
    assert section.citations.count() == 1500


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
