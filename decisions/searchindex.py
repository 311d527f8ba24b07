"""Keeping the decisions' search documents current (core/searchindex.py says
what they hold). Every write path calls `refresh_decisions` with the ids it
touched, or the signals in decisions/apps.py do for single saves."""

from collections.abc import Iterable

from core.searchindex import decisions_reindexed, join, source_text, write_documents

from .models import Decision, DecisionDocument, DecisionSearchDocument


def decision_document(decision: Decision, documents: Iterable[DecisionDocument]) -> dict:
    """The texts of one decision's search document (A title, B text and documents)."""
    return {
        "decision_id": decision.pk,
        "date": decision.date,
        "title": join(decision.title, decision.alternative_title),
        "body": join(
            source_text(decision.text),
            *(join(d.subject, source_text(d.body)) for d in documents),
        ),
        "context": "",
    }


def refresh_decisions(ids: Iterable[int], *, apps=None, notify: bool = True) -> int:
    """Rebuild the search documents of decisions `ids` (missing ids are skipped),
    and tell the sections citing them. Queries per call: the decisions, their
    documents, then per 500 one upsert (and on PostgreSQL one vector update),
    then what the sections' refresh costs. Returns the number written.
    `apps`: a migration's historical models. `notify=False` (and `apps`) leaves
    the citing sections alone: a caller that refreshes them anyway."""
    ids = sorted(set(ids))
    if not ids:
        return 0
    decision_model, document_model, search_model = _models(apps)
    documents: dict[int, list[DecisionDocument]] = {}
    for document in document_model.objects.filter(decision_id__in=ids).order_by("id"):
        documents.setdefault(document.decision_id, []).append(document)
    rows = [
        decision_document(decision, documents.get(decision.pk, ()))
        for decision in decision_model.objects.filter(pk__in=ids)
        .only("id", "title", "alternative_title", "text", "date")
        .order_by("pk")
    ]
    write_documents(search_model, rows, key="decision", extra=["date"])
    if apps is None and notify:
        decisions_reindexed.send(sender=Decision, ids=ids)
    return len(rows)


def _models(apps) -> tuple:
    if apps is None:
        return Decision, DecisionDocument, DecisionSearchDocument
    names = ("Decision", "DecisionDocument", "DecisionSearchDocument")
    return tuple(apps.get_model("decisions", name) for name in names)


def fill_decision_documents(apps=None, *, batch: int = 2000) -> int:
    """Write every decision's document, `batch` decisions at a time, without
    telling the sections (a rebuild fills them itself)."""
    decision_model = _models(apps)[0]
    ids = list(decision_model.objects.order_by("pk").values_list("pk", flat=True))
    total = 0
    for start in range(0, len(ids), batch):
        total += refresh_decisions(ids[start : start + batch], apps=apps, notify=False)
    return total
