from django import template

from commitments.rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value: str):
    """{{ summary.body|markdown }}: untrusted markdown to sanitised HTML."""
    return render_markdown(value)
