"""The public history of the judgements: each published evaluation as a change
"from → to", and how many sections stood in each status month by month.

Only published evaluations count, in publication order (published_at, then id),
the order in which `Section.objects.with_status()` picks the current status.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from operator import itemgetter

from django.db import models
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from .models import Agreement, Evaluation, Status

# An agreement with absurd dates (a typo in the admin) must not make a page of
# thousands of columns: the chart keeps the newest twenty years at most.
MAX_MONTHS = 240


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


@dataclass(frozen=True)
class MonthCounts:
    month: date  # the first day of the month
    counts: dict[str, int]  # status key -> sections in that status at the month's end

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _month(day: date) -> date:
    return day.replace(day=1)


def _add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def trend_range(
    *, start: date | None, end: date | None, first: date, last: date, today: date
) -> tuple[date, date]:
    """The months the chart spans: the agreement's term, widened to the published
    history, never beyond the current month (a term still running stops today)."""
    first_month = _month(min(start, first) if start else first)
    last_month = _month(min(end or today, today))
    last_month = max(last_month, _month(last))
    if _months_between(first_month, last_month) >= MAX_MONTHS:
        first_month = _add_months(last_month, 1 - MAX_MONTHS)
    return first_month, last_month


def status_by_month(
    changes: Iterable[tuple[int, str, date]],
    *,
    section_count: int,
    first_month: date,
    last_month: date,
) -> list[MonthCounts]:
    """Sections per status at the end of each month from first_month to last_month.

    `changes` are (section id, status, publication date or month) of published evaluations,
    ordered by section and publication. A section without any is not assessed; a
    change before first_month counts from the start, one after last_month not at all.
    Difference arrays keep it linear: O(changes + months x statuses).
    """
    month_count = _months_between(first_month, last_month) + 1
    delta = {status: [0] * month_count for status in Status.values}
    delta[Status.NOT_ASSESSED][0] = section_count
    for _section, rows in groupby(changes, key=itemgetter(0)):
        current = Status.NOT_ASSESSED.value
        for _, status, day in rows:
            index = max(_months_between(first_month, day), 0)
            if index >= month_count:
                break  # ordered by date: the rest is later still
            if status != current:
                delta[current][index] -= 1
                delta[status][index] += 1
                current = status
    months, running = [], dict.fromkeys(Status.values, 0)
    for index in range(month_count):
        for status in Status.values:
            running[status] += delta[status][index]
        months.append(MonthCounts(_add_months(first_month, index), dict(running)))
    return months


def agreement_status_trend(agreement: Agreement, *, section_count: int) -> list[MonthCounts]:
    """The month-end status counts of an agreement's sections, in one query (its
    published evaluations, ordered by section and publication); [] when nothing has
    been published yet."""
    changes = list(
        Evaluation.objects.published()
        .filter(section__chapter__agreement=agreement)
        .order_by("section_id", "published_at", "id")
        # The month in the site's time zone, computed by the database: a publication
        # at 23:30 on 31 January in Brussels belongs to January.
        .values_list(
            "section_id", "status", TruncMonth("published_at", output_field=models.DateField())
        )
    )
    if not changes:
        return []
    months = [month for _, _, month in changes]
    first_month, last_month = trend_range(
        start=agreement.start_date,
        end=agreement.end_date,
        first=min(months),
        last=max(months),
        today=timezone.localdate(),
    )
    return status_by_month(
        changes, section_count=section_count, first_month=first_month, last_month=last_month
    )
