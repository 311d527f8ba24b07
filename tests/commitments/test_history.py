"""The public history of the judgements: from → to, and sections per status at
the end of each month."""

from datetime import UTC, date, datetime

import pytest

from commitments.history import (
    MAX_MONTHS,
    agreement_status_trend,
    status_by_month,
    trend_range,
    with_previous_statuses,
)
from commitments.models import Evaluation
from tests.builders import make_agreement, make_chapter, make_evaluation, make_section

JAN, FEB, MAR, APR = (date(2024, month, 1) for month in (1, 2, 3, 4))


def _counts(months) -> list[dict]:
    """Only the statuses that have sections, per month, for readable asserts."""
    return [{k: v for k, v in month.counts.items() if v} for month in months]


def test_each_status_is_counted_at_the_end_of_the_month_it_was_published():
    changes = [
        (1, "in_progress", date(2024, 1, 10)),
        (1, "achieved", date(2024, 3, 31)),
        (2, "not_started", date(2024, 2, 1)),
    ]
    months = status_by_month(changes, section_count=3, first_month=JAN, last_month=APR)
    assert [m.month for m in months] == [JAN, FEB, MAR, APR]
    assert _counts(months) == [
        {"not_assessed": 2, "in_progress": 1},
        {"not_assessed": 1, "in_progress": 1, "not_started": 1},
        {"not_assessed": 1, "achieved": 1, "not_started": 1},
        {"not_assessed": 1, "achieved": 1, "not_started": 1},
    ]
    assert all(month.total == 3 for month in months)


def test_only_the_last_change_of_a_month_counts_for_that_month():
    changes = [
        (1, "not_started", date(2024, 1, 2)),
        (1, "in_progress", date(2024, 1, 20)),
        (1, "achieved", date(2024, 1, 30)),
    ]
    months = status_by_month(changes, section_count=1, first_month=JAN, last_month=FEB)
    assert _counts(months) == [{"achieved": 1}, {"achieved": 1}]


def test_changes_outside_the_range_count_from_the_start_or_not_at_all():
    changes = [
        (1, "in_progress", date(2023, 6, 1)),  # before: already so in January
        (1, "achieved", date(2024, 5, 1)),  # after: not yet in February
        (2, "abandoned", date(2025, 1, 1)),
    ]
    months = status_by_month(changes, section_count=2, first_month=JAN, last_month=FEB)
    assert _counts(months) == [
        {"in_progress": 1, "not_assessed": 1},
        {"in_progress": 1, "not_assessed": 1},
    ]


def test_a_published_return_to_not_assessed_counts_as_not_assessed():
    changes = [(1, "in_progress", date(2024, 1, 5)), (1, "not_assessed", date(2024, 2, 5))]
    months = status_by_month(changes, section_count=1, first_month=JAN, last_month=MAR)
    assert _counts(months) == [{"in_progress": 1}, {"not_assessed": 1}, {"not_assessed": 1}]


def test_range_is_the_term_widened_to_the_data_and_never_beyond_this_month():
    today = date(2026, 5, 20)
    term = {"start": date(2019, 10, 2), "end": date(2024, 6, 9)}
    inside = {"first": date(2020, 1, 5), "last": date(2023, 1, 1)}
    assert trend_range(**term, **inside, today=today) == (date(2019, 10, 1), date(2024, 6, 1))
    # Judged after the term ended: the chart runs on to the last publication.
    later = {"first": date(2020, 1, 5), "last": date(2025, 3, 9)}
    assert trend_range(**term, **later, today=today) == (date(2019, 10, 1), date(2025, 3, 1))
    # A term still running stops at the current month.
    running = {"start": date(2024, 7, 1), "end": date(2029, 6, 30)}
    assert trend_range(**running, **inside, today=today) == (date(2020, 1, 1), date(2026, 5, 1))
    # Without a term: the data's range up to today.
    assert trend_range(start=None, end=None, **inside, today=today) == (
        date(2020, 1, 1),
        date(2026, 5, 1),
    )


def test_range_is_cut_to_the_newest_months_when_dates_are_absurd():
    first, last = trend_range(
        start=date(1, 1, 1), end=None, first=date(2020, 1, 1), last=date(2024, 1, 1),
        today=date(2024, 6, 15),
    )  # fmt: skip
    assert last == date(2024, 6, 1)
    assert (last.year - first.year) * 12 + last.month - first.month + 1 == MAX_MONTHS


@pytest.mark.django_db
def test_previous_status_is_the_one_published_before():
    section = make_section()
    make_evaluation(section, status="not_started", published_at=datetime(2024, 1, 1, tzinfo=UTC))
    make_evaluation(section, status="achieved", published_at=datetime(2024, 2, 1, tzinfo=UTC))
    newest = with_previous_statuses(section.evaluations.newest_published_first())
    assert [(e.previous_status, e.status) for e in newest] == [
        ("not_started", "achieved"),
        ("not_assessed", "not_started"),
    ]
    assert with_previous_statuses([]) == []


@pytest.mark.django_db
def test_agreement_trend_reads_only_published_evaluations_of_that_agreement(
    django_assert_num_queries,
):
    agreement = make_agreement(start_date=date(2024, 1, 1), end_date=date(2024, 3, 31))
    chapter = make_chapter(agreement)
    first, second = make_section(chapter), make_section(chapter)
    # Published at 23:30 on 31 January in Brussels: January, though February in UTC.
    make_evaluation(
        first, status="in_progress", published_at=datetime(2024, 1, 31, 22, 30, tzinfo=UTC)
    )
    make_evaluation(second, status="achieved", state=Evaluation.State.PROPOSED)
    make_evaluation(second, status="abandoned", state=Evaluation.State.REJECTED)
    other = make_section(make_chapter(make_agreement(title="Ander akkoord")))
    make_evaluation(other, status="achieved", published_at=datetime(2024, 2, 1, tzinfo=UTC))
    # 1 the agreement's published evaluations, ordered by section and publication
    with django_assert_num_queries(1):
        months = agreement_status_trend(agreement, section_count=2)
    assert _counts(months) == [
        {"in_progress": 1, "not_assessed": 1},
        {"in_progress": 1, "not_assessed": 1},
        {"in_progress": 1, "not_assessed": 1},
    ]


@pytest.mark.django_db
def test_agreement_trend_is_empty_before_anything_is_published():
    section = make_section()
    make_evaluation(section, state=Evaluation.State.PROPOSED)
    assert agreement_status_trend(section.chapter.agreement, section_count=1) == []
