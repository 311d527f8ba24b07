"""Geometry of the overview's status trend chart: a stacked column per month,
drawn by the template as SVG (rectangles with status classes from site.css,
no inline styles, no script)."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.dateformat import format as format_date
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .history import MonthCounts
from .models import Status

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 12, 34
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MAX_BAR = 40
# Year labels closer than this (in view box units) would overlap on a phone,
# where the labels are drawn larger (see site.css).
MIN_LABEL_SPACING = 64

# Bottom to top: what has been delivered grows from the axis up, what nobody
# judged yet sits on top.
STACK_ORDER = [
    Status.ACHIEVED,
    Status.PARTIALLY_ACHIEVED,
    Status.IN_PROGRESS,
    Status.NOT_STARTED,
    Status.ABANDONED,
    Status.NOT_ASSESSABLE,
    Status.NOT_ASSESSED,
]


@dataclass
class Segment:
    key: str
    label: str
    count: int
    y: float
    height: float


@dataclass
class Column:
    month: date
    x: float
    width: float
    segments: list[Segment] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)  # in the order of Chart.statuses


@dataclass
class Chart:
    view_box: str
    columns: list[Column]
    statuses: list[Status]  # those that occur, in scale order: legend and table columns
    x_labels: list[dict]
    y_labels: list[dict]
    axis: dict
    total: int

    @property
    def last(self) -> Column:
        return self.columns[-1]

    def columns_svg(self) -> SafeString:
        """The stacked columns as SVG markup, one <g> with a <title> per month.

        Built here rather than by nested template loops: a few hundred rectangles
        through the template engine cost about half the overview's Python time.
        Month names follow the active language, as the template's |date did."""
        parts = []
        for column in self.columns:
            title = ", ".join(f"{segment.label} {segment.count}" for segment in column.segments)
            rects = "".join(
                f'<rect class="fill--{segment.key}" x="{column.x}" y="{segment.y}"'
                f' width="{column.width}" height="{segment.height}"></rect>'
                for segment in column.segments
            )
            month = format_date(column.month, "F Y")
            parts.append(f"<g><title>{escape(f'{month}: {title}')}</title>{rects}</g>\n      ")
        return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped

    def table_rows(self) -> SafeString:
        """The rows of the numbers table, for the same reason as columns_svg."""
        rows = []
        for column in self.columns:
            cells = "".join(f'<td class="num">{count}</td>' for count in column.counts)
            month = escape(format_date(column.month, "F Y"))
            rows.append(f'<tr><th scope="row">{month}</th>{cells}</tr>\n            ')
        return mark_safe("".join(rows))  # noqa: S308 - the month is escaped, counts are ints


def _r(value: float) -> float:
    return round(value, 2)


def status_trend_chart(months: list[MonthCounts]) -> Chart | None:
    """The chart of `months` (oldest first), or None when there is nothing to draw."""
    if not months or not months[-1].total:
        return None
    total = max(month.total for month in months)
    slot = PLOT_WIDTH / len(months)
    bar = min(slot * 0.8, MAX_BAR)
    statuses = [s for s in Status if any(month.counts.get(s.value) for month in months)]
    columns = []
    for index, month in enumerate(months):
        column = Column(
            month=month.month,
            x=_r(LEFT + index * slot + (slot - bar) / 2),
            width=_r(bar),
            counts=[month.counts.get(s.value, 0) for s in statuses],
        )
        top = TOP + PLOT_HEIGHT
        for status in STACK_ORDER:
            count = month.counts.get(status.value, 0)
            if not count:
                continue
            height = PLOT_HEIGHT * count / total
            top -= height
            column.segments.append(Segment(status.value, status.label, count, _r(top), _r(height)))
        columns.append(column)
    return Chart(
        view_box=f"0 0 {WIDTH} {HEIGHT}",
        columns=columns,
        statuses=statuses,
        x_labels=_x_labels(months, slot),
        y_labels=[
            {"y": TOP + PLOT_HEIGHT, "text": 0},
            {"y": TOP, "text": total},
        ],
        axis={
            "left": LEFT,
            "right": WIDTH - RIGHT,
            "top": TOP,
            "bottom": TOP + PLOT_HEIGHT,
            "label_x": LEFT - 6,
            "label_y": HEIGHT - 8,
        },
        total=total,
    )


def _x_labels(months: list[MonthCounts], slot: float) -> list[dict]:
    """A tick and the year at each January (every so many years when they would
    crowd); the first month when the range holds no January."""
    januaries = [i for i, month in enumerate(months) if month.month.month == 1]
    if not januaries:
        return [{"x": _r(LEFT + slot / 2), "month": months[0].month, "year_only": False}]
    step = 1
    while step * 12 * slot < MIN_LABEL_SPACING:
        step += 1
    return [
        {"x": _r(LEFT + i * slot + slot / 2), "month": months[i].month, "year_only": True}
        for i in januaries
        if months[i].month.year % step == 0 or step == 1
    ]
