"""The public history of the judgements: each published evaluation as a change
"from → to".

Only published evaluations count, in publication order (published_at, then id),
the order in which `Section.objects.with_status()` picks the current status.
"""

from collections.abc import Iterable

from django.db import models
from django.db.models.functions import Coalesce

from .models import Evaluation, Status


def with_previous_statuses(evaluations: Iterable[Evaluation]) -> list[Evaluation]:
    """The published evaluations of one section, given newest first, each with
    `previous_status`: the status it replaced, not_assessed for the first."""
    evaluations = list(evaluations)
    for index, evaluation in enumerate(evaluations):
        older = evaluations[index + 1] if index + 1 < len(evaluations) else None
        evaluation.previous_status = older.status if older else Status.NOT_ASSESSED
    return evaluations


def previous_published_status() -> Coalesce:
    """For an Evaluation queryset: the status of the same section's published
    evaluation just before this one, or not_assessed. One index lookup per row
    (evaluation_current_idx: section, state, published_at)."""
    outer_published_at = models.OuterRef("published_at")
    earlier = (
        Evaluation.objects.published()
        .filter(section=models.OuterRef("section"))
        .filter(
            models.Q(published_at__lt=outer_published_at)
            | models.Q(published_at=outer_published_at, id__lt=models.OuterRef("id"))
        )
        .order_by("-published_at", "-id")
    )
    return Coalesce(
        models.Subquery(earlier.values("status")[:1]),
        models.Value(Status.NOT_ASSESSED),
        output_field=models.CharField(),
    )
