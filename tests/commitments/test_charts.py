"""Geometry of the overview's status trend chart."""

from datetime import date
from itertools import pairwise

from commitments.charts import (
    HEIGHT,
    LEFT,
    MIN_LABEL_SPACING,
    PLOT_HEIGHT,
    TOP,
    WIDTH,
    status_trend_chart,
)
from commitments.history import MonthCounts


def _months(first: date, counts: list[dict]) -> list[MonthCounts]:
    months = []
    for index, count in enumerate(counts):
        year, month = divmod(first.month - 1 + index, 12)
        months.append(MonthCounts(date(first.year + year, month + 1, 1), count))
    return months


def test_nothing_to_draw_gives_no_chart():
    assert status_trend_chart([]) is None
    assert status_trend_chart(_months(date(2024, 1, 1), [{}])) is None


def test_columns_stack_the_statuses_to_the_full_height_with_achieved_at_the_bottom():
    chart = status_trend_chart(
        _months(
            date(2024, 1, 1),
            [{"not_assessed": 4}, {"not_assessed": 1, "achieved": 2, "in_progress": 1}],
        )
    )
    assert chart.view_box == f"0 0 {WIDTH} {HEIGHT}"
    first, second = chart.columns
    # Bottom to top: delivered first, not yet judged on top.
    assert [(s.key, s.count) for s in second.segments] == [
        ("achieved", 2),
        ("in_progress", 1),
        ("not_assessed", 1),
    ]
    bottom = TOP + PLOT_HEIGHT
    achieved = second.segments[0]
    assert achieved.y + achieved.height == bottom
    assert achieved.height == PLOT_HEIGHT / 2
    assert second.segments[-1].y == TOP  # the whole height is all sections
    assert first.segments[0].height == PLOT_HEIGHT
    assert first.x >= LEFT and second.x > first.x
    # Legend and table columns: the statuses that occur, in scale order.
    assert [s.value for s in chart.statuses] == ["not_assessed", "in_progress", "achieved"]
    assert second.counts == [1, 1, 2]
    assert chart.y_labels[1]["text"] == 4


def test_years_are_labelled_at_january_and_thinned_when_crowded():
    three_years = _months(date(2019, 10, 1), [{"not_assessed": 1}] * 36)
    labels = status_trend_chart(three_years).x_labels
    assert [label["month"] for label in labels] == [
        date(2020, 1, 1),
        date(2021, 1, 1),
        date(2022, 1, 1),
    ]
    twenty_years = _months(date(2004, 1, 1), [{"not_assessed": 1}] * 240)
    labels = status_trend_chart(twenty_years).x_labels
    years = [label["month"].year for label in labels]
    assert 5 <= len(years) < 20
    assert len({b - a for a, b in pairwise(years)}) == 1  # evenly spaced years
    assert min(b["x"] - a["x"] for a, b in pairwise(labels)) >= MIN_LABEL_SPACING


def test_a_range_without_january_labels_its_first_month():
    labels = status_trend_chart(_months(date(2024, 3, 1), [{"achieved": 1}] * 4)).x_labels
    assert labels == [{"x": labels[0]["x"], "month": date(2024, 3, 1), "year_only": False}]


def test_chart_markup_has_a_titled_group_and_a_table_row_per_month_in_the_active_language():
    from django.utils import translation

    chart = status_trend_chart(
        _months(date(2024, 1, 1), [{"not_assessed": 4}, {"not_assessed": 1, "achieved": 3}])
    )
    with translation.override("en"):
        svg, rows = str(chart.columns_svg()), str(chart.table_rows())
    assert svg.count("<g><title>") == 2
    assert "<title>February 2024: Achieved 3, Not yet assessed 1</title>" in svg
    first = chart.columns[1]
    assert (
        f'<rect class="fill--achieved" x="{first.x}" y="{first.segments[0].y}"'
        f' width="{first.width}" height="{first.segments[0].height}"></rect>'
    ) in svg
    assert rows.count("<tr>") == 2
    assert '<tr><th scope="row">January 2024</th><td class="num">4</td>' in rows
