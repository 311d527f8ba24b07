"""Pages for policy staff: thin views; the querying lives in the models,
filters and search modules."""

from django.conf import settings
from django.db.models import Count, F, OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html_join

from core.exports import CHUNK_SIZE, export_links, export_response, path_maker
from core.pagination import paginate
from core.rendering import render_markdown, safe_link_url
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
    chapters = list(agreement.chapters.order_by("position", "title"))
    per_chapter: dict[int, dict[str, int]] = {}
    for row in (
        sections.with_status().values("chapter_id", "current_status").annotate(n=Count("id"))
    ):
        per_chapter.setdefault(row["chapter_id"], {})[row["current_status"]] = row["n"]
    # Citation and cited-decision counts of every chapter in one grouped pass over
    # the agreement's citations (not a COUNT(DISTINCT) over a join of every
    # section, citation and decision per request, nor two subqueries per chapter).
    # A decision cited in two chapters counts once in the total, which therefore
    # is no sum over the chapters: it comes from the same pass on PostgreSQL.
    cited, decision_total = Citation.objects.counts_per_chapter(agreement)
    for chapter_obj in chapters:
        statuses = per_chapter.get(chapter_obj.pk, {})
        chapter_obj.status_bar = status_breakdown(statuses)
        chapter_obj.section_count = sum(statuses.values())
        chapter_obj.citation_count = cited.get(chapter_obj.pk, {}).get("citation_count", 0)
        chapter_obj.decision_count = cited.get(chapter_obj.pk, {}).get("decision_count", 0)
    # Sections and citations add up over the chapters.
    totals = {
        "section_total": sum(c.section_count for c in chapters),
        "citation_total": sum(c.citation_count for c in chapters),
        "decision_total": decision_total,
    }
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
    page = paginate(
        section_filter.qs,
        request.GET.get("page"),
        per_page=settings.PAGE_SIZE,
        rows=lambda ids: (
            Section.objects.select_related("chapter__agreement")
            .with_status()
            .with_counts()
            .filter(pk__in=ids)
        ),
        all_ids=True,
    )
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
    """Every section the filters select, with its current published judgement,
    from one query streamed through a server-side cursor. The judgement's fields
    are subqueries with one order (newest publication, then id), so a row's
    status, rationale, date and names always belong to one evaluation."""
    labels = dict(Status.choices)
    newest = Evaluation.objects.newest_published_first().filter(section=OuterRef("pk"))

    def current(field: str) -> Subquery:
        return Subquery(newest.values(field)[:1])

    rows = filtered_sections(request.GET).qs.values(
        "number",
        "title",
        "current_status",
        "citation_count",
        "decision_count",
        "latest_decision_date",
        agreement_title=F("chapter__agreement__title"),
        agreement_slug=F("chapter__agreement__slug"),
        chapter_title=F("chapter__title"),
        chapter_slug=F("chapter__slug"),
        rationale=current("rationale"),
        published_at=current("published_at"),
        author_first=current("author__first_name"),
        author_last=current("author__last_name"),
        reviewer_first=current("reviewer__first_name"),
        reviewer_last=current("reviewer__last_name"),
    )

    def to_row(row: dict) -> dict:
        path = reverse(
            "commitments:section",
            args=[row["agreement_slug"], row["chapter_slug"], row["number"]],
        )
        return {
            "agreement": row["agreement_title"],
            "chapter": row["chapter_title"],
            "number": row["number"],
            "title": row["title"],
            "status": row["current_status"],
            "status_label": str(labels[row["current_status"]]),
            "rationale": row["rationale"] or "",
            "evaluation_date": row["published_at"] and timezone.localdate(row["published_at"]),
            # As core.people.display_name: the name entered, never the login.
            "author": _full_name(row["author_first"], row["author_last"]),
            "reviewer": _full_name(row["reviewer_first"], row["reviewer_last"]),
            "citation_count": row["citation_count"],
            "decision_count": row["decision_count"],
            "latest_decision_date": row["latest_decision_date"],
            "url": request.build_absolute_uri(path),
        }

    return export_response(
        fmt,
        filename="secties",
        columns=SECTION_COLUMNS,
        rows=rows.iterator(chunk_size=CHUNK_SIZE),
        to_row=to_row,
    )


def _full_name(first: str | None, last: str | None) -> str:
    return " ".join(f"{first or ''} {last or ''}".split())


def section(request, agreement: str, chapter: str, number: str):
    section_obj = get_object_or_404(
        Section.objects.select_related("chapter__agreement", "summary").with_status(),
        chapter__agreement__slug=agreement,
        chapter__slug=chapter,
        number=number,
    )
    citations = _with_row_attributes(list(section_obj.citations.select_related("decision")))
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


def _with_row_attributes(citations: list[Citation]) -> list[Citation]:
    """What the reference list and the timeline show of each row, computed once:
    with a hundred rows, reverse() and the |date and |link_url filters per row
    were a third of the page's time. The date text is what |date:"j N Y" gives."""
    decision_path = path_maker("decisions:detail")
    date_texts: dict = {}
    for citation in citations:
        citation.source_url = safe_link_url(citation.raw_url)
        decision = citation.decision
        if decision is not None:
            decision.path = decision_path(decision.pk)
            decision.date_iso = decision.date.isoformat()
            if decision.date not in date_texts:
                date_texts[decision.date] = format_date(decision.date, "j N Y")
            decision.date_text = date_texts[decision.date]
    return citations


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
    for entry in by_decision.values():
        # Links to the reference list, built here: a nested template loop per entry
        # was a tenth of the page's time.
        entry["reference_links"] = format_html_join(
            "", '<a href="#ref-{}">[{}]</a>', ((n, n) for n in entry["numbers"])
        )
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
