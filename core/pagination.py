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
    all_ids: bool = False,
) -> Page:
    """The page `page_number` of `queryset` (filtered and ordered), whose
    object_list is `rows(ids)` put back in the queryset's order.

    In two steps because a late page is cheap only that way: the first query
    selects ids (annotations only where a filter or the order needs them), so
    OFFSET skips bare index entries; `rows` then annotates, joins and prefetches
    for the page's own 25 rows. Paginator's COUNT(*) is over the same bare query,
    so it never wraps the annotated rows in a subquery.

    all_ids=True reads every matching id in one query and counts and slices them
    in Python: for a table that stays small (sections: about a thousand per
    agreement) this runs the filters once instead of twice (COUNT, then ids).
    """
    ids = queryset.values_list("pk", flat=True)
    if all_ids:
        ids = list(ids)
    page = Paginator(ids, per_page).get_page(page_number)
    ids = list(page.object_list)
    by_pk = {obj.pk: obj for obj in rows(ids)}
    page.object_list = [by_pk[pk] for pk in ids if pk in by_pk]
    return page
