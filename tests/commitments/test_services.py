"""The evaluation workflow: proposals, four-eyes review and publication."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from commitments.models import Evaluation, Section, Status
from commitments.services import evaluation_approve, evaluation_create, evaluation_reject
from tests.builders import make_citation, make_evaluation, make_section, make_user

pytestmark = pytest.mark.django_db


def _current_status(section) -> str:
    return Section.objects.with_status().get(pk=section.pk).current_status


def _propose(section=None, author=None, **kwargs):
    kwargs.setdefault("status", Status.IN_PROGRESS)
    kwargs.setdefault("rationale", "Het decreet is goedgekeurd.")
    return evaluation_create(
        section=section or make_section(), author=author or make_user(), **kwargs
    )


def test_a_proposal_is_not_public_until_another_person_approves_it():
    proposal = _propose()
    assert proposal.state == Evaluation.State.PROPOSED
    assert _current_status(proposal.section) == Status.NOT_ASSESSED

    reviewer = make_user()
    published = evaluation_approve(evaluation=proposal, reviewer=reviewer, comment=" Akkoord. ")

    assert (published.state, published.reviewer, published.review_comment) == (
        Evaluation.State.PUBLISHED, reviewer, "Akkoord.",
    )  # fmt: skip
    assert published.published_at == published.reviewed_at
    assert _current_status(proposal.section) == Status.IN_PROGRESS


def test_a_reviewer_cannot_approve_their_own_proposal():
    author = make_user()
    proposal = _propose(author=author)
    with pytest.raises(ValidationError, match="Vier ogen"):
        evaluation_approve(evaluation=proposal, reviewer=author)
    proposal.refresh_from_db()
    assert proposal.state == Evaluation.State.PROPOSED


def test_the_database_refuses_a_reviewer_who_is_the_author():
    author = make_user()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_evaluation(author=author, reviewer=author)


def test_a_rejection_needs_a_reason_and_never_becomes_public():
    proposal = _propose()
    reviewer = make_user()
    with pytest.raises(ValidationError, match="waarom"):
        evaluation_reject(evaluation=proposal, reviewer=reviewer, comment="  ")

    rejected = evaluation_reject(evaluation=proposal, reviewer=reviewer, comment="Bron ontbreekt.")

    assert rejected.state == Evaluation.State.REJECTED
    assert rejected.published_at is None
    assert _current_status(proposal.section) == Status.NOT_ASSESSED


def test_a_decided_proposal_cannot_be_decided_again():
    proposal = _propose()
    evaluation_reject(evaluation=proposal, reviewer=make_user(), comment="Nee.")
    with pytest.raises(ValidationError, match="al afgewezen"):
        evaluation_approve(evaluation=proposal, reviewer=make_user())


@pytest.mark.parametrize("status", [s for s in Status.values if s != Status.NOT_ASSESSED])
def test_every_status_but_not_assessed_needs_a_rationale(status):
    with pytest.raises(ValidationError, match="motivering is verplicht"):
        _propose(status=status, rationale="   ")
    assert not Evaluation.objects.exists()


def test_not_assessed_needs_no_rationale():
    assert _propose(status=Status.NOT_ASSESSED, rationale="").rationale == ""


def test_evidence_comes_from_the_sections_own_citations():
    section = make_section()
    own = make_citation(section)
    other = make_citation(make_section())
    with pytest.raises(ValidationError, match=rf"\[{other.number}\] niet"):
        _propose(section=section, evidence=[own, other])

    proposal = _propose(section=section, evidence=[own])
    assert list(proposal.evidence.all()) == [own]


def test_the_newest_publication_is_the_current_status_whatever_the_proposal_order():
    section = make_section()
    first = _propose(section=section, status=Status.NOT_STARTED)
    second = _propose(section=section, status=Status.ACHIEVED)
    evaluation_approve(evaluation=second, reviewer=make_user())
    evaluation_approve(evaluation=first, reviewer=make_user())
    # Approved last, so it is what the public sees now, although proposed first.
    assert _current_status(section) == Status.NOT_STARTED


def test_without_review_a_proposal_publishes_at_once(settings):
    settings.EVALUATION_REVIEW = False
    evaluation = _propose(status=Status.ACHIEVED)
    assert evaluation.state == Evaluation.State.PUBLISHED
    assert evaluation.published_at == evaluation.created
    assert evaluation.reviewer is None
    assert _current_status(evaluation.section) == Status.ACHIEVED
