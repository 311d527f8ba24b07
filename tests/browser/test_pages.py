"""The pages in real headless Chromium: following a citation and back, axe on
every page type, the site without JavaScript, hostile search queries."""

import pytest
from django.urls import reverse

from tests.browser.conftest import assert_no_axe_violations
from tests.builders import (
    make_chapter_with_sections,
    make_document,
    make_evaluation,
    make_seed_section,
    make_theme,
    make_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTION_TITLE = "1.2 Uitsluiting voorkomen, samenleven bevorderen"


def _data():
    section = make_seed_section()
    make_evaluation(section, status="not_assessable", rationale="Geen meetbare resultaten.",
                    author=make_user())  # fmt: skip
    decision = section.citations.get(number=3).decision
    decision.themes.add(make_theme(label="Gelijke kansen"))
    make_document(decision, body="## Situering\n\nDe erkenning loopt af.")
    make_chapter_with_sections(
        3, title="Omgeving", slug="omgeving", agreement=section.chapter.agreement
    )
    return section, decision


def _in_view(page, selector: str) -> bool:
    return page.eval_on_selector(
        selector,
        "el => { const r = el.getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight; }",
    )


def _follow_citation_and_back(page):
    page.goto(reverse("commitments:home"))
    page.get_by_role("link", name="Samenleven", exact=True).click()
    page.get_by_role("link", name=SECTION_TITLE).click()
    assert page.locator("h1").inner_text() == SECTION_TITLE
    page.locator(".summary a.citation", has_text="[3]").click()
    page.wait_for_url("**#ref-3")
    assert _in_view(page, "#ref-3")
    page.locator(f"#ref-3 a[href^='{reverse('decisions:list')}']").click()
    page.wait_for_url("**/beslissingen/*/")
    page.locator(".cited-in a", has_text="referentie [3]").click()
    page.wait_for_url("**/samenleven/1.2/#ref-3")
    assert page.locator("h1").inner_text() == SECTION_TITLE
    assert _in_view(page, "#ref-3")


def test_follow_a_citation_to_its_decision_and_back(page):
    _data()
    _follow_citation_and_back(page)
    assert page.js_errors == []


def test_the_same_flow_works_without_javascript(browser, live_server):
    _data()
    context = browser.new_context(
        base_url=live_server.url, locale="nl-BE", java_script_enabled=False
    )
    page = context.new_page()
    try:
        _follow_citation_and_back(page)
        # Filtering is a plain GET form.
        page.goto(reverse("commitments:section-list"))
        page.get_by_label("Status").select_option("achieved")
        page.get_by_role("button", name="Toepassen").click()
        page.wait_for_url("**/secties/?*status=achieved*")
        assert "1 sectie gevonden." in page.locator(".result-count").inner_text()
        page.get_by_role("searchbox", name="Zoeken").fill("discriminatie")
        page.get_by_role("button", name="Zoek", exact=True).click()
        page.wait_for_url("**/zoeken/?q=discriminatie")
        assert page.get_by_role("link", name=SECTION_TITLE).count() == 1
    finally:
        context.close()


def test_every_page_type_has_no_axe_violations(page):
    section, decision = _data()
    urls = [
        reverse("commitments:home"),
        section.chapter.get_absolute_url(),
        reverse("commitments:section-list"),
        section.get_absolute_url(),
        reverse("decisions:list"),
        decision.get_absolute_url(),
        reverse("commitments:search") + "?q=discriminatie",
        reverse("commitments:about"),
    ]
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        assert_no_axe_violations(page)
    assert page.js_errors == []


def test_empty_site_has_no_axe_violations(page):
    for url in [
        reverse("commitments:home"),
        reverse("commitments:section-list"),
        reverse("decisions:list"),
        reverse("commitments:search") + "?q=niets",
    ]:
        page.goto(url)
        assert_no_axe_violations(page)


def test_section_page_fits_a_phone_screen(page):
    section, _ = _data()
    page.set_viewport_size({"width": 390, "height": 844})
    for url in [
        reverse("commitments:home"),
        section.get_absolute_url(),
        reverse("commitments:section-list"),
    ]:
        page.goto(url)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 390, f"{url} scrolls sideways ({scroll_width}px)"


@pytest.mark.parametrize(
    "query",
    ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)"],
)
def test_hostile_search_queries_execute_nothing(page, query):
    _data()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(reverse("commitments:home"))
    page.get_by_role("searchbox", name="Zoeken").fill(query)
    page.get_by_role("button", name="Zoek", exact=True).click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Zoeken"
    assert page.locator("#search-q").input_value() == query
    assert page.locator("main img").count() == 0
    assert page.locator("main script").count() == 0
    assert dialogs == []
    assert page.js_errors == []
