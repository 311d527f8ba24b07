"""The public face of the judgement in real Chromium: the section page with a
published, reviewed evaluation and the overview's trend chart pass axe and read
well on a desktop (1280 px) and a phone (390 px), with and without JavaScript."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from commitments.models import Evaluation
from commitments.services import evaluation_approve, evaluation_create
from tests.browser.conftest import assert_no_axe_violations
from tests.builders import make_chapter_with_sections, make_seed_section, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1280, 390]


def _judged_section():
    """Seed section 1.2, judged twice by An Peeters, approved by Bart Claes."""
    section = make_seed_section()
    author = make_user(first_name="An", last_name="Peeters")
    reviewer = make_user(first_name="Bart", last_name="Claes")
    steps = [
        ("not_started", "Nog geen beslissing.", [], datetime(2020, 3, 2, tzinfo=UTC)),
        (
            "not_assessable",
            "De regering nam beslissingen \\[3\\] maar **meetbare** resultaten ontbreken.",
            [section.citations.get(number=3), section.citations.get(number=8)],
            datetime(2023, 6, 1, tzinfo=UTC),
        ),
    ]
    for status, rationale, evidence, published_at in steps:
        proposal = evaluation_create(
            section=section, status=status, rationale=rationale, evidence=evidence, author=author
        )
        evaluation_approve(evaluation=proposal, reviewer=reviewer)
        Evaluation.objects.filter(pk=proposal.pk).update(published_at=published_at)
    make_chapter_with_sections(
        4, title="Omgeving", slug="omgeving", agreement=section.chapter.agreement
    )
    return section


def _fits(page, width: int, url: str) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{url} scrolls sideways at {width}px ({scroll_width}px)"


@pytest.mark.parametrize("width", WIDTHS)
def test_section_page_with_a_published_judgement_passes_axe_and_fits(page, width):
    section = _judged_section()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(section.get_absolute_url())
    assert_no_axe_violations(page)
    _fits(page, width, section.get_absolute_url())
    box = page.locator(".status-box")
    assert "Niet te beoordelen" in box.locator(".badge").inner_text()
    assert "meetbare" in box.locator(".rationale strong").inner_text()
    assert "Beoordeeld door An Peeters." in box.locator(".sign-off").inner_text()
    assert "goedgekeurd door Bart Claes." in box.locator(".sign-off").inner_text()
    history = page.locator(".history__entry")
    assert history.count() == 2
    # Screen readers hear the change as one sentence; the eye sees badges and an arrow.
    assert history.first.locator(".visually-hidden").first.text_content() == (
        "Van Niet opgestart naar Niet te beoordelen"
    )
    assert history.first.locator(".status-change__visual").is_visible()
    # Evidence leads to the reference on the page, and on to the decision.
    box.locator(".evidence a.citation", has_text="[3]").click()
    page.wait_for_url("**#ref-3")
    box.locator(".evidence__list li").first.locator(
        f"a[href^='{reverse('decisions:list')}']"
    ).click()
    page.wait_for_url("**/beslissingen/*/")
    page.goto(section.chapter.get_absolute_url())  # with its feed link
    assert_no_axe_violations(page)
    _fits(page, width, section.chapter.get_absolute_url())
    assert page.js_errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_overview_trend_chart_passes_axe_fits_and_opens_its_numbers(page, width):
    _judged_section()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(reverse("commitments:home"))
    chart = page.locator(".trend__chart")
    assert chart.is_visible()
    assert chart.bounding_box()["width"] <= width
    table_cell = page.locator(".trend__table td").first
    assert not table_cell.is_visible()  # collapsed on screen …
    assert_no_axe_violations(page)
    page.locator(".trend__numbers summary").click()
    assert table_cell.is_visible()  # … opened by one click, no script needed
    assert_no_axe_violations(page)
    _fits(page, width, reverse("commitments:home"))
    page.reload()
    page.emulate_media(media="print")
    assert table_cell.is_visible()  # … and printed even when closed


def test_trend_numbers_open_without_javascript_and_chapter_feed_is_linked(browser, live_server):
    section = _judged_section()
    context = browser.new_context(
        base_url=live_server.url, locale="nl-BE", java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto(reverse("commitments:home"))
        page.get_by_text("De cijfers per maand").click()
        last_row = page.locator(".trend__table tbody tr").last
        assert last_row.is_visible()
        page.goto(section.chapter.get_absolute_url())
        link = page.get_by_role("link", name="Statuswijzigingen in dit hoofdstuk volgen")
        feed = page.request.get(link.get_attribute("href"))
        assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
        assert "Niet opgestart → Niet te beoordelen" in feed.text()
    finally:
        context.close()


def test_english_section_page_and_overview_pass_axe(browser, live_server):
    section = _judged_section()
    context = browser.new_context(base_url=live_server.url, locale="en")
    page = context.new_page()
    try:
        # The language is in the address (/en/…), whatever the browser prefers.
        with translation.override("en"):
            english_section = section.get_absolute_url()
            english_overview = reverse("commitments:home")
        page.goto(english_section)
        assert (
            "Published on 1 June 2023, approved by Bart Claes."
            in page.locator(".status-box .sign-off").inner_text()
        )
        assert_no_axe_violations(page)
        page.goto(english_overview)
        assert page.get_by_role("heading", name="How the statuses evolved").is_visible()
        assert_no_axe_violations(page)
    finally:
        context.close()
