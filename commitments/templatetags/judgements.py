"""Template tags for the public face of the judgements: a status change
"from → to" and the editors' way into the evaluation workspace."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.inclusion_tag("commitments/_status_change.html")
def status_change(old: str, new: str):
    """{% status_change evaluation.previous_status evaluation.status %}: two badges
    with an arrow, said as one sentence to screen readers."""
    from commitments.models import Status

    return {
        "old": {"key": old, "label": Status(old).label},
        "new": {"key": new, "label": Status(new).label},
    }


@register.simple_tag
def assess_url(section) -> str:
    """{% assess_url section as url %}: the section's evaluation workspace in the
    admin, or "" while no such admin view is installed (the page still renders)."""
    try:
        return reverse("admin:commitments_section_assess", args=[section.pk])
    except NoReverseMatch:
        return ""
