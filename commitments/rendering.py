"""The one path by which untrusted text (imported analyses, decision texts,
admin-entered rationales) becomes HTML: markdown-it without raw HTML, then nh3."""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

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

# "html": False turns any raw HTML in the source into visible text.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["table", "strikethrough"]
)


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def render_markdown(text: str) -> SafeString:
    """Markdown (untrusted) to sanitised HTML that is safe to put in a page."""
    return mark_safe(sanitize_html(_markdown.render(text or "")))  # noqa: S308
