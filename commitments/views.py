"""Pages for policy staff: thin views; the querying lives in the models,
filters and search modules."""

from collections.abc import Iterator
from itertools import islice

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from core.exports import CHUNK_SIZE, export_links, export_response
from core.people import display_name
from core.rendering import render_markdown
from core.version import app_version
from decisions.models import Decision

from .charts import status_trend_chart
from .filters import filtered_sections
from .history import agreement_status_trend, with_previous_statuses
from .models import (
    Agreement,
    Chapter,
    Citation,
    Evaluation,
    Section,
    SectionSearchDocument,
    Status,
)
from .search import search as search_service
from .search_filters import SearchFilter
from .text import readable_text

LATEST_DECISIONS = 8
UNCITED_SECTIONS = 20


def status_breakdown(counts: dict[str, int]) -> dict:
    """Segments of a status bar: every status in scale order with its count and
    its share in whole percent (the bar is an SVG with a 0-100 view box)."""
    total = sum(counts.values())
    segments, offset = [], 0
    for status in Status:
        count = counts.get(status.value, 0)
        width = round(100 * count / total, 2) if total else 0
        segments.append(
            {
                "key": status.value,
                "label": status.label,
                "count": count,
                "x": offset,
                "width": width,
            }
        )
        offset += width
    return {"total": total, "segments": segments}


def home(request):
    return _agreement_page(request, Agreement.objects.first())


def agreement(request, agreement: str):
    return _agreement_page(request, get_object_or_404(Agreement, slug=agreement))


def _agreement_page(request, agreement: Agreement | None):
    if agreement is None:
        return render(request, "commitments/agreement.html", {"agreement": None})
    sections = Section.objects.filter(chapter__agreement=agreement)
    chapters = list(
        agreement.chapters.annotate(
            section_count=Count("sections", distinct=True),
            citation_count=Count("sections__citations", distinct=True),
            decision_count=Count("sections__citations__decision", distinct=True),
        ).order_by("position", "title")
    )
    per_chapter: dict[int, dict[str, int]] = {}
    for row in (
        sections.with_status().values("chapter_id", "current_status").annotate(n=Count("id"))
    ):
        per_chapter.setdefault(row["chapter_id"], {})[row["current_status"]] = row["n"]
    for chapter_obj in chapters:
        chapter_obj.status_bar = status_breakdown(per_chapter.get(chapter_obj.pk, {}))
    totals = sections.aggregate(
        section_total=Count("id", distinct=True),
        citation_total=Count("citations", distinct=True),
        decision_total=Count("citations__decision", distinct=True),
    )
    overall: dict[str, int] = {}
    for counts in per_chapter.values():
        for key, n in counts.items():
            overall[key] = overall.get(key, 0) + n
    uncited = sections.without_decisions().select_related("chapter__agreement")
    status_bar = status_breakdown(overall)
    trend = agreement_status_trend(agreement, section_count=status_bar["total"])
    return render(
        request,
        "commitments/agreement.html",
        {
            "agreement": agreement,
            "chapters": chapters,
            "totals": totals,
            "status_bar": status_bar,
            "trend_chart": status_trend_chart(trend),
            "latest_decisions": Decision.objects.latest(LATEST_DECISIONS),
            "uncited_sections": uncited[:UNCITED_SECTIONS],
        },
    )


def chapter(request, agreement: str, chapter: str):
    chapter_obj = get_object_or_404(
        Chapter.objects.select_related("agreement"), agreement__slug=agreement, slug=chapter
    )
    sections = list(
        chapter_obj.sections.select_related("chapter__agreement")
        .with_status()
        .with_counts()
        # Meta.ordering does not apply to aggregating queries.
        .order_by("sort_key")
    )
    counts: dict[str, int] = {}
    for section_obj in sections:
        counts[section_obj.current_status] = counts.get(section_obj.current_status, 0) + 1
    return render(
        request,
        "commitments/chapter.html",
        {"chapter": chapter_obj, "sections": sections, "status_bar": status_breakdown(counts)},
    )


def section_list(request):
    section_filter = filtered_sections(request.GET)
    page = Paginator(section_filter.qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "commitments/section_list.html",
        {
            "filter": section_filter,
            "page": page,
            "exports": export_links(request, "commitments:section-export"),
        },
    )


SECTION_COLUMNS = [
    "agreement", "chapter", "number", "title", "status", "status_label",
    "rationale", "evaluation_date", "author", "reviewer",
    "citation_count", "decision_count", "latest_decision_date", "url",
]  # fmt: skip


def section_export(request, fmt: str):
    section_filter = filtered_sections(request.GET)
    labels = dict(Status.choices)
    # The current evaluation's id comes from the same query as the status, so a
    # row's status and rationale always belong together.
    newest = Evaluation.objects.newest_published_first().filter(section=OuterRef("pk"))
    sections = section_filter.qs.annotate(
        current_evaluation_id=Subquery(newest.values("pk")[:1])
    ).iterator(chunk_size=CHUNK_SIZE)

    def to_row(section_obj: Section) -> dict:
        evaluation = section_obj.current_evaluation
        return {
            "agreement": section_obj.chapter.agreement.title,
            "chapter": section_obj.chapter.title,
            "number": section_obj.number,
            "title": section_obj.title,
            "status": section_obj.current_status,
            "status_label": str(labels[section_obj.current_status]),
            "rationale": evaluation.rationale if evaluation else "",
            "evaluation_date": evaluation and timezone.localdate(evaluation.published_at),
            "author": display_name(evaluation and evaluation.author),
            "reviewer": display_name(evaluation and evaluation.reviewer),
            "citation_count": section_obj.citation_count,
            "decision_count": section_obj.decision_count,
            "latest_decision_date": section_obj.latest_decision_date,
            "url": request.build_absolute_uri(section_obj.get_absolute_url()),
        }

    return export_response(
        fmt,
        filename="secties",
        columns=SECTION_COLUMNS,
        rows=_with_current_evaluations(sections),
        to_row=to_row,
    )


def _with_current_evaluations(sections: Iterator[Section]) -> Iterator[Section]:
    """Set `current_evaluation` (or None) on each section, with one query per
    CHUNK_SIZE sections for the evaluations and their author and reviewer."""
    while chunk := list(islice(sections, CHUNK_SIZE)):
        ids = [s.current_evaluation_id for s in chunk if s.current_evaluation_id]
        evaluations = Evaluation.objects.select_related("author", "reviewer").in_bulk(ids)
        for section_obj in chunk:
            section_obj.current_evaluation = evaluations.get(section_obj.current_evaluation_id)
        yield from chunk


def section(request, agreement: str, chapter: str, number: str):
    section_obj = get_object_or_404(
        Section.objects.select_related("chapter__agreement", "summary").with_status(),
        chapter__agreement__slug=agreement,
        chapter__slug=chapter,
        number=number,
    )
    citations = list(section_obj.citations.select_related("decision"))
    summary = getattr(section_obj, "summary", None)
    incomplete = {c.number for c in citations if c.incomplete or c.decision_id is None}
    # Only what is published is public: the current status and its history.
    evaluations = with_previous_statuses(
        section_obj.evaluations.select_related("author", "reviewer")
        .prefetch_related(
            Prefetch("evidence", queryset=Citation.objects.select_related("decision"))
        )
        .newest_published_first()
    )
    for evaluation in evaluations:
        # "[3]" in a rationale links to reference 3, as in the summary.
        evaluation.rationale_html = render_markdown(
            evaluation.rationale,
            link_citations=True,
            incomplete_citations=incomplete,
            # Below the <h2> of the status box and of the history.
            top_heading_level=3,
        )
    siblings = Section.objects.filter(chapter=section_obj.chapter).select_related(
        "chapter__agreement"
    )
    previous_section = siblings.filter(sort_key__lt=section_obj.sort_key).order_by("-sort_key")
    next_section = siblings.filter(sort_key__gt=section_obj.sort_key).order_by("sort_key")
    return render(
        request,
        "commitments/section.html",
        {
            "section": section_obj,
            "agreement_text": readable_text(section_obj, summary=summary, citations=citations),
            "summary": summary,
            # The summary sits under the page's <h2>, its conclusion under an <h3>.
            "summary_html": summary
            and render_markdown(
                summary.body,
                link_citations=True,
                incomplete_citations=incomplete,
                top_heading_level=3,
            ),
            "conclusion_html": summary
            and render_markdown(
                summary.conclusion,
                link_citations=True,
                incomplete_citations=incomplete,
                top_heading_level=4,
            ),
            "citations": citations,
            "timeline": _timeline(citations),
            "evaluations": evaluations,
            "current_evaluation": evaluations[0] if evaluations else None,
            "status_label": Status(section_obj.current_status).label,
            "previous_section": previous_section.first(),
            "next_section": next_section.first(),
        },
    )


def _timeline(citations) -> list[dict]:
    """Cited decisions by date, oldest first, each with the numbers that cite it."""
    by_decision: dict[int, dict] = {}
    for citation in citations:
        if citation.decision is None:
            continue
        entry = by_decision.setdefault(
            citation.decision_id, {"decision": citation.decision, "numbers": []}
        )
        entry["numbers"].append(citation.number)
    return sorted(by_decision.values(), key=lambda e: (e["decision"].date, e["decision"].title))


def search(request):
    filters = SearchFilter(request.GET, queryset=SectionSearchDocument.objects.all())
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    results = search_service(
        request.GET.get("q", ""),
        page=min(max(page, 1), 10_000),
        kind=filters.chosen_kind,
        sections=filters.qs,
        narrowed=filters.narrows_sections,
    )
    return render(request, "commitments/search.html", {"results": results, "filter": filters})


def about(request):
    return render(request, "commitments/about.html", {"version": app_version()})
