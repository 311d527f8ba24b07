"""An editor uploads an analysis in the admin in real Chromium, under the strict CSP."""

import pytest
from django.urls import reverse

from commitments.models import Section
from tests.builders import SEED_ANALYSIS, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-2024"
SEED_NAME = "Uitsluiting voorkomen, samenleven bevorderen.md"


def test_editor_uploads_the_seed_and_lands_on_the_imported_section(page):
    violations = []
    page.on(
        "console",
        lambda msg: "Content Security Policy" in msg.text and violations.append(msg.text),
    )
    make_user(username="redacteur", password=PASSWORD, is_staff=True, is_superuser=True)
    page.goto(reverse("admin:login"))
    page.get_by_label("Gebruikersnaam").fill("redacteur")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/admin/")

    page.goto(reverse("admin:commitments_section_changelist"))
    page.get_by_role("link", name="Analyse importeren").click()
    page.get_by_label("Analysebestand").set_input_files(
        files=[
            {"name": SEED_NAME, "mimeType": "text/markdown", "buffer": SEED_ANALYSIS.read_bytes()}
        ]
    )
    page.get_by_label("Hoofdstuk").fill("Samenleven")
    page.get_by_label("Proefdraaien (niets opslaan)").uncheck()
    page.get_by_role("button", name="Importeren").click()

    page.wait_for_url("**/admin/commitments/section/*/change/")
    section = Section.objects.get(chapter__title="Samenleven", number="1.2")
    assert page.url.endswith(reverse("admin:commitments_section_change", args=[section.pk]))
    assert (
        page.locator(".messagelist .success")
        .inner_text()
        .startswith(f"Analyse {SEED_NAME} geïmporteerd in Samenleven 1.2")
    )
    assert section.citations.count() == 21
    assert violations == []
    assert page.js_errors == []


def _upload(page, data: bytes, *, dry_run=False):
    page.goto(reverse("admin:commitments_section_import"))
    page.get_by_label("Analysebestand").set_input_files(
        files=[{"name": SEED_NAME, "mimeType": "text/markdown", "buffer": data}]
    )
    page.get_by_label("Hoofdstuk").fill("Samenleven")
    if not dry_run:
        page.get_by_label("Proefdraaien (niets opslaan)").uncheck()
    page.get_by_role("button", name="Importeren").click()


def test_an_editors_correction_survives_reuploads_and_a_changed_file_shows_the_conflict(page):
    make_user(username="redacteur", password=PASSWORD, is_staff=True, is_superuser=True)
    page.goto(reverse("admin:login"))
    page.get_by_label("Gebruikersnaam").fill("redacteur")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/admin/")
    seed = SEED_ANALYSIS.read_bytes()
    _upload(page, seed)
    page.wait_for_url("**/admin/commitments/section/*/change/")

    # The editor corrects the title and adds a line to the summary, in the browser.
    page.get_by_label("Titel:", exact=True).fill("Titel van de redactie")
    body = page.locator("textarea[name='summary-0-body']")
    body.fill(body.input_value() + "\nAangevuld door de redactie.")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/commitments/section/")

    _upload(page, seed)
    page.wait_for_url("**/admin/commitments/section/*/change/")
    assert "is ongewijzigd" in page.locator(".messagelist .success").inner_text()

    changed = seed.replace(b"Samenvatting van regeringsbesluiten", b"Samenvatting van besluiten")
    changed = changed.replace(
        b"<p>1.2 Uitsluiting voorkomen, samenleven bevorderen",
        b"<p>1.2 Uitsluiting voorkomen, samen leven bevorderen",
    )
    _upload(page, changed, dry_run=True)
    # Both changed the title and the summary: two conflicts, nothing saved yet.
    assert "Conflicten: 2" in page.locator("#import-report").inner_text()
    _upload(page, changed)
    page.wait_for_url("**/admin/commitments/section/*/change/")
    warnings = page.locator(".messagelist .warning").all_inner_texts()
    assert warnings[0] == (
        "Samenleven 1.2, titel: de wijziging van een redacteur is behouden; het bestand zegt "
        "'Uitsluiting voorkomen, samen leven bevorderen'"
    )
    assert warnings[1].startswith(
        "Samenleven 1.2, samenvatting: de wijziging van een redacteur is behouden; "
        "het bestand zegt 'Samenvatting van besluiten"
    )

    section = Section.objects.get()
    section.summary.refresh_from_db()
    assert section.title == "Titel van de redactie"
    assert section.summary.body.rstrip().endswith("Aangevuld door de redactie.")
    assert page.js_errors == []
