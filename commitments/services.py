"""Writes that touch more than one row, as keyword-only service functions.

The evaluation workflow lives here, so that the admin, the workspace, the CSV
import and the tests all obey the same rules: a rationale for every real
status, evidence from the section's own citations, four eyes before anything
is public, and no judgement ever edited after the fact.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from decisions.models import Decision

from .models import Citation, Evaluation, Section, Status


def review_required() -> bool:
    """False on a one-person installation (EVALUATION_REVIEW=0): proposals publish at once."""
    return settings.EVALUATION_REVIEW


def _user(user: AbstractBaseUser | None):
    return user if user is not None and user.is_authenticated else None


@transaction.atomic
def evaluation_create(
    *,
    section: Section,
    status: str,
    rationale: str = "",
    evidence: Iterable[Citation] = (),
    author: AbstractBaseUser | None = None,
    created=None,
) -> Evaluation:
    """Propose a judgement of a section; earlier ones stay as its history.

    With review on (the default) it waits for another person's approval; with
    review off it is published at once.
    """
    if status not in Status.values:
        raise ValidationError({"status": _("Onbekende status %(status)r.") % {"status": status}})
    rationale = (rationale or "").strip()
    if status != Status.NOT_ASSESSED and not rationale:
        raise ValidationError(
            {
                "rationale": _(
                    "Een motivering is verplicht voor elke status behalve 'Nog niet beoordeeld'."
                )
            }
        )
    evidence = list(evidence)
    foreign = [c for c in evidence if c.section_id != section.pk]
    if foreign:
        raise ValidationError(
            {
                "evidence": _("Bewijs komt uit de referenties van deze sectie; %(refs)s niet.")
                % {"refs": ", ".join(f"[{c.number}]" for c in foreign)}
            }
        )
    now = created or timezone.now()
    published = not review_required()
    evaluation = Evaluation(
        section=section,
        status=status,
        rationale=rationale,
        author=_user(author),
        created=now,
        state=Evaluation.State.PUBLISHED if published else Evaluation.State.PROPOSED,
        published_at=now if published else None,
    )
    evaluation.full_clean()
    evaluation.save()
    if evidence:
        evaluation.evidence.set(evidence)
    return evaluation


def _lock_proposal(evaluation: Evaluation) -> Evaluation:
    """The proposal as it is now, locked: two reviewers must not both decide it."""
    current = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if current.state != Evaluation.State.PROPOSED:
        raise ValidationError(
            _("Dit voorstel is al %(state)s.") % {"state": current.get_state_display()}
        )
    return current


def _check_four_eyes(evaluation: Evaluation, reviewer: AbstractBaseUser) -> None:
    if evaluation.author_id is not None and evaluation.author_id == reviewer.pk:
        raise ValidationError(
            _(
                "Vier ogen: u kunt uw eigen voorstel niet beoordelen; "
                "een andere eindredacteur moet dat doen."
            )
        )


@transaction.atomic
def evaluation_approve(
    *, evaluation: Evaluation, reviewer: AbstractBaseUser, comment: str = ""
) -> Evaluation:
    """Publish a proposal; from now on it is public and may be the current status."""
    current = _lock_proposal(evaluation)
    _check_four_eyes(current, reviewer)
    now = timezone.now()
    current.state = Evaluation.State.PUBLISHED
    current.reviewer = reviewer
    current.reviewed_at = now
    current.published_at = now
    current.review_comment = (comment or "").strip()
    current.save(
        update_fields=["state", "reviewer", "reviewed_at", "published_at", "review_comment"]
    )
    return current


@transaction.atomic
def evaluation_reject(
    *, evaluation: Evaluation, reviewer: AbstractBaseUser, comment: str
) -> Evaluation:
    """Send a proposal back with a reason; it stays in the history, never public."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {
                "review_comment": _(
                    "Zeg bij een afwijzing waarom, zodat de redacteur het kan verbeteren."
                )
            }
        )
    current = _lock_proposal(evaluation)
    _check_four_eyes(current, reviewer)
    current.state = Evaluation.State.REJECTED
    current.reviewer = reviewer
    current.reviewed_at = timezone.now()
    current.review_comment = comment
    current.save(update_fields=["state", "reviewer", "reviewed_at", "review_comment"])
    return current


@transaction.atomic
def citation_link_decision(
    *, section: Section, decision: Decision, user: AbstractBaseUser
) -> Citation:
    """Cite a decision in a section under the next free number, the raw fields
    copied from the decision (an editor never invents a number), and record it
    in the section's admin history as the admin records an added citation.

    Refused when the section cites the decision already."""
    # The section row is the lock: two editors linking at once get two numbers.
    section = Section.objects.select_for_update().get(pk=section.pk)
    existing = Citation.objects.filter(section=section, decision=decision).first()
    if existing is not None:
        raise ValidationError(
            _("Sectie %(section)s citeert %(decision)s al als [%(number)s].")
            % {"section": section, "decision": decision, "number": existing.number}
        )
    last = Citation.objects.filter(section=section).aggregate(last=Max("number"))["last"]
    citation = Citation(
        section=section,
        number=0 if last is None else last + 1,
        decision=decision,
        raw_date=decision.date,
        raw_title=decision.title[: Citation._meta.get_field("raw_title").max_length],
        raw_url=decision.source_url,
        incomplete=False,
    )
    citation.full_clean()
    citation.save()
    # The message in the format of the admin's own (shown translated in the history).
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[section],
        action_flag=CHANGE,
        change_message=[
            {"added": {"name": str(Citation._meta.verbose_name), "object": str(citation)}}
        ],
        single_object=True,
    )
    return citation


def citation_resolve(*, citation: Citation, decision) -> Citation:
    """An editor's choice of decision resolves a citation: it is complete from
    then on, and a re-import whose source still gives no title keeps the choice
    (see `citation_is_resolved_by_editor`)."""
    citation.decision = decision
    citation.incomplete = decision is None
    citation.save(update_fields=["decision", "incomplete"])
    return citation


def citation_is_resolved_by_editor(citation: Citation) -> bool:
    """What `citation_resolve` leaves behind: a decision on a citation whose
    source gave no title. Only a person can have chosen it, so an import keeps it."""
    return citation.decision_id is not None and not citation.incomplete and not citation.raw_title
