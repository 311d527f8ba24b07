from django import template

from core.rendering import render_markdown, render_source_text, safe_link_url

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value: str, top_heading_level: int = 2):
    """{{ rationale|markdown }}: untrusted markdown to sanitised HTML.

    Its headings sit below the page's <h1>; {{ body|markdown:4 }} under an <h3>."""
    return render_markdown(value, top_heading_level=top_heading_level)


@register.filter(name="source_text")
def source_text_filter(value: str, top_heading_level: int = 2):
    """{{ decision.text|source_text:3 }}: untrusted HTML or markdown to sanitised HTML,
    its headings below the page's own (here under an <h2>)."""
    return render_source_text(value, top_heading_level=top_heading_level)


@register.filter(name="link_url")
def link_url_filter(value: str) -> str:
    """{% with url=citation.raw_url|link_url %}: only http(s) URLs become links."""
    return safe_link_url(value)


@register.inclusion_tag("commitments/_status_badge.html")
def status_badge(status: str):
    from commitments.models import Status

    return {"key": status, "label": Status(status).label}
