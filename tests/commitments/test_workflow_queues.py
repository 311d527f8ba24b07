"""The work queues: what each holds, their counts on the admin start page in a
constant number of queries, and each as a filtered changelist."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from commitments.models import Citation, Section, Status
from commitments.queues import QUEUES, uncited_decisions
from commitments.roles import grant_role
from commitments.services import evaluation_create, evaluation_reject
from decisions.models import Decision
from tests.builders import (
    make_chapter,
    make_citation,
    make_decision,
    make_evaluation,
    make_section,
    make_user,
)

pytestmark = pytest.mark.django_db


def _reviewer(client=None):
    user = make_user()
    grant_role(user=user, role="eindredacteur")
    if client is not None:
        client.force_login(user)
    return type(user).objects.get(pk=user.pk)


def test_not_assessed_holds_sections_without_a_published_status_or_a_waiting_proposal():
    chapter = make_chapter()
    fresh = make_section(chapter, number="1.1")
    judged = make_section(chapter, number="1.2")
    make_evaluation(judged, status=Status.ACHIEVED)
    reset = make_section(chapter, number="1.3")
    make_evaluation(reset, status=Status.NOT_ASSESSED, rationale="")
    proposed = make_section(chapter, number="1.4")
    evaluation_create(section=proposed, status=Status.ACHIEVED, rationale="x", author=make_user())
    assert set(Section.objects.not_assessed()) == {fresh, reset}


def test_awaiting_review_holds_proposals_by_others_only():
    me, other = make_user(), make_user()
    mine = make_section()
    evaluation_create(section=mine, status=Status.ACHIEVED, rationale="x", author=me)
    theirs = make_section()
    evaluation_create(section=theirs, status=Status.ACHIEVED, rationale="x", author=other)
    anonymous = make_section()
    evaluation_create(section=anonymous, status=Status.ACHIEVED, rationale="x")
    assert set(Section.objects.awaiting_review(me)) == {theirs, anonymous}


def test_my_rejected_holds_sections_whose_newest_evaluation_is_my_rejected_proposal():
    me, reviewer = make_user(), make_user()
    section = make_section()
    proposal = evaluation_create(section=section, status=Status.ACHIEVED, rationale="x", author=me)
    evaluation_reject(evaluation=proposal, reviewer=reviewer, comment="Bron ontbreekt.")
    assert list(Section.objects.rejected_for(me)) == [section]
    assert list(Section.objects.rejected_for(reviewer)) == []
    # Proposed again: it leaves the queue.
    evaluation_create(section=section, status=Status.ACHIEVED, rationale="[0]", author=me)
    assert list(Section.objects.rejected_for(me)) == []


def test_stale_holds_sections_citing_a_decision_dated_after_their_judgement():
    judged_on = datetime(2022, 6, 1, 12, tzinfo=UTC)
    stale = make_section()
    make_evaluation(stale, created=judged_on)
    make_citation(stale, decision=make_decision(date=date(2022, 5, 1)))
    make_citation(stale, decision=make_decision(date=date(2023, 1, 10)))
    current = make_section()
    make_evaluation(current, created=judged_on)
    make_citation(current, decision=make_decision(date=date(2022, 6, 1)))
    never_judged = make_section()
    make_citation(never_judged, decision=make_decision(date=date(2024, 1, 1)))
    assert list(Section.objects.stale()) == [stale]


def test_incomplete_and_uncited_queues():
    section = make_section()
    incomplete = make_citation(section, decision=None)
    make_citation(section)
    lonely = make_decision(title="Nog door niemand geciteerd")
    assert list(Citation.objects.incomplete()) == [incomplete]
    assert list(uncited_decisions(Decision.objects.all())) == [lonely]
    assert list(QUEUES["incomplete"].sections(None)) == [section]


def _fill(size: int) -> None:
    """`size` sections in every queue state, and as many uncited decisions."""
    chapter = make_chapter()
    author, reviewer = make_user(), make_user()
    for n in range(size):
        make_section(chapter, number=f"1.{n}")
        rejected = make_section(chapter, number=f"2.{n}")
        proposal = evaluation_create(
            section=rejected, status=Status.ACHIEVED, rationale="x", author=author
        )
        evaluation_reject(evaluation=proposal, reviewer=reviewer, comment="Nee.")
        waiting = make_section(chapter, number=f"3.{n}")
        evaluation_create(section=waiting, status=Status.ACHIEVED, rationale="x", author=author)
        stale = make_section(chapter, number=f"4.{n}")
        make_evaluation(stale, created=datetime(2021, 1, 1, tzinfo=UTC))
        make_citation(stale, decision=make_decision(date=date(2022, 1, 1)))
        make_citation(stale, decision=None)
        make_decision()


@pytest.mark.parametrize("size", [1, 15])
def test_admin_index_shows_every_queue_in_constant_queries(client, django_assert_num_queries, size):
    _fill(size)
    _reviewer(client)
    # 1 session, 2 user, 3 user permissions, 4 group permissions,
    # 5-10 one count per queue (not assessed, awaiting my review, my rejected,
    # stale, incomplete citations, uncited decisions), 11 the "recent actions" sidebar.
    with django_assert_num_queries(11):
        response = client.get(reverse("admin:index"))
    rows = response.context["queues"]
    counts = {row["queue"].key: row["count"] for row in rows}
    assert counts == {
        "not_assessed": size * 2,  # never judged, and the rejected ones
        "awaiting_review": size,
        "my_rejected": 0,
        "stale": size,
        "incomplete": size,
        "uncited": size,
    }
    for row in rows:
        assert f'href="{row["url"]}"' in response.text.replace("&amp;", "&")


def test_a_redacteur_does_not_see_the_review_queue(client):
    user = make_user()
    grant_role(user=user, role="redacteur")
    client.force_login(user)
    keys = [row["queue"].key for row in client.get(reverse("admin:index")).context["queues"]]
    assert "awaiting_review" not in keys and "my_rejected" in keys


def test_each_queue_is_a_filtered_changelist(client):
    _fill(1)
    reviewer = _reviewer(client)
    for key, queue in QUEUES.items():
        app = "decisions" if queue.model == "decision" else "commitments"
        changelist = reverse(f"admin:{app}_{queue.model}_changelist")
        response = client.get(changelist, {"queue": key})
        assert response.status_code == 200, key
        shown = response.context["cl"].result_count
        assert shown == queue.queryset(reviewer).count(), key


def test_section_changelist_links_the_workspace_with_the_queue(client):
    section = make_section()
    _reviewer(client)
    response = client.get(
        reverse("admin:commitments_section_changelist"), {"queue": "not_assessed"}
    )
    workspace = reverse("admin:commitments_section_assess", args=[section.pk])
    assert f'href="{workspace}?queue=not_assessed"' in response.text


def test_incomplete_citation_list_links_each_sections_workspace_in_the_queue(client):
    citation = make_citation(decision=None)
    _reviewer(client)
    changelist = reverse("admin:commitments_citation_changelist")
    response = client.get(changelist, {"queue": "incomplete"})
    workspace = reverse("admin:commitments_section_assess", args=[citation.section_id])
    assert f'href="{workspace}?queue=incomplete"' in response.text
