"""Decision documents (seed 003) and decision records (JSON news items)."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.importing import MAX_FILE_BYTES, ImportFileError
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


# ------------------------------------------------------------------ hostile and real records


def _write_items(path, items) -> None:
    path.write_text(json.dumps(items), encoding="utf-8")


def _item(item_id: str, title: str = "Beslissing", **fields) -> dict:
    return {"id": item_id, "title": title, "meetingDate": "2022-03-25", **fields}


@pytest.mark.django_db
def test_titles_differing_in_case_and_spacing_on_one_date_are_one_decision(tmp_path):
    """Real dumps hold the same decision under two ids; by our normalisation rule
    it is one decision: the second record updates it and a warning names both."""
    path = tmp_path / "items.json"
    _write_items(
        path,
        [
            _item("id-1", "Visienota  Vlaams gamebeleid", htmlContent="<p>eerste</p>"),
            _item("id-2", "visienota vlaams Gamebeleid", htmlContent="<p>tweede</p>"),
        ],
    )
    report = import_decisions(path=path)

    decision = Decision.objects.get()
    assert (decision.external_id, decision.text) == ("id-1", "<p>tweede</p>")
    assert (report.records, report.created, report.updated, report.merged) == (2, 1, 1, 1)
    assert report.warnings == [
        f"{path}:1: record 1 (id 'id-2') is dezelfde beslissing als extern id 'id-1' "
        "(titel en datum); die is bijgewerkt en houdt haar id"
    ]
    # Importing the same file again changes nothing and fails nowhere.
    counts = builders.model_counts()
    again = import_decisions(path=path)
    assert (again.created, again.merged) == (0, 1)
    assert builders.model_counts() == counts


@pytest.mark.django_db
def test_record_matching_a_decision_with_another_id_updates_it_with_a_warning(tmp_path):
    builders.make_decision(title="Oprichtingsdecreet", date=date(2022, 3, 25), external_id="oud")
    path = tmp_path / "items.json"
    _write_items(path, [_item("nieuw", "OPRICHTINGSDECREET", agendaitemType="Nota")])
    report = import_decisions(path=path)
    decision = Decision.objects.get()
    assert (decision.external_id, decision.title, decision.kind) == (
        "oud", "OPRICHTINGSDECREET", "nota",
    )  # fmt: skip
    assert report.merged == 1 and len(report.warnings) == 1


@pytest.mark.django_db
def test_renaming_a_decision_onto_another_ones_title_and_date_is_a_clear_error(tmp_path):
    builders.make_decision(title="Eerste", date=date(2022, 3, 25), external_id="a")
    builders.make_decision(title="Tweede", date=date(2022, 3, 25), external_id="b")
    path = tmp_path / "items.json"
    _write_items(path, [_item("a", "tweede")])
    before = builders.model_counts()
    with pytest.raises(ImportFileError, match=r"record 0, veld 'title': verwacht een titel en"):
        import_decisions(path=path)
    assert builders.model_counts() == before
    assert Decision.objects.get(external_id="a").title == "Eerste"


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (json.dumps([_item("a", "ﬃ" * 400)]),
         "record 0, veld 'title': verwacht hoogstens 1000 tekens (na normalisatie nu 1200)"),
        (json.dumps([_item("a", alternativeTitle="x" * 2001)]),
         "record 0, veld 'alternativeTitle': verwacht hoogstens 2000 tekens (nu 2001)"),
        (json.dumps([_item("a", "Nul\u0000teken")]),
         "record 0, veld 'title': verwacht tekst zonder NUL-teken"),
        (json.dumps([_item("a", htmlContent="<p>\u0000</p>")]),
         "record 0, veld 'htmlContent': verwacht tekst zonder NUL-teken"),
        ('[{"id": "a", "title": "Los \\ud800 surrogaat", "meetingDate": "2022-03-25"}]',
         "record 0, veld 'title': verwacht geldige Unicode-tekst"),
        ('[{"id": "a", "title": "T", "meetingDate": "2022-03-25", '
         '"mandatees": [{"name": "Jan \\udfff"}]}]',
         "record 0, veld 'mandatees': verwacht geldige Unicode-tekst"),
        (json.dumps([_item("a", themes=[{"id": "t" * 201}])]),
         "record 0, veld 'themes': verwacht hoogstens 200 tekens"),
        (json.dumps([_item("a", themes=[{"id": "t", "label": "l" * 301}])]),
         "record 0, veld 'themes': verwacht hoogstens 300 tekens"),
        (json.dumps([_item("a", meetingDate="0001-01-01T00:00:00+01:00")]),
         "record 0, veld 'meetingDate': verwacht een datum"),
        (json.dumps([_item("a", meetingDate="0001-01-01T00:00:00Z")]),
         "record 0, veld 'meetingDate': verwacht een datum"),
        (json.dumps([_item("a", meetingDate="9999-12-31T23:59:59Z")]),
         "record 0, veld 'meetingDate': verwacht een datum"),
        (f'[{{"id": "a", "title": "T", "meetingDate": "2022-03-25", "htmlContent": {DEEP}}}]',
         "record 0: te diep genest"),
        ('[{"id": ' + "1" * 5000 + ', "title": "T", "meetingDate": "2022-03-25"}]',
         "record 0: geen geldige JSON"),
        ('[{"id": "a", "title": "T", "meetingDate": "2022-03-25"},\n{"id": "b", "title": ',
         ":2: geen geldige JSON"),
        ('[{"id": "a", "title": "T", "meetingDate": "2022-03-25"}] [',
         ":1: onverwachte tekst na de lijst"),
        ('[{"id": "a", "title": "T", "meetingDate": "2022-03-25"} {}]',
         "verwacht ',' of ']' na record 0"),
        ("[", "de lijst is niet afgesloten"),
        ("", "verwacht een JSON-lijst van nieuwsberichten"),
    ],
    ids=[
        "title-long-when-normalised", "long-alternative-title", "nul-in-title", "nul-in-html",
        "lone-surrogate",
        "surrogate-in-minister", "long-theme-id", "long-theme-label", "year-1-timestamp",
        "year-1-date", "year-9999", "100k-deep", "5000-digit-id", "truncated",
        "trailing-text", "missing-comma", "unclosed", "empty",
    ],
)  # fmt: skip
def test_hostile_record_gets_a_clear_message_and_writes_nothing(tmp_path, text, expected):
    path = tmp_path / "items.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    before = builders.model_counts()
    with pytest.raises(ImportFileError) as excinfo:
        import_decisions(path=path)
    assert str(excinfo.value).startswith(str(path))
    assert expected in str(excinfo.value)
    assert builders.model_counts() == before


@pytest.mark.django_db
def test_invalid_utf8_deep_in_a_big_file_names_its_line(tmp_path):
    path = tmp_path / "items.json"
    good = ",\n".join(json.dumps(_item(f"id-{n}", f"Beslissing {n}")) for n in range(3000))
    path.write_bytes(f"[\n{good},\n".encode() + b'{"id": "x", "title": "\xff"}]')
    with pytest.raises(ImportFileError, match=rf"{path}:3002: geen geldige UTF-8-tekst"):
        import_decisions(path=path)
    assert not Decision.objects.exists()


@pytest.mark.django_db
def test_decision_dump_larger_than_the_analysis_limit_streams_in(tmp_path):
    """The 2 MiB limit is for analysis files; a decision database dump is streamed."""
    path = tmp_path / "dump.json"
    items = [
        _item(
            f"id-{n}",
            f"Beslissing nummer {n}",
            meetingDate=f"2021-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
            htmlContent="<p>" + "tekst " * 400 + "</p>",
            mandatees=[{"name": f"Minister {n % 9}", "title": "Vlaams minister"}],
            themes=[{"id": f"thema-{n % 5}", "label": f"Thema {n % 5}"}],
        )
        for n in range(2500)
    ]
    _write_items(path, items)
    assert path.stat().st_size > MAX_FILE_BYTES
    report = import_decisions(path=path)
    assert (report.records, report.created) == (2500, 2500)
    assert Decision.objects.count() == 2500
    assert Minister.objects.count() == 9 and Theme.objects.count() == 5
    decision = Decision.objects.get(external_id="id-2024")
    assert [m.name for m in decision.ministers.all()] == ["Minister 8"]
    assert [t.external_id for t in decision.themes.all()] == ["thema-4"]


@pytest.mark.django_db
def test_tiny_chunks_give_the_same_result_as_whole_reads(tmp_path, monkeypatch):
    """Elements, strings, escapes, numbers and multi-byte characters cut at every
    chunk boundary are put together again."""
    path = tmp_path / "items.json"
    items = [
        _item(f"{n}", f"Besluit “één” \\u00e9 {n}", htmlContent=f"<p>€ {n} \\n\t</p>")
        for n in range(40)
    ]
    _write_items(path, items)
    monkeypatch.setattr("decisions.jsonstream.CHUNK_BYTES", 3)
    import_decisions(path=path)
    assert sorted(Decision.objects.values_list("title", flat=True)) == sorted(
        item["title"] for item in items
    )
    assert Decision.objects.get(external_id="7").text == "<p>€ 7 \\n\t</p>"


@pytest.mark.django_db
def test_queries_per_batch_do_not_grow_with_the_batch(tmp_path, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("decisions.importers.BATCH_SIZE", 100)

    def queries_for(count: int, prefix: str) -> int:
        path = tmp_path / f"{prefix}.json"
        _write_items(
            path,
            [
                _item(
                    f"{prefix}-{n}",
                    f"{prefix} {n}",
                    mandatees=[{"name": f"{prefix} minister {n}"}],
                    themes=[f"{prefix}-thema-{n}"],
                )
                for n in range(count)
            ],
        )
        with CaptureQueriesContext(connection) as queries:
            import_decisions(path=path)
        return len(queries)

    one, two, three = queries_for(100, "een"), queries_for(200, "twee"), queries_for(300, "drie")
    per_batch = two - one
    # Per batch: decisions by id and by title + date; ministers and themes
    # (select, insert, select again: 3 + 3); current links (2); insert decisions;
    # delete and insert links (2 x 2); SQLite may split an insert in two.
    assert three - two == per_batch
    assert per_batch <= 20


@pytest.mark.django_db
def test_long_title_for_a_document_is_a_clear_error_and_writes_nothing():
    before = builders.model_counts()
    with pytest.raises(
        ImportFileError, match=r"--title: verwacht hoogstens 1000 tekens \(nu 1001\)"
    ):
        import_document(path=SEED_003, date=date(2020, 4, 24), title="T" * 1001)
    assert builders.model_counts() == before
    with pytest.raises(CommandError, match="hoogstens 1000 tekens"):
        call_command(
            "import_document", str(SEED_003), "--date", "2020-04-24", "--title", "T" * 1001
        )
    assert builders.model_counts() == before
