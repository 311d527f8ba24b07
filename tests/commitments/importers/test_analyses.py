"""A run, and its entry points agreeing: a folder, a single file with --chapter,
the admin upload and load_seed import the same file as the same source."""

import shutil
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from commitments.importers import AnalysisImportError, import_analyses
from commitments.models import Chapter, Section, Summary
from tests import builders

pytestmark = pytest.mark.django_db

SEED_NAME = "Uitsluiting voorkomen, samenleven bevorderen.md"


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def tree(tmp_path):
    """A corpus with groupings: Welzijn/Werf 1/Jeugdhulp.md and Omgeving/…."""
    root = tmp_path / "corpus"
    builders.write_analysis(root, "Welzijn/Werf 1/Jeugdhulp.md", heading="Jeugdhulp", number="1.2")
    builders.write_analysis(root, "Omgeving/Biodiversiteit/Soorten.md", heading="Soorten")
    builders.write_analysis(root, "Omgeving/Klimaat.md", heading="Klimaat", number="2.1")
    return root


def test_a_single_file_after_its_folder_is_unchanged_and_keeps_its_provenance(tree):
    run("import_analyses", str(tree))
    jeugdhulp = tree / "Welzijn" / "Werf 1" / "Jeugdhulp.md"
    counts = builders.model_counts()

    alone = run("import_analyses", str(jeugdhulp), "--chapter", "Welzijn")
    folder = run("import_analyses", str(tree))

    assert "Secties: 0 nieuw, 0 bijgewerkt, 1 ongewijzigd" in alone
    assert "Secties: 0 nieuw, 0 bijgewerkt, 3 ongewijzigd" in folder
    assert builders.model_counts() == counts
    assert Summary.objects.get(section__number="1.2").source_file == "Welzijn/Werf 1/Jeugdhulp.md"


def test_a_folder_after_a_single_file_completes_the_provenance_once(tree):
    jeugdhulp = tree / "Welzijn" / "Werf 1" / "Jeugdhulp.md"
    run("import_analyses", str(jeugdhulp), "--chapter", "Welzijn")
    assert Summary.objects.get().source_file == "Welzijn/Jeugdhulp.md"

    first = run("import_analyses", str(tree))
    second = run("import_analyses", str(tree))
    alone = run("import_analyses", str(jeugdhulp), "--chapter", "Welzijn")

    assert "Secties: 2 nieuw, 1 bijgewerkt, 0 ongewijzigd" in first
    assert "Secties: 0 nieuw, 0 bijgewerkt, 3 ongewijzigd" in second
    assert "Secties: 0 nieuw, 0 bijgewerkt, 1 ongewijzigd" in alone
    assert Summary.objects.get(section__number="1.2").source_file == "Welzijn/Werf 1/Jeugdhulp.md"


def test_an_admin_upload_after_the_folder_import_is_unchanged(tree, admin_user_client):
    run("import_analyses", str(tree))
    counts = builders.model_counts()
    upload = SimpleUploadedFile(
        "Jeugdhulp.md", (tree / "Welzijn" / "Werf 1" / "Jeugdhulp.md").read_bytes()
    )
    response = admin_user_client.post(
        reverse("admin:commitments_section_import"), {"file": upload, "chapter": "Welzijn"}
    )
    assert response.status_code == 302
    assert "is ongewijzigd" in admin_user_client.get(response.url).text
    assert builders.model_counts() == counts


def test_load_seed_after_the_corpus_import_finds_the_seed_unchanged(tmp_path):
    (tmp_path / "Samenleven").mkdir()
    shutil.copy(builders.SEED_ANALYSIS, tmp_path / "Samenleven" / SEED_NAME)
    run("import_analyses", str(tmp_path))
    output = run("load_seed")
    assert "Secties: 0 nieuw, 0 bijgewerkt, 1 ongewijzigd" in output
    assert Summary.objects.get().source_file == f"Samenleven/{SEED_NAME}"


def test_the_corpus_sample_imported_file_by_file_matches_the_folder_import():
    corpus = builders.require_corpus_sample()
    run("import_analyses", str(corpus))
    relative = "Welzijn/Concrete voorstellen/Werf 1_ Welzijn en gezin/Integrale jeugdhulp.md"
    output = run("import_analyses", str(corpus / relative), "--chapter", "Welzijn")
    assert "Secties: 0 nieuw, 0 bijgewerkt, 1 ongewijzigd" in output
    assert "Secties: 0 nieuw, 0 bijgewerkt, 13 ongewijzigd" in run("import_analyses", str(corpus))


def test_a_chapter_folder_is_refused_without_chapter_or_confirmation(tree):
    run("import_analyses", str(tree))
    counts = builders.model_counts()
    with pytest.raises(CommandError) as excinfo:
        run("import_analyses", str(tree / "Omgeving"))
    message = str(excinfo.value)
    assert message.startswith(f"{tree / 'Omgeving'}: deze map heet zoals hoofdstuk 'Omgeving'")
    assert '--chapter "Omgeving"' in message
    assert "--subfolders-as-chapters" in message
    assert builders.model_counts() == counts


def test_a_chapter_folder_with_its_chapter_is_the_same_source_as_the_corpus_import(tree):
    run("import_analyses", str(tree))
    output = run("import_analyses", str(tree / "Omgeving"), "--chapter", "Omgeving")
    assert "Secties: 0 nieuw, 0 bijgewerkt, 2 ongewijzigd" in output


def test_a_chapter_folder_with_its_chapter_puts_every_file_in_that_chapter(tree):
    builders.make_chapter(title="Omgeving", agreement=builders.make_agreement())
    import_analyses([tree / "Omgeving"], chapter="Omgeving")
    assert set(Section.objects.values_list("chapter__title", "number")) == {
        ("Omgeving", "1.1"), ("Omgeving", "2.1"),
    }  # fmt: skip
    assert set(Summary.objects.values_list("source_file", flat=True)) == {
        "Omgeving/Biodiversiteit/Soorten.md", "Omgeving/Klimaat.md",
    }  # fmt: skip


def test_confirmed_subfolders_become_chapters(tree):
    builders.make_chapter(title="Omgeving", agreement=builders.make_agreement())
    with pytest.raises(AnalysisImportError):
        import_analyses([tree / "Omgeving"])
    import_analyses([tree / "Omgeving"], subfolders_as_chapters=True)
    assert set(Chapter.objects.values_list("title", flat=True)) == {
        "Omgeving", "Biodiversiteit", "Klimaat",
    }  # fmt: skip
