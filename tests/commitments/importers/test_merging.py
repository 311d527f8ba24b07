"""The three-way rule of a re-import, cell by cell, without the database."""

from dataclasses import replace
from datetime import date

import pytest

from commitments.importers.merging import (
    CitationValues,
    Current,
    StoredCitation,
    Version,
    merge,
)

DAY = date(2022, 1, 21)
IMPORTED = Version(
    number="1.2",
    title="Uitsluiting voorkomen",
    text="We blijven discriminatie bestrijden.",
    body="De regering nam een beslissing \\[0\\].",
    conclusion="Gedeeltelijk gerealiseerd.",
    citations={
        0: CitationValues(date=DAY, title="Eerste beslissing", url="https://a.be/0"),
        1: CitationValues(date=DAY, title="", url=""),
    },
)


def as_imported(version: Version) -> Current:
    """The section exactly as an import of `version` leaves it."""
    return Current(
        title=version.title,
        text=version.text,
        body=version.body,
        conclusion=version.conclusion,
        citations={n: values.imported() for n, values in version.citations.items()},
    )


def run(*, file=IMPORTED, current=None, overwrite=False):
    return merge(
        baseline=IMPORTED, file=file, current=current or as_imported(IMPORTED), overwrite=overwrite
    )


# --------------------------------------------------------------------------- fields


def test_nobody_changed_anything_so_nothing_is_written():
    result = run()
    assert not result
    assert result.clashes == []


@pytest.mark.parametrize("name", ["title", "text", "body", "conclusion"])
def test_the_file_changed_it_and_no_editor_did_so_the_file_wins(name):
    result = run(file=replace(IMPORTED, **{name: "Nieuw uit het bestand"}))
    assert result.fields == {name: "Nieuw uit het bestand"}
    assert result.clashes == []


@pytest.mark.parametrize("name", ["title", "text", "body", "conclusion"])
def test_an_editor_changed_it_and_the_file_did_not_so_the_editor_wins_without_conflict(name):
    current = replace(as_imported(IMPORTED), **{name: "Verbeterd door de redactie"})
    result = run(current=current)
    assert result.fields == {}
    assert result.clashes == []


@pytest.mark.parametrize("name", ["title", "text", "body", "conclusion"])
def test_both_changed_it_so_the_editor_wins_and_a_conflict_names_the_file_version(name):
    current = replace(as_imported(IMPORTED), **{name: "Verbeterd door de redactie"})
    result = run(file=replace(IMPORTED, **{name: "Nieuw uit het bestand"}), current=current)
    assert result.fields == {}
    [clash] = result.clashes
    assert (clash.file_value, clash.editor_value, clash.overwritten) == (
        "Nieuw uit het bestand",
        "Verbeterd door de redactie",
        False,
    )


def test_both_made_the_same_change_so_there_is_nothing_to_do():
    current = replace(as_imported(IMPORTED), title="Zelfde verbetering")
    result = run(file=replace(IMPORTED, title="Zelfde verbetering"), current=current)
    assert not result
    assert result.clashes == []


def test_overwrite_lets_the_file_win_a_conflict_and_reports_the_editor_version():
    current = replace(as_imported(IMPORTED), title="Verbeterd door de redactie")
    result = run(file=replace(IMPORTED, title="Nieuw"), current=current, overwrite=True)
    assert result.fields == {"title": "Nieuw"}
    [clash] = result.clashes
    assert (clash.editor_value, clash.overwritten) == ("Verbeterd door de redactie", True)


def test_overwrite_also_undoes_an_editor_change_the_file_did_not_make():
    current = replace(as_imported(IMPORTED), body="Herschreven door de redactie")
    result = run(current=current, overwrite=True)
    assert result.fields == {"body": IMPORTED.body}
    assert [c.overwritten for c in result.clashes] == [True]


def test_a_summary_saved_by_a_browser_with_crlf_line_ends_counts_as_untouched():
    file = replace(IMPORTED, body="Eerste alinea.\n\nTweede alinea.")
    baseline = replace(IMPORTED, body="Eerste alinea.\n\nOude tweede alinea.")
    current = replace(as_imported(baseline), body="Eerste alinea.\r\n\r\nOude tweede alinea.")
    result = merge(baseline=baseline, file=file, current=current, overwrite=False)
    assert result.fields == {"body": "Eerste alinea.\n\nTweede alinea."}


def test_a_section_without_baseline_takes_the_file_where_it_is_empty_and_keeps_the_rest():
    current = Current(title="Titel van de redactie", text="", body="", conclusion="", citations={})
    result = merge(baseline=Version(), file=IMPORTED, current=current, overwrite=False)
    assert set(result.fields) == {"text", "body", "conclusion"}
    assert [c.part for c in result.clashes] == ["titel"]
    assert set(result.write_citations) == {0, 1}


# --------------------------------------------------------------------------- citations


def citations(result):
    return set(result.write_citations), result.delete_citations, result.clashes


def test_a_citation_new_in_the_file_is_created():
    file = replace(IMPORTED, citations={**IMPORTED.citations, 2: CitationValues(DAY, "Derde", "")})
    assert citations(run(file=file)) == ({2}, set(), [])


def test_a_citation_the_file_changed_and_no_editor_touched_is_updated():
    changed = CitationValues(DAY, "Eerste beslissing, verbeterd", "https://a.be/0")
    file = replace(IMPORTED, citations={**IMPORTED.citations, 0: changed})
    result = run(file=file)
    assert result.write_citations == {0: changed}
    assert result.clashes == []


def test_a_citation_the_file_no_longer_has_and_no_editor_touched_is_deleted():
    file = replace(IMPORTED, citations={1: IMPORTED.citations[1]})
    assert citations(run(file=file)) == (set(), {0}, [])


def test_a_citation_the_file_no_longer_has_but_an_editor_changed_is_kept_as_a_conflict():
    current = as_imported(IMPORTED)
    edited = replace(current.citations[0], title="Titel verbeterd door de redactie")
    current = replace(current, citations={**current.citations, 0: edited})
    result = run(file=replace(IMPORTED, citations={1: IMPORTED.citations[1]}), current=current)
    assert (set(result.write_citations), result.delete_citations) == (set(), set())
    [clash] = result.clashes
    assert clash.part == "referentie [0]"
    assert clash.file_value == "(niet meer in het bestand)"


def test_a_citation_an_evaluation_uses_as_evidence_is_never_deleted():
    current = as_imported(IMPORTED)
    evidence = replace(current.citations[0], is_evidence=True)
    current = replace(current, citations={**current.citations, 0: evidence})
    file = replace(IMPORTED, citations={1: IMPORTED.citations[1]})
    for overwrite in (False, True):
        result = run(file=file, current=current, overwrite=overwrite)
        assert result.delete_citations == set()
        assert "bewijs" in result.clashes[0].file_value


def test_a_citation_an_editor_added_is_kept():
    current = as_imported(IMPORTED)
    added = StoredCitation(date=DAY, title="Door redactie", url="", decision=None, incomplete=True)
    current = replace(current, citations={**current.citations, 99: added})
    assert citations(run(current=current)) == (set(), set(), [])


def test_an_editor_resolution_of_an_incomplete_citation_is_kept():
    current = as_imported(IMPORTED)
    resolved = replace(
        current.citations[1],
        decision=("gekozen beslissing", DAY),
        incomplete=False,
        decision_id=7,
        resolved_by_editor=True,
    )
    current = replace(current, citations={**current.citations, 1: resolved})
    assert citations(run(current=current)) == (set(), set(), [])


def test_a_resolved_citation_that_the_file_now_completes_is_a_conflict():
    current = as_imported(IMPORTED)
    resolved = replace(current.citations[1], decision=("x", DAY), incomplete=False, decision_id=7)
    current = replace(current, citations={**current.citations, 1: resolved})
    completed = CitationValues(DAY, "Nu met titel", "")
    result = run(file=replace(IMPORTED, citations={**IMPORTED.citations, 1: completed}),
                 current=current)  # fmt: skip
    assert result.write_citations == {}
    [clash] = result.clashes
    assert (clash.part, clash.file_value) == ("referentie [1]", "(2022-01-21) Nu met titel")
    assert "#7" in clash.editor_value


def test_a_citation_an_editor_deleted_stays_deleted_while_the_file_keeps_it():
    current = as_imported(IMPORTED)
    current = replace(current, citations={1: current.citations[1]})
    assert citations(run(current=current)) == (set(), set(), [])


def test_a_citation_an_editor_deleted_and_the_file_changed_is_a_conflict():
    current = as_imported(IMPORTED)
    current = replace(current, citations={1: current.citations[1]})
    changed = CitationValues(DAY, "Eerste, verbeterd", "")
    result = run(file=replace(IMPORTED, citations={**IMPORTED.citations, 0: changed}),
                 current=current)  # fmt: skip
    assert result.write_citations == {}
    assert [c.editor_value for c in result.clashes] == ["(verwijderd door een redacteur)"]


def test_overwrite_deletes_a_citation_an_editor_added_and_says_so():
    current = as_imported(IMPORTED)
    added = StoredCitation(date=DAY, title="Door redactie", url="", decision=None, incomplete=True)
    current = replace(current, citations={**current.citations, 99: added})
    result = run(current=current, overwrite=True)
    assert result.delete_citations == {99}
    [clash] = result.clashes
    assert (clash.part, clash.overwritten) == ("referentie [99]", True)
    assert clash.editor_value.startswith("(2022-01-21) Door redactie")
