"""The language switch in a real browser: plain links to the same page in the
other language (/nl/… and /en/…), so it works without JavaScript and without a
cookie; the English pages are as accessible as the Dutch ones."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.browser.conftest import assert_no_axe_violations
from tests.builders import make_evaluation, make_seed_section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _switch_to_english(page) -> None:
    page.get_by_role("navigation", name="Taal").get_by_role("link", name="English").click()
    page.wait_for_load_state("load")


def test_language_switch_works_without_javascript(browser, live_server):
    section = make_seed_section()
    make_evaluation(section, status="in_progress")
    context = browser.new_context(
        base_url=live_server.url, locale="nl-BE", java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto(section.get_absolute_url())
        assert page.locator("html").get_attribute("lang") == "nl-be"
        _switch_to_english(page)
        # The same page, now in English.
        with translation.override("en"):
            english = section.get_absolute_url()
        assert english.startswith("/en/")
        assert page.url == f"{live_server.url}{english}"
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("navigation", name="Main menu").is_visible()
        assert page.locator(".status-box .badge").inner_text() == "In progress"
        assert page.get_by_role("heading", name="What did the government do?").is_visible()
        # The choice sticks for the next page.
        page.get_by_role("link", name="Decisions", exact=True).click()
        page.wait_for_load_state("load")
        assert page.locator("h1").inner_text() == "Decisions of the Flemish Government"
        # And back to Dutch the same way.
        page.get_by_role("navigation", name="Language").get_by_role(
            "link", name="Nederlands"
        ).click()
        page.wait_for_load_state("load")
        assert page.locator("h1").inner_text() == "Beslissingen van de Vlaamse Regering"
    finally:
        context.close()


def test_english_pages_have_no_axe_violations(page):
    section = make_seed_section()
    decision = section.citations.get(number=3).decision
    page.goto(reverse("commitments:home"))
    _switch_to_english(page)
    # The English addresses: the links of the English pages lead to them.
    with translation.override("en"):
        urls = [
            reverse("commitments:home"),
            section.get_absolute_url(),
            reverse("commitments:section-list"),
            decision.get_absolute_url(),
        ]
    assert page.url.endswith(urls[0])
    for url in urls:
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "en", url
        assert_no_axe_violations(page)
    assert page.js_errors == []


def test_header_with_the_language_switch_fits_a_phone_screen(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("commitments:home"))
    for language in ["English", "Nederlands"]:
        page.locator(".language-switch").get_by_role("link", name=language).click()
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, language
        # Every header control stays inside the header's padding (the longer
        # English labels once pushed the search button past it).
        overflowing = page.evaluate(
            """() => {
              const inner = document.querySelector('.site-header__inner');
              const edge = inner.getBoundingClientRect().right
                - parseFloat(getComputedStyle(inner).paddingRight);
              return [...inner.querySelectorAll('input, select, button, a')]
                .filter(el => el.getBoundingClientRect().right > edge + 0.5)
                .map(el => el.outerHTML);
            }"""
        )
        assert overflowing == [], language
