"""What a reader sees of a section's agreement text; the search documents index the same."""

from collections.abc import Iterable

from core.text import Vocabulary, dehyphenate, vocabulary_of

from .models import Citation, Section, Summary


def readable_text(
    section: Section, *, summary: Summary | None, citations: Iterable[Citation]
) -> str:
    """The agreement text with the PDF's line-break hyphens joined (core.text)."""
    return dehyphenate(section.text, section_vocabulary(summary=summary, citations=citations))


def section_vocabulary(*, summary: Summary | None, citations: Iterable[Citation]) -> Vocabulary:
    """The words of the section's own summary and of the titles it cites.

    Clean text written about this very section: the result depends on the
    section alone, not on what else the database holds, and costs no query when
    `summary` and `citations` (with `decision` selected) are loaded already, as
    on the section page.
    """
    clean = [summary.body, summary.conclusion] if summary else []
    clean += [c.decision.title if c.decision_id else c.raw_title for c in citations]
    return vocabulary_of(clean)
