"""The evaluation workspace ("Beoordelen"): propose, review, walk a queue,
and keep what was typed when something is refused."""

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from commitments.models import Citation, Evaluation, Section, Status
from commitments.roles import grant_role
from commitments.services import evaluation_approve, evaluation_create
from tests.builders import (
    make_chapter,
    make_citation,
    make_decision,
    make_evaluation,
    make_section,
    make_summary,
    make_user,
)

pytestmark = pytest.mark.django_db


def _login(client, role: str, **kwargs):
    user = make_user(**kwargs)
    grant_role(user=user, role=role)
    client.force_login(user)
    return user


def _url(section: Section, queue: str = "") -> str:
    url = reverse("admin:commitments_section_assess", args=[section.pk])
    return f"{url}?queue={queue}" if queue else url


def test_workspace_shows_status_form_text_summary_citations_and_history(client):
    section = make_section(text="We bouwen een Mensenrechteninstituut.")
    make_summary(section, body="De regering richtte het instituut op \\[0\\].")
    make_citation(
        section,
        decision=make_decision(title="Oprichtingsdecreet"),
        raw_url="https://beslissingenvlaamseregering.vlaanderen.be/?search=" + "x" * 1500,
    )
    author = make_user(first_name="An", last_name="Peeters")
    reviewer = make_user(first_name="Bart", last_name="Claes")
    make_evaluation(
        section,
        status=Status.IN_PROGRESS,
        rationale="Decreet in voorbereiding.",
        author=author,
        reviewer=reviewer,
        review_comment="Goed onderbouwd.",
    )
    _login(client, "redacteur")
    response = client.get(_url(section))
    assert response.status_code == 200
    html = response.text
    assert 'name="status"' in html and 'name="rationale"' in html and 'name="evidence"' in html
    assert "We bouwen een Mensenrechteninstituut." in html
    # The summary's [0] is a live link to the compact citation list beside it.
    assert 'href="#ref-0"' in html and 'id="ref-0"' in html
    assert "Oprichtingsdecreet" in html
    assert "An Peeters" in html and "Bart Claes" in html and "Goed onderbouwd." in html
    # Status form on top, then text and citations, then the history.
    assert html.index('name="rationale"') < html.index("Mensenrechteninstituut.")
    assert html.index('id="ref-0"') < html.index('id="historiek-titel"')
    # A redacteur proposes but does not review.
    assert 'value="approve"' not in html


def test_proposal_needs_a_rationale_and_keeps_what_was_typed(client):
    section = make_section()
    make_citation(section)
    _login(client, "redacteur")
    response = client.post(
        _url(section), {"status": Status.ACHIEVED, "rationale": "  ", "evidence": "0"}
    )
    assert response.status_code == 200
    assert "Een motivering is verplicht" in response.text
    assert '<option value="achieved" selected>' in response.text
    assert 'value="0"' in response.text
    assert not Evaluation.objects.exists()


def test_evidence_comes_from_the_sections_own_citations(client):
    section = make_section()
    make_citation(section)
    make_citation(make_section(), number=5)
    _login(client, "redacteur")
    response = client.post(
        _url(section),
        {"status": Status.ACHIEVED, "rationale": "Volledig uitgevoerd.", "evidence": "0, 5"},
    )
    assert "Deze sectie heeft geen referentie [5]." in response.text
    assert "Volledig uitgevoerd." in response.text
    assert not Evaluation.objects.exists()


def test_proposal_records_author_evidence_and_waits_for_review(client):
    section = make_section()
    first = make_citation(section)
    make_citation(section)
    user = _login(client, "redacteur")
    response = client.post(
        _url(section),
        {"status": Status.IN_PROGRESS, "rationale": "Besluit genomen [0].", "evidence": "[0]"},
    )
    assert response.status_code == 302
    assert response["Location"] == _url(section)
    evaluation = Evaluation.objects.get()
    assert evaluation.author == user
    assert evaluation.state == Evaluation.State.PROPOSED
    assert list(evaluation.evidence.all()) == [first]
    assert Section.objects.with_status().get().current_status == Status.NOT_ASSESSED


def test_not_assessed_needs_no_rationale(client):
    section = make_section()
    _login(client, "redacteur")
    response = client.post(_url(section), {"status": Status.NOT_ASSESSED, "rationale": ""})
    assert response.status_code == 302
    assert Evaluation.objects.get().status == Status.NOT_ASSESSED


def test_reviewer_approves_another_editors_proposal(client):
    section = make_section()
    proposal = evaluation_create(
        section=section, status=Status.ACHIEVED, rationale="Klaar.", author=make_user()
    )
    reviewer = _login(client, "eindredacteur")
    page = client.get(_url(section))
    assert 'value="approve"' in page.text and 'value="reject"' in page.text
    response = client.post(
        _url(section),
        {"evaluation": proposal.pk, "decision": "approve", "review_comment": "Akkoord."},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == Evaluation.State.PUBLISHED
    assert proposal.reviewer == reviewer and proposal.review_comment == "Akkoord."
    assert Section.objects.with_status().get().current_status == Status.ACHIEVED


def test_reviewer_cannot_approve_their_own_proposal_and_keeps_the_comment(client):
    section = make_section()
    reviewer = _login(client, "eindredacteur")
    proposal = evaluation_create(
        section=section, status=Status.ACHIEVED, rationale="Klaar.", author=reviewer
    )
    response = client.post(
        _url(section),
        {"evaluation": proposal.pk, "decision": "approve", "review_comment": "Mijn eigen."},
    )
    assert response.status_code == 200
    assert "Vier ogen" in response.text
    assert "Mijn eigen." in response.text
    proposal.refresh_from_db()
    assert proposal.state == Evaluation.State.PROPOSED


def test_rejection_needs_a_comment(client):
    section = make_section()
    proposal = evaluation_create(
        section=section, status=Status.ACHIEVED, rationale="Klaar.", author=make_user()
    )
    _login(client, "eindredacteur")
    response = client.post(
        _url(section), {"evaluation": proposal.pk, "decision": "reject", "review_comment": ""}
    )
    assert "Zeg bij een afwijzing waarom" in response.text
    proposal.refresh_from_db()
    assert proposal.state == Evaluation.State.PROPOSED


def test_redacteur_cannot_review(client):
    section = make_section()
    proposal = evaluation_create(
        section=section, status=Status.ACHIEVED, rationale="Klaar.", author=make_user()
    )
    _login(client, "redacteur")
    response = client.post(
        _url(section), {"evaluation": proposal.pk, "decision": "approve", "review_comment": ""}
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.state == Evaluation.State.PROPOSED


def test_staff_without_a_role_cannot_open_the_workspace(client):
    section = make_section()
    client.force_login(make_user(is_staff=True))
    assert client.get(_url(section)).status_code == 403


def test_save_and_next_walks_the_queue_the_editor_came_from(client):
    chapter = make_chapter()
    first, second, third = (make_section(chapter, number=f"1.{n}") for n in (1, 2, 3))
    make_evaluation(second, status=Status.ACHIEVED)  # judged: not in the queue
    _login(client, "redacteur")
    response = client.post(
        _url(first, "not_assessed"),
        {"status": Status.NOT_STARTED, "rationale": "Nog niets.", "_next": "1"},
    )
    assert response["Location"] == _url(third, "not_assessed")
    response = client.post(
        _url(third, "not_assessed"),
        {"status": Status.NOT_STARTED, "rationale": "Nog niets.", "_next": "1"},
    )
    # Both proposed: the queue is empty, back to the list.
    assert response["Location"] == reverse("admin:commitments_section_changelist")


def test_queue_start_opens_the_first_section_of_the_queue(client):
    chapter = make_chapter()
    judged = make_section(chapter, number="1.1")
    make_evaluation(judged)
    open_section = make_section(chapter, number="1.2")
    _login(client, "redacteur")
    response = client.get(reverse("admin:commitments_section_assess_queue", args=["not_assessed"]))
    assert response["Location"] == _url(open_section, "not_assessed")
    page = client.get(response["Location"])
    assert 'name="_next"' in page.text


def _big_section(citations: int) -> Section:
    section = make_section()
    make_summary(section, body=" ".join(f"Zin \\[{n}\\]." for n in range(0, citations, 7)))
    decision = make_decision(date=date(2021, 3, 5))
    Citation.objects.bulk_create(
        Citation(
            section=section,
            number=n,
            decision=decision if n % 3 else None,
            incomplete=not n % 3,
            raw_title=f"Titel {n}",
        )
        for n in range(citations)
    )
    author, reviewer = make_user(), make_user()
    for _n in range(citations // 50):
        make_evaluation(section, author=author, reviewer=reviewer)
    evaluation_create(section=section, status=Status.ACHIEVED, rationale="x", author=author)
    return section


@pytest.mark.parametrize("citations", [5, 600])
def test_workspace_query_count_does_not_grow_with_the_section(
    client, django_assert_num_queries, citations
):
    section = _big_section(citations)
    # A decision the section does not cite that shares its title's words: the
    # suggestions run every one of their statements.
    uncited = make_decision(title=f"{section.title}: opvolging")
    _login(client, "eindredacteur")
    # 1 session, 2 user, 3 the section with chapter, agreement, summary and status,
    # 4 user permissions, 5 group permissions, 6 incomplete citation numbers,
    # 7 citation count for the pager, 8 the page of citations with decisions,
    # 9 the history with authors and reviewers, 10 its evidence; the suggested
    # decisions (commitments/suggestions.py): 11 the section's search
    # document, 12 the decisions it cites, then on PostgreSQL 13 the lexemes,
    # 14 the vector column's statistics, 15 the document frequencies, 16 the
    # ranking, or on SQLite 13 every decision's search document; last the
    # suggested decisions themselves.
    with django_assert_num_queries(17 if connection.vendor == "postgresql" else 14):
        response = client.get(_url(section))
    assert response.status_code == 200
    assert response.text.count('<li id="ref-') == min(citations, 200)
    assert reverse("admin:decisions_decision_change", args=[uncited.pk]) in response.text


def test_a_proposal_decided_meanwhile_by_another_reviewer_is_reported(client):
    section = make_section()
    proposal = evaluation_create(
        section=section, status=Status.ACHIEVED, rationale="Klaar.", author=make_user()
    )
    _login(client, "eindredacteur")
    other = make_user()
    grant_role(user=other, role="eindredacteur")
    evaluation_approve(evaluation=proposal, reviewer=other)
    response = client.post(
        _url(section),
        {"evaluation": proposal.pk, "decision": "reject", "review_comment": "Te laat."},
        follow=True,
    )
    assert "Dit voorstel is al gepubliceerd." in response.text
    proposal.refresh_from_db()
    assert proposal.state == Evaluation.State.PUBLISHED
