"""Import of decision documents (seed 003) and decision records (JSON news items).

Both are untrusted input: stored as text, never rendered here. Every run is one
transaction that takes the same lock as the analysis import, because both
create decisions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.cache import bump_content_version
from core.importing import ImportFileError, lock_imports, read_text

from .jsonstream import json_array_elements
from .models import Decision, DecisionDocument, Minister, Theme, normalize_title
from .searchindex import refresh_decisions
from .services import decision_get_or_create, decision_key

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
    # Published after the commit; a dry run rolls back and publishes nothing.
    bump_content_version()
    path = Path(path)
    source = path.name
    if title is not None:
        problem = checked_title(title.strip())
        if problem:
            raise ImportFileError(
                str(path), None, _("--title: verwacht %(problem)s") % {"problem": problem}
            )
    if path.exists() and not path.is_file():
        raise ImportFileError(str(path), None, _("geen bestand; verwacht een tekstbestand"))
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
    # Derived data of this decision and document (search index, cached pages)
    # is brought up to date here, inside the import's transaction.
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

# Records are parsed one by one from the stream and written in batches: a
# fixed number of queries per batch (look-ups, bulk inserts and updates of
# decisions, ministers, themes and their links), whatever the file's size.
BATCH_SIZE = 1000


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


@dataclass
class _Record:
    index: int
    line: int
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
    # The same decision (normalised title + date) under another external id.
    merged: int = 0
    warnings: list[str] = field(default_factory=list)


_KINDS = {"nota": Decision.Kind.NOTA, "mededeling": Decision.Kind.MEDEDELING}


def _field_error(source: str, index: int, name: str, expected: str, line=None) -> ImportFileError:
    return ImportFileError(
        source,
        line,
        _("record %(index)s, veld '%(field)s': verwacht %(expected)s")
        % {"index": index, "field": name, "expected": expected},
    )


def checked_text(value: str, limit: int | None) -> str | None:
    """What is wrong with a text for the database, in Dutch; None when it is fine.
    PostgreSQL refuses NUL characters, and neither database can store a lone
    UTF-16 surrogate ("\\ud800" in JSON), which is not a character at all."""
    if limit and len(value) > limit:
        return _("hoogstens %(limit)s tekens (nu %(length)s)") % {
            "limit": limit,
            "length": len(value),
        }
    if "\x00" in value:
        return _("tekst zonder NUL-teken (\\u0000)")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _("geldige Unicode-tekst (geen losse surrogaat zoals \\ud800)")
    return None


# Meeting dates outside these years are typing or export errors (year 1, 9999),
# not decisions of a Flemish Government.
PLAUSIBLE_YEARS = range(1900, 2101)


def _meeting_date(value, source: str, index: int, line: int) -> date:
    day = None
    if isinstance(value, str):
        try:
            if len(value) == 10:
                day = date.fromisoformat(value)
            else:
                moment = datetime.fromisoformat(value)
                # A UTC timestamp of a Friday-morning meeting is a Brussels date.
                day = (
                    timezone.localtime(moment, BRUSSELS).date() if moment.tzinfo else moment.date()
                )
        except (ValueError, OverflowError):
            # OverflowError: a timestamp at the edge of year 1 or 9999 has no Brussels date.
            pass
    if day is None or day.year not in PLAUSIBLE_YEARS:
        raise _field_error(
            source,
            index,
            "meetingDate",
            _("een datum JJJJ-MM-DD of ISO-tijdstip tussen %(first)s en %(last)s")
            % {"first": PLAUSIBLE_YEARS[0], "last": PLAUSIBLE_YEARS[-1]},
            line,
        )
    return day


def _text(
    record: dict, name: str, source: str, index: int, line: int, *, required=False, limit=None
) -> str:
    value = record.get(name)
    if value is None or value == "":
        if required:
            raise _field_error(source, index, name, _("een niet-lege tekst"), line)
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and name == "id":
        value = str(value)
    if not isinstance(value, str):
        raise _field_error(source, index, name, _("een tekst"), line)
    value = value.strip()
    problem = checked_text(value, limit)
    if problem:
        raise _field_error(source, index, name, problem, line)
    return value


def checked_title(value: str) -> str | None:
    """checked_text for a decision title, whose normalised form (the look-up
    key) must fit too: NFKC and case folding can lengthen it ("ﬃ", "ß")."""
    limit = _max_length(Decision, "title")
    problem = checked_text(value, limit)
    if problem is None and len(normalize_title(value)) > limit:
        problem = _("hoogstens %(limit)s tekens (na normalisatie nu %(length)s)") % {
            "limit": limit,
            "length": len(normalize_title(value)),
        }
    return problem


def _parse_record(record, source: str, index: int, line: int) -> _Record:
    if not isinstance(record, dict):
        raise ImportFileError(
            source, line, _("record %(index)s: verwacht een object") % {"index": index}
        )
    kind_name = _text(record, "agendaitemType", source, index, line, limit=50).lower()
    if kind_name and kind_name not in _KINDS:
        raise _field_error(source, index, "agendaitemType", "'Nota' of 'Mededeling'", line)
    ministers = []
    mandatees = record.get("mandatees") or []
    if not isinstance(mandatees, list):
        raise _field_error(source, index, "mandatees", _("een lijst van {name, title}"), line)
    for mandatee in mandatees:
        if not isinstance(mandatee, dict) or not isinstance(mandatee.get("name"), str):
            raise _field_error(source, index, "mandatees", _("een lijst van {name, title}"), line)
        name = " ".join(mandatee["name"].split())
        title = mandatee.get("title") or ""
        if not name or not isinstance(title, str):
            raise _field_error(source, index, "mandatees", _("een naam en een functie"), line)
        title = title.strip()
        for value, limit in (
            (name, _max_length(Minister, "name")),
            (title, _max_length(Minister, "title")),
        ):
            problem = checked_text(value, limit)
            if problem:
                raise _field_error(source, index, "mandatees", problem, line)
        ministers.append((name, title))
    themes = []
    raw_themes = record.get("themes") or []
    if not isinstance(raw_themes, list):
        raise _field_error(source, index, "themes", _("een lijst van thema-id's"), line)
    for theme in raw_themes:
        theme_id, label = (
            (theme.get("id"), theme.get("label") or "") if isinstance(theme, dict) else (theme, "")
        )
        if (
            not isinstance(theme_id, str | int)
            or isinstance(theme_id, bool)
            or not str(theme_id).strip()
            or not isinstance(label, str)
        ):
            raise _field_error(source, index, "themes", _("een lijst van thema-id's"), line)
        theme_id, label = str(theme_id).strip(), label.strip()
        for value, limit in (
            (theme_id, _max_length(Theme, "external_id")),
            (label, _max_length(Theme, "label")),
        ):
            problem = checked_text(value, limit)
            if problem:
                raise _field_error(source, index, "themes", problem, line)
        themes.append((theme_id, label))
    title = _text(record, "title", source, index, line, required=True)
    problem = checked_title(title)
    if problem:
        raise _field_error(source, index, "title", problem, line)
    return _Record(
        index=index,
        line=line,
        external_id=_text(
            record, "id", source, index, line, required=True,
            limit=_max_length(Decision, "external_id"),
        ),
        title=title,
        date=_meeting_date(record.get("meetingDate"), source, index, line),
        kind=_KINDS.get(kind_name, Decision.Kind.UNKNOWN),
        text=_text(record, "htmlContent", source, index, line),
        ministers=ministers,
        themes=themes,
        alternative_title=_text(
            record, "alternativeTitle", source, index, line,
            limit=_max_length(Decision, "alternative_title"),
        ),
    )  # fmt: skip


def import_decisions(*, path: str | Path, dry_run: bool = False) -> DecisionsImportReport:
    """Upsert decisions from a JSON list of news items, on their external id; a
    decision known by normalised title + date gets the record's id (or, when it
    already has another id, the record updates it with a warning: it is the
    same decision by our rule). Streams files of any size; all or nothing."""
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise ImportFileError(source, None, _("bestand bestaat niet"))
    report = DecisionsImportReport(dry_run=dry_run)
    # First index of each external id, for the duplicate check: a few dozen
    # bytes per record, the only memory that grows with the file.
    seen: dict[str, int] = {}
    with transaction.atomic():
        lock_imports()
        batch: list[_Record] = []
        for index, line, item in json_array_elements(path, source=source):
            record = _parse_record(item, source, index, line)
            if record.external_id in seen:
                raise _field_error(
                    source,
                    index,
                    "id",
                    _("een uniek id (ook gebruikt in record %(other)s)")
                    % {"other": seen[record.external_id]},
                    line,
                )
            seen[record.external_id] = index
            batch.append(record)
            if len(batch) == BATCH_SIZE:
                _write_batch(batch, report, source)
                batch = []
        if batch:
            _write_batch(batch, report, source)
        # Derived data of the decisions written above (search index, cached
        # pages) is brought up to date here, inside the import's transaction.
        if dry_run:
            transaction.set_rollback(True)
    return report


_DECISION_FIELDS = ["title", "alternative_title", "date", "kind", "text"]


def _write_batch(records: list[_Record], report: DecisionsImportReport, source: str) -> None:
    """Create or update the decisions of up to BATCH_SIZE records, in file order
    (a later record for the same decision wins), with a fixed number of queries."""
    # bulk_create, bulk_update and the link rows' raw INSERTs send no signals.
    bump_content_version()
    report.records += len(records)
    keys = {decision_key(record.title, record.date) for record in records}
    # The look-up by normalised title + date: decisions.services' rule, as in
    # the analysis import. Records carry more than a citation (an external id,
    # ministers, themes), so they are upserted here rather than through
    # decisions_get_or_create.
    # One instance per row, whichever look-up found it.
    # The index on external_id is partial (non-empty ids only): the query must
    # say so itself, or SQLite and PostgreSQL (beyond 100 values in IN) scan
    # the whole table, once per batch. No ORDER BY: nothing depends on it.
    rows: dict[int, Decision] = {}
    by_id = {
        decision.external_id: rows.setdefault(decision.pk, decision)
        for decision in Decision.objects.filter(
            external_id__in=[record.external_id for record in records]
        )
        .exclude(external_id="")
        .order_by()
    }
    by_key = {
        (decision.normalized_title, decision.date): rows.setdefault(decision.pk, decision)
        for decision in Decision.objects.filter(
            normalized_title__in={title for title, _day in keys},
            date__in={day for _title, day in keys},
        ).order_by()
    }
    links = _current_links(set(rows))
    ministers = _upsert_ministers(records)
    themes = _upsert_themes(records)

    new: list[Decision] = []
    changed_fields: dict[int, Decision] = {}
    changed_links: dict[int, Decision] = {}
    for record in records:
        key = decision_key(record.title, record.date)
        decision = by_id.get(record.external_id)
        linked = False
        if decision is not None:
            holder = by_key.get(key)
            if holder is not None and holder is not decision:
                raise _field_error(
                    source,
                    record.index,
                    "title",
                    _(
                        "een titel en datum die niet al van een andere beslissing zijn "
                        "(#%(pk)s '%(title)s', extern id '%(other)s')"
                    )
                    % {"pk": holder.pk, "title": holder.title, "other": holder.external_id},
                    record.line,
                )
        else:
            decision = by_key.get(key)
            linked = decision is not None and not decision.external_id
            if linked:
                decision.external_id = record.external_id
                changed_fields[id(decision)] = decision
                report.linked += 1
            elif decision is not None:
                report.merged += 1
                report.warnings.append(
                    _(
                        "%(source)s:%(line)s: record %(index)s (id '%(id)s') is dezelfde "
                        "beslissing als extern id '%(other)s' (titel en datum); die is "
                        "bijgewerkt en houdt haar id"
                    )
                    % {
                        "source": source,
                        "line": record.line,
                        "index": record.index,
                        "id": record.external_id,
                        "other": decision.external_id,
                    }
                )
            by_id[record.external_id] = decision
        created = decision is None
        if created:
            decision = Decision(external_id=record.external_id)
            new.append(decision)
            links[id(decision)] = (set(), set())
            by_id[record.external_id] = decision
        old_key = (decision.normalized_title, decision.date)
        values = {
            "title": record.title,
            "alternative_title": record.alternative_title,
            "date": record.date,
            "kind": record.kind,
            "text": record.text,
        }
        fields_changed = created or any(getattr(decision, k) != v for k, v in values.items())
        if fields_changed:
            for name, value in values.items():
                setattr(decision, name, value)
            decision.normalized_title = key[0]
            if by_key.get(old_key) is decision:
                del by_key[old_key]
            by_key[key] = decision
            changed_fields[id(decision)] = decision
        wanted = (
            {ministers[name].pk for name, _title in record.ministers},
            {themes[theme_id].pk for theme_id, _label in record.themes},
        )
        current_key = id(decision) if created or decision.pk is None else decision.pk
        links_changed = links.get(current_key, (set(), set())) != wanted
        if links_changed:
            links[current_key] = wanted
            changed_links[id(decision)] = decision
        if created:
            report.created += 1
        elif fields_changed or links_changed or linked:
            report.updated += 1
        else:
            report.unchanged += 1

    now = timezone.now()
    updated = [decision for decision in changed_fields.values() if decision.pk is not None]
    Decision.objects.bulk_create(new)
    for decision in updated:
        decision.updated = now
    Decision.objects.bulk_update(
        updated,
        [*_DECISION_FIELDS, "normalized_title", "external_id", "updated"],
        batch_size=250,
    )
    for decision in new:
        links[decision.pk] = links.pop(id(decision))
    _write_links({d.pk: links[d.pk] for d in changed_links.values()})
    # Bulk writes send no signals: this batch's documents (and the sections citing
    # a changed title) in a fixed number of queries.
    refresh_decisions([d.pk for d in new] + [d.pk for d in updated])


def _current_links(decision_ids: set[int]) -> dict[int, tuple[set[int], set[int]]]:
    """{decision id: (minister ids, theme ids)} as stored."""
    links: dict[int, tuple[set[int], set[int]]] = {pk: (set(), set()) for pk in decision_ids}
    for position, through in enumerate((Decision.ministers.through, Decision.themes.through)):
        other = "minister_id" if position == 0 else "theme_id"
        for decision_id, other_id in through.objects.filter(
            decision_id__in=decision_ids
        ).values_list("decision_id", other):
            links[decision_id][position].add(other_id)
    return links


def _write_links(wanted: dict[int, tuple[set[int], set[int]]]) -> None:
    """Replace the minister and theme links of these decisions.

    The link rows go in through one executemany each: building a model
    instance per link row cost more than everything else in a batch."""
    if not wanted:
        return
    with connection.cursor() as cursor:
        for position, through in enumerate((Decision.ministers.through, Decision.themes.through)):
            other = "minister_id" if position == 0 else "theme_id"
            through.objects.filter(decision_id__in=wanted).delete()
            rows = [
                (decision_id, other_id)
                for decision_id, sets in wanted.items()
                for other_id in sorted(sets[position])
            ]
            if rows:
                table = connection.ops.quote_name(through._meta.db_table)
                columns = ", ".join(
                    connection.ops.quote_name(through._meta.get_field(name).column)
                    for name in ("decision", other.removesuffix("_id"))
                )
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s)", rows)  # noqa: S608 (names from the model, values as parameters)


def _upsert_ministers(records: list[_Record]) -> dict[str, Minister]:
    """Every minister the records name, by name, created or given the newest title."""
    titles: dict[str, str] = {}
    for record in records:
        for name, title in record.ministers:
            if title or name not in titles:
                titles[name] = title
    return _upsert(Minister, "name", "title", titles)


def _upsert_themes(records: list[_Record]) -> dict[str, Theme]:
    labels: dict[str, str] = {}
    for record in records:
        for theme_id, label in record.themes:
            if label or theme_id not in labels:
                labels[theme_id] = label
    return _upsert(Theme, "external_id", "label", labels)


def _upsert(model, key: str, attribute: str, values: dict[str, str]) -> dict:
    """Rows of `model` by `key`: missing ones created, a non-empty new `attribute` saved."""
    if not values:
        return {}
    rows = {
        getattr(row, key): row for row in model.objects.filter(**{f"{key}__in": values}).order_by()
    }
    missing = [name for name in values if name not in rows]
    model.objects.bulk_create([model(**{key: name, attribute: values[name]}) for name in missing])
    changed = []
    for name, row in rows.items():
        if values[name] and getattr(row, attribute) != values[name]:
            setattr(row, attribute, values[name])
            changed.append(row)
    model.objects.bulk_update(changed, [attribute], batch_size=250)
    if len(rows) < len(values):
        rows = {getattr(row, key): row for row in model.objects.filter(**{f"{key}__in": values})}
    return rows
