"""core.exports: the first chunk before the response, a stream that breaks off
mid-file never passes for a complete file, and every CSV cell is safe to open in a
spreadsheet (formula injection)."""

import csv
import io
import json

import pytest
from django.db import OperationalError
from django.urls import reverse

from core import exports
from core.exports import (
    _csv_pieces,
    export_response,
    incomplete_notice,
    neutralise_formula,
    unneutralise_formula,
)
from tests.builders import make_decision, make_evaluation, make_section

COLUMNS = ["id", "title"]


def _rows(count: int, *, fail_after: int | None = None):
    for number in range(count):
        if number == fail_after:
            raise OperationalError("server closed the connection unexpectedly")
        yield {"id": number, "title": f"Rij {number}"}


def _consume(response) -> tuple[str, Exception | None]:
    """The body as a client receives it, and the error that ended the stream."""
    received = []
    try:
        for chunk in response.streaming_content:
            received.append(chunk)
    except Exception as error:
        return b"".join(received).decode(), error
    return b"".join(received).decode(), None


@pytest.fixture
def small_chunks(monkeypatch):
    # Rows 0-1 are read before the response starts, the rest while streaming.
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    monkeypatch.setattr(exports, "WRITE_SIZE", 1)


def test_a_failure_in_the_first_chunk_raises_before_any_response_exists(small_chunks):
    with pytest.raises(OperationalError):
        export_response("csv", filename="x", columns=COLUMNS, rows=_rows(5, fail_after=1))


def test_json_broken_off_mid_stream_ends_with_the_notice_and_never_parses(small_chunks):
    response = export_response("json", filename="x", columns=COLUMNS, rows=_rows(9, fail_after=5))
    assert response.status_code == 200  # already sent when the failure came
    body, error = _consume(response)
    assert isinstance(error, OperationalError)
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)
    assert '{"id": 4, "title": "Rij 4"}' in body
    assert body.rstrip().endswith(json.dumps(incomplete_notice()))
    assert not body.rstrip().endswith("]")


def test_csv_broken_off_mid_stream_ends_with_the_notice_row(small_chunks):
    response = export_response("csv", filename="x", columns=COLUMNS, rows=_rows(9, fail_after=5))
    body, error = _consume(response)
    assert isinstance(error, OperationalError)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == COLUMNS
    assert [row[0] for row in rows[1:-1]] == ["0", "1", "2", "3", "4"]
    assert rows[-1] == [incomplete_notice()]
    assert incomplete_notice().startswith("EXPORT ONVOLLEDIG")


def test_a_complete_export_has_no_notice(small_chunks):
    body, error = _consume(export_response("json", filename="x", columns=COLUMNS, rows=_rows(7)))
    assert error is None
    assert [row["id"] for row in json.loads(body)] == list(range(7))
    body, error = _consume(export_response("csv", filename="x", columns=COLUMNS, rows=_rows(7)))
    assert error is None
    assert "ONVOLLEDIG" not in body
    assert len(list(csv.reader(io.StringIO(body)))) == 8


def test_a_broken_export_is_logged_for_the_operator(small_chunks, caplog):
    response = export_response(
        "csv", filename="secties", columns=COLUMNS, rows=_rows(9, fail_after=5)
    )
    _consume(response)
    record = next(r for r in caplog.records if r.name == "core.exports")
    assert record.levelname == "ERROR"
    assert "secties" in record.getMessage()


DANGEROUS = ['=HYPERLINK("https://evil.example")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_cell_a_spreadsheet_would_evaluate_gets_a_leading_apostrophe(value):
    assert neutralise_formula(value) == "'" + value
    assert unneutralise_formula(neutralise_formula(value)) == value


@pytest.mark.parametrize("value", ["Gewone titel", "", "'al met apostrof", "1.2", 5, -5, None])
def test_harmless_cells_and_non_text_values_are_unchanged(value):
    assert neutralise_formula(value) == value


def test_an_apostrophe_before_ordinary_text_is_kept_on_reading_back():
    assert unneutralise_formula("'s Gravenbrakel") == "'s Gravenbrakel"


def test_every_row_the_csv_writer_gets_is_neutralised():
    text = "".join(_csv_pieces(["a", "b"], [{"a": "=1+1", "b": 3}]))
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [{"a": "'=1+1", "b": "3"}]


def _csv_rows(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


@pytest.mark.django_db
def test_the_decision_export_neutralises_an_imported_formula(client):
    make_decision(title='=HYPERLINK("https://evil.example","klik")')
    response = client.get(reverse("decisions:export", kwargs={"fmt": "csv"}))
    (row,) = _csv_rows(response)
    assert row["title"] == '\'=HYPERLINK("https://evil.example","klik")'


@pytest.mark.django_db
def test_the_section_export_neutralises_formulas_in_titles_and_rationales(client):
    section = make_section(title="@SUM(1+1)")
    make_evaluation(section, rationale="-1+1 is geen motivering")
    response = client.get(reverse("commitments:section-export", kwargs={"fmt": "csv"}))
    (row,) = _csv_rows(response)
    assert row["title"] == "'@SUM(1+1)"
    assert row["rationale"] == "'-1+1 is geen motivering"


@pytest.mark.django_db
def test_the_json_export_is_left_as_written(client):
    make_decision(title="=1+1")
    response = client.get(reverse("decisions:export", kwargs={"fmt": "json"}))
    assert b'"=1+1"' in b"".join(response.streaming_content)
