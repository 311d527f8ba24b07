"""The analysis importer: parsing (pure) and the all-or-nothing import service."""

import hashlib
import shutil
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.importers import (
    PRODUCED_BY,
    AnalysisImportError,
    import_analyses,
    parse_analysis,
)
from commitments.models import Agreement, Chapter, Citation, Evaluation, Section, Summary
from core.importing import MAX_FILE_BYTES
from decisions.models import Decision
from tests import builders

SEED_TEXT = builders.SEED_ANALYSIS.read_text(encoding="utf-8")


def corpus_file(relative: str) -> str:
    return (builders.require_corpus_sample() / relative).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- parsing


def test_seed_analysis_parses_into_section_summary_and_citations():
    parsed = parse_analysis(SEED_TEXT, source="seed.txt")
    assert parsed.number == "1.2"
    assert parsed.title == "Uitsluiting voorkomen, samenleven bevorderen"
    assert parsed.text.startswith("Het Vlaamse integratiebeleid wil mensen")
    assert parsed.body.startswith("Samenvatting van regeringsbesluiten")
    assert parsed.body.endswith("over de mate van succes.")
    assert "<details>" not in parsed.body
    assert parsed.conclusion == ""
    assert [c.number for c in parsed.citations] == list(range(21))
    assert parsed.warnings == []


def test_pdf_hyphenation_is_kept_in_the_section_text():
    parsed = parse_analysis(SEED_TEXT, source="seed.txt")
    assert "gesubsi-dieerd" in parsed.text
    assert "participatieorgani-satie" in parsed.text


def test_citations_stay_escaped_in_the_stored_markdown():
    parsed = parse_analysis(SEED_TEXT, source="seed.txt")
    assert "\\[0\\]\\[1\\]" in parsed.body


def test_incomplete_citation_keeps_number_and_date():
    parsed = parse_analysis(SEED_TEXT, source="seed.txt")
    incomplete = [c for c in parsed.citations if c.incomplete]
    assert [(c.number, c.date, c.title, c.url) for c in incomplete] == [
        (8, date(2020, 6, 26), "", "")
    ]


@pytest.mark.parametrize(
    ("relative", "number", "title", "text_start"),
    [
        ("Kanselarij en bestuur/Uitdagingen en visie_.md", "4.1", "Uitdagingen en visie",
         "We spelen beter in"),
        ("Mobiliteit en openbare werken/“Slimme” mobiliteit  innovatie.md", "1.8",
         "“Slimme” mobiliteit / innovatie", "Investeringen in slimme"),
        ("Media.md", "6", "Media", "1 In een steeds"),
        ("Dierenwelzijn.md", "3", "Dierenwelzijn", "Sinds de afgelopen"),
        ("Welzijn/Concrete voorstellen/Werf 1_ Welzijn en gezin/Integrale jeugdhulp.md",
         "1.2.1.5", "Integrale jeugdhulp", "Elk kind heeft recht"),
    ],
)  # fmt: skip
def test_title_from_file_name_is_matched_tolerantly_and_not_repeated_in_text(
    relative, number, title, text_start
):
    parsed = parse_analysis(corpus_file(relative), source=relative)
    assert (parsed.number, parsed.title) == (number, title)
    assert parsed.text.startswith(text_start)


def test_heading_without_diaeresis_matches_the_spelled_title():
    text = builders.analysis_text(heading="Financien", title="Financiën", text="De begroting.")
    parsed = parse_analysis(text, source="f.md")
    assert (parsed.title, parsed.text) == ("Financiën", "De begroting.")


def test_heading_of_the_analysis_itself_falls_back_to_the_file_name():
    # A corpus file "Sociale voordelen volgens de hoogte van het inkomen.md" is headed
    # "# Evaluatie van het Regeerakkoord versus Regeringsbeslissingen over Sociale Voordelen".
    text = builders.analysis_text(
        heading="Evaluatie van het Regeerakkoord versus Regeringsbeslissingen",
        title="Sociale voordelen volgens de hoogte van het inkomen",
        text="Om ervoor te zorgen dat werken lonender is.",
    )
    parsed = parse_analysis(
        text, source="Armoede/Sociale voordelen volgens de hoogte van het inkomen.md"
    )
    assert parsed.title == "Sociale voordelen volgens de hoogte van het inkomen"
    assert parsed.text == "Om ervoor te zorgen dat werken lonender is."
    assert parsed.body.startswith(
        "# Evaluatie van het Regeerakkoord versus Regeringsbeslissingen\n\nDe regering nam"
    )
    assert parsed.warnings == []


def test_heading_not_found_in_text_keeps_heading_as_title_with_a_warning():
    text = builders.analysis_text(heading="Iets anders", title="Helemaal", text="niet gelijk.")
    parsed = parse_analysis(text, source="x.md")
    assert parsed.title == "Iets anders"
    assert parsed.text == "Helemaal niet gelijk."
    assert any("niet teruggevonden" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    "heading",
    ["## Conclusie", "Conclusie:", "### Algemene Conclusie", "**Conclusie**", "#### Conclusie",
     "## Conclusie:", "Conclusie", "**Conclusie**:", "**Conclusie van de Evaluatie**",
     "**Conclusie:**", "__Conclusie__", "### **Conclusie**", "**Eindconclusie**",
     "## Conclusies en aanbevelingen", "**Algemene conclusie**:"],
)  # fmt: skip
def test_conclusion_is_split_out_without_its_heading(heading):
    body = f"Eerst de feiten \\[0\\].\n\n{heading}\n\nDe regering deed wat ze beloofde."
    parsed = parse_analysis(builders.analysis_text(body=body), source="c.md")
    assert parsed.body == "Eerst de feiten \\[0\\]."
    assert parsed.conclusion == "De regering deed wat ze beloofde."


def test_bold_conclusion_with_text_on_the_same_line_keeps_that_text():
    body = "Feiten \\[0\\].\n\n**Conclusie:** Het is gedeeltelijk gerealiseerd."
    parsed = parse_analysis(builders.analysis_text(body=body), source="c.md")
    assert parsed.conclusion == "Het is gedeeltelijk gerealiseerd."


@pytest.mark.parametrize(
    "line",
    ["Conclusie is dat er veel gebeurde \\[0\\].",
     "**Conclusie is dat er veel gebeurde \\[0\\].**",
     "- **Conclusie**: de regering deed veel \\[0\\].",
     "De conclusie: er gebeurde veel \\[0\\].",
     "**Conclusievere beslissingen** kwamen later \\[0\\]."],
)  # fmt: skip
def test_running_text_or_a_list_item_with_conclusie_is_not_a_heading(line):
    body = f"Feiten.\n\n{line}"
    parsed = parse_analysis(builders.analysis_text(body=body), source="c.md")
    assert (parsed.body, parsed.conclusion) == (body, "")


def test_bold_conclusion_label_with_a_colon_after_it_keeps_the_text_after_it():
    body = "Feiten \\[0\\].\n\n**Conclusie**: Het is gedeeltelijk gerealiseerd.\n\nMeer."
    parsed = parse_analysis(builders.analysis_text(body=body), source="c.md")
    assert parsed.conclusion == "Het is gedeeltelijk gerealiseerd.\n\nMeer."


@pytest.mark.parametrize(
    ("relative", "heading_gone"),
    [
        ("Samenleven/Activering stimuleren.md", "### Conclusie"),
        ("Justitie/Dankzij een krachtdadige Vlaamse justitie/"
         "Opvolging en rapportering mensenrechtenverdragen.md", "## Conclusie:"),
        ("Omgeving/Biodiversiteit/Soorten.md", "### Algemene Conclusie"),
        ("Onderwijs/Concrete voorstellen/Basisonderwijs.md", "**Conclusie**"),
    ],
)  # fmt: skip
def test_corpus_conclusions_are_split_out(relative, heading_gone):
    parsed = parse_analysis(corpus_file(relative), source=relative)
    assert parsed.conclusion
    assert heading_gone not in parsed.body
    assert heading_gone not in parsed.conclusion


def test_reference_title_wrapped_onto_the_next_line_is_joined():
    relative = (
        "Justitie/Dankzij een krachtdadige Vlaamse justitie/"
        "Opvolging en rapportering mensenrechtenverdragen.md"
    )
    parsed = parse_analysis(corpus_file(relative), source=relative)
    citation = next(c for c in parsed.citations if c.number == 72)
    assert citation.title == (
        "Tweede inhoudelijk en financieel verslag samenwerkingsverband "
        "overheidsopdracht contactopsporing"
    )


def test_reference_spacing_variants_are_accepted():
    references = [
        "**[\\[0\\]](https://example.org/?search=A)**:**(2022-01-21)**Eerste titel",
        "** [ \\[1\\] ] ** : ** ( 2022-01-22 ) **   ",
    ]
    body = "Tekst \\[0\\]\\[1\\]."
    parsed = parse_analysis(builders.analysis_text(body=body, references=references), source="s.md")
    assert [(c.number, c.title, c.incomplete) for c in parsed.citations] == [
        (0, "Eerste titel", False),
        (1, "", True),
    ]


def test_citation_used_but_not_defined_is_a_warning_not_an_error():
    parsed = parse_analysis(builders.analysis_text(body="Tekst \\[0\\]\\[5\\]."), source="u.md")
    assert parsed.warnings == ["u.md: [5] staat in de tekst maar niet in de referenties"]


def test_citation_defined_but_never_used_is_a_warning():
    parsed = parse_analysis(builders.analysis_text(body="Geen verwijzingen."), source="d.md")
    assert parsed.warnings == ["d.md: referentie [0] wordt nergens in de tekst gebruikt"]


def test_error_names_file_line_and_what_was_expected():
    text = builders.analysis_text(references=["**[\\[0\\]]** : **(2021-02-30)**"])
    with pytest.raises(AnalysisImportError) as excinfo:
        parse_analysis(text, source="Samenleven/x.md")
    error = excinfo.value
    assert (error.path, error.line) == (
        "Samenleven/x.md",
        text.split("\n").index("**[\\[0\\]]** : **(2021-02-30)**") + 1,
    )
    assert str(error) == f"Samenleven/x.md:{error.line}: {error.message}"
    assert "JJJJ-MM-DD" in error.message


# --------------------------------------------------------------------------- importing


@pytest.fixture
def seed_file(tmp_path):
    path = tmp_path / "Uitsluiting voorkomen, samenleven bevorderen.md"
    shutil.copy(builders.SEED_ANALYSIS, path)
    return path


@pytest.mark.django_db
def test_seed_import_creates_one_section_with_21_citations_one_incomplete(seed_file):
    report = import_analyses([seed_file], chapter="Samenleven")

    section = Section.objects.select_related("chapter__agreement", "summary").get()
    assert (section.chapter.title, section.number) == ("Samenleven", "1.2")
    assert section.chapter.agreement.slug == "regeerakkoord-2019-2024"
    assert section.title == "Uitsluiting voorkomen, samenleven bevorderen"
    assert not section.text.startswith(section.title)
    assert section.citations.count() == 21
    assert list(section.citations.incomplete().values_list("number", flat=True)) == [8]
    assert Decision.objects.count() == 20
    summary = section.summary
    assert summary.source_file == "Samenleven/Uitsluiting voorkomen, samenleven bevorderen.md"
    assert summary.source_sha256 == hashlib.sha256(seed_file.read_bytes()).hexdigest()
    assert summary.produced_by == PRODUCED_BY
    assert summary.imported_at is not None
    assert (report.files, report.sections_created, report.citations) == (1, 1, 21)
    assert (report.incomplete_citations, report.decisions_created) == (1, 20)


@pytest.mark.django_db
def test_corpus_tree_imports_every_file_with_chapters_from_top_folders():
    report = import_analyses([builders.require_corpus_sample()])

    assert report.files == 13
    assert report.sections_created == 13
    assert report.citations == Citation.objects.count() == 434
    assert set(Chapter.objects.values_list("title", flat=True)) == {
        "Buitenlands beleid en toerisme", "Dierenwelzijn", "Financien en begroting",
        "Justitie", "Kanselarij en bestuur", "Media", "Mobiliteit en openbare werken",
        "Omgeving", "Onderwijs", "Samenleven", "Welzijn",
    }  # fmt: skip
    assert Section.objects.filter(chapter__title="Samenleven").count() == 3
    assert Decision.objects.count() == report.decisions_created


@pytest.mark.django_db
def test_second_identical_run_changes_nothing():
    import_analyses([builders.require_corpus_sample()])
    before = builders.model_counts()
    stamps = list(Summary.objects.order_by("pk").values_list("imported_at", flat=True))

    report = import_analyses([builders.require_corpus_sample()])

    assert (report.sections_created, report.sections_updated) == (0, 0)
    assert report.sections_unchanged == 13
    assert report.decisions_created == 0
    assert builders.model_counts() == before
    assert list(Summary.objects.order_by("pk").values_list("imported_at", flat=True)) == stamps


@pytest.mark.django_db
def test_one_decision_per_normalised_title_and_date_across_files(tmp_path):
    builders.write_analysis(tmp_path, "A/een.md", number="1.1", references=[
        builders.reference_line(0, "Plan ‘Vlaamse’ Veerkracht", "2022-07-15"),
    ])  # fmt: skip
    builders.write_analysis(tmp_path, "B/twee.md", number="1.1", references=[
        builders.reference_line(0, "plan 'vlaamse'  veerkracht", "2022-07-15"),
    ])  # fmt: skip

    report = import_analyses([tmp_path])

    assert Decision.objects.count() == 1
    assert report.decisions_created == 1
    assert Citation.objects.filter(decision__isnull=False).count() == 2


@pytest.mark.django_db
def test_same_title_on_another_date_is_another_decision(seed_file):
    import_analyses([seed_file], chapter="Samenleven")
    assert Decision.objects.filter(title__startswith="Wijziging Gelijkekansendecreet").count() == 2


@pytest.mark.django_db
def test_same_decision_cited_twice_in_one_file_keeps_both_citations(tmp_path):
    builders.write_analysis(tmp_path, "A/een.md", body="Twee keer \\[0\\]\\[1\\].", references=[
        builders.reference_line(0, "Dezelfde beslissing"),
        builders.reference_line(1, "Dezelfde beslissing"),
    ])  # fmt: skip
    import_analyses([tmp_path])
    decision = Decision.objects.get()
    assert sorted(decision.citations.values_list("number", flat=True)) == [0, 1]


@pytest.mark.django_db
def test_existing_decision_is_reused_and_gets_the_first_link(tmp_path):
    existing = builders.make_decision(title="Testbeslissing", date=date(2022, 1, 21))
    builders.write_analysis(tmp_path, "A/een.md")

    report = import_analyses([tmp_path])

    existing.refresh_from_db()
    assert (report.decisions_created, report.decisions_reused) == (0, 1)
    assert existing.source_url.endswith("search=Testbeslissing")
    assert Citation.objects.get().decision == existing


@pytest.mark.django_db
def test_changed_file_updates_section_and_drops_citations_it_no_longer_has(tmp_path):
    path = builders.write_analysis(
        tmp_path, "A/een.md", body="Twee \\[0\\]\\[1\\].", references=[
            builders.reference_line(0, "Eerste"), builders.reference_line(1, "Tweede"),
        ],
    )  # fmt: skip
    import_analyses([tmp_path])
    builders.write_analysis(tmp_path, "A/een.md", text="Nieuwe tekst.", body="Een \\[0\\].",
                            references=[builders.reference_line(0, "Eerste")])  # fmt: skip

    report = import_analyses([tmp_path])

    assert path.exists()
    assert (report.sections_updated, report.sections_unchanged) == (1, 0)
    section = Section.objects.get()
    assert section.text == "Nieuwe tekst."
    assert section.summary.body == "Een \\[0\\]."
    assert list(section.citations.values_list("number", flat=True)) == [0]


@pytest.mark.django_db
def test_reimport_keeps_a_citation_an_editor_resolved(tmp_path):
    references = [builders.reference_line(0, "Eerste"), builders.reference_line(1)]
    builders.write_analysis(tmp_path, "A/een.md", body="\\[0\\]\\[1\\]", references=references)
    import_analyses([tmp_path])
    chosen = builders.make_decision(title="Door redacteur gekozen")
    Citation.objects.filter(number=1).update(decision=chosen, incomplete=False)
    builders.write_analysis(tmp_path, "A/een.md", body="Gewijzigd \\[0\\]\\[1\\]",
                            references=references)  # fmt: skip

    report = import_analyses([tmp_path])

    assert report.sections_updated == 1
    citation = Citation.objects.get(number=1)
    assert (citation.decision, citation.incomplete) == (chosen, False)


@pytest.mark.django_db
def test_import_never_creates_or_changes_evaluations(tmp_path, seed_file):
    import_analyses([seed_file], chapter="Samenleven")
    evaluation = builders.make_evaluation(section=Section.objects.get(), status="achieved")
    shutil.copy(builders.require_corpus_sample() / "Media.md", tmp_path / "Media.md")

    import_analyses([tmp_path])
    import_analyses([seed_file], chapter="Samenleven")

    assert list(Evaluation.objects.values_list("pk", "status")) == [(evaluation.pk, "achieved")]
    assert set(Section.objects.with_status().values_list("current_status", flat=True)) == {
        "achieved", "not_assessed",
    }  # fmt: skip


@pytest.mark.django_db
def test_dry_run_reports_but_writes_nothing():
    before = builders.model_counts()
    report = import_analyses([builders.require_corpus_sample()], dry_run=True)
    assert (report.dry_run, report.files, report.sections_created) == (True, 13, 13)
    assert builders.model_counts() == before


@pytest.mark.django_db
def test_a_section_imported_before_a_conclusion_form_was_known_gets_it_on_reimport(tmp_path):
    body = "De feiten \\[0\\].\n\n**Conclusie van de Evaluatie**\n\nNiet te beoordelen."
    builders.write_analysis(tmp_path, "A/een.md", body=body)
    import_analyses([tmp_path])
    # As the older importer stored it, and migration 0006 recorded it as baseline.
    summary = Summary.objects.get()
    summary.body, summary.conclusion = body, ""
    summary.import_baseline = {**summary.import_baseline, "body": body, "conclusion": ""}
    summary.save()

    report = import_analyses([tmp_path])
    again = import_analyses([tmp_path])

    summary.refresh_from_db()
    assert (summary.body, summary.conclusion) == ("De feiten \\[0\\].", "Niet te beoordelen.")
    assert (report.sections_updated, report.conflicts) == (1, [])
    assert again.sections_unchanged == 1


@pytest.mark.django_db
def test_sections_get_their_nearest_existing_parent(tmp_path):
    builders.write_analysis(tmp_path, "A/kind.md", number="1.2.6", heading="Kind")
    builders.write_analysis(tmp_path, "A/ouder.md", number="1", heading="Ouder")
    import_analyses([tmp_path])
    child = Section.objects.get(number="1.2.6")
    assert child.parent == Section.objects.get(number="1")


@pytest.mark.django_db
def test_agreement_is_found_by_slug_or_title(tmp_path):
    builders.write_analysis(tmp_path, "A/een.md")
    agreement = builders.make_agreement(title="Regeerakkoord 2024-2029")
    import_analyses([tmp_path], agreement_title="regeerakkoord-2024-2029")
    assert Section.objects.get().chapter.agreement == agreement


@pytest.mark.django_db
def test_untrusted_markup_is_stored_as_inert_text(tmp_path):
    script = "<script>alert(1)</script>"
    handler = '<img src=x onerror="alert(2)">'
    builders.write_analysis(
        tmp_path, f"A/{'Gevaar'}.md", heading=f"Gevaar {script}", title=f"Gevaar {script}",
        text=f"Tekst {handler} einde.", body=f"Samenvatting {script} {handler} \\[0\\].",
    )  # fmt: skip
    report = import_analyses([tmp_path])

    section = Section.objects.get()
    assert report.sections_created == 1
    assert script in section.title
    assert handler in section.text
    assert script in section.summary.body and handler in section.summary.body


# --------------------------------------------------------------------------- bad input


def _bad_files():
    good = builders.analysis_text()
    return {
        "empty": (b"", 1, "leeg bestand"),
        "binary-png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00", 1, "UTF-8"),
        "nul-bytes": (b"# Titel\x00\x00\x01\x02", None, "binair"),
        "not-utf8": ("# Titel\n\nCaf\u00e9".encode("latin-1"), 3, "UTF-8"),
        "no-heading": (good.replace("# Testsectie\n", "Testsectie\n").encode(), 1, "'# <titel"),
        "no-section-block": (b"# Titel\n\nAlleen tekst.\n", None, "sectieblok"),
        "no-number": (good.replace("<p>1.1 ", "<p>").encode(), 5, "sectienummer"),
        "truncated-references": (good[: good.rindex("</details>")].encode(), None, "</details>"),
        "impossible-date": (
            good.replace("(2022-01-21)", "(2022-02-30)").encode(), 13, "ongeldige datum"
        ),
        "duplicated-number": (
            builders.analysis_text(
                references=[builders.reference_line(0, "A"), builders.reference_line(0, "B")]
            ).encode(),
            15,
            "twee keer",
        ),
        "garbage-line": (
            builders.analysis_text(references=["", "dit is geen referentie"]).encode(),
            15,
            "verwacht '**[",
        ),
        "javascript-link": (
            good.replace("https://beslissingenvlaamseregering.vlaanderen.be/", "javascript:")
            .encode(),
            13,
            "http(s)",
        ),
        "text-after-references": (good.encode() + b"\nnog iets\n", 16, "einde van het bestand"),
    }  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(_bad_files()))
def test_bad_file_gives_clear_error_and_writes_nothing(tmp_path, name):
    content, line, expected = _bad_files()[name]
    builders.write_analysis(tmp_path, "Goed/aaa.md")  # a good file earlier in the same run
    (tmp_path / "Slecht").mkdir()
    (tmp_path / "Slecht" / f"{name}.md").write_bytes(content)
    before = builders.model_counts()

    with pytest.raises(AnalysisImportError) as excinfo:
        import_analyses([tmp_path])

    error = excinfo.value
    assert error.path == str(tmp_path / "Slecht" / f"{name}.md")
    if line is not None:
        assert error.line == line, str(error)
    assert expected in error.message
    assert builders.model_counts() == before


@pytest.mark.django_db
def test_file_over_the_size_limit_is_refused_with_the_limit(tmp_path):
    # 5 MB is a hundred times the largest real analysis: not an analysis, so refused.
    text = builders.analysis_text(text="woord " * (5 * 1024 * 1024 // 6))
    (tmp_path / "A").mkdir()
    (tmp_path / "A" / "groot.md").write_text(text, encoding="utf-8")
    before = builders.model_counts()

    with pytest.raises(AnalysisImportError) as excinfo:
        import_analyses([tmp_path])

    assert "te groot" in str(excinfo.value)
    assert str(MAX_FILE_BYTES) in str(excinfo.value)
    assert builders.model_counts() == before


@pytest.mark.django_db
def test_error_in_a_later_batch_rolls_back_earlier_batches(tmp_path, monkeypatch):
    monkeypatch.setattr("commitments.importers.analyses.BATCH_SIZE", 2)
    for index in range(5):
        builders.write_analysis(tmp_path, f"A/{index}.md", number=f"1.{index}")
    (tmp_path / "A" / "9-slecht.md").write_text("# Kapot\n", encoding="utf-8")
    before = builders.model_counts()

    with pytest.raises(AnalysisImportError):
        import_analyses([tmp_path])

    assert builders.model_counts() == before


@pytest.mark.django_db
def test_single_file_needs_a_chapter(seed_file):
    with pytest.raises(AnalysisImportError, match="--chapter"):
        import_analyses([seed_file])


@pytest.mark.django_db
def test_two_files_with_one_section_number_in_one_chapter_is_an_error(tmp_path):
    builders.write_analysis(tmp_path, "A/een.md", number="1.1")
    builders.write_analysis(tmp_path, "A/groep/twee.md", number="1.1")
    with pytest.raises(AnalysisImportError, match=r"staat ook in .*/A/een\.md"):
        import_analyses([tmp_path])
    assert Section.objects.count() == 0


@pytest.mark.django_db
def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(AnalysisImportError, match="bestaat niet"):
        import_analyses([tmp_path / "nergens"])


# --------------------------------------------------------------------------- queries


def _queries_for(tmp_path, count: int, user=None) -> int:
    for index in range(count):
        builders.write_analysis(
            tmp_path / str(count), f"A{count}/{index}.md", number=f"1.{index}",
            references=[builders.reference_line(0, f"Beslissing {count}-{index}"),
                        builders.reference_line(1, "Gedeeld")],
            body="\\[0\\]\\[1\\]",
        )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        import_analyses([tmp_path / str(count)], user=user)
    return len(queries)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_number_of_files(tmp_path):
    builders.make_agreement()
    user = builders.make_user()
    ContentType.objects.get_for_model(Section)  # cached from then on, as in a running site
    assert _queries_for(tmp_path, 2, user) == _queries_for(tmp_path, 12, user)


@pytest.mark.django_db
def test_importing_one_new_file_takes_a_fixed_set_of_queries(tmp_path, django_assert_num_queries):
    builders.make_chapter(title="A", agreement=builders.make_agreement())
    builders.write_analysis(tmp_path, "A/een.md")
    user = builders.make_user()
    ContentType.objects.get_for_model(Section)  # cached from then on, as in a running site
    expected = 23  # PostgreSQL: two lock queries fewer, two vector updates more
    # savepoint, the import lock (PostgreSQL: advisory lock; SQLite: short busy
    # timeout, take the write lock, timeout back), agreement by slug or title, the
    # agreement's chapters (is the folder one of them?), chapter by slug,
    # existing sections with summaries, existing decisions, insert new
    # decisions, read their ids, the new decisions' search documents (their
    # documents, the decisions, upsert; PostgreSQL: + vectors), insert section,
    # insert summary, insert citation, insert the history entry, the sections'
    # search documents (sections with summaries, citations with decisions,
    # upsert; PostgreSQL: + vectors), read the chapter's sections to relink
    # parents, release savepoint
    with django_assert_num_queries(expected):
        import_analyses([tmp_path], user=user)


@pytest.mark.django_db
def test_report_lists_every_section_of_the_run_new_updated_or_unchanged(tmp_path):
    builders.write_analysis(tmp_path, "Samenleven/Eerste.md", heading="Eerste", number="1.1")
    builders.write_analysis(tmp_path, "Samenleven/Tweede.md", heading="Tweede", number="1.2")
    first = import_analyses([tmp_path])
    every = set(Section.objects.values_list("pk", flat=True))
    assert set(first.section_ids) == every
    assert len(first.section_ids) == 2

    builders.write_analysis(
        tmp_path, "Samenleven/Tweede.md", heading="Tweede", number="1.2", body="Gewijzigd \\[0\\]."
    )
    second = import_analyses([tmp_path])
    assert (second.sections_updated, second.sections_unchanged) == (1, 1)
    assert set(second.section_ids) == every


# --------------------------------------------------------------------------- column limits


def _references(*lines: str) -> str:
    return builders.analysis_text(body="Tekst.", references=list(lines))


@pytest.mark.parametrize(
    ("number", "shown"),
    [("2147483648", "2147483648"), ("9" * 5000, "9" * 20 + "…")],
    ids=["2**31", "5000-digits"],
)
def test_a_citation_number_beyond_the_column_is_a_file_line_error(number, shown):
    text = _references(f"**[\\[{number}\\]]** : **(2022-01-21)**")
    with pytest.raises(AnalysisImportError) as excinfo:
        parse_analysis(text, source="groot.md")
    line = text.split("\n").index(f"**[\\[{number}\\]]** : **(2022-01-21)**") + 1
    assert str(excinfo.value) == (
        f"groot.md:{line}: referentienummer [{shown}] is te groot; hoogstens 2147483647"
    )


@pytest.mark.django_db
def test_the_largest_citation_number_the_column_holds_is_imported(tmp_path):
    builders.write_analysis(
        tmp_path, "A/een.md", body="\\[2147483647\\]",
        references=[builders.reference_line(2147483647, "Laatste")],
    )  # fmt: skip
    import_analyses([tmp_path])
    assert Citation.objects.get().number == 2147483647


def test_a_huge_number_cited_in_the_text_is_no_traceback():
    text = builders.analysis_text(body=f"Tekst \\[0\\] en \\[{'9' * 5000}\\].")
    assert parse_analysis(text, source="t.md").citations[0].number == 0


def test_a_title_that_grows_beyond_the_column_when_normalised_is_refused():
    # NFKC turns the ligature into three letters: 400 characters become 1,200.
    title = "ﬃ" * 400
    text = _references(builders.reference_line(0, title))
    with pytest.raises(AnalysisImportError, match=r"titel van referentie \[0\] is langer dan 1000"):
        parse_analysis(text, source="t.md")


@pytest.mark.django_db
def test_a_chapter_name_beyond_the_column_is_refused_not_cut(tmp_path):
    path = builders.write_analysis(tmp_path, "een.md")
    before = builders.model_counts()
    with pytest.raises(AnalysisImportError, match="hoofdstuknaam is langer dan 300 tekens"):
        import_analyses([path], chapter="H" * 301)
    assert builders.model_counts() == before


@pytest.mark.django_db
def test_an_agreement_name_beyond_the_column_is_refused(tmp_path):
    builders.write_analysis(tmp_path, "A/een.md")
    with pytest.raises(AnalysisImportError) as excinfo:
        import_analyses([tmp_path], agreement_title="R" * 201)
    assert str(excinfo.value).startswith("--agreement: verwacht de slug of titel")
    assert not Agreement.objects.exists()


@pytest.mark.django_db
def test_a_provenance_path_beyond_the_column_is_refused(tmp_path):
    deep = "/".join(["g" * 240] * 5)
    path = builders.write_analysis(tmp_path, f"A/{deep}/een.md")
    with pytest.raises(AnalysisImportError) as excinfo:
        import_analyses([tmp_path])
    assert str(excinfo.value) == f"{path}: het pad van dit bestand is langer dan 1000 tekens"
    assert not Section.objects.exists()
