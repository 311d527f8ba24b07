"""Keeping the sections' search documents current (core/searchindex.py says
what they hold). Every write path calls `refresh_sections` with the ids it
touched, or the signals in commitments/apps.py do for single saves."""

from collections.abc import Iterable

from django.db.models import Prefetch

from core.searchindex import join, markdown_to_text, write_documents

from .models import Citation, Section, SectionSearchDocument, Summary
from .text import readable_text


def section_document(section: Section, *, summary: Summary | None, citations) -> dict:
    """The texts of one section's search document: A the title, B the agreement
    text as the page shows it (de-hyphenated with the vocabulary of its summary
    and cited titles), C summary and conclusion as plain text.

    The cited decisions' titles are not in C: they are found as decisions of
    their own, and at 50 citations a section they doubled its vector, which
    ranking reads for every matching section (docs/search.md)."""
    return {
        "section_id": section.pk,
        "title": section.title,
        "body": readable_text(section, summary=summary, citations=citations),
        "context": join(
            markdown_to_text(summary.body) if summary else "",
            markdown_to_text(summary.conclusion) if summary else "",
        ),
    }


def refresh_sections(ids: Iterable[int], *, apps=None) -> int:
    """Rebuild the search documents of sections `ids` (missing ids are skipped).

    Queries per call, whatever the number of ids: the sections with their
    summaries, their citations with the cited decisions, then per 500 one
    upsert (and on PostgreSQL one vector update). Returns the number written.
    `apps`: a migration's historical models, for filling the documents there."""
    ids = sorted(set(ids))
    if not ids:
        return 0
    models = _models(apps)
    sections = (
        models["Section"]
        .objects.filter(pk__in=ids)
        .select_related("summary")
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=models["Citation"]
                .objects.select_related("decision")
                .only("id", "section_id", "number", "raw_title", "decision__title"),
            )
        )
        .only("id", "title", "text", "summary__body", "summary__conclusion")
        .order_by("pk")
    )
    rows = []
    for section in sections:
        try:
            summary = section.summary
        except models["Summary"].DoesNotExist:
            summary = None
        rows.append(section_document(section, summary=summary, citations=section.citations.all()))
    write_documents(models["SectionSearchDocument"], rows, key="section")
    return len(rows)


def _models(apps) -> dict:
    if apps is None:
        return {
            "Section": Section,
            "Summary": Summary,
            "Citation": Citation,
            "SectionSearchDocument": SectionSearchDocument,
        }
    names = ("Section", "Summary", "Citation", "SectionSearchDocument")
    return {name: apps.get_model("commitments", name) for name in names}


def fill_section_documents(apps=None, *, batch: int = 1000) -> int:
    """Write every section's document, `batch` sections at a time (memory stays flat)."""
    section = _models(apps)["Section"]
    ids = list(section.objects.order_by("pk").values_list("pk", flat=True))
    return sum(refresh_sections(ids[i : i + batch], apps=apps) for i in range(0, len(ids), batch))


def sections_citing(decision_ids: Iterable[int]) -> list[int]:
    return list(
        Citation.objects.filter(decision_id__in=list(decision_ids))
        .order_by()
        .values_list("section_id", flat=True)
        .distinct()
    )


def rebuild_search_index() -> tuple[int, int]:
    """Every decision's and section's search document, in batches:
    (sections, decisions) written. Decisions first: sections index their titles."""
    from decisions.searchindex import fill_decision_documents

    decisions = fill_decision_documents()
    return fill_section_documents(), decisions
