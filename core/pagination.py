"""Paging for the public lists: the page's ids first, then its rows."""

from collections.abc import Callable, Iterable

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet


def paginate(
    queryset: QuerySet,
    page_number,
    *,
    per_page: int,
    rows: Callable[[list], Iterable[Model]],
) -> Page:
    """The page `page_number` of `queryset` (filtered and ordered), whose
    object_list is `rows(ids)` put back in the queryset's order.

    In two steps because a late page is cheap only that way: the first query
    selects ids (annotations only where a filter or the order needs them), so
    OFFSET skips bare index entries; `rows` then annotates, joins and prefetches
    for the page's own 25 rows. Paginator's COUNT(*) is over the same bare query,
    so it never wraps the annotated rows in a subquery.
    """
    page = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(page_number)
    ids = list(page.object_list)
    by_pk = {obj.pk: obj for obj in rows(ids)}
    page.object_list = [by_pk[pk] for pk in ids if pk in by_pk]
    return page
