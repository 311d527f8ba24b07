"""The stored search documents: what is indexed, how it is tokenised, and how
the rows are written. Shared by commitments (section documents) and decisions
(decision documents); neither app's models are imported here.

A search document holds the readable plain text of one section or decision in
three weights (A title, B main text, C context). On PostgreSQL a stored
`tsvector` built from those texts with the `akk_dutch` configuration (Dutch
stemming, accents folded; migration commitments 0002) and a GIN index on it; on
SQLite a plain text column `tokens` with the same words folded to lower case
without accents, searched with LIKE. Both are filled from the same Python
text, so a word the reader sees is a word the search finds.

Why `akk_dutch` and not 'simple': a policy officer types "woning" and expects
"woningen"; the exact wording is rewarded by the phrase bonus in the query
(commitments/search.py), which needs no second vector.
"""

from __future__ import annotations

import html
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache

from django.db import connection
from django.dispatch import Signal

from .rendering import render_markdown, render_source_text

CONFIG = "akk_dutch"
BATCH_SIZE = 500

# Sent by decisions.searchindex after decision documents were refreshed, with
# `ids`: the sections citing them index the decisions' titles (commitments
# listens; decisions does not import commitments).
decisions_reindexed = Signal()

_state = threading.local()


@contextmanager
def signals_suspended() -> Iterator[None]:
    """Within: single-save signals leave the documents alone, because the
    caller (a bulk writer such as the importer) refreshes them in bulk after."""
    previous = getattr(_state, "suspended", False)
    _state.suspended = True
    try:
        yield
    finally:
        _state.suspended = previous


def signals_active() -> bool:
    return not getattr(_state, "suspended", False)


# A word: letters and digits (no underscore: it is LIKE's wildcard on SQLite).
WORD = re.compile(r"[^\W_]+")
_TAG = re.compile(r"<[^>]*>")
_CITATION = re.compile(r"\\?\[\d+\\?\]")
_SPACES = re.compile(r"\s+")


# The combining marks' blocks (accents, diaeresis, …): removed after NFKD.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower case without accents: 'Financiën' -> 'financien'. In C (one
    normalisation, one regular expression): it runs over whole documents."""
    text = text or ""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()


@lru_cache(maxsize=4096)
def _fold_char(character: str) -> str:
    return fold(character)[:1] or character


def fold_aligned(text: str) -> str:
    """`fold` one character for one character, so that positions in the
    result are positions in `text` (for marking words in snippets)."""
    table = {ord(c): _fold_char(c) for c in set(text) if not c.isascii()}
    return text.translate(table).lower()


def tokens(*texts: str) -> str:
    """The folded words of `texts`, space-separated with a space on both ends,
    so that " word" finds a word start and " w1 w2 " two adjacent words."""
    words = WORD.findall(fold(" ".join(t for t in texts if t)))
    return f" {' '.join(words)} " if words else ""


def html_to_text(markup: str) -> str:
    """Plain text of sanitised HTML: tags become spaces, entities characters."""
    return _SPACES.sub(" ", html.unescape(_TAG.sub(" ", markup or ""))).strip()


def markdown_to_text(text: str) -> str:
    """What a reader reads of a markdown text: no `#`, `**` or link syntax, no
    citation markers "[3]" (they are numbers, not words)."""
    return _CITATION.sub(" ", html_to_text(render_markdown(text or ""))).strip()


def source_text(text: str) -> str:
    """A decision's text (HTML from the decision database or markdown) as plain text."""
    return html_to_text(render_source_text(text or ""))


def join(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part and part.strip())


def write_documents(model, rows: Sequence[dict], *, key: str, extra: Sequence[str] = ()) -> None:
    """Upsert the search documents `rows` (dicts with `{key}_id`, title, body,
    context) of `model` in batches: one INSERT … ON CONFLICT per batch, and on
    PostgreSQL one UPDATE computing the vectors of that batch in the database."""
    postgres = connection.vendor == "postgresql"
    for start in range(0, len(rows), BATCH_SIZE):
        batch = rows[start : start + BATCH_SIZE]
        documents = [
            model(
                **row,
                tokens="" if postgres else tokens(row["title"], row["body"], row["context"]),
            )
            for row in batch
        ]
        model.objects.bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=[key],
            update_fields=["title", "body", "context", "tokens", *extra],
        )
        if postgres:
            update_vectors(model._meta.db_table, f"{key}_id", [row[f"{key}_id"] for row in batch])


def update_vectors(table: str, key_column: str, ids: Iterable[int] | None = None) -> None:
    """Compute the stored tsvector of rows `ids` (all rows when None) from their texts."""
    sql = (
        f"UPDATE {table} SET vector = "  # noqa: S608 (table and column are ours)
        f"setweight(to_tsvector('{CONFIG}', title), 'A') || "
        f"setweight(to_tsvector('{CONFIG}', body), 'B') || "
        f"setweight(to_tsvector('{CONFIG}', context), 'C')"
    )
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(sql)
        else:
            cursor.execute(f"{sql} WHERE {key_column} = ANY(%s)", [list(ids)])
