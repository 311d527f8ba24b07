"""Import of decision documents (seed 003) and decision records (JSON news items).

Both are untrusted input: stored as text, never rendered here. Every run is one
transaction that takes the same lock as the analysis import, because both
create decisions.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.importing import ImportFileError, lock_imports, read_text

from .models import Decision, DecisionDocument, Minister, Theme, normalize_title
from .services import decision_get_or_create

BRUSSELS = ZoneInfo("Europe/Brussels")

# --------------------------------------------------------------------------- documents

_KIND_RE = re.compile(r"^(?P<kind>[A-ZÀ-Ý \-]+?)\s+AAN\s+DE\s+VLAAMSE\s+REGERING\s*$")
_SUBJECT_RE = re.compile(r"^\s*Betreft\s*:\s*(?P<subject>.+)$", re.I)
# "Vlaams minister van …," / "De Vlaamse minister-president …," closes a document.
_CLOSING_RE = re.compile(r"^(?:de\s+)?vlaams(?:e)?\s+minister.*,$", re.I)
_LIST_RE = re.compile(r"^(?:[-*+•]|\d+[.)])\s")


@dataclass
class ParsedDocument:
    issuer: str
    kind: str
    subject: str
    body: str
    signatory: str

    @property
    def decision_kind(self) -> str:
        first = self.kind.split()[0].lower() if self.kind else ""
        return first if first in Decision.Kind.values else Decision.Kind.UNKNOWN


def _is_heading(lines: list[str], index: int) -> bool:
    """A short stand-alone line without closing punctuation ("Situering",
    "Verder traject") is a heading in these documents."""
    line = lines[index].strip()
    before = lines[index - 1].strip() if index > 0 else ""
    after = lines[index + 1].strip() if index + 1 < len(lines) else ""
    return (
        0 < len(line) <= 80
        and not before
        and not after
        and line[0].isupper()
        and line[-1] not in ".,;:!?”\"'’)"
        and not _LIST_RE.match(line)
        and not line.startswith(("#", "**", "“", '"'))
    )


def parse_document(text: str, *, source: str) -> ParsedDocument:
    """Issuer, kind, subject, body (markdown, headings as '## ') and signatory."""
    lines = text.split("\n")
    # The kind is a short line; the length check keeps the regex cheap on hostile lines.
    kind_index = next(
        (i for i, line in enumerate(lines) if len(line) <= 300 and _KIND_RE.match(line.strip())),
        None,
    )
    if kind_index is None:
        raise ImportFileError(
            source,
            None,
            _("geen documentsoort; verwacht een regel zoals 'MEDEDELING AAN DE VLAAMSE REGERING'"),
        )
    issuer = " ".join(line.strip() for line in lines[:kind_index] if line.strip())
    subject_index = next(
        (i for i in range(kind_index + 1, len(lines)) if _SUBJECT_RE.match(lines[i])), None
    )
    if subject_index is None:
        raise ImportFileError(
            source, kind_index + 1, _("geen onderwerp; verwacht een regel 'Betreft: …'")
        )
    subject = " ".join(_SUBJECT_RE.match(lines[subject_index]).group("subject").split())
    rest = lines[subject_index + 1 :]

    # The signature is the tail of closing lines ("Vlaams minister van …,") and
    # names, blank lines between them allowed.
    end = len(rest)
    while end and not rest[end - 1].strip():
        end -= 1
    start = end
    while start:
        line = rest[start - 1].strip()
        is_name = 0 < len(line) <= 80 and line[-1] not in ".:;!?"
        if line and not (is_name or _CLOSING_RE.match(line)):
            break
        start -= 1
    closing = [i for i in range(start, end) if _CLOSING_RE.match(rest[i].strip())]
    signatory = ""
    if closing:
        block = [line.strip() for line in rest[closing[0] : end] if line.strip()]
        parts, title = [], ""
        for line in block:
            if _CLOSING_RE.match(line):
                title = line.rstrip(",").strip()
            else:
                parts.append(f"{line}, {title}" if title else line)
                title = ""
        signatory = "; ".join(parts)
        rest = rest[: closing[0]]
    body_lines = [
        f"## {line.strip()}" if _is_heading(rest, i) else line.rstrip()
        for i, line in enumerate(rest)
    ]
    body = "\n".join(body_lines).strip()
    for name, value, limit in (
        ("issuer", issuer, 500),
        ("kind", lines[kind_index].strip(), 300),
        ("subject", subject, 1000),
        ("signatory", signatory, 500),
    ):
        if len(value) > limit:
            raise ImportFileError(
                source,
                None,
                _("%(field)s is langer dan %(limit)s tekens") % {"field": name, "limit": limit},
            )
    return ParsedDocument(
        issuer=issuer,
        kind=" ".join(lines[kind_index].split()),
        subject=subject,
        body=body,
        signatory=signatory,
    )


@dataclass
class DocumentImportReport:
    dry_run: bool
    decision: Decision
    document: DecisionDocument
    decision_created: bool
    document_created: bool
    document_changed: bool

    def lines(self) -> list[str]:
        """Where the document landed, one line per string; load_seed prints the same."""
        lines = [_("Proefdraai: er is niets opgeslagen.")] if self.dry_run else []
        decision_state = _("nieuw") if self.decision_created else _("bestaand")
        if self.document_created:
            document_state = _("nieuw")
        elif self.document_changed:
            document_state = _("bijgewerkt")
        else:
            document_state = _("ongewijzigd")
        lines.append(
            _("Beslissing (%(state)s): #%(id)s %(decision)s")
            % {"state": decision_state, "id": self.decision.pk, "decision": self.decision}
        )
        lines.append(
            _("Document (%(state)s): %(kind)s — %(subject)s")
            % {
                "state": document_state,
                "kind": self.document.kind,
                "subject": self.document.subject,
            }
        )
        if not self.dry_run:
            lines.append(_("Te zien op: %(url)s") % {"url": self.document.get_absolute_url()})
        return lines


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


@transaction.atomic
def import_document(
    *,
    path: str | Path,
    decision: int | None = None,
    date: date | None = None,
    title: str | None = None,
    dry_run: bool = False,
) -> DocumentImportReport:
    """Attach a decision document to decision `decision` (an id), or to the
    decision with this title (default: the subject) and date, created if needed.
    Importing the same file again updates that document instead of adding one."""
    path = Path(path)
    source = path.name
    parsed = parse_document(read_text(path, source=str(path)), source=str(path))
    lock_imports()
    decision_created = False
    if decision is not None:
        target = Decision.objects.filter(pk=decision).first()
        if target is None:
            raise ImportFileError(
                str(path), None, _("beslissing %(id)s bestaat niet") % {"id": decision}
            )
    else:
        if date is None:
            raise ImportFileError(
                str(path), None, _("het document draagt geen datum; geef --decision of --date")
            )
        target, decision_created = decision_get_or_create(
            title=_capitalise((title or parsed.subject).strip()),
            date=date,
            kind=parsed.decision_kind,
        )

    document = (
        target.documents.filter(Q(source_file=source) | Q(subject=parsed.subject))
        .order_by("id")
        .first()
    )
    document_created = document is None
    if document_created:
        document = DecisionDocument(decision=target)
    values = {
        "kind": parsed.kind,
        "subject": parsed.subject,
        "issuer": parsed.issuer,
        "body": parsed.body,
        "signatory": parsed.signatory,
        "source_file": source,
    }
    changed = document_created or any(getattr(document, k) != v for k, v in values.items())
    if changed:
        for key, value in values.items():
            setattr(document, key, value)
        document.imported_at = timezone.now()
        document.save()
    if dry_run:
        transaction.set_rollback(True)
    return DocumentImportReport(
        dry_run=dry_run,
        decision=target,
        document=document,
        decision_created=decision_created,
        document_created=document_created,
        document_changed=changed,
    )


# --------------------------------------------------------------------------- JSON records


@dataclass
class _Record:
    external_id: str
    title: str
    date: date
    kind: str
    text: str
    ministers: list[tuple[str, str]]
    themes: list[tuple[str, str]]
    alternative_title: str


@dataclass
class DecisionsImportReport:
    dry_run: bool = False
    records: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Found by title + date and given the record's external id.
    linked: int = 0


_KINDS = {"nota": Decision.Kind.NOTA, "mededeling": Decision.Kind.MEDEDELING}


def _field_error(source: str, index: int, name: str, expected: str) -> ImportFileError:
    return ImportFileError(
        source,
        None,
        _("record %(index)s, veld '%(field)s': verwacht %(expected)s")
        % {"index": index, "field": name, "expected": expected},
    )


def _meeting_date(value, source: str, index: int) -> date:
    if isinstance(value, str):
        try:
            if len(value) == 10:
                return date.fromisoformat(value)
            moment = datetime.fromisoformat(value)
            # A UTC timestamp of a Friday-morning meeting is a Brussels date.
            return timezone.localtime(moment, BRUSSELS).date() if moment.tzinfo else moment.date()
        except ValueError:
            pass
    raise _field_error(source, index, "meetingDate", _("een datum JJJJ-MM-DD of ISO-tijdstip"))


def _text(record: dict, name: str, source: str, index: int, *, required=False, limit=None) -> str:
    value = record.get(name)
    if value is None or value == "":
        if required:
            raise _field_error(source, index, name, _("een niet-lege tekst"))
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and name == "id":
        value = str(value)
    if not isinstance(value, str):
        raise _field_error(source, index, name, _("een tekst"))
    value = value.strip()
    if limit and len(value) > limit:
        raise _field_error(source, index, name, _("hoogstens %(limit)s tekens") % {"limit": limit})
    return value


def _parse_record(record, source: str, index: int) -> _Record:
    if not isinstance(record, dict):
        raise ImportFileError(
            source, None, _("record %(index)s: verwacht een object") % {"index": index}
        )
    kind_name = _text(record, "agendaitemType", source, index).lower()
    if kind_name and kind_name not in _KINDS:
        raise _field_error(source, index, "agendaitemType", "'Nota' of 'Mededeling'")
    ministers = []
    mandatees = record.get("mandatees") or []
    if not isinstance(mandatees, list):
        raise _field_error(source, index, "mandatees", _("een lijst van {name, title}"))
    for mandatee in mandatees:
        if not isinstance(mandatee, dict) or not isinstance(mandatee.get("name"), str):
            raise _field_error(source, index, "mandatees", _("een lijst van {name, title}"))
        name = " ".join(mandatee["name"].split())
        title = mandatee.get("title") or ""
        if not name or len(name) > 200 or not isinstance(title, str) or len(title) > 500:
            raise _field_error(source, index, "mandatees", _("een naam en een functie"))
        ministers.append((name, title.strip()))
    themes = []
    raw_themes = record.get("themes") or []
    if not isinstance(raw_themes, list):
        raise _field_error(source, index, "themes", _("een lijst van thema-id's"))
    for theme in raw_themes:
        theme_id, label = (
            (theme.get("id"), theme.get("label", "")) if isinstance(theme, dict) else (theme, "")
        )
        if not isinstance(theme_id, str | int) or not str(theme_id).strip():
            raise _field_error(source, index, "themes", _("een lijst van thema-id's"))
        themes.append((str(theme_id).strip()[:200], str(label or "")[:300]))
    return _Record(
        external_id=_text(record, "id", source, index, required=True, limit=200),
        title=_text(record, "title", source, index, required=True, limit=1000),
        date=_meeting_date(record.get("meetingDate"), source, index),
        kind=_KINDS.get(kind_name, Decision.Kind.UNKNOWN),
        text=_text(record, "htmlContent", source, index),
        ministers=ministers,
        themes=themes,
        alternative_title=_text(record, "alternativeTitle", source, index),
    )


@transaction.atomic
def import_decisions(*, path: str | Path, dry_run: bool = False) -> DecisionsImportReport:
    """Upsert decisions from a JSON list of news items, on their external id; a
    decision known by title + date but without id gets the record's id."""
    path = Path(path)
    source = str(path)
    try:
        data = json.loads(read_text(path, source=source))
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            source, exc.lineno, _("geen geldige JSON (%(error)s)") % {"error": exc.msg}
        ) from None
    if not isinstance(data, list):
        raise ImportFileError(source, 1, _("verwacht een JSON-lijst van nieuwsberichten"))
    records = [_parse_record(item, source, index) for index, item in enumerate(data)]
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        if record.external_id in seen:
            raise _field_error(
                source,
                index,
                "id",
                _("een uniek id (ook gebruikt in record %(other)s)")
                % {"other": seen[record.external_id]},
            )
        seen[record.external_id] = index

    lock_imports()
    report = DecisionsImportReport(dry_run=dry_run, records=len(records))
    for record in records:
        decision = Decision.objects.filter(external_id=record.external_id).first()
        if decision is None:
            decision = Decision.objects.filter(
                normalized_title=normalize_title(record.title), date=record.date, external_id=""
            ).first()
            if decision is not None:
                report.linked += 1
        created = decision is None
        if created:
            decision = Decision(external_id=record.external_id)
        values = {
            "title": record.title,
            "alternative_title": record.alternative_title,
            "date": record.date,
            "kind": record.kind,
            "text": record.text,
            "external_id": record.external_id,
        }
        changed = created or any(getattr(decision, k) != v for k, v in values.items())
        if changed:
            for key, value in values.items():
                setattr(decision, key, value)
            decision.save()
        ministers = []
        for name, title in record.ministers:
            minister, _new = Minister.objects.get_or_create(name=name, defaults={"title": title})
            if title and minister.title != title:
                minister.title = title
                minister.save(update_fields=["title"])
            ministers.append(minister)
        themes = []
        for external_id, label in record.themes:
            theme, _new = Theme.objects.get_or_create(
                external_id=external_id, defaults={"label": label}
            )
            if label and theme.label != label:
                theme.label = label
                theme.save(update_fields=["label"])
            themes.append(theme)
        if set(decision.ministers.all()) != set(ministers):
            decision.ministers.set(ministers)
            changed = True
        if set(decision.themes.all()) != set(themes):
            decision.themes.set(themes)
            changed = True
        if created:
            report.created += 1
        elif changed:
            report.updated += 1
        else:
            report.unchanged += 1
    if dry_run:
        transaction.set_rollback(True)
    return report
