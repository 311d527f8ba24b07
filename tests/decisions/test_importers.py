"""Decision documents (seed 003) and decision records (JSON news items)."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.importing import ImportFileError
from decisions.importers import import_decisions, import_document, parse_document
from decisions.models import Decision, DecisionDocument, Minister, Theme
from tests import builders

SEED_003 = builders.SEED_DOCUMENT
NEWS_ITEMS = builders.TEST_DATA / "news_items.json"


# --------------------------------------------------------------------------- documents


def test_seed_003_parses_into_issuer_kind_subject_body_and_signatory():
    parsed = parse_document(SEED_003.read_text(encoding="utf-8"), source="003.txt")
    assert parsed.issuer == (
        "DE VLAAMSE MINISTER VAN BINNENLANDS BESTUUR, BESTUURSZAKEN, INBURGERING EN GELIJKE KANSEN"
    )
    assert parsed.kind == "MEDEDELING AAN DE VLAAMSE REGERING"
    assert parsed.decision_kind == Decision.Kind.MEDEDELING
    assert parsed.subject == (
        "doelstellingenkader Horizontaal Integratie- en Gelijke kansenbeleidsplan 2020-2024"
    )
    assert parsed.signatory == (
        "Bart SOMERS, Vlaams minister van Binnenlands Bestuur, Bestuurszaken, Inburgering en "
        "Gelijke Kansen"
    )


def test_document_headings_become_markdown_headings_and_lists_stay():
    parsed = parse_document(SEED_003.read_text(encoding="utf-8"), source="003.txt")
    headings = [line for line in parsed.body.splitlines() if line.startswith("#")]
    assert headings == [
        "## Situering",
        "## Geïntegreerd plan",
        "## Nieuwe aanpak transversaal beleid",
        "## Verder traject",
        "## Parallel traject: wijziging regelgeving",
    ]
    assert "- **Timing:**" in parsed.body
    assert parsed.body.startswith("## Situering")
    assert "Bart SOMERS" not in parsed.body
    assert "Betreft" not in parsed.body


@pytest.mark.django_db
def test_document_creates_its_decision_from_subject_and_date():
    report = import_document(path=SEED_003, date=date(2020, 4, 24))

    decision = Decision.objects.get()
    assert report.decision_created and report.document_created
    assert decision.title.startswith("Doelstellingenkader Horizontaal")
    assert (decision.date, decision.kind) == (date(2020, 4, 24), "mededeling")
    document = decision.documents.get()
    assert document.source_file == SEED_003.name
    assert document.imported_at is not None


@pytest.mark.django_db
def test_document_attaches_to_the_given_decision():
    decision = builders.make_decision(title="Horizontaal plan", date=date(2020, 4, 24))
    report = import_document(path=SEED_003, decision=decision.pk)
    assert report.document.decision == decision
    assert not report.decision_created
    assert Decision.objects.count() == 1


@pytest.mark.django_db
def test_reimporting_a_document_does_not_duplicate_it():
    import_document(path=SEED_003, date=date(2020, 4, 24))
    counts = builders.model_counts()
    report = import_document(path=SEED_003, date=date(2020, 4, 24))
    assert not report.document_changed
    assert builders.model_counts() == counts


@pytest.mark.django_db
def test_document_dry_run_writes_nothing():
    before = builders.model_counts()
    import_document(path=SEED_003, date=date(2020, 4, 24), dry_run=True)
    assert builders.model_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "documentsoort"),
        (b"DE VLAAMSE MINISTER VAN X\n\nMEDEDELING AAN DE VLAAMSE REGERING\n\nGeen onderwerp\n",
         "Betreft"),
        (b"\xff\xfe binair", "UTF-8"),
    ],
)  # fmt: skip
def test_bad_document_gives_clear_error_and_writes_nothing(tmp_path, content, expected):
    path = tmp_path / "doc.txt"
    path.write_bytes(content)
    before = builders.model_counts()
    with pytest.raises(ImportFileError, match=expected):
        import_document(path=path, date=date(2020, 4, 24))
    assert builders.model_counts() == before


@pytest.mark.django_db
def test_unknown_decision_id_is_an_error():
    with pytest.raises(ImportFileError, match="beslissing 999 bestaat niet"):
        import_document(path=SEED_003, decision=999)


@pytest.mark.django_db
def test_import_document_command_prints_where_the_document_lands():
    out = StringIO()
    call_command("import_document", str(SEED_003), "--date", "2020-04-24", stdout=out)
    decision = Decision.objects.get()
    document = DecisionDocument.objects.get()
    assert f"Beslissing (nieuw): #{decision.pk} {decision}" in out.getvalue()
    assert f"Te zien op: {document.get_absolute_url()}" in out.getvalue()


def test_import_document_command_needs_a_decision_or_a_date():
    with pytest.raises(CommandError, match="--decision"):
        call_command("import_document", str(SEED_003))


# --------------------------------------------------------------------------- JSON records


@pytest.mark.django_db
def test_news_items_import_as_decisions_with_ministers_and_themes():
    report = import_decisions(path=NEWS_ITEMS)

    assert (report.records, report.created) == (3, 3)
    decision = Decision.objects.get(external_id="5fd8d5ef-3a1c-4b8e-9d0f-1a2b3c4d5e02")
    assert decision.date == date(2022, 3, 25)
    assert decision.kind == "nota"
    assert "<script>alert(1)</script>" in decision.text  # stored as untrusted text
    assert sorted(decision.ministers.values_list("name", flat=True)) == [
        "Bart Somers", "Jan Jambon",
    ]  # fmt: skip
    assert Theme.objects.get().label == "Samenleven"
    assert Minister.objects.get(name="Jan Jambon").title.startswith("Minister-president")
    assert Decision.objects.get(external_id__endswith="03").kind == "mededeling"
    assert Decision.objects.get(external_id__endswith="01").alternative_title.startswith(
        "Besluit van de Vlaamse Regering tot wijziging"
    )


@pytest.mark.django_db
def test_utc_meeting_time_gives_the_brussels_date(tmp_path):
    path = tmp_path / "late.json"
    path.write_text(
        json.dumps([{"id": "x", "title": "Laat", "meetingDate": "2022-03-24T23:30:00Z"}]),
        encoding="utf-8",
    )
    import_decisions(path=path)
    assert Decision.objects.get().date == date(2022, 3, 25)


@pytest.mark.django_db
def test_news_items_import_is_an_upsert_on_external_id():
    import_decisions(path=NEWS_ITEMS)
    counts = builders.model_counts()
    report = import_decisions(path=NEWS_ITEMS)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert builders.model_counts() == counts


@pytest.mark.django_db
def test_news_item_attaches_its_id_to_the_decision_with_same_title_and_date():
    cited = builders.make_decision(
        title="Oprichtingsdecreet  Vlaams Mensenrechteninstituut", date=date(2022, 3, 25)
    )
    report = import_decisions(path=NEWS_ITEMS)
    cited.refresh_from_db()
    assert report.linked == 1
    assert cited.external_id == "5fd8d5ef-3a1c-4b8e-9d0f-1a2b3c4d5e02"
    assert Decision.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ('[{"id": "a", "title": "T", "meetingDate": "2022-01-01"}, {"id": "b", "meetingDate": '
         '"2022-01-01"}]', "record 1, veld 'title'"),
        ('[{"id": "a", "title": "T", "meetingDate": "2022-02-30"}]',
         "record 0, veld 'meetingDate'"),
        ('[{"id": "a", "title": "T", "meetingDate": "2022-01-01", "agendaitemType": "Besluit"}]',
         "record 0, veld 'agendaitemType'"),
        ('[{"title": "T", "meetingDate": "2022-01-01"}]', "record 0, veld 'id'"),
        ('[{"id": "a", "title": "T", "meetingDate": "2022-01-01"}, '
         '{"id": "a", "title": "U", "meetingDate": "2022-01-01"}]', "record 1, veld 'id'"),
        ('{"id": "a"}', "JSON-lijst"),
        ('[{"id": "a",\n "title": }]', ":2: geen geldige JSON"),
    ],
)  # fmt: skip
def test_bad_news_items_name_record_and_field_and_write_nothing(tmp_path, records, expected):
    path = tmp_path / "items.json"
    path.write_text(records, encoding="utf-8")
    before = builders.model_counts()
    with pytest.raises(ImportFileError) as excinfo:
        import_decisions(path=path)
    assert expected in str(excinfo.value)
    assert builders.model_counts() == before


@pytest.mark.django_db
def test_import_decisions_command_prints_counts():
    out = StringIO()
    call_command("import_decisions", str(NEWS_ITEMS), stdout=out)
    assert "Records: 3 — 3 nieuw, 0 bijgewerkt, 0 ongewijzigd" in out.getvalue()
