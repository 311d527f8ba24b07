"""Imported text lays out cleanly in Chromium at 390 and 1280 px: long Dutch words,
three-digit references, incomplete markers, a summary's own headings."""

import pytest
from django.utils import translation

from tests.browser.conftest import assert_no_axe_violations
from tests.builders import (
    make_chapter,
    make_citation,
    make_decision,
    make_document,
    make_section,
    make_summary,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_WORD = "arbeidsongeschiktheidsverzekeringsmaatschappijenvertegenwoordigersoverleg"
PHONE, DESKTOP = 390, 1280


def _section():
    chapter = make_chapter(title="Werk", slug="werk")
    section = make_section(
        chapter,
        number="4.12.3",
        title=f"Het {LONG_WORD}",
        text=f"We starten een {LONG_WORD} en een samen-werking op wijk- en straatniveau.",
    )
    markers = "".join(f"\\[{n}\\]" for n in range(100, 112))
    make_summary(
        section,
        body=(
            "# Evaluatie\n\n"
            f"Het {LONG_WORD} kwam er {markers}. Eerder al \\[35\\]\\[36\\].\n\n"
            "## Details\n\n"
            f"| kolom | {LONG_WORD} |\n|---|---|\n| a | {LONG_WORD}{LONG_WORD} |\n"
        ),
        conclusion=f"# Besluit\n\nHet {LONG_WORD} loopt \\[103\\].",
    )
    for number in range(100, 112):
        make_citation(section, number=number, decision=make_decision(title=f"{LONG_WORD} {number}"))
    make_citation(section, number=35, decision=None, raw_title="")
    make_citation(section, number=36)
    return section


def _page_width(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def _too_wide(page) -> list[str]:
    """The elements that stick out to the right: the message when the page scrolls sideways."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map(el => el.tagName.toLowerCase() + '.' + el.className + ': '
             + (el.textContent || '').trim().slice(0, 40))"""
    )


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_nothing_scrolls_sideways_with_long_words_and_three_digit_references(page, width):
    section = _section()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(section.get_absolute_url())
    scroll_width, viewport = _page_width(page)
    assert scroll_width <= viewport, _too_wide(page)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_a_three_digit_reference_number_keeps_its_room_before_the_date(page, width):
    section = _section()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(section.get_absolute_url())
    number, date = (
        page.locator(f"#ref-103 {selector}").bounding_box()
        for selector in (".reference__number", "time")
    )
    text_right = page.eval_on_selector(
        "#ref-103 .reference__number",
        "el => { const r = document.createRange(); r.selectNodeContents(el);"
        " return r.getBoundingClientRect().right; }",
    )
    assert text_right < date["x"]
    assert number["x"] + number["width"] <= date["x"]


def test_the_onvolledig_flag_reads_inside_its_own_marker(page):
    section = _section()
    page.set_viewport_size({"width": PHONE, "height": 900})
    page.goto(section.get_absolute_url())
    incomplete = page.locator(".summary a.citation-incomplete")
    assert incomplete.inner_text() == "[35, onvolledig]"
    assert incomplete.get_attribute("href") == "#ref-35"
    assert "[35, onvolledig][36]" in page.locator(".summary").inner_text()


def test_a_summary_heading_sits_below_the_page_headings(page):
    section = _section()
    page.goto(section.get_absolute_url())
    assert page.locator("h1").count() == 1
    assert page.locator(".summary h3").inner_text() == "Evaluatie"
    assert page.locator(".summary h4").inner_text() == "Details"
    assert page.locator(".conclusion h4").inner_text() == "Besluit"


def test_a_document_heading_sits_below_the_document_title(page):
    decision = make_decision(title="Erkenning", text="<h1>Beslissing</h1><p>Tekst.</p>")
    make_document(decision, body="# Situering\n\nDe erkenning loopt af.")
    page.goto(decision.get_absolute_url())
    assert page.locator("h1").count() == 1
    assert page.locator(".source-text h3").inner_text() == "Beslissing"
    assert page.locator(".document__body h4").inner_text() == "Situering"
    assert_no_axe_violations(page)


def test_the_imported_text_is_marked_dutch_in_the_english_interface(page):
    section = _section()
    with translation.override("en"):
        page.goto(section.get_absolute_url())
    assert page.locator("html").get_attribute("lang") == "en"
    for selector in (".agreement-text", ".summary"):
        assert page.locator(selector).get_attribute("lang") == "nl"
