"""The editors' work queues, defined once.

Each queue is a QuerySet method (on sections through `SectionQueues`, mixed
into `SectionQuerySet`; on citations and decisions as functions below), a
list filter "queue" in the admin changelists, a count on the admin start page
and the order the evaluation workspace walks with "Opslaan en volgende".

Every queue is one query whatever the data size: conditions are EXISTS and
scalar subqueries, never Python loops over rows.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

NOT_ASSESSED = "not_assessed"
AWAITING_REVIEW = "awaiting_review"
MY_REJECTED = "my_rejected"
STALE = "stale"
INCOMPLETE = "incomplete"
UNCITED = "uncited"


def _evaluations():
    return apps.get_model("commitments", "Evaluation").objects


def _citations():
    return apps.get_model("commitments", "Citation").objects


class SectionQueues:
    """Queue methods of SectionQuerySet. `user` is the editor looking at the queue."""

    def not_assessed(self):
        """Nobody has judged it yet (its current status is 'Nog niet beoordeeld')
        and no proposal is waiting: the section leaves the queue once proposed."""
        published = _evaluations().published().filter(section=OuterRef("pk"))
        waiting = _evaluations().proposed().filter(section=OuterRef("pk"))
        return self.annotate(
            queue_current_status=Subquery(
                published.order_by("-published_at", "-id").values("status")[:1]
            )
        ).filter(
            models.Q(queue_current_status__isnull=True)
            | models.Q(queue_current_status=NOT_ASSESSED),
            ~Exists(waiting),
        )

    def awaiting_review(self, user):
        """A proposal by someone else (or by nobody known) waits for a reviewer."""
        others = _evaluations().proposed().filter(section=OuterRef("pk"))
        if user is not None and user.pk is not None:
            others = others.exclude(author=user)
        return self.filter(Exists(others))

    def rejected_for(self, user):
        """The section's newest evaluation is a proposal of `user` that was rejected."""
        if getattr(user, "pk", None) is None:
            return self.none()
        newest = _evaluations().filter(section=OuterRef("pk")).order_by("-created", "-id")
        return self.annotate(
            queue_newest_state=Subquery(newest.values("state")[:1]),
            queue_newest_author=Subquery(newest.values("author")[:1]),
        ).filter(
            queue_newest_state=apps.get_model("commitments", "Evaluation").State.REJECTED,
            queue_newest_author=user.pk,
        )

    def stale(self):
        """The section now cites a decision dated after its current published
        evaluation: the judgement may be out of date."""
        current = (
            _evaluations()
            .published()
            .filter(section=OuterRef("pk"))
            .order_by("-published_at", "-id")
            .values("published_at")[:1]
        )
        newer = _citations().filter(
            section=OuterRef("pk"), decision__date__gt=OuterRef("queue_judged_on")
        )
        return (
            self.annotate(
                queue_judged_on=models.functions.Cast(Subquery(current), models.DateField())
            )
            .filter(queue_judged_on__isnull=False)
            .filter(Exists(newer))
        )

    def with_incomplete_citations(self):
        return self.filter(Exists(_citations().incomplete().filter(section=OuterRef("pk"))))


def uncited_decisions(queryset):
    """Decisions no section cites yet: new decisions to triage."""
    return queryset.filter(~Exists(_citations().filter(decision=OuterRef("pk"))))


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    # Model whose changelist lists the queue: "section", "citation" or "decision".
    model: str
    # Whether the evaluation workspace can walk it (a queue of sections).
    walks_sections: bool = True

    def filter(self, queryset, user):
        """The queue applied to a queryset of `self.model` (e.g. an admin changelist's)."""
        match self.key:
            case "not_assessed":
                return queryset.not_assessed()
            case "awaiting_review":
                return queryset.awaiting_review(user)
            case "my_rejected":
                return queryset.rejected_for(user)
            case "stale":
                return queryset.stale()
            case "incomplete":
                return queryset.incomplete()
            case "uncited":
                return uncited_decisions(queryset)
        raise KeyError(self.key)

    def queryset(self, user):
        model = apps.get_model(
            "decisions" if self.model == "decision" else "commitments", self.model
        )
        return self.filter(model.objects.all(), user)

    def sections(self, user):
        """The sections the workspace walks for this queue, in agreement order."""
        sections = apps.get_model("commitments", "Section").objects.all()
        if self.key == INCOMPLETE:
            sections = sections.with_incomplete_citations()
        else:
            sections = self.filter(sections, user)
        return sections.order_by(*SECTION_ORDER)


SECTION_ORDER = ["chapter__agreement", "chapter__position", "chapter__title", "sort_key", "pk"]

QUEUES = {
    queue.key: queue
    for queue in [
        Queue(NOT_ASSESSED, _("Nog niet beoordeeld"), "section"),
        Queue(AWAITING_REVIEW, _("Wacht op mijn beoordeling"), "section"),
        Queue(MY_REJECTED, _("Mijn afgewezen voorstellen"), "section"),
        Queue(STALE, _("Verouderd: nieuwere beslissing geciteerd"), "section"),
        Queue(INCOMPLETE, _("Onvolledige referenties"), "citation"),
        Queue(UNCITED, _("Beslissingen die geen sectie citeert"), "decision", walks_sections=False),
    ]
}


def queues_for(model: str) -> list[Queue]:
    return [queue for queue in QUEUES.values() if queue.model == model]


def queue_counts(user) -> list[dict]:
    """Every queue with its count for `user`: one query per queue, whatever the data size."""
    return [{"queue": queue, "count": queue.queryset(user).count()} for queue in QUEUES.values()]
