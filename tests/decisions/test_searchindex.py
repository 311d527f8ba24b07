"""The decisions' search documents are kept current by every write path:
creation (services), import_decisions, import_document, the admin."""

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from commitments.search import search
from decisions.importers import import_decisions, import_document
from decisions.models import Decision, DecisionSearchDocument
from decisions.searchindex import refresh_decisions
from decisions.services import CitedDecision, decisions_get_or_create
from tests import builders
from tests.builders import make_decision, make_document

pytestmark = pytest.mark.django_db


def _document(decision) -> DecisionSearchDocument:
    return DecisionSearchDocument.objects.get(decision=decision)


def _found(query: str) -> list[str]:
    return [row.title for row in search(query, kind="decisions").rows]


def test_a_document_holds_titles_text_and_documents_as_plain_text():
    decision = make_decision(
        title="Woonbonus",
        alternative_title="Besluit tot hervorming",
        text="<p>Goed<b>gekeurd</b></p>",
    )
    make_document(decision, subject="Situering", body="## Situering\n\nDe **kilometerheffing**.")
    document = _document(decision)
    assert document.title == "Woonbonus\n\nBesluit tot hervorming"
    assert "<" not in document.body and "**" not in document.body and "##" not in document.body
    assert "kilometerheffing" in document.body


def test_decisions_created_in_bulk_are_indexed():
    found = decisions_get_or_create(
        cited=[CitedDecision(title=f"Tramlijn {n}", date=date(2022, 1, 1)) for n in range(3)]
    )
    assert DecisionSearchDocument.objects.filter(decision__in=found.ids.values()).count() == 3
    assert len(_found("tramlijn")) == 3


def test_refreshing_decisions_costs_the_same_queries_for_1_and_40(django_assert_num_queries):
    ids = [make_document(make_decision()).decision_id for _ in range(40)]
    # 1 their documents, 2 the decisions, 3 upsert (PostgreSQL: 4 the vectors),
    # then the sections citing them: 5 their ids (none here)
    expected = 5 if connection.vendor == "postgresql" else 4
    with django_assert_num_queries(expected):
        assert refresh_decisions(ids[:1]) == 1
    with django_assert_num_queries(expected):
        assert refresh_decisions(ids) == 40


def test_import_decisions_indexes_new_and_updated_records(tmp_path):
    import_decisions(path=builders.TEST_DATA / "news_items.json")
    assert DecisionSearchDocument.objects.count() == Decision.objects.count()
    assert _found("Mensenrechteninstituut") == ["Oprichtingsdecreet Vlaams Mensenrechteninstituut"]
    # The alternative title is weight A too.
    assert _found("wijzigingsbesluit participatieorganisatie")


def test_import_decisions_reaches_the_sections_citing_a_renamed_decision(tmp_path):
    record = {
        "id": "x-1",
        "title": "Voorlopige titel",
        "meetingDate": "2022-03-25T09:00:00Z",
        "htmlContent": "",
    }
    path = tmp_path / "items.json"
    path.write_text(f"[{__import__('json').dumps(record)}]", encoding="utf-8")
    import_decisions(path=path)
    decision = Decision.objects.get()
    section = builders.make_section(title="Zorg", text="Zie de anti-discriminatie regels.")
    builders.make_citation(section, decision=decision, raw_title="")
    record["title"] = "Antidiscriminatie"
    path.write_text(f"[{__import__('json').dumps(record)}]", encoding="utf-8")
    import_decisions(path=path)
    assert _found("antidiscriminatie") == ["Antidiscriminatie"]
    # The section's text reads the new title as evidence for joining its words.
    section.search_document.refresh_from_db()
    assert "antidiscriminatie regels" in section.search_document.body


def test_import_document_indexes_the_documents_text():
    report = import_document(path=builders.SEED_DOCUMENT, date=date(2020, 4, 24))
    assert "Situering" in _document(report.decision).body
    assert _found("beleidsplan")  # a word of the document's body


def test_a_decision_saved_in_the_admin_is_reindexed(admin_user_client):
    decision = make_decision(title="Oude titel")
    url = reverse("admin:decisions_decision_change", args=[decision.pk])
    response = admin_user_client.post(
        url,
        {
            "title": "Hervorming kinderbijslag",
            "alternative_title": "",
            "date": "2022-01-21",
            "kind": "",
            "text": "",
            "source_url": "",
            "external_id": "",
            "documents-TOTAL_FORMS": "1",
            "documents-INITIAL_FORMS": "0",
            "documents-0-kind": "",
            "documents-0-subject": "Groeipakket",
            "documents-0-issuer": "",
            "documents-0-body": "Het groeipakket wordt verhoogd.",
            "documents-0-signatory": "",
            "documents-0-source_file": "",
        },
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert _found("kinderbijslag") == ["Hervorming kinderbijslag"]
    assert _found("groeipakket") == ["Hervorming kinderbijslag"]


def test_a_deleted_document_leaves_its_decision():
    document = make_document(make_decision(title="Besluit"), body="Vergeten tekst.")
    document.delete()
    assert "Vergeten" not in _document(document.decision).body
