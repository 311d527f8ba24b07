from django import template

from core.localeurls import translated_url as _translated_url

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_url(context, language_code: str) -> str:
    """{% translated_url "en" %}: this page in English."""
    return _translated_url(context.get("request"), language_code)
