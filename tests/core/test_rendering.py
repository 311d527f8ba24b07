"""Citations become links on markdown tokens; only sanitised HTML leaves the renderer."""

import pytest

from core.rendering import render_markdown, render_source_text, safe_link_url
from tests.builders import seed_section_parts


def test_escaped_chained_citations_become_links():
    html = render_markdown("groepen \\[0\\]\\[1\\].", link_citations=True)
    assert '<a href="#ref-0" class="citation"' in html
    assert '<a href="#ref-1" class="citation"' in html
    assert ">[0]</a>" in html


def test_citations_are_not_linked_without_being_asked():
    assert "href" not in render_markdown("groepen \\[0\\].")


def test_incomplete_citation_is_flagged_in_words():
    html = render_markdown("zie \\[8\\]", link_citations=True, incomplete_citations={8})
    assert 'class="citation citation-incomplete"' in html
    assert '<span class="citation-flag">onvolledig</span>' in html


def test_brackets_inside_a_link_are_left_alone():
    html = render_markdown("[\\[3\\]](https://example.org/)", link_citations=True)
    assert "#ref-3" not in html
    assert 'href="https://example.org/"' in html


def test_citation_code_keeps_raw_html_out():
    html = render_markdown("<img src=x onerror=alert(1)> \\[0\\]", link_citations=True)
    assert "<img" not in html
    assert "&lt;img" in html


def test_seed_summary_links_all_21_citations():
    html = render_markdown(seed_section_parts()["body"], link_citations=True)
    assert sorted(
        {int(n) for n in html.split('href="#ref-')[1:] for n in [n.split('"')[0]]}
    ) == list(range(21))


def test_source_html_is_sanitised_and_markdown_is_rendered():
    assert render_source_text('<p onclick="x()">Hallo</p>') == "<p>Hallo</p>"
    assert "<h2>Situering</h2>" in render_source_text("## Situering\n\nTekst")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "mailto:a@b.be",
        "//evil.example/x",
        "",
    ],
)
def test_only_http_urls_become_links(url):
    assert safe_link_url(url) == ""


def test_an_official_source_url_stays_a_link():
    url = "https://beslissingenvlaamseregering.vlaanderen.be/?search=Erkenning%20participatieorganisatie"
    assert safe_link_url(url) == url


def _nested_list(depth: int) -> str:
    return "\n".join("  " * level + f"- niveau {level}" for level in range(depth))


@pytest.mark.parametrize("depth", [9, 10, 12, 40])
def test_a_deeply_nested_list_hides_nothing_after_it(depth):
    html = render_markdown(
        f"{_nested_list(depth)}\n\nNa de lijst \\[3\\].\n\n## Slot\n\nLaatste zin.",
        link_citations=True,
    )
    for level in range(depth):
        assert f"niveau {level}" in html
    assert "Na de lijst" in html and 'href="#ref-3" class="citation"' in html
    assert "Laatste zin." in html


def test_a_deeply_nested_blockquote_hides_nothing_after_it():
    html = render_markdown(">" * 30 + " diep \\[1\\]\n\nDaarna.", link_citations=True)
    assert "diep" in html and "#ref-1" in html and "Daarna." in html


def test_a_list_nested_hundreds_deep_is_shown_flat_line_by_line():
    html = render_markdown(_nested_list(300) + "\n\nEinde.")
    assert html.count("<ul>") == 9
    assert "niveau 298<br>\nniveau 299" in html and "Einde." in html


def test_a_list_nine_deep_is_still_a_list():
    assert render_markdown(_nested_list(9)).count("<ul>") == 9
    assert "<br" not in render_markdown(_nested_list(9))
