"""Streamed CSV and JSON exports: rows are written as the database yields them,
so a large export never sits in memory as a whole."""

import csv
import json
from collections.abc import Callable, Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse
from django.urls import reverse

CHUNK_SIZE = 500


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


def _csv_lines(columns: list[str], rows: Iterable[dict]) -> Iterable[str]:
    """Every CSV the app writes goes through here, so every cell is neutralised."""
    writer = csv.DictWriter(_Echo(), fieldnames=columns)
    yield "\ufeff"  # so that spreadsheet programs read the file as UTF-8
    yield writer.writeheader()
    for row in rows:
        yield writer.writerow({key: neutralise_formula(value) for key, value in row.items()})


def _json_chunks(rows: Iterable[dict]) -> Iterable[str]:
    yield "["
    for index, row in enumerate(rows):
        yield ("," if index else "") + "\n" + json.dumps(row, cls=DjangoJSONEncoder)
    yield "\n]\n"


def export_response(
    fmt: str, *, filename: str, columns: list[str], rows: Iterable, to_row: Callable
) -> StreamingHttpResponse:
    """A download of `rows` (objects) as CSV or JSON, each turned into a dict by to_row."""
    dicts = (to_row(obj) for obj in rows)
    if fmt == "csv":
        response = StreamingHttpResponse(
            _csv_lines(columns, dicts), content_type="text/csv; charset=utf-8"
        )
    else:
        response = StreamingHttpResponse(
            _json_chunks(dicts), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def export_links(request, url_name: str) -> dict[str, str]:
    """Export URLs that carry the page's active filters (without its page number)."""
    params = request.GET.copy()
    params.pop("page", None)
    query = f"?{params.urlencode()}" if params else ""
    return {fmt: reverse(url_name, kwargs={"fmt": fmt}) + query for fmt in ("csv", "json")}
