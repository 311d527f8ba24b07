"""Single saves keep the sections' search documents current (admin, services).
Bulk writes (the importer) call commitments.searchindex themselves; fixture
loading (raw) is followed by a rebuild (operations/backup.py)."""

from django.db.models.signals import post_delete, post_save, pre_delete

from core.searchindex import decisions_reindexed, signals_active
from decisions.models import Decision

from .models import Citation, Section, Summary
from .searchindex import refresh_sections, sections_citing


def _section_saved(sender, instance, raw=False, **kwargs):
    if not raw and signals_active():
        refresh_sections([instance.pk])


def _part_saved(sender, instance, raw=False, **kwargs):
    if not raw and signals_active():
        refresh_sections([instance.section_id])


def _deleted_alone(origin, model) -> bool:
    """Deleted by itself, not in the cascade of its section's deletion (then the
    section's document goes too, and must not be written again)."""
    return isinstance(origin, model) or getattr(origin, "model", None) is model


def _part_deleted(sender, instance, origin=None, **kwargs):
    if signals_active() and _deleted_alone(origin, sender):
        refresh_sections([instance.section_id])


def _decision_deleting(sender, instance, **kwargs):
    # Its citations lose it (SET_NULL) before post_delete could find them.
    if signals_active():
        instance._citing_sections = sections_citing([instance.pk])


def _decision_deleted(sender, instance, **kwargs):
    refresh_sections(getattr(instance, "_citing_sections", ()))


def _decisions_reindexed(sender, ids, **kwargs):
    """Sections index the titles of the decisions they cite."""
    refresh_sections(sections_citing(ids))


def connect() -> None:
    post_save.connect(_section_saved, sender=Section, dispatch_uid="search_section_saved")
    for model in (Summary, Citation):
        label = model._meta.model_name
        post_save.connect(_part_saved, sender=model, dispatch_uid=f"search_{label}_saved")
        post_delete.connect(_part_deleted, sender=model, dispatch_uid=f"search_{label}_deleted")
    pre_delete.connect(_decision_deleting, sender=Decision, dispatch_uid="search_decision_del")
    post_delete.connect(_decision_deleted, sender=Decision, dispatch_uid="search_decision_gone")
    decisions_reindexed.connect(_decisions_reindexed, dispatch_uid="search_decisions_reindexed")
