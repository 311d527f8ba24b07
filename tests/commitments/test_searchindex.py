"""The sections' search documents are kept current by every write path:
import, admin, single saves and deletions, restore, the rebuild command."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from commitments.importers import import_analyses
from commitments.models import Section, SectionSearchDocument
from commitments.search import search
from commitments.searchindex import refresh_sections
from decisions.models import DecisionSearchDocument
from tests import builders
from tests.builders import (
    make_chapter,
    make_citation,
    make_decision,
    make_section,
    make_summary,
)

pytestmark = pytest.mark.django_db


def _document(section) -> SectionSearchDocument:
    return SectionSearchDocument.objects.get(section=section)


def _found(query: str) -> list[str]:
    return [row.title for row in search(query).rows]


def test_a_document_holds_title_readable_text_and_summary_as_plain_text():
    section = make_section(title="Samenleven", text="De overheid heeft dit afgele-verd.")
    make_summary(section, body="# Evaluatie\n\n**Conclusie**: gedaan \\[0\\].", conclusion="Ja.")
    make_citation(section, number=0, decision=make_decision(title="Besluit over inburgering"))
    document = _document(section)
    assert document.title == "Samenleven"
    assert document.body == "De overheid heeft dit afgeleverd."
    assert "Evaluatie" in document.context and "**" not in document.context
    assert "[0]" not in document.context
    # Cited titles are found as decisions, not in the section's document.
    assert "Besluit over inburgering" not in document.context


def test_refreshing_sections_costs_the_same_queries_for_1_and_40(django_assert_num_queries):
    chapter = make_chapter()
    sections = []
    for number in range(40):
        section = make_section(chapter, number=f"1.{number}")
        make_summary(section)
        make_citation(section, decision=make_decision())
        sections.append(section.pk)
    # 1 sections with summaries, 2 citations with decisions, 3 upsert
    # (PostgreSQL: 4 the vectors)
    expected = 4 if connection.vendor == "postgresql" else 3
    with django_assert_num_queries(expected):
        assert refresh_sections(sections[:1]) == 1
    with django_assert_num_queries(expected):
        assert refresh_sections(sections) == 40


def test_the_importer_indexes_what_it_writes_and_what_it_changes(tmp_path):
    builders.write_analysis(tmp_path, "Samenleven/een.md", number="1.1", heading="Samenleven")
    report = import_analyses([tmp_path])
    section = Section.objects.get(pk=report.section_ids[0])
    assert _document(section).title == section.title
    assert _found(section.title.split()[0])

    builders.write_analysis(
        tmp_path,
        "Samenleven/een.md",
        number="1.1",
        heading="Samenleven",
        body="De regering leverde de kinderopvangtoeslag \\[0\\].",
    )
    import_analyses([tmp_path])
    assert "kinderopvangtoeslag" in _document(section).context
    assert _found("kinderopvangtoeslag") == [section.title]


def test_the_seed_import_makes_its_split_words_findable():
    call_command("load_seed", stdout=io.StringIO())
    assert SectionSearchDocument.objects.count() == 1
    assert DecisionSearchDocument.objects.count() == 21
    assert [row.number for row in search("sensibilisering").rows] == ["1.2"]


def test_a_section_saved_in_the_admin_is_reindexed(admin_user_client):
    section = make_section(title="Oude titel", text="")
    data = {
        "chapter": section.chapter_id,
        "number": section.number,
        "title": "Kinderopvang voor iedereen",
        "text": section.text,
        "summary-TOTAL_FORMS": "0",
        "summary-INITIAL_FORMS": "0",
    }
    url = reverse("admin:commitments_section_change", args=[section.pk])
    response = admin_user_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert _found("kinderopvang") == ["Kinderopvang voor iedereen"]
    assert _found("oude") == []


def test_a_citation_resolved_in_the_admin_rejoins_the_words_of_its_title(admin_user_client):
    # The cited title is evidence for the de-hyphenation of the agreement text.
    citation = make_citation(
        make_section(title="Zorg", text="Zie de anti-discriminatie regels."), decision=None
    )
    assert "anti-discriminatie regels" in _document(citation.section).body
    decision = make_decision(title="Subsidie voor antidiscriminatie")
    url = reverse("admin:commitments_citation_change", args=[citation.pk])
    response = admin_user_client.post(
        url,
        {
            "section": citation.section_id,
            "number": citation.number,
            "raw_date": "",
            "raw_title": "",
            "raw_url": "",
            "decision": decision.pk,
            "incomplete": "on",
        },
    )
    assert response.status_code == 302
    assert "antidiscriminatie regels" in _document(citation.section).body


def test_a_summary_edit_is_reindexed():
    summary = make_summary(body="Eerst dit.")
    summary.body = "Daarna de kilometerheffing."
    summary.save()
    assert "kilometerheffing" in _document(summary.section).context


def test_a_deleted_citation_takes_its_words_out_of_the_vocabulary():
    section = make_section(title="Zorg", text="Zie de anti-discriminatie regels.")
    citation = make_citation(section, decision=make_decision(title="Antidiscriminatie"))
    assert "antidiscriminatie regels" in _document(section).body
    citation.delete()
    assert "anti-discriminatie regels" in _document(section).body


def test_a_renamed_decision_reaches_the_sections_citing_it():
    decision = make_decision(title="Voorlopige titel")
    section = make_section(title="Zorg", text="Zie de anti-discriminatie regels.")
    make_citation(section, decision=decision)
    assert "anti-discriminatie regels" in _document(section).body
    decision.title = "Antidiscriminatie in het onderwijs"
    decision.save()
    assert "antidiscriminatie regels" in _document(section).body


def test_a_deleted_decision_reaches_the_sections_citing_it():
    decision = make_decision(title="Antidiscriminatie")
    section = make_section(title="Zorg", text="Zie de anti-discriminatie regels.")
    # Without a title of its own: the citation then names nothing.
    make_citation(section, decision=decision, raw_title="")
    assert "antidiscriminatie regels" in _document(section).body
    decision.delete()
    assert "anti-discriminatie regels" in _document(section).body


def test_a_deleted_section_takes_its_document_along():
    section = make_summary().section
    make_citation(section, decision=make_decision())
    section.delete()
    assert not SectionSearchDocument.objects.exists()


def test_rebuild_command_rebuilds_every_document_and_says_how_many():
    make_section(title="Wonen")
    make_decision(title="Woonbesluit")
    SectionSearchDocument.objects.all().delete()
    DecisionSearchDocument.objects.all().delete()

    out = io.StringIO()
    call_command("rebuild_search_index", "--dry-run", stdout=out)
    assert "1 secties en 1 beslissingen" in out.getvalue()
    assert not SectionSearchDocument.objects.exists()

    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "1 secties en 1 beslissingen" in out.getvalue()
    assert _found("wonen") == ["Wonen"]
    assert _found("woonbesluit") == ["Woonbesluit"]


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_is_searchable(tmp_path):
    from tests.operations.test_backup import empty_database, fill_content

    fill_content()
    backup = tmp_path / "backup.json"
    call_command("export_content", str(backup), stdout=io.StringIO())
    labels = {row["model"] for row in json.loads(backup.read_text(encoding="utf-8"))}
    assert "commitments.sectionsearchdocument" not in labels  # derived, never backed up
    empty_database()
    SectionSearchDocument.objects.all().delete()
    DecisionSearchDocument.objects.all().delete()

    call_command("import_content", str(backup), stdout=io.StringIO())
    assert SectionSearchDocument.objects.count() == Section.objects.count()
    assert [row.number for row in search("financien").rows] == ["1.2"]
