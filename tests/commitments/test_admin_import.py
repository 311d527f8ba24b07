"""Editors import an analysis file from the admin ("Analyse importeren")."""

import re
import tempfile

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from commitments.models import Section
from tests.builders import SEED_ANALYSIS, analysis_text, make_chapter, make_user, model_counts
from tests.import_lock import another_import_running

pytestmark = pytest.mark.django_db

URL = reverse("admin:commitments_section_import")
SEED_NAME = "Uitsluiting voorkomen, samenleven bevorderen.md"


def _seed_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile(SEED_NAME, SEED_ANALYSIS.read_bytes(), content_type="text/markdown")


def _post(client, upload, *, chapter="Samenleven", dry_run=False):
    data = {"file": upload, "chapter": chapter}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(URL, data)


def test_section_changelist_links_to_the_import_page(admin_user_client):
    response = admin_user_client.get(reverse("admin:commitments_section_changelist"))
    assert f'href="{URL}"' in response.text
    assert "Analyse importeren" in response.text


def test_import_page_offers_existing_chapters_and_dry_run_is_ticked_first(admin_user_client):
    make_chapter(title="Samenleven")
    response = admin_user_client.get(URL)
    assert response.status_code == 200
    assert re.search(r'<input type="checkbox" name="dry_run"[^>]*\bchecked>', response.text)
    assert "Bestaande hoofdstukken: Samenleven" in response.text
    assert 'enctype="multipart/form-data"' in response.text


def test_dry_run_shows_the_report_and_writes_nothing(admin_user_client):
    before = model_counts()
    response = _post(admin_user_client, _seed_upload(), dry_run=True)
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.files, report.sections_created, report.citations) == (1, 1, 21)
    assert report.incomplete_citations == 1
    assert report.decisions_created == 20
    assert "Proefdraai: er is niets opgeslagen." in response.text
    assert "Samenleven 1.2 Uitsluiting voorkomen, samenleven bevorderen" in response.text
    assert "21, waarvan 1 onvolledig" in response.text
    assert model_counts() == before


def test_real_run_imports_the_seed_and_redirects_to_the_section(admin_user_client):
    response = _post(admin_user_client, _seed_upload())
    section = Section.objects.get(chapter__title="Samenleven", number="1.2")
    assert response.status_code == 302
    assert response.url == reverse("admin:commitments_section_change", args=[section.pk])
    assert section.title == "Uitsluiting voorkomen, samenleven bevorderen"
    assert section.citations.count() == 21
    assert section.citations.filter(incomplete=True).count() == 1
    assert section.summary.source_file == f"Samenleven/{SEED_NAME}"
    entry = LogEntry.objects.get(object_id=str(section.pk))
    assert entry.user == admin_user_client.user
    assert entry.action_flag == ADDITION
    assert SEED_NAME in entry.change_message
    page = admin_user_client.get(response.url)
    assert "21 referenties, waarvan 1 onvolledig" in page.text


def test_importing_the_same_file_again_changes_nothing_and_logs_nothing(admin_user_client):
    _post(admin_user_client, _seed_upload())
    before = model_counts()
    response = _post(admin_user_client, _seed_upload())
    assert response.status_code == 302
    assert model_counts() == before
    follow = admin_user_client.get(response.url)
    assert "is ongewijzigd" in follow.text


def test_a_cut_off_file_shows_the_original_name_and_line_and_writes_nothing(admin_user_client):
    text = SEED_ANALYSIS.read_text(encoding="utf-8")
    cut = text[: text.rindex("</details>")]
    before = model_counts()
    response = _post(admin_user_client, SimpleUploadedFile(SEED_NAME, cut.encode()))
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    last_line = cut.count("\n") + 1
    assert error.startswith(f"{SEED_NAME}:{last_line}: referentieblok niet afgesloten")
    assert tempfile.gettempdir() not in response.text
    assert model_counts() == before


def test_a_file_that_is_not_utf8_shows_the_original_name_and_line(admin_user_client):
    data = analysis_text(heading="Testsectie").encode("utf-8").replace(b"discriminatie", b"\xff")
    before = model_counts()
    response = _post(admin_user_client, SimpleUploadedFile("Testsectie.md", data))
    [error] = response.context["form"].non_field_errors()
    assert error.startswith("Testsectie.md:5: geen geldige UTF-8-tekst")
    assert model_counts() == before


def test_a_file_that_is_not_markdown_or_text_is_refused(admin_user_client):
    response = _post(admin_user_client, SimpleUploadedFile("analyse.pdf", b"%PDF-1.4"))
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "verwacht een .md- of .txt-bestand, niet 'analyse.pdf'"
    ]
    assert not Section.objects.exists()


def test_staff_with_only_add_and_change_section_is_refused_with_a_clear_403(client):
    # An import also creates chapters and decisions: section rights are not enough.
    user = make_user(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_section", "change_section"])
    )
    client.force_login(user)
    for response in (client.get(URL), _post(client, _seed_upload())):
        assert response.status_code == 403
        assert "U mag geen analyses importeren" in response.text
        assert "Kan analyses importeren" in response.text
        assert "multipart/form-data" not in response.text
    assert not Section.objects.exists()
    changelist = client.get(reverse("admin:commitments_section_changelist"))
    assert f'href="{URL}"' not in changelist.text


def test_staff_with_the_import_permission_may_import(client):
    user = make_user(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["import_analyses", "view_section"])
    )
    client.force_login(user)
    assert client.get(URL).status_code == 200
    changelist = client.get(reverse("admin:commitments_section_changelist"))
    assert f'href="{URL}"' in changelist.text
    response = _post(client, _seed_upload())
    assert response.status_code == 302
    assert Section.objects.get().citations.count() == 21


def test_anonymous_user_is_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_import_without_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(is_staff=True, is_superuser=True))
    response = _post(client, _seed_upload())
    assert response.status_code == 403
    assert not Section.objects.exists()


def test_import_page_query_count(admin_user_client, django_assert_num_queries):
    for index in range(5):
        make_chapter(title=f"Hoofdstuk {index}")
    # 1 session, 2 user, 3 the chapter names of the default agreement.
    with django_assert_num_queries(3):
        response = admin_user_client.get(URL)
    assert "Hoofdstuk 4" in response.text


@pytest.mark.django_db(transaction=True)
def test_while_another_import_runs_the_page_says_so_at_once_and_keeps_the_form(
    admin_user_client,
):
    make_chapter(title="Samenleven")
    before = model_counts()
    with another_import_running():
        response = _post(admin_user_client, _seed_upload(), dry_run=True)

    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert error.startswith("Er loopt al een import; er is niets opgeslagen.")
    assert "kies daarvoor het bestand opnieuw" in error
    assert re.search(r'<input type="text" name="chapter" value="Samenleven"', response.text)
    assert re.search(r'<input type="checkbox" name="dry_run"[^>]*\bchecked>', response.text)
    assert model_counts() == before
    # Once the other import is done, the same form goes through.
    assert _post(admin_user_client, _seed_upload(), dry_run=True).context["report"].files == 1


def test_a_citation_number_beyond_the_column_is_a_form_error_not_a_500(admin_user_client):
    text = analysis_text(references=["**[\\[2147483648\\]]** : **(2022-01-21)**"])
    before = model_counts()
    response = _post(admin_user_client, SimpleUploadedFile("Testsectie.md", text.encode()))
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    line = text.split("\n").index("**[\\[2147483648\\]]** : **(2022-01-21)**") + 1
    assert error == (
        f"Testsectie.md:{line}: referentienummer [2147483648] is te groot; hoogstens 2147483647"
    )
    assert model_counts() == before


def test_dry_run_page_shows_the_lines_the_command_prints(admin_user_client):
    response = _post(admin_user_client, _seed_upload(), dry_run=True)
    lines = response.context["report"].lines()
    assert lines[0] == "Proefdraai: er is niets opgeslagen."
    assert "Conflicten: 0" in lines
    for line in lines:
        assert f"<li>{escape(line)}</li>" in response.text
