"""The one path by which untrusted text (imported analyses, decision texts,
admin-entered rationales) becomes HTML: markdown-it without raw HTML, then nh3."""

import hashlib
import re
from collections.abc import Callable, Collection
from functools import lru_cache
from importlib.metadata import version as package_version
from pathlib import Path
from urllib.parse import urlsplit

import nh3
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "strong", "sup", "sub", "table", "tbody", "td", "th",
    "thead", "tr", "ul", "del", "s", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class", "id"},
    "span": {"class"},
    "sup": {"class", "id"},
    "li": {"id", "class"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}

# The analyses write citations escaped (`\[3\]`), which markdown turns into the
# literal text "[3]" inside text tokens.
CITATION_RE = re.compile(r"\[(\d+)\]")


def _markdown() -> MarkdownIt:
    # "html": False turns any raw HTML in the source into visible text.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
        ["table", "strikethrough"]
    )
    md.block.ruler.before("table", "flat_beyond_nesting_limit", _flat_beyond_nesting_limit)
    return md


# A list item or a quote, as a line starts (after its indentation).
_CONTAINER_MARKERS = re.compile(r"(?:(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)|>[ \t]?)+")


def _flat_beyond_nesting_limit(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it stops at its nesting limit (ten lists deep) and drops everything
    after it, to the end of the summary, citations included. A list or quote that
    would reach the limit is shown flat instead: each of its lines as a line of text
    in the item above it, markers left off."""
    if silent or state.level < state.md.options.maxNesting - 2:
        return False
    first = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    if not _CONTAINER_MARKERS.match(first):
        return False
    line = start
    while line < end and (state.isEmpty(line) or state.sCount[line] >= state.blkIndent):
        line += 1
    lines = [
        state.src[state.bMarks[n] + state.tShift[n] : state.eMarks[n]] for n in range(start, line)
    ]
    texts = [_CONTAINER_MARKERS.sub("", text, count=1).strip() for text in lines]
    # Not "paragraph_open": a tight list would hide it and run the lines into the item's own.
    state.push("flattened_open", "p", 1).map = [start, line]
    inline = state.push("inline", "", 0)
    # A backslash at a line end is a hard line break.
    inline.content = "\\\n".join(text for text in texts if text)
    inline.map, inline.children = [start, line], []
    state.push("flattened_close", "p", -1)
    state.line = line
    return True


_plain = _markdown()


def _citation_tokens(text: str, incomplete: Collection[int], level: int) -> list[Token]:
    """Split one text token into text and links to the reference list."""
    tokens: list[Token] = []
    position = 0
    for match in CITATION_RE.finditer(text):
        if match.start() > position:
            tokens.append(_text(text[position : match.start()], level))
        number = int(match.group(1))
        link = Token("link_open", "a", 1, level=level)
        link.attrs = {"href": f"#ref-{number}", "class": "citation"}
        tokens += [link, _text(f"[{number}", level + 1)]
        if number in incomplete:
            # Said in words, not by colour alone, and inside the marker's own brackets:
            # "[35, onvolledig][36]", never "[35] onvolledig[36]".
            link.attrs["class"] = "citation citation-incomplete"
            flag = Token("span_open", "span", 1, level=level + 1)
            flag.attrs = {"class": "citation-flag"}
            tokens += [
                _text(", ", level + 1),
                flag,
                _text(_("onvolledig"), level + 2),
                Token("span_close", "span", -1, level=level + 1),
            ]
        tokens += [_text("]", level + 1), Token("link_close", "a", -1, level=level)]
        position = match.end()
    if position < len(text):
        tokens.append(_text(text[position:], level))
    return tokens


def _text(content: str, level: int) -> Token:
    token = Token("text", "", 0, level=level)
    token.content = content
    return token


def _link_citations(state: StateCore) -> None:
    incomplete = state.env.get("incomplete_citations", ())
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        inside_link = 0
        for token in block.children:
            inside_link += token.type == "link_open"
            inside_link -= token.type == "link_close"
            if token.type == "text" and not inside_link and CITATION_RE.search(token.content):
                children += _citation_tokens(token.content, incomplete, token.level)
            else:
                children.append(token)
        block.children = children


@lru_cache(maxsize=1)
def _with_citations() -> MarkdownIt:
    md = _markdown()
    # After text_join, so that escaped brackets have become plain text.
    md.core.ruler.after("text_join", "link_citations", _link_citations)
    return md


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


# Rendered HTML is cached under a digest of everything it depends on: the
# text, the options, the language (the "onvolledig" flag), this module's code
# and the parser and sanitiser versions. The same input always renders the
# same HTML, so an entry can never be stale: an edited text has another key,
# and a deploy that changes the rendering starts afresh, even in a shared Redis.
_RENDERER = hashlib.sha256(
    Path(__file__).read_bytes()
    + package_version("markdown-it-py").encode()
    + package_version("nh3").encode()
).hexdigest()[:12]
# Below this many characters rendering costs less than the cache round trip.
CACHE_MIN_LENGTH = 400
CACHE_TIMEOUT = 24 * 60 * 60


def _cached(render: Callable[[], str], text: str, *options) -> SafeString:
    if len(text) < CACHE_MIN_LENGTH:
        return mark_safe(render())  # noqa: S308 (sanitised by render)
    digest = hashlib.sha256(
        "\x00".join([_RENDERER, get_language() or "", repr(options), text]).encode()
    ).hexdigest()
    key = f"markdown:{digest}"
    html = cache.get(key)
    if html is None:
        html = str(render())
        cache.set(key, html, timeout=CACHE_TIMEOUT)
    return mark_safe(html)  # noqa: S308 (sanitised before it was cached)


def render_markdown(
    text: str,
    *,
    link_citations: bool = False,
    incomplete_citations: Collection[int] = (),
    top_heading_level: int | None = None,
) -> SafeString:
    """Markdown (untrusted) to sanitised HTML that is safe to put in a page.

    With link_citations, every "[n]" becomes a link to the reference list entry
    `#ref-n`; numbers in incomplete_citations are marked as such.
    top_heading_level puts the text's headings below the page's own (see
    `_place_headings`): with 3, under the page's <h1> and <h2>.
    """
    incomplete = frozenset(incomplete_citations) if link_citations else frozenset()
    return _cached(
        lambda: _render_markdown(text or "", link_citations, incomplete, top_heading_level),
        text or "",
        "markdown",
        link_citations,
        sorted(incomplete),
        top_heading_level,
    )


def _render_markdown(
    text: str, link_citations: bool, incomplete: frozenset[int], top_heading_level: int | None
) -> SafeString:
    if link_citations:
        html = _with_citations().render(text, {"incomplete_citations": incomplete})
    else:
        html = _plain.render(text)
    return _place_headings(sanitize_html(html), top_heading_level)


# After sanitising, a heading tag has no attributes and "<h1>" in text is escaped.
_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")


def _place_headings(html: str, top_level: int | None) -> SafeString:
    """The text's highest heading becomes <h{top_level}> and the levels it uses
    follow on without gaps, none past <h6>: "## Situering" under a page's <h3>
    becomes <h4>, and "#" then "###" become <h3> and <h4> under an <h2>."""
    if top_level:
        used = sorted({int(level) for _, level in _HEADING_TAG.findall(html)})
        placed = {level: min(6, top_level + rank) for rank, level in enumerate(used)}
        html = _HEADING_TAG.sub(lambda m: f"<{m[1]}h{placed[int(m[2])]}>", html)
    return mark_safe(html)  # noqa: S308


_LOOKS_LIKE_HTML = re.compile(r"^\s*<(p|div|ul|ol|h[1-6]|table|span|strong|em|br)\b", re.IGNORECASE)


def render_source_text(text: str, *, top_heading_level: int | None = None) -> SafeString:
    """A decision's text: the decision database sends HTML, editors type markdown.
    Either way only the sanitiser's whitelist reaches the page."""
    if _LOOKS_LIKE_HTML.match(text or ""):
        return _cached(
            lambda: _place_headings(sanitize_html(text), top_heading_level),
            text,
            "html",
            top_heading_level,
        )
    return render_markdown(text, top_heading_level=top_heading_level)


def safe_link_url(url: str) -> str:
    """A source URL fit for an href, or "" when its scheme is not one we allow.

    Autoescaping keeps a URL from breaking out of the attribute, but not
    `javascript:` from running when clicked, and imported or admin-entered
    URLs are untrusted.
    """
    cleaned = "".join(ch for ch in (url or "") if ch > " ")
    return url.strip() if urlsplit(cleaned).scheme.lower() in URL_SCHEMES - {"mailto"} else ""
