"""Template tags for the public face of the judgements: a status change
"from → to"."""

from django import template

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
