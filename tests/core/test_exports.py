"""Every CSV the app writes is safe to open in a spreadsheet (formula injection)."""

import csv
import io

import pytest
from django.urls import reverse

from core.exports import _csv_lines, neutralise_formula, unneutralise_formula
from tests.builders import make_decision, make_evaluation, make_section

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
    text = "".join(_csv_lines(["a", "b"], [{"a": "=1+1", "b": 3}]))
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [{"a": "'=1+1", "b": "3"}]


def _rows(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


@pytest.mark.django_db
def test_the_decision_export_neutralises_an_imported_formula(client):
    make_decision(title='=HYPERLINK("https://evil.example","klik")')
    response = client.get(reverse("decisions:export", kwargs={"fmt": "csv"}))
    (row,) = _rows(response)
    assert row["title"] == '\'=HYPERLINK("https://evil.example","klik")'


@pytest.mark.django_db
def test_the_section_export_neutralises_formulas_in_titles_and_rationales(client):
    section = make_section(title="@SUM(1+1)")
    make_evaluation(section, rationale="-1+1 is geen motivering")
    response = client.get(reverse("commitments:section-export", kwargs={"fmt": "csv"}))
    (row,) = _rows(response)
    assert row["title"] == "'@SUM(1+1)"
    assert row["rationale"] == "'-1+1 is geen motivering"


@pytest.mark.django_db
def test_the_json_export_is_left_as_written(client):
    make_decision(title="=1+1")
    response = client.get(reverse("decisions:export", kwargs={"fmt": "json"}))
    assert b'"=1+1"' in b"".join(response.streaming_content)
