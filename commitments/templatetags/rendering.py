from django import template

from core.rendering import render_markdown, render_source_text, safe_link_url

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value: str):
    """{{ summary.body|markdown }}: untrusted markdown to sanitised HTML."""
    return render_markdown(value)


@register.filter(name="source_text")
def source_text_filter(value: str):
    """{{ decision.text|source_text }}: untrusted HTML or markdown to sanitised HTML."""
    return render_source_text(value)


@register.filter(name="link_url")
def link_url_filter(value: str) -> str:
    """{% with url=citation.raw_url|link_url %}: only http(s) URLs become links."""
    return safe_link_url(value)


@register.inclusion_tag("commitments/_status_badge.html")
def status_badge(status: str):
    from commitments.models import Status

    return {"key": status, "label": Status(status).label}
