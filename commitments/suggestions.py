"""Suggestions both ways: which sections a decision may serve, which decisions
may serve a section.

Both directions are one retrieval problem: take the words of one side (the
query side), keep its most distinctive terms (frequent here, rare among the
candidates: tf x idf), and rank the candidates by how much of that weight they
carry.

- PostgreSQL: the query side's lexemes come from `to_tsvector('akk_dutch', …)`
  (Dutch stemming, accents folded), their document frequencies from capped
  counts through the GIN indexes of migration 0002 (the search vectors), an
  OR-tsquery of the rarest terms selects the candidates through those same
  indexes, and BM25 over each candidate's lexemes ranks them, in SQL. The work
  per call is bounded by MATCH_BUDGET candidates and DF_CAP rows per
  document-frequency count, whatever the table sizes.
- SQLite: the same scheme in Python, BM25 over tokens folded and stemmed by a
  small Dutch suffix stripper, over every candidate (fine for the corpus sizes
  an SQLite installation holds).

docs/suggestions.md explains the choice and gives the measured recall.
"""

# S608: the SQL below is built from table names (model meta), the compiled
# search-vector expressions of commitments.search and integer constants; every
# value (text, lexemes, weights, ids) is a query parameter.
# ruff: noqa: S608

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models.sql import Query

from decisions.models import Decision, DecisionDocument

from .models import Citation, Section, Summary
from .search import CONFIG, decision_vector, document_vector, fold, section_vector, summary_vector
from .text import readable_text

# How many of the query side's terms take part. A section (agreement text and a
# summary of many decisions) is about many things: with fewer terms the
# decisions' recall falls. A decision is about one thing: its document's 50
# most distinctive terms say it best (docs/suggestions.md has the measurements).
SECTION_QUERY_TERMS = 200
DECISION_QUERY_TERMS = 50
# PostgreSQL bounds: a document frequency is counted up to DF_CAP rows (a term
# that common is no longer distinctive), and the OR-query that selects the
# candidates only takes terms until their frequencies add up to MATCH_BUDGET
# (each candidate's vector is computed for the ranking: ~0.3 ms apiece).
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

_MARKER = re.compile(r"\\?\[\d+\\?\]")
_TAG = re.compile(r"<[^>]{0,500}>")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
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


def tokens(text: str) -> list[str]:
    """Folded, stemmed content words. A hyphenated word gives its parts and the
    joined form, so a PDF line break ('gesubsi-dieerd') still matches."""
    out = []
    for match in _WORD.finditer(fold(text)):
        word = match.group()
        parts = word.split("-")
        if len(parts) > 1:
            parts.append("".join(parts))
        for part in parts:
            if len(part) >= 3 and part not in STOPWORDS:
                out.append(stem(part))
    return out


def _clean(text: str) -> str:
    return _MARKER.sub(" ", _TAG.sub(" ", text or ""))


# --- the two sides ----------------------------------------------------------------


def decision_text(decision: Decision, documents: Iterable[DecisionDocument] = ()) -> str:
    """What a decision is about: titles (counted double), text and documents."""
    titles = " ".join(filter(None, [decision.title, decision.alternative_title]))
    parts = [titles] * _TITLE_WEIGHT + [decision.text]
    for document in documents:
        parts += [document.subject, document.body]
    return _clean("\n".join(p for p in parts if p))


def section_text(section: Section, summary: Summary | None, citations=()) -> str:
    """What a section is about: title (counted double), readable agreement text, summary."""
    parts = [section.title] * _TITLE_WEIGHT
    parts.append(readable_text(section, summary=summary, citations=citations))
    if summary is not None:
        parts += [summary.body, summary.conclusion]
    return _clean("\n".join(p for p in parts if p))


def _summary_of(section: Section) -> Summary | None:
    try:
        return section.summary
    except Summary.DoesNotExist:
        return None


# --- public API --------------------------------------------------------------------


def suggest_sections(decision: Decision, limit: int = 5) -> list[Section]:
    """Sections the decision may serve, best first; not those that cite it already."""
    documents = list(DecisionDocument.objects.filter(decision=decision).only("subject", "body"))
    query = decision_text(decision, documents)
    cited = set(
        Citation.objects.filter(decision=decision).values_list("section_id", flat=True).distinct()
    )
    if connection.vendor == "postgresql":
        ids = _pg_rank_sections(query, exclude=cited, limit=limit)
    else:
        corpus = _section_corpus()
        ids = _bm25(
            Counter(tokens(query)), corpus, terms=DECISION_QUERY_TERMS, exclude=cited, limit=limit
        )
    return _in_order(Section.objects.select_related("chapter__agreement"), ids)


def suggest_decisions(section: Section, limit: int = 10) -> list[Decision]:
    """Decisions that may serve the section, best first; not those it cites already."""
    summary = Summary.objects.filter(section=section).first()
    citations = list(Citation.objects.filter(section=section).select_related("decision"))
    query = section_text(section, summary, citations)
    cited = {c.decision_id for c in citations if c.decision_id}
    if connection.vendor == "postgresql":
        ids = _pg_rank_decisions(query, exclude=cited, limit=limit)
    else:
        ids = _bm25(
            Counter(tokens(query)),
            _decision_corpus(),
            terms=SECTION_QUERY_TERMS,
            exclude=cited,
            limit=limit,
        )
    return _in_order(Decision.objects.all(), ids)


def suggest_sections_for_decisions(
    decisions: Iterable[Decision], limit: int = 3
) -> dict[int, list[Section]]:
    """The top `limit` sections for each decision of a list (the triage queue),
    in four queries however many decisions: sections with summaries, the
    decisions' documents, their citations, and the suggested sections.

    Ranked in Python on both databases (the section side is small: one
    agreement has hundreds of sections, not hundreds of thousands)."""
    decisions = list(decisions)
    if not decisions:
        return {}
    ids = [d.pk for d in decisions]
    documents: dict[int, list[DecisionDocument]] = {}
    for document in DecisionDocument.objects.filter(decision_id__in=ids).only(
        "decision_id", "subject", "body"
    ):
        documents.setdefault(document.decision_id, []).append(document)
    cited: dict[int, set[int]] = {}
    for decision_id, section_id in Citation.objects.filter(decision_id__in=ids).values_list(
        "decision_id", "section_id"
    ):
        cited.setdefault(decision_id, set()).add(section_id)
    corpus = _section_corpus()
    ranked = {
        d.pk: _bm25(
            Counter(tokens(decision_text(d, documents.get(d.pk, [])))),
            corpus,
            terms=DECISION_QUERY_TERMS,
            exclude=cited.get(d.pk, set()),
            limit=limit,
        )
        for d in decisions
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
        self.average = (sum(self.lengths.values()) / len(documents)) if documents else 1.0
        self.df: Counter = Counter()
        for counts in documents.values():
            self.df.update(counts.keys())

    def idf(self, term: str) -> float:
        n, df = len(self.documents), self.df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))


def _section_corpus() -> _Corpus:
    rows = (
        Section.objects.select_related("summary")
        .only("id", "title", "text", "summary__body", "summary__conclusion")
        .order_by()
    )
    documents = {}
    for section in rows:
        summary = _summary_of(section)
        parts = [section.title] * _TITLE_WEIGHT + [section.text]
        if summary is not None:
            parts += [summary.body, summary.conclusion]
        documents[section.pk] = Counter(tokens(_clean("\n".join(parts))))
    return _Corpus(documents)


def _decision_corpus() -> _Corpus:
    texts: dict[int, list[str]] = {}
    for pk, title, alternative, text in Decision.objects.order_by().values_list(
        "id", "title", "alternative_title", "text"
    ):
        titles = f"{title} {alternative}"
        texts[pk] = [titles] * _TITLE_WEIGHT + [text]
    for decision_id, subject, body in DecisionDocument.objects.order_by().values_list(
        "decision_id", "subject", "body"
    ):
        texts.setdefault(decision_id, []).extend([subject, body])
    return _Corpus({pk: Counter(tokens(_clean("\n".join(parts)))) for pk, parts in texts.items()})


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


def _vector_sql(model, vector) -> tuple[str, list]:
    """The SQL of a search vector exactly as the GIN index of migration 0002
    holds it (same expression, so the planner can use the index)."""
    query = Query(model)
    compiler = query.get_compiler(connection=connection)
    return compiler.compile(vector.resolve_expression(query))


def _lexemes(cursor, text: str) -> Counter:
    """Dutch lexemes of the text with their counts, as PostgreSQL stems them."""
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


def _pg_rank(
    text: str,
    *,
    indexes: list[str],
    matches: list[tuple[str, list]],
    total_sql: str,
    rank_sql: tuple[str, list],
    count: int,
    exclude: set[int],
    limit: int,
) -> list[int]:
    """BM25 in PostgreSQL, with the work bounded by the constants above.

    `matches`: SELECTs of candidate `id`s whose WHERE tests one indexed vector
    against a `%s` tsquery parameter; `total_sql` counts all candidates;
    `rank_sql`: a FROM item giving `id` and the ranking vector `v` for the ids
    of the CTE `candidates`, and its params. Six statements: the query
    side's lexemes, the planner setting, the index statistics, the document
    frequencies of the other terms, the ranking, the setting put back."""
    with transaction.atomic(), connection.cursor() as cursor:
        query = _lexemes(cursor, text)
        if not query:
            return []
        # The planner prices to_tsvector low: on a small table it would
        # recompute every row's vector once per term instead of probing the
        # GIN index (seconds for 13 long sections). The index is always the
        # bounded way, so sequential scans are off for these two statements
        # only: set_config(..., true) ends with the transaction, and the old
        # value is put back before that, for the rest of an outer transaction.
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)"
        )
        previous = cursor.fetchone()[0]
        try:
            return _pg_rank_statements(
                cursor,
                query,
                indexes=indexes,
                matches=matches,
                total_sql=total_sql,
                rank_sql=rank_sql,
                count=count,
                exclude=exclude,
                limit=limit,
            )
        finally:
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])


def _pg_rank_statements(
    cursor,
    query: Counter,
    *,
    indexes: list[str],
    matches: list[tuple[str, list]],
    total_sql: str,
    rank_sql: tuple[str, list],
    count: int,
    exclude: set[int],
    limit: int,
) -> list[int]:
    terms = [t for t, _ in sorted(query.items(), key=lambda i: (-i[1], i[0]))[:PROBE_TERMS]]
    # Common terms: the planner's own statistics of the GIN index expressions
    # (ANALYZE keeps the most common lexemes with their frequencies), no scan.
    estimated, rows = _index_statistics(cursor, indexes)
    frequencies = {t: estimated[t] for t in terms if t in estimated}
    rare = [t for t in terms if t not in estimated]
    total = rows
    if rare or total is None:
        # The other terms, all of them before the first ANALYZE: counted
        # through the GIN indexes and capped (a term in DF_CAP candidates is
        # common, its exact count changes little). One subquery, run once per
        # term with the term as its parameter, so the statement stays small
        # to plan; each index's rows are capped before the UNION removes
        # duplicates, since a UNION reads all its input before a LIMIT above it.
        per_term = " UNION ".join(
            f"({sql.replace('%s::tsquery', 't.q')} LIMIT {DF_CAP})" for sql, _ in matches
        )
        params: list = [p for _sql, match_params in matches for p in match_params]
        # The row count only when the statistics did not give it (a count(*)
        # reads the whole table: 46 ms at 100,000 decisions).
        cursor.execute(
            f"SELECT t.term, least((SELECT count(*) FROM ({per_term}) m), {DF_CAP}),"
            f" ({total_sql if total is None else 'NULL'})"
            f" FROM (SELECT term, quote_literal(term)::tsquery AS q"
            f" FROM unnest(%s::text[]) AS term) t",
            [*params, rare],
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
    or_query = " | ".join(f"'{term}'" for term in selecting)
    match_params = []
    for _sql, extra in matches:
        match_params += [*extra, or_query]
    union = " UNION ".join(f"({sql} LIMIT {MATCH_BUDGET})" for sql, _ in matches)
    from_sql, from_params = rank_sql
    # BM25 over each candidate's lexemes (unnest), the document length
    # being its number of distinct lexemes, averaged over the candidates.
    cursor.execute(
        f"WITH candidates AS MATERIALIZED ("
        f"  SELECT id FROM ({union}) m WHERE NOT (id = ANY(%s)) LIMIT {MATCH_BUDGET}"
        f"), vectors AS MATERIALIZED ("
        f"  SELECT id, v, length(v) AS size FROM {from_sql}"
        f"), average AS (SELECT greatest(avg(size), 1) AS size FROM vectors)"
        f" SELECT vectors.id, sum(w.weight * l.tf * %s"
        f"   / (l.tf + %s * (1 - %s + %s * vectors.size / average.size))) AS score"
        f" FROM vectors CROSS JOIN average"
        f" CROSS JOIN LATERAL (SELECT lexeme, coalesce(array_length(positions, 1), 1) AS tf"
        f"   FROM unnest(vectors.v)) l"
        f" JOIN unnest(%s::text[], %s::float8[]) AS w(term, weight) ON w.term = l.lexeme"
        f" GROUP BY vectors.id ORDER BY score DESC, vectors.id LIMIT %s",
        [
            *match_params,
            list(exclude),
            *from_params,
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


def _index_statistics(cursor, indexes: list[str]) -> tuple[dict[str, float], float | None]:
    """Estimated document frequencies of the most common lexemes of the GIN
    index expressions (migration 0002), from the planner's statistics, and the
    row count of the first index's table; ({}, None) before the first ANALYZE.

    For a tsvector ANALYZE keeps the most common lexemes with the fraction of
    rows holding each (pg_stats.most_common_elems / most_common_elem_freqs); a
    term in both indexes counts the larger, a lower bound of the union (a
    section's text and summary share their common words). Below
    STATISTICS_FROM rows exact counts are cheap and better: ({}, None)."""
    cursor.execute(
        "SELECT s.tablename, s.most_common_elems::text::text[], s.most_common_elem_freqs,"
        " c.reltuples FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename"
        " AND c.relnamespace = to_regnamespace(s.schemaname)"
        " WHERE s.schemaname = current_schema() AND s.tablename = ANY(%s)"
        " AND s.most_common_elems IS NOT NULL",
        [indexes],
    )
    estimated: dict[str, float] = {}
    rows = None
    for index, elements, fractions, reltuples in cursor.fetchall():
        if index == indexes[0] and reltuples > 0:
            rows = reltuples
        for element, fraction in zip(elements, fractions, strict=False):
            frequency = fraction * max(reltuples, 0)
            estimated[element] = max(estimated.get(element, 0.0), frequency)
    if rows is None or rows < STATISTICS_FROM:
        return {}, None
    return estimated, rows


def _pg_rank_sections(text: str, *, exclude: set[int], limit: int) -> list[int]:
    """Sections for a decision's text."""
    section_sql, section_params = _vector_sql(Section, section_vector())
    summary_sql, summary_params = _vector_sql(Summary, summary_vector())
    sections, summaries = Section._meta.db_table, Summary._meta.db_table
    matches = [
        (f"SELECT id FROM {sections} WHERE {section_sql} @@ %s::tsquery", section_params),
        (
            f"SELECT section_id AS id FROM {summaries} WHERE {summary_sql} @@ %s::tsquery",
            summary_params,
        ),
    ]
    rank_from = (
        f"(SELECT {sections}.id, {section_sql} || coalesce(("
        f"  SELECT {summary_sql} FROM {summaries} WHERE {summaries}.section_id = {sections}.id"
        f"), ''::tsvector) AS v FROM {sections} WHERE {sections}.id IN (SELECT id FROM candidates)"
        f") ranked",
        [*section_params, *summary_params],
    )
    return _pg_rank(
        text,
        indexes=["section_search_gin", "summary_search_gin"],
        matches=matches,
        total_sql=f"SELECT count(*) FROM {sections}",
        rank_sql=rank_from,
        count=DECISION_QUERY_TERMS,
        exclude=exclude,
        limit=limit,
    )


def _pg_rank_decisions(text: str, *, exclude: set[int], limit: int) -> list[int]:
    """Decisions for a section's text."""
    decision_sql, decision_params = _vector_sql(Decision, decision_vector())
    document_sql, document_params = _vector_sql(DecisionDocument, document_vector())
    decisions, documents = Decision._meta.db_table, DecisionDocument._meta.db_table
    matches = [
        (f"SELECT id FROM {decisions} WHERE {decision_sql} @@ %s::tsquery", decision_params),
        (
            f"SELECT decision_id AS id FROM {documents} WHERE {document_sql} @@ %s::tsquery",
            document_params,
        ),
    ]
    # The official title ranks but does not select: it has no index (docs/suggestions.md).
    rank_from = (
        f"(SELECT {decisions}.id, {decision_sql}"
        f" || to_tsvector(%s::regconfig, {decisions}.alternative_title)"
        f" || coalesce((SELECT to_tsvector(%s::regconfig, string_agg("
        f"{documents}.subject || ' ' || {documents}.body, ' '))"
        f" FROM {documents} WHERE {documents}.decision_id = {decisions}.id), ''::tsvector) AS v"
        f" FROM {decisions} WHERE {decisions}.id IN (SELECT id FROM candidates)) ranked",
        [*decision_params, CONFIG, CONFIG],
    )
    return _pg_rank(
        text,
        indexes=["decision_search_gin", "document_search_gin"],
        matches=matches,
        total_sql=f"SELECT count(*) FROM {decisions}",
        rank_sql=rank_from,
        count=SECTION_QUERY_TERMS,
        exclude=exclude,
        limit=limit,
    )
