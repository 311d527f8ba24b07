"""Full-text search over sections (title, agreement text, summary) and decisions
(title, text, documents): one service for the search page.

PostgreSQL: the `akk_dutch` text search configuration (Dutch stemming with
accents folded by unaccent; created by migration 0002), ranked, with
ts_headline snippets, served by GIN expression indexes built from the very
vectors below. SQLite: every word of the query must occur, case- and
accent-insensitively, in one of the same fields; results in agreement order.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Exists, F, Func, OuterRef, Q, TextField, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.text import dehyphenate
from decisions.models import Decision, DecisionDocument

from .models import Section

CONFIG = "akk_dutch"
RESULT_LIMIT = 50
# Control characters that never occur in the texts mark the highlighted words,
# so that the snippet can be escaped first and marked up after.
_START, _STOP = "\x02", "\x03"
_SPACE = Value(" ", output_field=TextField())
_EMPTY = Value("", output_field=TextField())
_MARKED = re.compile(f"{_START}([^{_START}{_STOP}]*){_STOP}")


def section_vector() -> SearchVector:
    return SearchVector("title", "text", config=CONFIG)


def summary_vector(prefix: str = "") -> SearchVector:
    return SearchVector(f"{prefix}body", f"{prefix}conclusion", config=CONFIG)


def decision_vector() -> SearchVector:
    return SearchVector("title", "text", config=CONFIG)


def document_vector() -> SearchVector:
    return SearchVector("subject", "body", config=CONFIG)


@dataclass
class SearchResults:
    query: str
    sections: list = field(default_factory=list)
    decisions: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.sections) + len(self.decisions)


def search(query: str) -> SearchResults:
    """Sections and decisions matching `query`, best first, each with `.snippet`."""
    # Control characters (a NUL breaks PostgreSQL, \x02/\x03 are our markers) carry no words.
    query = " ".join("".join(c for c in query if c.isprintable()).split())[:200]
    if not query:
        return SearchResults(query=query)
    if connection.vendor == "postgresql":
        return _search_postgres(query)
    return _search_fallback(query)


def _highlight(marked_text: str) -> SafeString:
    """Escape the source text, then turn the markers into <mark>.

    The snippet reads like the page: PDF hyphenation undone, markdown's
    escaped citation brackets shown plain."""
    readable = dehyphenate(marked_text).replace("\\[", "[").replace("\\]", "]")
    html = _MARKED.sub(r"<mark>\1</mark>", escape(readable))
    return mark_safe(html.replace(_START, "").replace(_STOP, ""))  # noqa: S308


def _headline(expression, search_query: SearchQuery) -> SearchHeadline:
    return SearchHeadline(
        expression,
        search_query,
        config=CONFIG,
        start_sel=_START,
        stop_sel=_STOP,
        max_fragments=2,
        max_words=30,
        min_words=12,
        fragment_delimiter=" … ",
    )


def _search_postgres(query: str) -> SearchResults:
    search_query = SearchQuery(query, config=CONFIG, search_type="websearch")
    sections = (
        Section.objects.select_related("chapter__agreement")
        .annotate(
            section_document=section_vector(),
            summary_document=summary_vector("summary__"),
        )
        .filter(Q(section_document=search_query) | Q(summary_document=search_query))
        .annotate(
            rank=SearchRank(section_vector(), search_query, weights=None)
            + Coalesce(SearchRank(summary_vector("summary__"), search_query), 0.0),
            marked=_headline(
                Concat("text", _SPACE, Coalesce("summary__body", _EMPTY), output_field=TextField()),
                search_query,
            ),
        )
        .order_by("-rank", "sort_key")[:RESULT_LIMIT]
    )
    documents = DecisionDocument.objects.annotate(document=document_vector()).filter(
        decision=OuterRef("pk"), document=search_query
    )
    decisions = (
        Decision.objects.annotate(decision_document=decision_vector())
        .filter(Q(decision_document=search_query) | Exists(documents))
        .annotate(
            rank=SearchRank(decision_vector(), search_query),
            marked=_headline(
                Concat(Cast("title", TextField()), _SPACE, "text", output_field=TextField()),
                search_query,
            ),
        )
        .order_by("-rank", "-date")[:RESULT_LIMIT]
    )
    return SearchResults(
        query=query,
        sections=[_with_snippet(section) for section in sections],
        decisions=[_with_snippet(decision) for decision in decisions],
    )


def _with_snippet(row):
    row.snippet = _highlight(row.marked)
    return row


# --- SQLite -------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents: 'Financiën' -> 'financien'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class Fold(Func):
    """SQL call of `fold`, registered on every SQLite connection (apps.py)."""

    function = "akk_fold"
    output_field = TextField()


def _words(query: str) -> list[str]:
    return [word for word in re.findall(r"\w+", fold(query)) if word]


def _alias(name: str) -> str:
    return name.replace("__", "_") + "_folded"


def _all_words_in(fields: list[str], words: list[str]) -> Q:
    condition = Q()
    for word in words:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{_alias(name)}__contains": word})
        condition &= any_field
    return condition


def _fallback_snippet(words: list[str], *texts: str) -> SafeString:
    text = " ".join(t for t in texts if t)
    folded = fold(text)
    # fold() keeps one character per character for Dutch text, so positions match.
    start = min((i for w in words if (i := folded.find(w)) >= 0), default=0)
    if len(folded) != len(text):
        folded = text.casefold()
    begin = max(0, start - 80)
    window = text[begin : begin + 240]
    folded_window = folded[begin : begin + 240]
    marked = []
    position = 0
    for match in re.finditer("|".join(map(re.escape, words)), folded_window):
        marked += [
            window[position : match.start()],
            _START,
            window[match.start() : match.end()],
            _STOP,
        ]
        position = match.end()
    marked.append(window[position:])
    prefix = "… " if begin else ""
    suffix = " …" if begin + 240 < len(text) else ""
    return _highlight(prefix + "".join(marked) + suffix)


def _search_fallback(query: str) -> SearchResults:
    words = _words(query)
    if not words:
        return SearchResults(query=query)
    section_fields = ["title", "text", "summary__body", "summary__conclusion"]
    sections = (
        Section.objects.select_related("chapter__agreement", "summary")
        .annotate(**{_alias(name): Fold(F(name)) for name in section_fields})
        .filter(_all_words_in(section_fields, words))
        .order_by("chapter__agreement", "chapter__position", "chapter__title", "sort_key")[
            :RESULT_LIMIT
        ]
    )
    documents = DecisionDocument.objects.annotate(
        subject_folded=Fold("subject"), body_folded=Fold("body")
    ).filter(_all_words_in(["subject", "body"], words), decision=OuterRef("pk"))
    decisions = (
        Decision.objects.annotate(title_folded=Fold("title"), text_folded=Fold("text"))
        .filter(_all_words_in(["title", "text"], words) | Exists(documents))
        .order_by("-date", "title")[:RESULT_LIMIT]
    )
    section_rows = []
    for section in sections:
        summary = getattr(section, "summary", None)
        section.snippet = _fallback_snippet(words, section.text, summary.body if summary else "")
        section_rows.append(section)
    decision_rows = []
    for decision in decisions:
        decision.snippet = _fallback_snippet(words, decision.title, decision.text)
        decision_rows.append(decision)
    return SearchResults(query=query, sections=section_rows, decisions=decision_rows)
