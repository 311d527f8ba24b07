"""Suggestions both ways: which sections a decision may serve, which decisions
may serve a section.

Both directions are one retrieval problem: take the words of one side (the
query side), keep its most distinctive terms (frequent here, rare among the
candidates: tf x idf), and rank the candidates by how much of that weight they
carry (BM25).

Both sides are the stored search documents (core/searchindex.py): a section's
title, readable agreement text and summary (commitments.SectionSearchDocument),
a decision's title and official title, text and documents
(decisions.DecisionSearchDocument). Every write path keeps them current, so
the suggestions read what the search reads and render no markdown themselves.

- PostgreSQL: the query side's lexemes come from `to_tsvector('akk_dutch', …)`
  of its document's texts (the same configuration as the stored vectors), the
  document frequencies from capped counts through the documents' GIN index
  (or, in a large table, from the planner's statistics of the `vector`
  column), an OR-tsquery of the rarest terms selects the candidates through
  that same index, and BM25 over each candidate's stored vector ranks them, in
  SQL. The work per call is bounded by MATCH_BUDGET candidates and DF_CAP rows
  per document-frequency count, whatever the table sizes.
- SQLite: the same scheme in Python over the documents' `tokens` column (the
  words folded by core.searchindex), stemmed by a small Dutch suffix stripper,
  over every candidate (fine for the corpus sizes an SQLite installation holds).

docs/suggestions.md explains the choice and gives the measured recall.
"""

# S608: the SQL below is built from table and column names (model meta) and
# integer constants; every value (text, lexemes, weights, ids) is a parameter.
# ruff: noqa: S608

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from django.db import connection

from core.searchindex import CONFIG, WORD, fold
from core.searchindex import tokens as folded_words
from decisions.models import Decision, DecisionDocument, DecisionSearchDocument
from decisions.searchindex import decision_document

from .models import Citation, Section, SectionSearchDocument, Summary
from .searchindex import section_document

# How many of the query side's terms take part. A section (agreement text and a
# summary of many decisions) is about many things: with fewer terms the
# decisions' recall falls. A decision is about one thing: its document's 50
# most distinctive terms say it best (docs/suggestions.md has the measurements).
SECTION_QUERY_TERMS = 200
DECISION_QUERY_TERMS = 50
# PostgreSQL bounds: a document frequency is counted up to DF_CAP rows (a term
# that common is no longer distinctive), and the OR-query that selects the
# candidates only takes terms until their frequencies add up to MATCH_BUDGET
# (each candidate's stored vector is unnested for the ranking).
DF_CAP = 1000
MATCH_BUDGET = 1000
# From this many rows on, common terms' frequencies come from the planner's
# statistics instead of index probes (each probe of a common term reads its
# whole posting list: ~8 ms at 100,000 decisions, 2 s for 256 terms).
STATISTICS_FROM = 10 * DF_CAP
# At most this many of the query side's terms (its most frequent) get a
# document-frequency count: one capped index probe each.
PROBE_TERMS = 256
# BM25 constants (the usual values).
_K1, _B = 1.2, 0.75
# Titles say what a text is about: their words count this many times.
_TITLE_WEIGHT = 2

_LEXEME = re.compile(r"^[a-z]{3,}$")

# Dutch function words and the words every text of this site uses: they tell
# no section from another.
STOPWORDS = frozenset(
    """
    aan al alle alles als ander andere om omdat ook op of over per reeds sinds bij binnen
    daar dan dat de deze die dit door een eens en enkel er haar heeft hebben het hier hij
    hoe hun in is ja je kan kunnen maar meer met na naar niet nog nu ons onze te tegen ten
    ter tot tussen uit van veel voor vooral waar want was wat we wel werd wie wij wil
    worden wordt zal ze zich zij zijn zo zoals zonder zou zullen moet moeten men werden
    waren geen elk elke iets mag mogen dient verder onder tijdens via beide hierbij
    daarbij vlaams vlaamse vlaanderen regering overheid minister ministers besluit
    beslissing beslissingen mededeling nota betreft
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

_DOUBLED = re.compile(r"([bdfgklmnprt])\1$")


def stem(word: str) -> str:
    """A Dutch stemmer-lite: plurals and inflections off, enough for matching.

    'kansen' -> 'kans', 'beleidsplannen' -> 'beleidsplan', 'gelijke' -> 'gelijk',
    'mogelijkheden' -> 'mogelijkheid', 'subsidies' -> 'subsidi'."""
    if len(word) <= 4:
        return word
    if word.endswith("heden"):
        return word[:-5] + "heid"
    for suffix in ("en", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word[-2] in "su":
                continue
            word = word[: -len(suffix)]
            break
    word = _DOUBLED.sub(r"\1", word)
    if word.endswith("ie"):
        word = word[:-1]
    return word


@lru_cache(maxsize=65536)
def _term(word: str) -> str | None:
    """A folded word as a ranking term: content words of letters only, stemmed.
    Cached: a language has far fewer words than a corpus has occurrences."""
    if len(word) < 3 or not word.isalpha() or word in STOPWORDS:
        return None
    return stem(word)


def terms(words: Iterable[str]) -> list[str]:
    """The ranking terms of folded words (core.searchindex.tokens' output)."""
    return [t for t in map(_term, words) if t]


# Words joined by hyphens: a PDF line break ('gesubsi-dieerd') in a query text.
_HYPHENATED = re.compile(rf"{WORD.pattern}(?:-{WORD.pattern})+")


def tokens(text: str) -> list[str]:
    """Ranking terms of a raw text: folded and split as core.searchindex splits
    the stored documents (so both sides agree), plus the joined form of a
    hyphenated word, so that a line-broken word still matches."""
    out = terms(folded_words(text).split())
    for match in _HYPHENATED.finditer(fold(text)):
        out += terms(["".join(match.group().split("-"))])
    return out


# --- the two sides: the stored search documents -----------------------------------------


def _document_terms(document) -> Counter:
    """Term counts of a search document (stored or built in memory): all its
    words, the title's once more (titles say what a text is about). SQLite
    stores the folded words in `tokens`; PostgreSQL leaves it empty, so the
    words are folded here from the same texts."""
    if connection.vendor == "postgresql" or isinstance(document, _Texts):
        words = folded_words(document.title, document.body, document.context)
    else:
        words = document.tokens
    # Count the words first (in C), then turn each distinct word into its term.
    counts: Counter = Counter()
    for word, count in Counter(words.split()).items():
        term = _term(word)
        if term:
            counts[term] += count
    for _ in range(_TITLE_WEIGHT - 1):
        counts.update(terms(folded_words(document.title).split()))
    return counts


def _document_text(document) -> str:
    """The texts of a search document, the title counted _TITLE_WEIGHT times."""
    return "\n\n".join([document.title] * _TITLE_WEIGHT + [document.body, document.context])


class _Texts:
    """A search document built in memory (title, body, context), for an object
    whose stored document is missing (the index was never built: see
    `rebuild_search_index`)."""

    def __init__(self, row: dict):
        self.title, self.body, self.context = row["title"], row["body"], row["context"]


def _decision_documents(ids: list[int]) -> dict[int, object]:
    """The decisions' search documents: one query, plus two for any missing."""
    found = dict(
        DecisionSearchDocument.objects.filter(decision_id__in=ids)
        .only("decision_id", "title", "body", "context", "tokens")
        .in_bulk(ids)
    )
    missing = [pk for pk in ids if pk not in found]
    if missing:
        documents: dict[int, list[DecisionDocument]] = {}
        for document in DecisionDocument.objects.filter(decision_id__in=missing).order_by("id"):
            documents.setdefault(document.decision_id, []).append(document)
        for decision in Decision.objects.filter(pk__in=missing):
            found[decision.pk] = _Texts(decision_document(decision, documents.get(decision.pk, ())))
    return found


def _section_document(section: Section):
    document = (
        SectionSearchDocument.objects.filter(section_id=section.pk)
        .only("section_id", "title", "body", "context", "tokens")
        .first()
    )
    if document is not None:
        return document
    summary = Summary.objects.filter(section=section).first()
    citations = Citation.objects.filter(section=section).select_related("decision")
    return _Texts(section_document(section, summary=summary, citations=citations))


# --- public API --------------------------------------------------------------------


def suggest_sections(decision: Decision, limit: int = 5) -> list[Section]:
    """Sections the decision may serve, best first; not those that cite it already."""
    document = _decision_documents([decision.pk]).get(decision.pk)
    if document is None:
        return []
    cited = set(
        Citation.objects.filter(decision=decision).values_list("section_id", flat=True).distinct()
    )
    if connection.vendor == "postgresql":
        ids = _pg_rank(
            _document_text(document),
            model=SectionSearchDocument,
            key="section_id",
            count=DECISION_QUERY_TERMS,
            exclude=cited,
            limit=limit,
        )
    else:
        ids = _bm25(
            _document_terms(document),
            _section_corpus(),
            terms=DECISION_QUERY_TERMS,
            exclude=cited,
            limit=limit,
        )
    return _in_order(Section.objects.select_related("chapter__agreement"), ids)


def suggest_decisions(section: Section, limit: int = 10) -> list[Decision]:
    """Decisions that may serve the section, best first; not those it cites already."""
    document = _section_document(section)
    cited = set(
        Citation.objects.filter(section=section, decision__isnull=False).values_list(
            "decision_id", flat=True
        )
    )
    if connection.vendor == "postgresql":
        ids = _pg_rank(
            _document_text(document),
            model=DecisionSearchDocument,
            key="decision_id",
            count=SECTION_QUERY_TERMS,
            exclude=cited,
            limit=limit,
        )
    else:
        ids = _bm25(
            _document_terms(document),
            _corpus(DecisionSearchDocument, "decision_id"),
            terms=SECTION_QUERY_TERMS,
            exclude=cited,
            limit=limit,
        )
    return _in_order(Decision.objects.all(), ids)


def suggest_sections_for_decisions(
    decisions: Iterable[Decision], limit: int = 3
) -> dict[int, list[Section]]:
    """The top `limit` sections for each decision of a list (the triage queue),
    in four queries however many decisions: the decisions' search documents,
    their citations, every section's search document, and the suggested
    sections.

    Ranked in Python on both databases (the section side is small: one
    agreement has hundreds of sections, not hundreds of thousands)."""
    decisions = list(decisions)
    if not decisions:
        return {}
    ids = [d.pk for d in decisions]
    documents = _decision_documents(ids)
    cited: dict[int, set[int]] = {}
    for decision_id, section_id in Citation.objects.filter(decision_id__in=ids).values_list(
        "decision_id", "section_id"
    ):
        cited.setdefault(decision_id, set()).add(section_id)
    corpus = _section_corpus()
    ranked = {
        pk: _bm25(
            _document_terms(documents[pk]),
            corpus,
            terms=DECISION_QUERY_TERMS,
            exclude=cited.get(pk, set()),
            limit=limit,
        )
        for pk in ids
        if pk in documents
    }
    wanted = {pk for pks in ranked.values() for pk in pks}
    sections = Section.objects.select_related("chapter__agreement").in_bulk(wanted)
    return {pk: [sections[s] for s in pks if s in sections] for pk, pks in ranked.items()}


def _in_order(queryset, ids: list[int]) -> list:
    rows = queryset.in_bulk(ids) if ids else {}
    return [rows[pk] for pk in ids if pk in rows]


# --- Python ranking (SQLite, and the triage list) -----------------------------------


class _Corpus:
    """Token counts per candidate, with the document frequencies BM25 needs."""

    def __init__(self, documents: dict[int, Counter]):
        self.documents = documents
        self.lengths = {pk: sum(c.values()) for pk, c in documents.items()}
        # At least 1: documents of stop words only (titles like "Beslissing 12")
        # have no terms, and the length normalisation divides by this.
        self.average = max(sum(self.lengths.values()) / max(len(documents), 1), 1.0)
        self.df: Counter = Counter()
        for counts in documents.values():
            self.df.update(counts.keys())

    def idf(self, term: str) -> float:
        n, df = len(self.documents), self.df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))


def _corpus(model, key: str) -> _Corpus:
    """Term counts of every stored document of `model` (one query). On SQLite
    the folded words are read as stored; on PostgreSQL (the triage list only)
    they are folded from the texts."""
    fields = (
        ["title", "tokens"] if connection.vendor != "postgresql" else ["title", "body", "context"]
    )
    return _Corpus(
        {
            getattr(document, key): _document_terms(document)
            for document in model.objects.order_by().only(key, *fields)
        }
    )


def _section_corpus() -> _Corpus:
    return _corpus(SectionSearchDocument, "section_id")


def _distinctive(query: Counter, idf, count: int) -> dict[str, float]:
    """The `count` terms of the query side with the highest (1 + log tf) * idf."""
    weights = {term: (1 + math.log(tf)) * idf(term) for term, tf in query.items()}
    best = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:count]
    return {term: weight for term, weight in best if weight > 0}


def _bm25(
    query: Counter, corpus: _Corpus, *, terms: int, exclude: set[int], limit: int
) -> list[int]:
    terms = _distinctive(query, corpus.idf, terms)
    scores: dict[int, float] = {}
    for pk, counts in corpus.documents.items():
        if pk in exclude:
            continue
        norm = _K1 * (1 - _B + _B * corpus.lengths[pk] / corpus.average)
        score = 0.0
        for term, weight in terms.items():
            tf = counts.get(term)
            if tf:
                score += weight * tf * (_K1 + 1) / (tf + norm)
        if score > 0:
            scores[pk] = score
    return [pk for pk, _ in sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]]


# --- PostgreSQL ranking --------------------------------------------------------------


def _lexemes(cursor, text: str) -> Counter:
    """Dutch lexemes of the text with their counts, as PostgreSQL stems them
    (the configuration of the stored vectors)."""
    cursor.execute(
        "SELECT lexeme, coalesce(array_length(positions, 1), 1) "
        "FROM unnest(to_tsvector(%s::regconfig, %s))",
        [CONFIG, text],
    )
    return Counter(
        {
            lexeme: count
            for lexeme, count in cursor.fetchall()
            if _LEXEME.match(lexeme) and lexeme not in STOPWORDS
        }
    )


def _pg_rank(text: str, *, model, key: str, count: int, exclude: set[int], limit: int) -> list[int]:
    """BM25 in PostgreSQL over the stored vectors of `model` (a search
    document table, `key` its object's id), the work bounded by the constants
    above. At most four statements: the query side's lexemes, the column
    statistics, the document frequencies of the other terms, the ranking."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        query = _lexemes(cursor, text)
        if not query:
            return []
        terms = [t for t, _ in sorted(query.items(), key=lambda i: (-i[1], i[0]))[:PROBE_TERMS]]
        # Common terms: the planner's own statistics of the vector column
        # (ANALYZE keeps the most common lexemes with their frequencies), no scan.
        estimated, total = _index_statistics(cursor, table)
        frequencies = {t: estimated[t] for t in terms if t in estimated}
        rare = [t for t in terms if t not in estimated]
        if rare or total is None:
            # The other terms, all of them before the first ANALYZE: counted
            # through the GIN index and capped (a term in DF_CAP documents is
            # common, its exact count changes little). One subquery, run once
            # per term with the term as its parameter. The row count only
            # when the statistics did not give it (a count(*) reads the
            # whole table: 46 ms at 100,000 decisions).
            cursor.execute(
                f"SELECT t.term, (SELECT count(*) FROM (SELECT 1 FROM {table} d"
                f"   WHERE d.vector @@ t.q LIMIT {DF_CAP}) m),"
                f" ({f'SELECT count(*) FROM {table}' if total is None else 'NULL'})"
                f" FROM (SELECT term, quote_literal(term)::tsquery AS q"
                f" FROM unnest(%s::text[]) AS term) t",
                [rare],
            )
            for term, df, counted in cursor.fetchall():
                frequencies[term] = df
                total = counted if total is None else total

        def idf(term: str) -> float:
            df = frequencies[term]
            return math.log(1 + (total - df + 0.5) / (df + 0.5))

        weights = _distinctive(Counter({t: query[t] for t in terms}), idf, count)
        if not weights:
            return []
        # The rarest terms select the candidates, until their frequencies add
        # up to MATCH_BUDGET rows; all the weighted terms rank them.
        selecting, budget = [], 0
        for term in sorted(weights, key=lambda t: (frequencies[t], t)):
            if selecting and budget + frequencies[term] > MATCH_BUDGET:
                break
            selecting.append(term)
            budget += frequencies[term]
        # BM25 over each candidate's stored lexemes (unnest), the document
        # length being its number of distinct lexemes, averaged over the
        # candidates.
        cursor.execute(
            f"WITH candidates AS MATERIALIZED ("
            f"  SELECT {key} AS id, vector AS v, length(vector) AS size FROM {table}"
            f"  WHERE vector @@ %s::tsquery AND NOT ({key} = ANY(%s)) LIMIT {MATCH_BUDGET}"
            f"), average AS (SELECT greatest(avg(size), 1) AS size FROM candidates)"
            f" SELECT c.id, sum(w.weight * l.tf * %s"
            f"   / (l.tf + %s * (1 - %s + %s * c.size / average.size))) AS score"
            f" FROM candidates c CROSS JOIN average"
            f" CROSS JOIN LATERAL (SELECT lexeme, coalesce(array_length(positions, 1), 1) AS tf"
            f"   FROM unnest(c.v)) l"
            f" JOIN unnest(%s::text[], %s::float8[]) AS w(term, weight) ON w.term = l.lexeme"
            f" GROUP BY c.id ORDER BY score DESC, c.id LIMIT %s",
            [
                " | ".join(f"'{term}'" for term in selecting),
                list(exclude),
                _K1 + 1,
                _K1,
                _B,
                _B,
                list(weights),
                list(weights.values()),
                limit,
            ],
        )
        return [pk for pk, _score in cursor.fetchall()]


def _index_statistics(cursor, table: str) -> tuple[dict[str, float], float | None]:
    """Estimated document frequencies of the most common lexemes of the
    table's stored `vector` column, from the planner's statistics, and the
    table's row count; ({}, None) before the first ANALYZE.

    For a tsvector ANALYZE keeps the most common lexemes with the fraction of
    rows holding each (pg_stats.most_common_elems / most_common_elem_freqs).
    Below STATISTICS_FROM rows exact counts are cheap and better: ({}, None)."""
    cursor.execute(
        "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples"
        " FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename"
        " AND c.relnamespace = to_regnamespace(s.schemaname)"
        " WHERE s.schemaname = current_schema() AND s.tablename = %s"
        " AND s.attname = 'vector' AND s.most_common_elems IS NOT NULL",
        [table],
    )
    row = cursor.fetchone()
    if row is None or row[2] < STATISTICS_FROM:
        return {}, None
    elements, fractions, rows = row
    return {e: f * rows for e, f in zip(elements, fractions, strict=False)}, rows
