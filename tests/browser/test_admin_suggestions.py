"""Suggestions in real Chromium: the decision's admin page shows where it is
cited and the sections it may serve, passes axe, and "Koppelen als citaat"
works without JavaScript under the CSP."""

import pytest
from django.urls import reverse

from commitments.models import Citation
from tests.builders import make_chapter, make_citation, make_decision, make_section, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-2024"


def _log_in(page):
    make_user(username="redacteur", password=PASSWORD, is_staff=True, is_superuser=True)
    page.goto(reverse("admin:login"))
    page.get_by_label("Gebruikersnaam").fill("redacteur")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/admin/")


def test_an_editor_links_a_suggested_section_in_one_click_without_javascript(browser, live_server):
    chapter = make_chapter(title="Omgeving", slug="omgeving")
    water = make_section(
        chapter,
        number="1.1",
        title="Waterbeleid en droogte",
        text="We pakken de droogte aan: grondwater aanvullen en regenwater opvangen.",
    )
    cited = make_section(chapter, number="1.2", title="Natuur", text="Bossen en heide.")
    decision = make_decision(title="Droogteplan: grondwater aanvullen en regenwater opvangen")
    make_citation(cited, decision=decision, number=0)
    context = browser.new_context(
        base_url=live_server.url, locale="nl-BE", java_script_enabled=False
    )
    page = context.new_page()
    try:
        _log_in(page)
        page.goto(reverse("admin:decisions_decision_change", args=[decision.pk]))
        cited_in = page.locator("#decision-cited-in")
        assert cited_in.get_by_role("link", name="1.2 Natuur").count() == 1
        suggested = page.locator("#suggested-sections")
        assert (
            suggested.get_by_role("link", name="Omgeving 1.1 Waterbeleid en droogte").count() == 1
        )
        # (axe needs JavaScript: the test below runs it on the same page.)
        suggested.get_by_role("button", name="Koppelen als citaat").first.click()
        page.wait_for_url(f"**{reverse('admin:decisions_decision_change', args=[decision.pk])}")
        assert (
            "is gekoppeld als referentie [0] van Omgeving"
            in page.locator(".messagelist").inner_text()
        )
        assert (
            page.locator("#decision-cited-in")
            .get_by_role("link", name="1.1 Waterbeleid en droogte")
            .count()
            == 1
        )
    finally:
        context.close()
    citation = Citation.objects.get(section=water)
    assert (citation.number, citation.decision, citation.raw_title) == (0, decision, decision.title)


def assert_no_axe_violations_in(page, selectors: list[str]) -> None:
    """axe on our own parts of the admin page (Django's admin markup is Django's)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context={"include": [[s] for s in selectors]})
    assert not results.response["violations"], results.generate_report()


def test_decision_page_with_suggestions_passes_axe_under_the_csp(page):
    make_section(make_chapter(), number="1.1", title="Grondwater", text="Droogte en grondwater.")
    decision = make_decision(title="Droogteplan voor het grondwater")
    _log_in(page)
    page.goto(reverse("admin:decisions_decision_change", args=[decision.pk]))
    assert page.locator("#suggested-sections li").count() == 1
    assert_no_axe_violations_in(page, ["#decision-cited-in", "#suggested-sections"])
    assert page.js_errors == []


def test_an_editor_links_a_suggested_decision_from_the_workspace_without_javascript(
    browser, live_server
):
    chapter = make_chapter(title="Omgeving", slug="omgeving")
    water = make_section(
        chapter,
        number="1.1",
        title="Waterbeleid en droogte",
        text="We pakken de droogte aan: grondwater aanvullen en regenwater opvangen.",
    )
    decision = make_decision(title="Droogteplan: grondwater aanvullen en regenwater opvangen")
    workspace = reverse("admin:commitments_section_assess", args=[water.pk])
    context = browser.new_context(
        base_url=live_server.url, locale="nl-BE", java_script_enabled=False
    )
    page = context.new_page()
    try:
        _log_in(page)
        page.goto(workspace)
        suggested = page.locator("#suggested-decisions")
        assert suggested.get_by_role("link", name=decision.title).count() == 1
        suggested.get_by_role("button", name="Koppelen als citaat").first.click()
        # Back in the workspace, the decision now among the section's citations.
        page.wait_for_url(f"**{workspace}")
        assert "is gekoppeld als referentie [0]" in page.locator(".messagelist").inner_text()
        assert page.locator("#ref-0").get_by_role("link", name=decision.title).count() == 1
        assert page.locator("#suggested-decisions li").count() == 0
    finally:
        context.close()
    assert Citation.objects.get(section=water).decision == decision


def test_triage_queue_with_suggestions_passes_axe_and_links_in_one_click(page):
    section = make_section(
        make_chapter(), number="1.1", title="Grondwater", text="Droogte en grondwater."
    )
    decision = make_decision(title="Droogteplan voor het grondwater")
    _log_in(page)
    triage = reverse("admin:decisions_decision_changelist") + "?queue=uncited"
    page.goto(triage)
    column = page.locator("#result_list td.field-suggested_sections")
    assert column.get_by_role("link", name="1.1 Grondwater").count() == 1
    assert_no_axe_violations_in(page, ["#result_list td.field-suggested_sections"])
    column.get_by_role("button", name="Koppelen als citaat").first.click()
    page.wait_for_url("**/?queue=uncited")
    assert "is gekoppeld als referentie [0]" in page.locator(".messagelist").inner_text()
    assert page.js_errors == []
    assert Citation.objects.get(section=section).decision == decision
