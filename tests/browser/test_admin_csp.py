"""The Django admin works under our strict CSP in real Chromium: no violation
is reported and the admin's own scripts (all served from /static/) still run."""

import pytest
from django.urls import reverse

from tests.builders import make_citation, make_decision, make_minister, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-2024"


@pytest.fixture
def csp_watch(page):
    page.csp_violations = []
    page.on(
        "console",
        lambda msg: "Content Security Policy" in msg.text and page.csp_violations.append(msg.text),
    )
    return page


def _log_in(page):
    make_user(username="redacteur", password=PASSWORD, is_staff=True, is_superuser=True)
    response = page.goto(reverse("admin:login"))
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_label("Gebruikersnaam").fill("redacteur")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/admin/")


def test_admin_login_page_has_no_csp_violations_and_logs_in(csp_watch):
    _log_in(csp_watch)
    assert (
        csp_watch.get_by_role(
            "heading", name="Regeerakkoord, beslissingen en evaluaties beheren"
        ).count()
        == 1
    )
    assert csp_watch.csp_violations == []
    assert csp_watch.js_errors == []


def test_section_change_page_scripts_run_under_the_csp(csp_watch):
    citation = make_citation()
    _log_in(csp_watch)
    csp_watch.goto(reverse("admin:commitments_section_change", args=[citation.section.pk]))
    # inlines.js adds the "add another" link of the summary: proof that admin JavaScript ran.
    assert csp_watch.locator(".add-row a").count() >= 1
    # Citations have their own change page; there the autocomplete widget
    # (select2, from /static/) turned the decision select into a combobox.
    csp_watch.goto(reverse("admin:commitments_citation_change", args=[citation.pk]))
    assert csp_watch.locator(".select2-container").count() >= 1
    assert csp_watch.csp_violations == []
    assert csp_watch.js_errors == []


def test_decision_change_page_and_save_work_under_the_csp(csp_watch):
    decision = make_decision(title="Oorspronkelijke titel", ministers=[make_minister()])
    _log_in(csp_watch)
    csp_watch.goto(reverse("admin:decisions_decision_change", args=[decision.pk]))
    # SelectFilter2.js builds the two-list widget for filter_horizontal.
    assert csp_watch.locator("#id_ministers_from").count() == 1
    csp_watch.get_by_label("Titel:", exact=True).fill("Gewijzigde titel")
    csp_watch.locator("input[name=_save]").click()
    csp_watch.wait_for_url("**/decisions/decision/")
    decision.refresh_from_db()
    assert decision.title == "Gewijzigde titel"
    assert csp_watch.csp_violations == []
    assert csp_watch.js_errors == []
