"""Writes that touch more than one row, as keyword-only service functions."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from .models import Evaluation, Section, Status


@transaction.atomic
def evaluation_create(
    *,
    section: Section,
    status: str,
    rationale: str = "",
    author: AbstractBaseUser | None = None,
    created=None,
) -> Evaluation:
    """Record a new judgement of a section; earlier ones stay as its history."""
    if status not in Status.values:
        raise ValueError(f"Unknown evaluation status {status!r}")
    evaluation = Evaluation(
        section=section,
        status=status,
        rationale=rationale.strip(),
        author=author if author is not None and author.is_authenticated else None,
        created=created or timezone.now(),
    )
    evaluation.full_clean()
    evaluation.save()
    return evaluation
