"""Streamed CSV and JSON exports: rows are written as the database yields them,
so a large export never sits in memory as a whole.

Two promises besides (docs/performance.md, "Exports"):

- The first chunk of rows is read before the response starts. A database that
  is down or a query that times out raises in the view, so the visitor gets the
  503 page, not a 200 with a header line or a lone "[".
- A failure after the response has started cannot change its status any more;
  it must still never look like a complete file. The stream then ends with an
  explicit line saying the export broke off (in a CSV the last row; in JSON a
  string after the last object, with the array left unclosed so that no parser
  accepts the file), and the exception is raised again, so that the server
  aborts the response instead of ending it cleanly (gunicorn then drops the
  connection without the last chunk of the chunked encoding: clients report
  the transfer as incomplete).
"""

import csv
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Rows per fetch from the server-side cursor; also the rows read before the
# response starts. Memory stays flat: one chunk at a time.
CHUNK_SIZE = 2000
# Rows are written in pieces of about this many characters: one write per row
# would cost a system call and a chunk header per row.
WRITE_SIZE = 64 * 1024


def incomplete_notice() -> str:
    return _(
        "EXPORT ONVOLLEDIG: de export is afgebroken door een fout; dit bestand is niet volledig."
    )


class _Echo:
    """The file-like object csv.writer wants; each write is handed back."""

    def write(self, value: str) -> str:
        return value


# A cell starting with one of these is read as a formula by spreadsheet
# programs ("=HYPERLINK(...)" in an imported title would run when an editor opens
# the export). OWASP's advice: put an apostrophe before it, so it reads as text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """The cell as text a spreadsheet will not evaluate; non-text values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unneutralise_formula(value: str) -> str:
    """Undo `neutralise_formula` on a cell read back from one of our exports."""
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def _csv_pieces(columns: list[str], rows: Iterable[dict]) -> Iterator[str]:
    """Every CSV the app writes goes through here, so every cell is neutralised."""
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that spreadsheet programs read the file as UTF-8
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([neutralise_formula(row[column]) for column in columns])


def _csv_tail() -> str:
    return csv.writer(_Echo()).writerow([incomplete_notice()])


def _json_pieces(columns: list[str], rows: Iterable[dict]) -> Iterator[str]:
    encoder = DjangoJSONEncoder()
    yield "["
    for index, row in enumerate(rows):
        yield ("," if index else "") + "\n" + encoder.encode(row)
    yield "\n]\n"


def _json_tail() -> str:
    # After the last complete object; no closing bracket follows.
    return ",\n" + json.dumps(incomplete_notice()) + "\n"


def _guarded(pieces: Iterator[str], tail: Callable[[], str], filename: str) -> Iterator[str]:
    """`pieces` in writes of about WRITE_SIZE characters; if they fail, what was
    complete so far, the notice that the file is incomplete, and the error."""
    buffer: list[str] = []
    size = 0
    try:
        for piece in pieces:
            buffer.append(piece)
            size += len(piece)
            if size >= WRITE_SIZE:
                yield "".join(buffer)
                buffer, size = [], 0
    except Exception:
        logger.exception("Export %s broke off after the response had started", filename)
        yield "".join(buffer) + tail()
        raise
    if buffer:
        yield "".join(buffer)


def export_response(
    fmt: str,
    *,
    filename: str,
    columns: list[str],
    rows: Iterable,
    to_row: Callable[[object], dict] = dict,
) -> StreamingHttpResponse:
    """A download of `rows` as CSV or JSON, each turned into a dict by to_row.

    `rows` should be one query's `.iterator(chunk_size=CHUNK_SIZE)`: its first
    chunk is fetched here, before the response exists (see the module docstring).
    """
    rows = iter(rows)
    first = list(islice(rows, CHUNK_SIZE))
    dicts = (to_row(obj) for obj in chain(first, rows))
    if fmt == "csv":
        body = _guarded(_csv_pieces(columns, dicts), _csv_tail, filename)
        content_type = "text/csv; charset=utf-8"
    else:
        body = _guarded(_json_pieces(columns, dicts), _json_tail, filename)
        content_type = "application/json; charset=utf-8"
    response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


class JoinedNames(models.Aggregate):
    """The values of a text column joined with the unit separator (chr 31), on
    PostgreSQL and SQLite alike; `sorted_names` turns it into "a; b". For export
    rows: names of related rows in the row's own query, not a prefetch per chunk."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, CHR(31))"
    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, CHAR(31))",
            **extra,
        )


def sorted_names(joined: str | None) -> str:
    """JoinedNames' value as the export shows it: alphabetical, "; " between."""
    return "; ".join(sorted(joined.split("\x1f"))) if joined else ""


def path_maker(url_name: str) -> Callable[[int], str]:
    """pk -> path of `url_name` (one <int:pk> argument) in the active language,
    reversed once: a page listing a hundred decisions would otherwise spend a
    tenth of its time in reverse()."""
    marker = 987654321
    head, tail = reverse(url_name, args=[marker]).split(str(marker))
    return lambda pk: f"{head}{pk}{tail}"


def absolute_url_maker(request, url_name: str) -> Callable[[int], str]:
    """pk -> absolute URL of `url_name` (one <int:pk> argument), reversed once:
    100,000 reverse() and build_absolute_uri() calls would cost seconds."""
    marker = 987654321
    template = request.build_absolute_uri(reverse(url_name, args=[marker]))
    head, tail = template.split(str(marker))
    return lambda pk: f"{head}{pk}{tail}"


def export_links(request, url_name: str) -> dict[str, str]:
    """Export URLs that carry the page's active filters (without its page number)."""
    params = request.GET.copy()
    params.pop("page", None)
    query = f"?{params.urlencode()}" if params else ""
    return {fmt: reverse(url_name, kwargs={"fmt": fmt}) + query for fmt in ("csv", "json")}
