"""Classic XSS payloads through the one sanitising path (core/rendering.py)."""

import re
from html.parser import HTMLParser

import pytest

from core.rendering import render_markdown, sanitize_html

# Raw HTML payloads, most from the OWASP XSS filter evasion cheat sheet.
HTML_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    '"><script>alert(1)</script>',
    "<<script>script>alert(1)<</script>/script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)>",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="JAVASCRIPT:alert(1)" onclick="alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    "<style>@import 'https://xss.example/x.css';</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="color:red" class="x" onmouseover="alert(1)">x</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<base href="javascript:/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<details open ontoggle=alert(1)>",
    '<input autofocus onfocus="alert(1)">',
    "<b><i>niet gesloten <table><tr><td>cel",
    "</p></div></main></body></html><p>na het einde",
    "<!-- <script>alert(1)</script> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
]

# Markdown payloads: links and images are where markdown itself makes URLs.
MARKDOWN_PAYLOADS = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x]( javascript:alert(1) )",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<javascript:alert(1)>",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    '[x](https://example.org "title\\" onmouseover=\\"alert(1)")',
    "**vet <script>alert(1)</script>** \\[0\\]\\[1\\]",
    "> citaat <img src=x onerror=alert(1)>\n> - lijst <b>open",
    "`<script>alert(1)</script>` en\n\n    <script>alert(1)</script>",
]

DANGEROUS_TAGS = {
    "script", "style", "iframe", "object", "embed", "svg", "math", "img", "form", "input",
    "button", "base", "meta", "link", "body", "html", "details", "noscript", "frame",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href"}
# What a browser ignores in a URL before reading its scheme.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20]")


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def assert_harmless(html: str) -> None:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    for tag, attributes in parser.elements:
        assert tag not in DANGEROUS_TAGS, html
        for name, value in attributes.items():
            assert not name.startswith("on"), html
            assert name != "style", html
            if name in URL_ATTRIBUTES:
                scheme = _IGNORED_IN_URL.sub("", value).lower().split(":", 1)
                if len(scheme) == 2 and "/" not in scheme[0]:
                    assert scheme[0] in {"http", "https", "mailto"}, html


@pytest.mark.parametrize("payload", HTML_PAYLOADS + MARKDOWN_PAYLOADS)
def test_render_markdown_leaves_nothing_that_runs(payload):
    assert_harmless(render_markdown(payload))


@pytest.mark.parametrize("payload", HTML_PAYLOADS + MARKDOWN_PAYLOADS)
def test_sanitize_html_leaves_nothing_that_runs(payload):
    assert_harmless(sanitize_html(payload))


@pytest.mark.parametrize("payload", HTML_PAYLOADS)
def test_raw_html_in_markdown_is_shown_as_text(payload):
    """html is off: a tag written in an analysis is visible, never interpreted."""
    rendered = render_markdown(payload)
    assert "&lt;" in rendered


def test_sanitize_html_balances_broken_and_nested_html():
    """Stray closing tags cannot close the page around the content (HTML5 parsing rules)."""
    html = sanitize_html("<ul><li><b><i>open<li>tweede</ul></div></main><p>verder")
    assert html == (
        "<ul><li><b><i>open</i></b></li><li><b><i>tweede</i></b></li></ul>"
        "<p><b><i>verder</i></b></p>"
    )


def test_safe_links_keep_working_and_get_a_rel():
    html = str(render_markdown("[besluit](https://beslissingenvlaamseregering.vlaanderen.be/x)"))
    assert '<a href="https://beslissingenvlaamseregering.vlaanderen.be/x"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_ordinary_markdown_survives_sanitising():
    html = str(render_markdown("## Conclusie\n\n*Gedeeltelijk* gerealiseerd \\[0\\]."))
    assert "<h2>Conclusie</h2>" in html
    assert "<em>Gedeeltelijk</em> gerealiseerd [0]." in html


def test_checker_itself_catches_an_unsafe_fragment():
    """The helper above must be able to fail, or the tests prove nothing."""
    for unsafe in [
        "<img src=x onerror=alert(1)>",
        '<a href=" JaVa\tScript:alert(1)">x</a>',
        '<p style="x">y</p>',
    ]:
        with pytest.raises(AssertionError):
            assert_harmless(unsafe)
