"""Single saves keep the decisions' search documents current (admin, services,
import_document). Bulk writes call decisions.searchindex themselves; fixture
loading (raw) is followed by a rebuild (operations/backup.py)."""

from django.db.models.signals import post_delete, post_save

from core.searchindex import signals_active

from .models import Decision, DecisionDocument
from .searchindex import refresh_decisions


def _decision_saved(sender, instance, raw=False, **kwargs):
    if not raw and signals_active():
        refresh_decisions([instance.pk])


def _document_saved(sender, instance, raw=False, **kwargs):
    if not raw and signals_active():
        refresh_decisions([instance.decision_id])


def _document_deleted(sender, instance, origin=None, **kwargs):
    # Deleted with its decision: the decision's document goes with it (cascade).
    if signals_active() and (
        isinstance(origin, DecisionDocument) or getattr(origin, "model", None) is DecisionDocument
    ):
        refresh_decisions([instance.decision_id])


def connect() -> None:
    post_save.connect(_decision_saved, sender=Decision, dispatch_uid="search_decision_saved")
    post_save.connect(_document_saved, sender=DecisionDocument, dispatch_uid="search_doc_saved")
    post_delete.connect(
        _document_deleted, sender=DecisionDocument, dispatch_uid="search_doc_deleted"
    )
