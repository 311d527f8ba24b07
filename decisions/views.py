from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from core.exports import CHUNK_SIZE, export_links, export_response

from .filters import filtered_decisions
from .models import Decision


def decision_list(request):
    decision_filter = filtered_decisions(request.GET)
    decisions = decision_filter.qs.prefetch_related("ministers")
    page = Paginator(decisions, settings.PAGE_SIZE).get_page(request.GET.get("page"))
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
    def to_row(decision: Decision) -> dict:
        return {
            "id": decision.pk,
            "date": decision.date,
            "title": decision.title,
            "kind": decision.kind,
            "ministers": "; ".join(m.name for m in decision.ministers.all()),
            "citation_count": decision.citation_count,
            "section_count": decision.section_count,
            "source_url": decision.source_url,
            "url": request.build_absolute_uri(decision.get_absolute_url()),
        }

    decisions = filtered_decisions(request.GET).qs.prefetch_related("ministers")
    return export_response(
        fmt,
        filename="beslissingen",
        columns=DECISION_COLUMNS,
        rows=decisions.iterator(chunk_size=CHUNK_SIZE),
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
