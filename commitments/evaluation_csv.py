"""Evaluations in bulk: proposals imported from a CSV file, evaluations exported as one.

The file (docs/editing.md has the full description):

- UTF-8 (a byte-order mark is fine), separated by commas or semicolons (what a
  spreadsheet in a Belgian locale writes), a header row first;
- column `section` (or `sectie`): the section as `agreement/chapter/number`, the
  slugs of its public address, e.g. `regeerakkoord-2019-2024/samenleven/1.2`; the
  section's public address itself (with or without host or language prefix) is
  read the same way, as it ends in those three parts. A section number alone is
  ambiguous (1.1 exists in many chapters), a title even more so;
- column `status`: the code (`in_progress`) or the label, Dutch or English
  ("In uitvoering", "In progress"), in any case;
- column `rationale` (or `motivering`): required for every status except
  "Nog niet beoordeeld", as for any evaluation;
- optional column `evidence` (or `bewijs`): the numbers of the section's
  citations that support the judgement, "[2][3]" or "2, 3".

Other columns are ignored, so an export (which has the same three columns and
more) can be edited and imported again.

Every row is checked before anything is written; the errors name the line and
the field. Then all rows become proposals of the importing user through
`evaluation_create`, in one transaction: all of them or none.
"""

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.exports import CHUNK_SIZE, unneutralise_formula

from .models import SECTION_NUMBER_RE, Citation, Evaluation, Section, Status
from .services import evaluation_create

# A year of work for a large team is a few thousand rows; beyond this it is a
# mistake (or an attack) and is refused before it is parsed.
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

COLUMN_NAMES = {
    "section": ("section", "sectie"),
    "status": ("status",),
    "rationale": ("rationale", "motivering"),
}
# Optional: which citations of the section support the judgement, by number.
OPTIONAL_COLUMN_NAMES = {"evidence": ("evidence", "bewijs")}
_EVIDENCE = re.compile(r"[\s\[\],;0-9]*")
FIELD_LABELS = {
    "file": _("bestand"),
    "section": _("sectie"),
    "status": _("status"),
    "rationale": _("motivering"),
    "evidence": _("bewijs"),
}

EXPORT_COLUMNS = [
    "section", "section_title", "status", "status_label", "rationale", "evidence", "state",
    "author", "reviewer", "review_comment", "created", "reviewed_at", "published_at",
]  # fmt: skip


def section_reference(section: Section) -> str:
    """`agreement/chapter/number`: the one reference the import reads."""
    return f"{section.chapter.agreement.slug}/{section.chapter.slug}/{section.number}"


def parse_section_reference(value: str) -> tuple[str, str, str] | None:
    """(agreement slug, chapter slug, number) from a reference or a public
    address (its last three path parts); None when it is neither."""
    value = value.strip()
    parts = urlsplit(value)
    path = parts.path if (parts.scheme or parts.netloc) else value.split("?")[0].split("#")[0]
    segments = [segment for segment in path.split("/") if segment]
    if len(segments) < 3 or not SECTION_NUMBER_RE.match(segments[-1]):
        return None
    agreement, chapter, number = segments[-3:]
    return agreement, chapter, number


def _status_lookup() -> dict[str, str]:
    """Code, Dutch label and English label, case-folded, to the code."""
    lookup = {}
    for language in ("nl", "en"):
        with translation.override(language):
            lookup.update({str(label).casefold(): code for code, label in Status.choices})
    lookup.update({code.casefold(): code for code in Status.values})
    return lookup


@dataclass
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        label = FIELD_LABELS.get(self.field, self.field)
        if self.line:
            return gettext("regel %(line)s, %(field)s: %(message)s") % {
                "line": self.line,
                "field": label,
                "message": self.message,
            }
        return f"{label}: {self.message}"


@dataclass
class PlannedRow:
    line: int
    section: Section
    status: str
    rationale: str
    evidence: list[Citation] = field(default_factory=list)

    @property
    def evidence_display(self) -> str:
        return " ".join(f"[{citation.number}]" for citation in self.evidence)

    @property
    def status_label(self) -> str:
        return Status(self.status).label


@dataclass
class EvaluationImportReport:
    dry_run: bool
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: list[Evaluation] = field(default_factory=list)
    sha256: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            count = len(self.errors)
            return ngettext(
                "%(count)s fout; er is niets opgeslagen. Verbeter het bestand en probeer opnieuw.",
                "%(count)s fouten; er is niets opgeslagen. Verbeter het bestand "
                "en probeer opnieuw.",
                count,
            ) % {"count": count}
        if self.dry_run:
            count = len(self.rows)
            return ngettext(
                "Proefdraaien: %(count)s evaluatie zou als voorstel worden aangemaakt; "
                "er is niets opgeslagen.",
                "Proefdraaien: %(count)s evaluaties zouden als voorstel worden aangemaakt; "
                "er is niets opgeslagen.",
                count,
            ) % {"count": count}
        count = len(self.created)
        return ngettext(
            "%(count)s evaluatie aangemaakt.", "%(count)s evaluaties aangemaakt.", count
        ) % {"count": count}


def _read_text(file) -> str:
    data = file.read(MAX_BYTES + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise ValueError(
            gettext("het bestand is groter dan %(size)s MB") % {"size": MAX_BYTES // (1024 * 1024)}
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            gettext("het bestand is geen UTF-8 (byte %(position)s); bewaar het als CSV UTF-8")
            % {"position": exc.start}
        ) from exc


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number where the record starts, cells), blank lines skipped; a
    quoted cell may span lines."""
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            yield line, cells
        line = reader.line_num + 1


def _columns(header: list[str]) -> tuple[dict[str, int], list[RowError]]:
    names = [cell.strip().casefold() for cell in header]
    columns, errors = {}, []
    for key, accepted in COLUMN_NAMES.items():
        found = [index for index, name in enumerate(names) if name in accepted]
        if len(found) > 1:
            errors.append(
                RowError(1, key, gettext("de kolom staat er %(n)s keer") % {"n": len(found)})
            )
        elif found:
            columns[key] = found[0]
        else:
            errors.append(
                RowError(
                    1,
                    key,
                    gettext("kolom ontbreekt in de kopregel (verwacht: %(names)s)")
                    % {"names": ", ".join(accepted)},
                )
            )
    for key, accepted in OPTIONAL_COLUMN_NAMES.items():
        found = [index for index, name in enumerate(names) if name in accepted]
        if found:
            columns[key] = found[0]
    return columns, errors


@transaction.atomic
def evaluations_import_csv(
    *, file, user: AbstractBaseUser, dry_run: bool
) -> EvaluationImportReport:
    """Check every row of the CSV `file` (binary or text), then, unless
    `dry_run` or any row is wrong, propose each as an evaluation by `user`."""
    report = EvaluationImportReport(dry_run=dry_run)
    try:
        text = _read_text(file)
    except ValueError as exc:
        report.errors.append(RowError(0, "file", str(exc)))
        return report
    report.sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    rows = _rows(text)
    first = next(rows, None)
    if first is None:
        report.errors.append(RowError(0, "file", gettext("het bestand is leeg")))
        return report
    columns, report.errors = _columns(first[1])
    if report.errors:
        return report
    records = list(rows)
    if len(records) > MAX_ROWS:
        report.errors.append(
            RowError(
                0,
                "file",
                gettext("meer dan %(max)s rijen; splits het bestand") % {"max": MAX_ROWS},
            )
        )
        return report
    if not records:
        report.errors.append(RowError(0, "file", gettext("er staan geen rijen onder de kopregel")))
        return report
    report.rows, report.errors = _check(records, columns)
    if report.errors or dry_run:
        return report
    for row in report.rows:
        try:
            report.created.append(
                evaluation_create(
                    section=row.section,
                    status=row.status,
                    rationale=row.rationale,
                    evidence=row.evidence,
                    author=user,
                )
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    report.errors.append(RowError(row.line, name, message))
    if report.errors:
        # One transaction: a row the service refuses undoes the rows before it.
        transaction.set_rollback(True)
        report.created = []
    return report


def _cell(cells: list[str], index: int) -> str:
    return unneutralise_formula(cells[index]).strip() if index < len(cells) else ""


def _check(
    records: list[tuple[int, list[str]]], columns: dict[str, int]
) -> tuple[list[PlannedRow], list[RowError]]:
    statuses = _status_lookup()
    references = {
        line: parse_section_reference(_cell(cells, columns["section"])) for line, cells in records
    }
    sections = _sections({ref for ref in references.values() if ref})
    evidence_numbers = {}
    if "evidence" in columns:
        for line, cells in records:
            raw = _cell(cells, columns["evidence"])
            evidence_numbers[line] = (
                sorted({int(n) for n in re.findall(r"\d+", raw)})
                if _EVIDENCE.fullmatch(raw)
                else None
            )
    citations = _citations(sections.values(), evidence_numbers.values())
    planned, errors, seen = [], [], {}
    for line, cells in records:
        row_errors = []
        section = _check_section(line, cells, columns, references, sections, seen, row_errors)
        status = statuses.get(_cell(cells, columns["status"]).casefold())
        rationale = _cell(cells, columns["rationale"])
        if status is None:
            row_errors.append(
                RowError(
                    line,
                    "status",
                    gettext("onbekende status “%(value)s”; kies uit %(choices)s")
                    % {
                        "value": _cell(cells, columns["status"]),
                        "choices": ", ".join(Status.values),
                    },
                )
            )
        elif status != Status.NOT_ASSESSED and not rationale:
            row_errors.append(
                RowError(
                    line,
                    "rationale",
                    gettext("verplicht voor elke status behalve 'Nog niet beoordeeld'"),
                )
            )
        evidence = _check_evidence(line, section, evidence_numbers, citations, row_errors)
        if row_errors:
            errors += row_errors
        else:
            planned.append(PlannedRow(line, section, status, rationale, evidence))
    return planned, errors


def _check_section(line, cells, columns, references, sections, seen, row_errors) -> Section | None:
    raw = _cell(cells, columns["section"])
    if not raw:
        row_errors.append(RowError(line, "section", gettext("ontbreekt")))
        return None
    if references[line] is None:
        row_errors.append(
            RowError(
                line,
                "section",
                gettext(
                    "“%(value)s” is geen sectieverwijzing; verwacht akkoord/hoofdstuk/nummer, "
                    "bv. regeerakkoord-2019-2024/samenleven/1.2"
                )
                % {"value": raw},
            )
        )
        return None
    section = sections.get(references[line])
    if section is None:
        row_errors.append(
            RowError(
                line,
                "section",
                gettext("geen sectie “%(value)s”") % {"value": "/".join(references[line])},
            )
        )
        return None
    if section.pk in seen:
        row_errors.append(
            RowError(
                line,
                "section",
                gettext("deze sectie staat al op regel %(line)s") % {"line": seen[section.pk]},
            )
        )
        return None
    seen[section.pk] = line
    return section


def _check_evidence(line, section, evidence_numbers, citations, row_errors) -> list[Citation]:
    if line not in evidence_numbers:
        return []
    numbers = evidence_numbers[line]
    if numbers is None:
        row_errors.append(
            RowError(
                line,
                "evidence",
                gettext("verwacht referentienummers van de sectie, bv. [2][3] of 2, 3"),
            )
        )
        return []
    if section is None:
        return []
    missing = [n for n in numbers if (section.pk, n) not in citations]
    if missing:
        row_errors.append(
            RowError(
                line,
                "evidence",
                gettext("de sectie heeft geen referentie %(numbers)s")
                % {"numbers": " ".join(f"[{n}]" for n in missing)},
            )
        )
        return []
    return [citations[section.pk, n] for n in numbers]


def _citations(sections, numbers) -> dict[tuple[int, int], Citation]:
    """The citations the evidence column names, in one query."""
    wanted = {n for found in numbers if found for n in found}
    if not wanted:
        return {}
    found = Citation.objects.filter(section__in=list(sections), number__in=wanted)
    return {(c.section_id, c.number): c for c in found}


def _sections(references: set[tuple[str, str, str]]) -> dict[tuple[str, str, str], Section]:
    """The referenced sections in one query (narrowed by all three parts, matched exactly here)."""
    if not references:
        return {}
    agreements, chapters, numbers = (set(part) for part in zip(*references, strict=True))
    found = Section.objects.select_related("chapter__agreement").filter(
        chapter__agreement__slug__in=agreements, chapter__slug__in=chapters, number__in=numbers
    )
    by_reference = {
        (s.chapter.agreement.slug, s.chapter.slug, s.number): s for s in found.iterator()
    }
    return {ref: by_reference[ref] for ref in references if ref in by_reference}


# --- Export --------------------------------------------------------------------


def _when(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def export_row(evaluation: Evaluation) -> dict:
    """One evaluation as a CSV row; the first three columns import again."""
    return {
        "section": section_reference(evaluation.section),
        "section_title": evaluation.section.title,
        "status": evaluation.status,
        "status_label": str(Status(evaluation.status).label),
        "rationale": evaluation.rationale,
        "evidence": " ".join(
            f"[{number}]" for number in sorted(c.number for c in evaluation.evidence.all())
        ),
        "state": evaluation.state,
        "author": evaluation.author.get_username() if evaluation.author else "",
        "reviewer": evaluation.reviewer.get_username() if evaluation.reviewer else "",
        "review_comment": evaluation.review_comment,
        "created": _when(evaluation.created),
        "reviewed_at": _when(evaluation.reviewed_at),
        "published_at": _when(evaluation.published_at),
    }


def export_queryset(evaluations) -> Iterable[Evaluation]:
    """The evaluations in agreement order, streamed with their section and people."""
    return (
        evaluations.select_related("section__chapter__agreement", "author", "reviewer")
        .prefetch_related("evidence")
        .order_by(
            "section__chapter__agreement__title",
            "section__chapter__position",
            "section__chapter__title",
            "section__sort_key",
            "created",
            "id",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )
