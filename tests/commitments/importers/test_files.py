"""Finding the files of a run: chapters, provenance, and folders that look like a chapter."""

from pathlib import Path

import pytest

from commitments.importers import AnalysisImportError
from commitments.importers.files import (
    SourceFile,
    collect_files,
    provenance,
    refuse_chapter_folders,
)
from tests import builders


def sources(files):
    return [(f.chapter, f.source, f.exact) for f in files]


def test_a_folder_makes_its_first_level_chapters_and_keeps_groupings_in_the_provenance(tmp_path):
    builders.write_analysis(tmp_path, "Welzijn/Werf 1/Jeugdhulp.md")
    builders.write_analysis(tmp_path, "Media.md")
    builders.write_analysis(tmp_path, ".verborgen/Niet.md")
    (tmp_path / "Welzijn" / "notities.pdf").write_bytes(b"%PDF")
    assert sources(collect_files([tmp_path], chapter=None)) == [
        ("Media", "Media.md", True),
        ("Welzijn", "Welzijn/Werf 1/Jeugdhulp.md", True),
    ]


def test_a_single_file_knows_only_its_chapter_and_name(tmp_path):
    path = builders.write_analysis(tmp_path, "ergens/Jeugdhulp.md")
    assert sources(collect_files([path], chapter="Welzijn")) == [
        ("Welzijn", "Welzijn/Jeugdhulp.md", False)
    ]


def test_a_chapter_folder_imported_with_its_chapter_names_files_as_a_corpus_import_does(
    tmp_path,
):
    builders.write_analysis(tmp_path, "Omgeving/Biodiversiteit/Soorten.md")
    assert sources(collect_files([tmp_path / "Omgeving"], chapter="Omgeving")) == [
        ("Omgeving", "Omgeving/Biodiversiteit/Soorten.md", True)
    ]


def test_a_folder_imported_under_another_chapter_name_is_not_exact(tmp_path):
    builders.write_analysis(tmp_path, "download/Biodiversiteit/Soorten.md")
    assert sources(collect_files([tmp_path / "download"], chapter="Omgeving")) == [
        ("Omgeving", "Omgeving/Biodiversiteit/Soorten.md", False)
    ]


@pytest.mark.parametrize(
    ("stored", "new", "exact", "kept"),
    [
        # A single file after its folder import: the same file, the path stays.
        ("Welzijn/Werf/Jeugdhulp.md", "Welzijn/Jeugdhulp.md", False, "Welzijn/Werf/Jeugdhulp.md"),
        ("Financien en begroting/Begroting.md", "Financiën en begroting/Begroting.md", False,
         "Financien en begroting/Begroting.md"),
        # Another file name is another file.
        ("Welzijn/Werf/Jeugdhulp.md", "Welzijn/Jeugd.md", False, "Welzijn/Jeugd.md"),
        # A folder import knows the whole path: it wins.
        ("Welzijn/Jeugdhulp.md", "Welzijn/Werf/Jeugdhulp.md", True, "Welzijn/Werf/Jeugdhulp.md"),
        ("", "Welzijn/Jeugdhulp.md", False, "Welzijn/Jeugdhulp.md"),
    ],
)  # fmt: skip
def test_provenance_of_a_file_imported_again(stored, new, exact, kept):
    assert provenance(stored, SourceFile(Path("x.md"), "Welzijn", new, exact)) == kept


def test_a_folder_named_like_an_existing_chapter_asks_for_chapter_or_confirmation(tmp_path):
    builders.write_analysis(tmp_path, "Omgeving/Biodiversiteit/Soorten.md")
    builders.write_analysis(tmp_path, "Omgeving/Klimaat/Energie.md")
    builders.write_analysis(tmp_path, "Omgeving/Ruimte.md")
    with pytest.raises(AnalysisImportError) as excinfo:
        refuse_chapter_folders(
            [tmp_path / "Omgeving"],
            chapters={"omgeving": "Omgeving", "media": "Media"},
            agreement="Regeerakkoord 2019-2024",
        )
    assert str(excinfo.value) == (
        f"{tmp_path / 'Omgeving'}: deze map heet zoals hoofdstuk 'Omgeving' van Regeerakkoord "
        "2019-2024, maar bij een map wordt elke submap een hoofdstuk ('Biodiversiteit', "
        "'Klimaat', 'Ruimte'). Importeer de map als dat hoofdstuk met --chapter \"Omgeving\", "
        "of bevestig met --subfolders-as-chapters dat de submappen hoofdstukken zijn"
    )


def test_a_corpus_folder_is_not_mistaken_for_a_chapter(tmp_path):
    builders.write_analysis(tmp_path, "corpus/Omgeving/Soorten.md")
    refuse_chapter_folders(
        [tmp_path / "corpus"], chapters={"omgeving": "Omgeving"}, agreement="Regeerakkoord"
    )
