from django.conf import settings
from django.db.models import OuterRef, Subquery, Value
from django.shortcuts import get_object_or_404, render

from core.exports import (
    CHUNK_SIZE,
    JoinedNames,
    absolute_url_maker,
    export_links,
    export_response,
    sorted_names,
)
from core.pagination import paginate

from .filters import filtered_decisions
from .models import Decision


def decision_list(request):
    decision_filter = filtered_decisions(request.GET)
    page = paginate(
        decision_filter.qs,
        request.GET.get("page"),
        per_page=settings.PAGE_SIZE,
        rows=lambda ids: (
            Decision.objects.with_citation_count().prefetch_related("ministers").filter(pk__in=ids)
        ),
    )
    return render(
        request,
        "decisions/decision_list.html",
        {
            "filter": decision_filter,
            "page": page,
            "exports": export_links(request, "decisions:export"),
        },
    )


DECISION_COLUMNS = [
    "id", "date", "title", "kind", "ministers", "citation_count", "section_count",
    "source_url", "url",
]  # fmt: skip


def decision_export(request, fmt: str):
    """Every decision the filters select, from one query: counts and minister
    names are subqueries of that query, streamed through a server-side cursor."""
    url = absolute_url_maker(request, "decisions:detail")
    ministers = (
        Decision.ministers.through.objects.filter(decision=OuterRef("pk"))
        .order_by()
        .annotate(_all=Value(1))
        .values("_all")
        .annotate(names=JoinedNames("minister__name"))
        .values("names")
    )
    rows = (
        filtered_decisions(request.GET)
        .qs.values("id", "date", "title", "kind", "citation_count", "section_count", "source_url")
        .annotate(minister_names=Subquery(ministers))
    )

    def to_row(row: dict) -> dict:
        row["ministers"] = sorted_names(row.pop("minister_names"))
        row["url"] = url(row["id"])
        return {column: row[column] for column in DECISION_COLUMNS}

    return export_response(
        fmt,
        filename="beslissingen",
        columns=DECISION_COLUMNS,
        rows=rows.iterator(chunk_size=CHUNK_SIZE),
        to_row=to_row,
    )


def decision_detail(request, pk: int):
    decision = get_object_or_404(Decision.objects.prefetch_related("ministers", "themes"), pk=pk)
    citations = decision.citations.select_related("section__chapter__agreement").order_by(
        "section__chapter__position", "section__sort_key", "number"
    )
    return render(
        request,
        "decisions/decision_detail.html",
        {"decision": decision, "citations": citations, "documents": decision.documents.all()},
    )
