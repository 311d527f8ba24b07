from django import template

from core.people import display_name

register = template.Library()


@register.filter(name="display_name")
def display_name_filter(user) -> str:
    """{{ evaluation.author|display_name }}: the public name, '' when unset."""
    return display_name(user)
