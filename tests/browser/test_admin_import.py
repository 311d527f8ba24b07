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
