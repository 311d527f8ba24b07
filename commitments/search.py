"""The search page's query: one ranked search over the two stored document
tables (sections and decisions, core/searchindex.py), paginated and narrowed.
Design, figures and query plans: docs/search.md.

- The input is parsed here, never by PostgreSQL's own parsers: words (letters
  and digits), quoted phrases and `prefix*`, at most MAX_TERMS of them, each
  word at most MAX_WORD characters. Dashes, operators, NUL and other signs only
  separate words, so every input answers (issue 10.5: 33 dashes once overflowed
  websearch_to_tsquery's stack).
- PostgreSQL: `vector @@ to_tsquery('akk_dutch', …)` on the stored vectors (GIN
  indexes), ranked by ts_rank plus PHRASE_BONUS when the loose words stand side
  by side in that order (so the exact wording ranks above a match by stem
  alone). Past CANDIDATES matching decisions the newest CANDIDATES are ranked.
  The search runs under `SET LOCAL statement_timeout` (TIMEOUT_MS); a query
  that hits it answers with a message instead of holding a worker.
- SQLite: every word must start a word of the folded `tokens` column (LIKE),
  a phrase must stand there as a run of words; the same phrase bonus, no stems.
- Snippets, both databases: a window of the stored plain text around the first
  hit, whole words marked, escaped first and marked after.

Queries for a page, whatever the number of hits: the page of (kind, id, rank)
with the hits per kind (window sums over the same rows), the page's sections,
the page's decisions (the last two only for the kinds on the page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import OperationalError, connection, transaction
from django.db.models import Case, F, FloatField, IntegerField, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.searchindex import CONFIG, WORD, fold, fold_aligned
from decisions.models import Decision, DecisionSearchDocument

from .models import Section, SectionSearchDocument

PAGE_SIZE = 50
MAX_INPUT = 300
MAX_TERMS = 12
MAX_WORD = 60
PHRASE_BONUS = 1.0
CANDIDATES = 1_000
TIMEOUT_MS = 500
SECTION, DECISION = 0, 1
# Control characters that never occur in the texts mark the highlighted words,
# so that the snippet can be escaped first and marked up after.
_START, _STOP = "\x02", "\x03"
_MARKED = re.compile(f"{_START}([^{_START}{_STOP}]*){_STOP}")
_TERM = re.compile(r'"([^"]*)"?|(\S+)')
SNIPPET_CHARS = 240

__all__ = ["ParsedQuery", "SearchPage", "fold", "parse_query", "search"]


@dataclass(frozen=True)
class ParsedQuery:
    """What was searched for: loose words (all must occur), phrases (each as a
    run of words) and prefixes ("woon*")."""

    text: str = ""
    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    prefixes: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases or self.prefixes)

    @property
    def all_words(self) -> list[str]:
        return [*self.words, *(w for p in self.phrases for w in p), *self.prefixes]

    def tsquery(self) -> str:
        """to_tsquery input for the stemming configuration: only words of letters
        and digits and our own operators."""
        parts = list(self.words)
        parts += ["(" + " <-> ".join(phrase) + ")" for phrase in self.phrases]
        return " & ".join(parts)

    def prefix_terms(self) -> list[str]:
        """to_tsquery input per prefix, folded as the stored lexemes are."""
        return [f"{fold(prefix)}:*" for prefix in self.prefixes]

    def phrase_tsquery(self) -> str | None:
        """The loose words side by side, for the phrase bonus (two or more words)."""
        return " <-> ".join(self.words) if len(self.words) > 1 else None


def parse_query(raw: str) -> ParsedQuery:
    """Bounded parse of any input: see the module docstring."""
    text = " ".join("".join(c for c in (raw or "") if c.isprintable()).split())[:MAX_INPUT]
    words, phrases, prefixes = [], [], []
    budget = MAX_TERMS
    for match in _TERM.finditer(text):
        if budget <= 0:
            break
        quoted, bare = match.groups()
        if quoted is not None:
            phrase = tuple(w[:MAX_WORD] for w in WORD.findall(quoted))[:budget]
            if len(phrase) > 1:
                phrases.append(phrase)
            else:
                words.extend(phrase)
            budget -= len(phrase)
            continue
        found = [w[:MAX_WORD] for w in WORD.findall(bare)][:budget]
        budget -= len(found)
        if found and bare.endswith("*"):
            prefixes.append(found.pop())
        words.extend(found)
    return ParsedQuery(
        text=text,
        words=tuple(dict.fromkeys(words)),
        phrases=tuple(dict.fromkeys(phrases)),
        prefixes=tuple(dict.fromkeys(prefixes)),
    )


@dataclass
class SearchPage:
    query: ParsedQuery
    count: int = 0
    number: int = 1
    rows: list = field(default_factory=list)  # Section and Decision objects, best first
    timed_out: bool = False
    # More decisions matched than were ranked (PostgreSQL, CANDIDATES).
    capped: bool = False
    cap: int = CANDIDATES

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // PAGE_SIZE))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def start_index(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1 if self.count else 0

    def page_numbers(self) -> list[int | None]:
        """Page links around the current page, None for a gap: 1 … 4 5 [6] 7 8 … 20."""
        shown = {1, self.num_pages, *range(self.number - 2, self.number + 3)}
        numbers, previous = [], 0
        for number in sorted(n for n in shown if 1 <= n <= self.num_pages):
            if number - previous > 1:
                numbers.append(None)
            numbers.append(number)
            previous = number
        return numbers


def search(
    raw: str,
    *,
    page: int = 1,
    kind: str = "",
    sections=None,
    narrowed: bool = False,
) -> SearchPage:
    """One page of sections and decisions matching `raw`, best first.

    `kind` "sections" or "decisions" keeps one; `sections`, a queryset of
    section documents (the SearchFilter's), narrows the sections, and with
    `narrowed` (by chapter or status) the decisions, which have neither, are
    left out."""
    query = parse_query(raw)
    result = SearchPage(query=query, number=max(1, page))
    if not query:
        return result
    if sections is None:
        sections = SectionSearchDocument.objects.all()
    want_sections = kind != "decisions"
    want_decisions = kind != "sections" and not narrowed
    if connection.vendor != "postgresql":
        return _run(result, _SqliteSearch(query), sections, want_sections, want_decisions)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = {int(TIMEOUT_MS)}")
            return _run(result, _PostgresSearch(query), sections, want_sections, want_decisions)
    except OperationalError as error:
        if "statement timeout" not in str(error):
            raise
        result.timed_out = True
        result.rows, result.count = [], 0
        return result


def _run(result: SearchPage, engine, sections, want_sections: bool, want_decisions: bool):
    parts = []
    if want_sections:
        parts.append((SECTION, engine.matching(sections, SECTION, "section_id")))
    if want_decisions:
        decisions = DecisionSearchDocument.objects.all()
        parts.append((DECISION, engine.matching(decisions, DECISION, "decision_id")))
    if not parts:
        return result
    ranked = [
        engine.ranked(engine.candidates(kind, part)).values_list("kind", "obj", "rank")
        for kind, part in parts
    ]
    union = ranked[0].union(*ranked[1:], all=True) if len(ranked) > 1 else ranked[0]
    page, counts = _ranked_page(union, (result.number - 1) * PAGE_SIZE)
    if not page and result.number > 1:
        # Past the last page (an old link): count, then show the last page.
        _first, counts = _ranked_page(union, 0)
        if counts:
            result.count = sum(counts.values())
            result.number = result.num_pages
            page, counts = _ranked_page(union, (result.number - 1) * PAGE_SIZE)
    counts = counts or {}
    if not counts:
        result.number = 1
    result.count = sum(counts.values())
    result.capped = engine.cap is not None and counts.get(DECISION, 0) >= engine.cap
    section_ids = [obj for kind, obj, _rank in page if kind == SECTION]
    decision_ids = [obj for kind, obj, _rank in page if kind == DECISION]
    found: dict[tuple[int, int], object] = {}
    if section_ids:
        rows = (
            Section.objects.filter(pk__in=section_ids)
            .with_status()
            .select_related("chapter__agreement", "search_document")
        )
        for section in rows:
            found[(SECTION, section.pk)] = section
    if decision_ids:
        rows = Decision.objects.filter(pk__in=decision_ids).select_related("search_document")
        for decision in rows:
            found[(DECISION, decision.pk)] = decision
    result.rows = [found[(kind, obj)] for kind, obj, _rank in page if (kind, obj) in found]
    for row in result.rows:
        row.result_kind = "section" if isinstance(row, Section) else "decision"
        document = getattr(row, "search_document", None)
        parts = [document.body, document.context] if document else []
        row.snippet = _plain_snippet(" … ".join(p for p in parts if p), engine.highlights)
    return result


def _ranked_page(union, offset: int) -> tuple[list[tuple[int, int, float]], dict | None]:
    """One page of (kind, id, rank) of `union`, best first, and the hits per
    kind, in one query: the counts are window sums over the same rows, so the
    matches are found and ranked once. Counts are None when the page is empty."""
    sql, params = union.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, obj, rank, "  # noqa: S608 (our own compiled SQL)
            f"SUM(CASE WHEN kind = {SECTION} THEN 1 ELSE 0 END) OVER (), "
            f"SUM(CASE WHEN kind = {DECISION} THEN 1 ELSE 0 END) OVER () "
            f"FROM ({sql}) hits ORDER BY rank DESC, kind, obj LIMIT {PAGE_SIZE} OFFSET {offset}",
            params,
        )
        rows = cursor.fetchall()
    if not rows:
        return [], None
    counts = {SECTION: int(rows[0][3]), DECISION: int(rows[0][4])}
    return [(kind, obj, rank) for kind, obj, rank, _s, _d in rows], counts


class _PostgresSearch:
    # Above this many matching decisions only the newest CANDIDATES are ranked:
    # ranking reads every match's vector, 50,000 of them took a quarter of a
    # second, and the newest decisions are what a very common word most
    # likely wants. The date index finds them without reading the others.
    cap = CANDIDATES

    def __init__(self, query: ParsedQuery):
        parts = []
        if query.words or query.phrases:
            parts.append(SearchQuery(query.tsquery(), config=CONFIG, search_type="raw"))
        for prefix in query.prefix_terms():
            # As typed ("woon:*" finds "woonbeleid") or as its stem ("regering:*"
            # is "reger:*", the lexeme of "regering" itself).
            parts.append(
                SearchQuery(prefix, config="simple", search_type="raw")
                | SearchQuery(prefix, config=CONFIG, search_type="raw")
            )
        self.query = parts[0]
        for part in parts[1:]:
            self.query &= part
        phrase = query.phrase_tsquery()
        self.phrase = SearchQuery(phrase, config=CONFIG, search_type="raw") if phrase else None
        self.highlights = _stem_fronts(query)

    def matching(self, documents, kind: int, key: str):
        return documents.filter(vector=self.query).annotate(
            kind=Value(kind, output_field=IntegerField()), obj=F(key)
        )

    def candidates(self, kind: int, matching):
        """The rows to rank: for decisions the newest `cap` matches (the date index)."""
        if kind != DECISION:
            return matching
        newest = matching.order_by("-date").values("pk")[: self.cap]
        return DecisionSearchDocument.objects.filter(pk__in=newest).annotate(
            kind=Value(DECISION, output_field=IntegerField()), obj=F("decision_id")
        )

    def ranked(self, documents):
        rank = SearchRank(F("vector"), self.query)
        if self.phrase is not None:
            rank = rank + Case(
                When(vector=self.phrase, then=Value(PHRASE_BONUS)),
                default=Value(0.0),
                output_field=FloatField(),
            )
        return documents.annotate(rank=rank)


class _SqliteSearch:
    # SQLite cannot limit the parts of a UNION; it serves development sizes.
    cap = None

    def __init__(self, query: ParsedQuery):
        self.words = [fold(w) for w in query.words]
        self.phrases = [[fold(w) for w in phrase] for phrase in query.phrases]
        self.prefixes = [fold(w) for w in query.prefixes]
        self.condition = Q()
        for word in [*self.words, *self.prefixes]:
            self.condition &= Q(tokens__contains=f" {word}")
        for phrase in self.phrases:
            self.condition &= Q(tokens__contains=f" {' '.join(phrase)} ")
        self.phrase = f" {' '.join(self.words)} " if len(self.words) > 1 else None
        self.highlights = (*self.words, *self.prefixes, *(w for p in self.phrases for w in p))

    def candidates(self, kind: int, matching):
        return matching

    def matching(self, documents, kind: int, key: str):
        return documents.filter(self.condition).annotate(
            kind=Value(kind, output_field=IntegerField()), obj=F(key)
        )

    def ranked(self, documents):
        if self.phrase is None:
            return documents.annotate(rank=Value(0.0, output_field=FloatField()))
        return documents.annotate(
            rank=Case(
                When(tokens__contains=self.phrase, then=Value(PHRASE_BONUS)),
                default=Value(0.0),
                output_field=FloatField(),
            )
        )


def _highlight(marked_text: str) -> SafeString:
    """Escape the text, then turn the markers into <mark>."""
    html = _MARKED.sub(r"<mark>\1</mark>", escape(marked_text))
    return mark_safe(html.replace(_START, "").replace(_STOP, ""))  # noqa: S308


def _stem_fronts(query: ParsedQuery) -> tuple[str, ...]:
    """The word starts to mark for a PostgreSQL match, without asking the
    database: a Dutch stem is (nearly always) the front of the word, so a word
    is marked when it starts with the front 60% (at least 4 letters) of a
    searched word ("regering" marks "regeringen"), or with a searched prefix."""
    fronts = tuple(
        fold(word)[: min(len(word), max(4, -(-len(word) * 6 // 10)))]
        for word in (*query.words, *(w for p in query.phrases for w in p))
    )
    return fronts + tuple(fold(prefix) for prefix in query.prefixes)


def _plain_snippet(text: str, starts: tuple[str, ...]) -> SafeString:
    """A window of `text` around the first hit, each whole word that starts
    with one of `starts` (folded) marked. Regular expressions in C over the
    lower-cased text, folding accents only where needed: a page of 50 long
    sections costs a few milliseconds."""
    pattern = None
    if starts:
        alternatives = "|".join(map(re.escape, sorted(set(starts), key=len, reverse=True)))
        pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})[^\W_]*")
    first = None
    if pattern is not None:
        lowered = text.lower()
        first = pattern.search(lowered) if len(lowered) == len(text) else None
        if first is None and not text.isascii():
            first = pattern.search(fold_aligned(text))  # "financien" in "Financiën"
    begin = 0
    if first is not None and first.start() > 80:
        # Start the window at a word boundary before the first hit.
        begin = text.rfind(" ", 0, first.start() - 60) + 1
    end = begin + SNIPPET_CHARS
    if end < len(text):
        # End at a word boundary, never inside a word.
        space = text.rfind(" ", begin, end)
        end = space if space > begin else end
    window = text[begin:end]
    marked, position = [], 0
    for match in pattern.finditer(fold_aligned(window)) if pattern else ():
        marked += [window[position : match.start()], _START, window[match.start() : match.end()]]
        marked.append(_STOP)
        position = match.end()
    marked.append(window[position:])
    return _highlight(("… " if begin else "") + "".join(marked) + (" …" if end < len(text) else ""))
