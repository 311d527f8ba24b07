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


def test_incomplete_citation_is_flagged_in_words_inside_its_own_brackets():
    html = render_markdown("zie \\[8\\]\\[9\\]", link_citations=True, incomplete_citations={8})
    assert 'class="citation citation-incomplete"' in html
    assert '>[8, <span class="citation-flag">onvolledig</span>]</a><a href="#ref-9"' in html


def test_a_summary_heading_is_put_below_the_page_headings():
    html = render_markdown("# Evaluatie\n\n## Feiten\n\n##### Diep", top_heading_level=3)
    assert "<h3>Evaluatie</h3>" in html and "<h4>Feiten</h4>" in html
    assert "<h5>Diep</h5>" in html and "<h1>" not in html


def test_the_highest_heading_of_a_text_takes_the_top_level_whatever_its_marks():
    assert render_markdown("## Situering\n\n#### Feiten", top_heading_level=4) == (
        "<h4>Situering</h4>\n<h5>Feiten</h5>\n"
    )


def test_no_heading_goes_past_h6():
    html = render_markdown("# a\n\n## b\n\n### c\n\n#### d", top_heading_level=4)
    assert [html.count(f"<h{n}>") for n in (4, 5, 6)] == [1, 1, 2]


def test_headings_in_source_html_are_put_below_the_page_headings_too():
    html = render_source_text("<h1>Beslissing</h1><p>&lt;h1&gt; als tekst</p>", top_heading_level=3)
    assert html == "<h3>Beslissing</h3><p>&lt;h1&gt; als tekst</p>"


def test_without_a_top_level_headings_are_left_as_written():
    assert render_markdown("## Titel") == "<h2>Titel</h2>\n"


def test_markdown_in_a_template_never_makes_a_second_page_title():
    from django.template import engines

    template = engines["django"].from_string(
        "{% load rendering %}{{ text|markdown }}|{{ text|markdown:4 }}|{{ text|source_text:3 }}"
    )
    assert template.render({"text": "# Kop"}) == "<h2>Kop</h2>\n|<h4>Kop</h4>\n|<h3>Kop</h3>\n"


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
