"""An editor resolves a citation and imports evaluations in real Chromium:
without JavaScript, under the strict CSP, and the pages pass axe."""

from datetime import date

import pytest
from django.urls import reverse

from commitments.models import Evaluation
from tests.browser.conftest import assert_no_axe_violations
from tests.builders import make_decision, make_seed_section, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-2024"


def _log_in(page):
    make_user(username="redacteur", password=PASSWORD, is_staff=True, is_superuser=True)
    page.goto(reverse("admin:login"))
    page.get_by_label("Gebruikersnaam").fill("redacteur")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/admin/")


@pytest.fixture
def page_without_js(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-BE", java_script_enabled=False
    )
    yield context.new_page()
    context.close()


def test_editor_resolves_the_seed_citation_8_with_a_decision_of_another_day_without_js(
    page_without_js,
):
    page = page_without_js
    section = make_seed_section()
    chosen = make_decision(
        title="Evaluatie en bijsturing convenanten discriminatie", date=date(2020, 6, 29)
    )
    _log_in(page)
    # The section's citation list: the citation list filtered on the section.
    section_list = (
        f"{reverse('admin:commitments_citation_changelist')}?section__id__exact={section.pk}"
    )
    page.goto(section_list)
    page.get_by_role("link", name="Oplossen").click()

    assert "zelfregulatie [5][6][7][8]." in page.locator(".resolve-sentences").inner_text()
    page.get_by_label(chosen.title).check()
    page.get_by_role("button", name="Deze beslissing kiezen").click()

    # Another date than the source's: a second step asks for confirmation.
    page.get_by_label("Ja, deze beslissing van een andere datum is de bedoelde.").check()
    page.get_by_role("button", name="Bevestigen en opslaan").click()

    page.wait_for_url(f"**{section_list}")
    message = page.locator(".messagelist .success").inner_text()
    assert "Referentie [8]" in message and chosen.title in message
    citation = section.citations.get(number=8)
    assert citation.decision == chosen and not citation.incomplete


def test_the_resolve_page_and_its_confirmation_pass_axe(page):
    section = make_seed_section()
    make_decision(title="Andere dag", date=date(2020, 6, 29))
    _log_in(page)
    page.goto(
        reverse("admin:commitments_citation_resolve", args=[section.citations.get(number=8).pk])
    )
    assert_no_axe_violations(page)
    page.get_by_label("Andere dag").check()
    page.get_by_role("button", name="Deze beslissing kiezen").click()
    page.get_by_label("Ja, deze beslissing van een andere datum is de bedoelde.").wait_for()
    assert_no_axe_violations(page)
    assert page.js_errors == []


def test_editor_imports_evaluations_after_a_dry_run(page):
    section = make_seed_section()
    csv_text = (
        "section;status;rationale\n"
        f"{section.get_absolute_url()};In uitvoering;Een nieuwe erkenningsprocedure [2][3].\n"
    ).encode()
    upload = [{"name": "evaluaties.csv", "mimeType": "text/csv", "buffer": csv_text}]
    _log_in(page)
    page.goto(reverse("admin:commitments_evaluation_changelist"))
    page.get_by_role("link", name="Evaluaties importeren (CSV)").click()
    page.get_by_label("CSV-bestand").set_input_files(files=upload)
    page.get_by_role("button", name="Verzenden").click()
    assert "1 evaluatie zou" in page.locator("#import-report").inner_text()
    assert_no_axe_violations(page)
    assert not Evaluation.objects.exists()

    # The next step has dry run off already; the same file is chosen again.
    page.get_by_label("CSV-bestand").set_input_files(files=upload)
    page.get_by_role("button", name="Verzenden").click()
    page.wait_for_url(f"**{reverse('admin:commitments_evaluation_changelist')}")
    assert "1 evaluatie aangemaakt." in page.locator(".messagelist").inner_text()
    evaluation = Evaluation.objects.get()
    assert (evaluation.section, evaluation.state) == (section, Evaluation.State.PROPOSED)
    assert page.js_errors == []
