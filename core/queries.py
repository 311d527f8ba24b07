"""Query building blocks shared by the apps."""

from django.db import models
from django.db.models.functions import Coalesce


def scalar_count(queryset: models.QuerySet, aggregate: models.Aggregate) -> Coalesce:
    """`aggregate` over `queryset` (filtered on an OuterRef) as a correlated
    scalar subquery, 0 when it has no rows.

    For per-row counts on list pages: PostgreSQL evaluates a subquery in the
    SELECT list only for the rows it returns (after ORDER BY ... LIMIT), where
    JOIN + GROUP BY aggregates the whole table before a page is cut. Grouping on
    a constant makes Django leave out GROUP BY altogether.
    """
    return Coalesce(
        models.Subquery(
            queryset.annotate(_all=models.Value(1))
            .values("_all")
            .annotate(n=aggregate)
            .values("n"),
            output_field=models.IntegerField(),
        ),
        0,
    )
