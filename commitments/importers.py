"""Import of section analyses (the markdown files of seed 000 and the corpus).

`parse_analysis` turns one file's text into plain data and never touches the
database; `import_analyses` writes a whole run of files in one transaction, in
batches with a fixed number of queries each, so that time and memory grow with
the size of a batch, not with the size of the corpus.

Everything read here is untrusted: it is stored as text and never rendered in
this module; pages render it through `core/rendering.py`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePath
from urllib.parse import parse_qs, urlsplit

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.importing import ImportFileError, lock_imports, read_text
from decisions.models import Decision, normalize_title

from .models import (
    SECTION_NUMBER_RE,
    Agreement,
    Chapter,
    Citation,
    Section,
    Summary,
    relink_section_parents,
    section_sort_key,
)

DEFAULT_AGREEMENT = "Regeerakkoord 2019-2024"
PRODUCED_BY = "taalmodel (geïmporteerde analyse)"
SUFFIXES = {".md", ".txt"}
# Files parsed and written per round trip: big enough for bulk queries to pay
# off, small enough that memory does not grow with the corpus.
BATCH_SIZE = 200

# Opening and closing are found separately: one regex spanning "<p>(.*?)</p>"
# would rescan the rest of the file for every opening, quadratic on hostile input.
_SECTION_OPEN_RE = re.compile(
    r"<details>\s*<summary>\s*Regeerakkoord\s+Sectie\s*</summary>\s*<p>", re.I
)
_SECTION_CLOSE_RE = re.compile(r"</p>\s*</details>", re.I)
_REFERENCES_OPEN_RE = re.compile(r"<details>\s*<summary>\s*Referenties\s*</summary>", re.I)
_DETAILS_CLOSE_RE = re.compile(r"</details>", re.I)
_NUMBER_RE = re.compile(r"^\s*(?P<number>\d+(?:\.\d+)*)\.?(?=\s|$)")
_CITED_RE = re.compile(r"\\\[(\d+)\\\]")
# Neighbouring parts use disjoint character classes, so matching stays linear
# on hostile lines (no nested or overlapping repeats to backtrack through).
_REFERENCE_RE = re.compile(
    r"^\*\*\s*\[\s*\\\[\s*(?P<number>\d+)\s*\\\]\s*\]"
    r"(?:\(\s*(?P<url>[^\s)]+)\s*\))?"
    r"\s*\*\*\s*:\s*\*\*\s*\(\s*(?P<date>[^\s)]+)\s*\)\s*\*\*"
    r"(?P<title>.*)$"
)
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# "Conclusie", "Conclusie:", "Algemene Conclusie", "**Conclusie**", "## Conclusie:" ...
_CONCLUSION_RE = re.compile(
    r"^(?P<hashes>#{1,6}\s*)?(?P<open>\*\*|__)?\s*(?:algemene\s+)?conclusies?\s*(?P<colon>:)?\s*"
    r"(?P<close>\*\*|__)?\s*:?\s*(?P<rest>.*)$",
    re.I,
)


class AnalysisImportError(ImportFileError):
    """Bad analysis input: `str(err)` is "PATH:LINE: message" naming what was expected."""


@dataclass(frozen=True)
class ParsedCitation:
    number: int
    date: date
    title: str
    url: str
    line: int

    @property
    def incomplete(self) -> bool:
        return not self.title

    @property
    def decision_key(self) -> tuple[str, date]:
        return normalize_title(self.title), self.date


@dataclass
class ParsedAnalysis:
    source: str
    sha256: str
    number: str
    title: str
    text: str
    body: str
    conclusion: str
    citations: list[ParsedCitation]
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    dry_run: bool = False
    files: int = 0
    sections_created: int = 0
    sections_updated: int = 0
    sections_unchanged: int = 0
    citations: int = 0
    incomplete_citations: int = 0
    decisions_created: int = 0
    decisions_reused: int = 0
    warnings: list[str] = field(default_factory=list)
    # "chapter number title" of every section created or updated, in import order.
    changed_sections: list[str] = field(default_factory=list)
    # Primary keys of every section of the run, unchanged ones included, so a
    # caller can link to what was imported (meaningless after a dry run).
    section_ids: list[int] = field(default_factory=list)


# --------------------------------------------------------------------------- parsing


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _fold(text: str) -> str:
    """Letters and digits only, accents and case dropped: how a file name
    ("Financien", "mobiliteit  innovatie") is compared with the real title."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isalnum()).casefold()


def _split_title(heading: str, rest: str) -> tuple[str, str] | None:
    """Find the heading's words at the start of `rest`; return (title as
    spelled in the text, text after the title), or None when they are not there.

    The heading comes from a file name, so punctuation, slashes, quotes, double
    spaces and diacritics may differ; only letters and digits must match, in order.
    """
    wanted = _fold(heading.replace("_", " "))
    if not wanted:
        return None
    matched = 0
    end = 0
    for index, char in enumerate(rest):
        folded = _fold(char)
        if not folded:
            continue
        if not wanted.startswith(folded, matched):
            return None
        matched += len(folded)
        end = index + 1
        if matched == len(wanted):
            break
    else:
        return None
    # The title runs to the end of its last word, with what sticks to it (a
    # closing quote, a colon, the rest of a word cut off in a long file name).
    while end < len(rest) and not rest[end].isspace():
        end += 1
    title = rest[:end].strip().rstrip(":_").strip()
    remainder = rest[end:].lstrip(" \t:;,.–-").lstrip()
    return title, remainder


def _title_from_url(url: str) -> str:
    values = parse_qs(urlsplit(url).query).get("search", [])
    return " ".join(values[0].split()) if values else ""


def _split_conclusion(body: str) -> tuple[str, str]:
    """(body, conclusion): the conclusion is what follows the first line that is
    a "Conclusie" heading (any # level), a bold "**Conclusie:**" or a bare
    "Conclusie" / "Conclusie: ..." line; running text that merely starts with
    the word does not count."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        # Headings are short; the length check also keeps the regex cheap on hostile lines.
        if len(line) > 200 or "conclusie" not in line.casefold():
            continue
        match = _CONCLUSION_RE.match(line.strip())
        if not match:
            continue
        rest = match.group("rest").strip()
        if match.group("hashes"):
            rest = ""  # the rest of a heading line is heading, not conclusion
        elif match.group("open"):
            if not match.group("close"):
                continue
        elif rest and not match.group("colon"):
            continue
        head = "\n".join(lines[:index]).strip()
        tail = "\n".join(([rest] if rest else []) + lines[index + 1 :]).strip()
        return head, tail
    return body.strip(), ""


def _parse_references(
    lines: list[str], first_line: int, source: str
) -> tuple[list[ParsedCitation], int | None]:
    """Reference lines from `lines` (the block after its <summary> line).
    Returns the citations and the index in `lines` of the closing </details>."""
    citations: list[ParsedCitation] = []
    seen: dict[int, int] = {}
    previous: dict | None = None
    for index, raw in enumerate(lines):
        line_no = first_line + index
        line = raw.strip()
        if _DETAILS_CLOSE_RE.fullmatch(line):
            if previous:
                citations.append(_finish_reference(previous, source))
            return citations, index
        if not line:
            if previous:
                citations.append(_finish_reference(previous, source))
            previous = None
            continue
        match = _REFERENCE_RE.match(line)
        if match is None:
            if previous and previous["title"]:
                # A long title wrapped onto the next line (it happens in the corpus).
                previous["title"] += " " + line
                continue
            raise AnalysisImportError(
                source,
                line_no,
                _(
                    "onverwachte regel in de referenties; verwacht "
                    "'**[\\[n\\]](URL)** : **(JJJJ-MM-DD)** Titel' of "
                    "'**[\\[n\\]]** : **(JJJJ-MM-DD)**'"
                ),
            )
        if previous:
            citations.append(_finish_reference(previous, source))
        number = int(match.group("number"))
        if number in seen:
            raise AnalysisImportError(
                source,
                line_no,
                _("referentienummer [%(number)s] staat er twee keer (eerst op regel %(first)s)")
                % {"number": number, "first": seen[number]},
            )
        seen[number] = line_no
        previous = {
            "number": number,
            "url": (match.group("url") or "").strip(),
            "date": match.group("date"),
            "title": match.group("title").strip(),
            "line": line_no,
        }
    return citations, None


def _finish_reference(ref: dict, source: str) -> ParsedCitation:
    line_no = ref["line"]
    raw_date = ref["date"]
    try:
        if not _ISO_DATE_RE.match(raw_date):
            raise ValueError
        parsed_date = date.fromisoformat(raw_date)
    except ValueError:
        raise AnalysisImportError(
            source,
            line_no,
            _("ongeldige datum '%(date)s' in referentie [%(number)s]; verwacht JJJJ-MM-DD")
            % {"date": raw_date, "number": ref["number"]},
        ) from None
    url = ref["url"]
    if url and (urlsplit(url).scheme.lower() not in {"http", "https"} or len(url) > 2000):
        raise AnalysisImportError(
            source,
            line_no,
            _("link van referentie [%(number)s] is geen http(s)-adres van hoogstens 2000 tekens")
            % {"number": ref["number"]},
        )
    title = " ".join(ref["title"].split()) or (_title_from_url(url) if url else "")
    if len(title) > 1000:
        raise AnalysisImportError(
            source,
            line_no,
            _("titel van referentie [%(number)s] is langer dan 1000 tekens")
            % {"number": ref["number"]},
        )
    return ParsedCitation(
        number=ref["number"], date=parsed_date, title=title, url=url, line=line_no
    )


def parse_analysis(text: str, *, source: str) -> ParsedAnalysis:
    """Parse one section analysis. Pure: raises only AnalysisImportError."""
    if "\x00" in text:
        raise AnalysisImportError(source, None, _("binair bestand; verwacht UTF-8-tekst"))
    sha256 = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise AnalysisImportError(
            source, 1, _("leeg bestand; verwacht '# <titel>' en een sectieblok")
        )

    lines = text.split("\n")
    heading_index = next(i for i, line in enumerate(lines) if line.strip())
    heading_line = lines[heading_index].strip()
    if not heading_line.startswith("# "):
        raise AnalysisImportError(
            source, heading_index + 1, _("verwacht een eerste regel '# <titel van de sectie>'")
        )
    heading = heading_line[2:].strip()

    opened = _SECTION_OPEN_RE.search(text)
    closed = _SECTION_CLOSE_RE.search(text, opened.end()) if opened else None
    if closed is None:
        raise AnalysisImportError(
            source,
            _line_at(text, opened.start()) if opened else None,
            _(
                "geen volledig sectieblok; verwacht '<details><summary>Regeerakkoord Sectie "
                "</summary><p>NUMMER TITEL TEKST</p></details>'"
            ),
        )
    block_line = _line_at(text, opened.end())
    paragraph = " ".join(text[opened.end() : closed.start()].split())
    number_match = _NUMBER_RE.match(paragraph)
    if number_match is None:
        raise AnalysisImportError(
            source,
            block_line,
            _("de sectietekst begint niet met een sectienummer zoals 1.2 of 2.2.2.1"),
        )
    number = number_match.group("number")
    if len(number) > 40 or not SECTION_NUMBER_RE.match(number):
        raise AnalysisImportError(
            source, block_line, _("sectienummer %(number)s is te lang") % {"number": number}
        )
    rest = paragraph[number_match.end() :].strip()
    warnings: list[str] = []
    # Some analyses head themselves with their own title ("# Evaluatie van het
    # Regeerakkoord versus …"); the file name then still names the section, and
    # that heading belongs to the summary, so it is kept at the top of the body.
    own_heading = ""
    split = _split_title(heading, rest)
    if split is None:
        split = _split_title(PurePath(source).stem, rest)
        own_heading = f"# {heading}" if split else ""
    if split is None:
        title = heading.rstrip(":_ ").strip() or number
        section_text = rest
        warnings.append(
            _("%(source)s: titel '%(title)s' niet teruggevonden aan het begin van de sectietekst")
            % {"source": source, "title": title}
        )
    else:
        title, section_text = split
    title = " ".join(title.split())
    if len(title) > 500:
        raise AnalysisImportError(source, heading_index + 1, _("titel is langer dan 500 tekens"))

    refs_open = _REFERENCES_OPEN_RE.search(text, closed.end())
    if refs_open is None:
        raise AnalysisImportError(
            source,
            None,
            _(
                "geen referentieblok; verwacht '<details><summary> Referenties</summary>' "
                "na de samenvatting"
            ),
        )
    body, conclusion = _split_conclusion(text[closed.end() : refs_open.start()])
    if own_heading:
        body = f"{own_heading}\n\n{body}".strip()
    refs_first_line = _line_at(text, refs_open.end())
    ref_lines = text[refs_open.end() :].split("\n")
    # The first element is what follows "</summary>" on its own line.
    citations, close_index = _parse_references(ref_lines, refs_first_line, source)
    if close_index is None:
        raise AnalysisImportError(
            source,
            refs_first_line + len(ref_lines) - 1,
            _("referentieblok niet afgesloten; verwacht '</details>' (afgebroken bestand?)"),
        )
    trailing = [i for i in range(close_index + 1, len(ref_lines)) if ref_lines[i].strip()]
    if trailing:
        raise AnalysisImportError(
            source,
            refs_first_line + trailing[0],
            _("onverwachte tekst na het referentieblok; verwacht het einde van het bestand"),
        )

    defined = {c.number for c in citations}
    used = {int(n) for n in _CITED_RE.findall(body + "\n" + conclusion)}
    for missing in sorted(used - defined):
        warnings.append(
            _("%(source)s: [%(number)s] staat in de tekst maar niet in de referenties")
            % {"source": source, "number": missing}
        )
    for unused in sorted(defined - used):
        warnings.append(
            _("%(source)s: referentie [%(number)s] wordt nergens in de tekst gebruikt")
            % {"source": source, "number": unused}
        )
    return ParsedAnalysis(
        source=source,
        sha256=sha256,
        number=number,
        title=title,
        text=section_text,
        body=body,
        conclusion=conclusion,
        citations=citations,
        warnings=warnings,
    )


def read_analysis(path: Path, *, source: str) -> ParsedAnalysis:
    """Read and parse one file, with the size and encoding checks."""
    try:
        text = read_text(path, source=source)
    except ImportFileError as exc:
        raise AnalysisImportError(exc.path, exc.line, exc.message) from None
    return parse_analysis(text, source=source)


# --------------------------------------------------------------------------- files


@dataclass(frozen=True)
class _SourceFile:
    path: Path
    chapter: str
    source: str  # provenance: relative to the imported root, chapter folder first


def collect_files(paths: Iterable[str | Path], *, chapter: str | None) -> list[_SourceFile]:
    """The files of a run, in a stable order, each with its chapter."""
    found: list[_SourceFile] = []
    for raw in paths:
        root = Path(raw)
        if root.is_file():
            if not chapter:
                raise AnalysisImportError(
                    str(root),
                    None,
                    _("een los bestand heeft --chapter nodig (de naam van het hoofdstuk)"),
                )
            found.append(_SourceFile(root, chapter, f"{chapter}/{root.name}"))
        elif root.is_dir():
            if chapter:
                raise AnalysisImportError(
                    str(root),
                    None,
                    _(
                        "--chapter geldt alleen voor losse bestanden; "
                        "in een map is de eerste map het hoofdstuk"
                    ),
                )
            for path in sorted(root.rglob("*")):
                relative = path.relative_to(root)
                if (
                    not path.is_file()
                    or path.suffix.lower() not in SUFFIXES
                    or any(part.startswith(".") for part in relative.parts)
                ):
                    continue
                # A file directly under the root is a chapter of its own (Media.md).
                name = relative.parts[0] if len(relative.parts) > 1 else path.stem
                found.append(_SourceFile(path, name, relative.as_posix()))
        else:
            raise AnalysisImportError(str(root), None, _("bestand of map bestaat niet"))
    return found


def _batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --------------------------------------------------------------------------- writing


def find_agreement(name: str) -> Agreement:
    """The agreement with this slug or title, created when there is none."""
    agreement = Agreement.objects.filter(Q(slug=name) | Q(title=name)).order_by("pk").first()
    if agreement is None:
        title = DEFAULT_AGREEMENT if name == slugify(DEFAULT_AGREEMENT) else name
        agreement = Agreement.objects.create(title=title, slug=slugify(title))
    return agreement


class _Importer:
    def __init__(self, agreement: Agreement, report: ImportReport):
        self.agreement = agreement
        self.report = report
        self.chapters: dict[str, Chapter] = {}
        self.decision_ids: dict[tuple[str, date], int] = {}
        self.decisions_seen: set[int] = set()
        self.touched_chapters: set[int] = set()
        self.seen_sections: dict[tuple[int, str], str] = {}
        self.now = timezone.now()

    def chapter(self, name: str, source: str) -> Chapter:
        slug = slugify(name)
        if not slug:
            raise AnalysisImportError(
                source,
                None,
                _("hoofdstuknaam '%(name)s' heeft geen letters of cijfers") % {"name": name},
            )
        if slug not in self.chapters:
            chapter = Chapter.objects.filter(agreement=self.agreement, slug=slug).first()
            if chapter is None:
                last = self.agreement.chapters.order_by("-position").first()
                chapter = Chapter.objects.create(
                    agreement=self.agreement,
                    title=name[:300],
                    slug=slug[:300],
                    position=(last.position + 1) if last else 0,
                )
            self.chapters[slug] = chapter
        return self.chapters[slug]

    def run_batch(self, files: list[_SourceFile]) -> None:
        # Messages name the file as the operator can open it; provenance keeps
        # the path relative to the imported root.
        parsed = [(f, read_analysis(f.path, source=str(f.path))) for f in files]
        rows = []
        for source_file, analysis in parsed:
            chapter = self.chapter(source_file.chapter, str(source_file.path))
            key = (chapter.pk, analysis.number)
            if key in self.seen_sections:
                raise AnalysisImportError(
                    str(source_file.path),
                    None,
                    _("sectie %(number)s van hoofdstuk %(chapter)s staat ook in %(other)s")
                    % {
                        "number": analysis.number,
                        "chapter": chapter.title,
                        "other": self.seen_sections[key],
                    },
                )
            self.seen_sections[key] = str(source_file.path)
            rows.append((chapter, source_file, analysis))
            self.report.files += 1
            self.report.citations += len(analysis.citations)
            self.report.incomplete_citations += sum(c.incomplete for c in analysis.citations)
            self.report.warnings.extend(analysis.warnings)

        existing = self._existing_sections(rows)
        changed = []
        for chapter, source_file, analysis in rows:
            section = existing.get((chapter.pk, analysis.number))
            if section is not None and self._unchanged(section, source_file, analysis):
                self.report.sections_unchanged += 1
                self.report.section_ids.append(section.pk)
            else:
                changed.append((chapter, source_file, analysis, section))
        if not changed:
            return
        self._resolve_decisions([a for _c, _f, a, _s in changed])
        self._write_sections(changed)

    def _existing_sections(self, rows) -> dict[tuple[int, str], Section]:
        wanted: dict[int, list[str]] = {}
        for chapter, _f, analysis in rows:
            wanted.setdefault(chapter.pk, []).append(analysis.number)
        found: dict[tuple[int, str], Section] = {}
        for chapter_id, numbers in wanted.items():
            for section in Section.objects.filter(
                chapter_id=chapter_id, number__in=numbers
            ).select_related("summary"):
                found[(chapter_id, section.number)] = section
        return found

    @staticmethod
    def _summary(section: Section) -> Summary | None:
        try:
            return section.summary
        except Summary.DoesNotExist:
            return None

    def _unchanged(self, section: Section, source_file: _SourceFile, analysis) -> bool:
        summary = self._summary(section)
        return (
            summary is not None
            and summary.source_sha256 == analysis.sha256
            and summary.source_file == source_file.source
            and section.title == analysis.title
            and section.text == analysis.text
        )

    def _resolve_decisions(self, analyses: list[ParsedAnalysis]) -> None:
        """Map every (normalised title, date) cited to a decision id: one SELECT
        for those that exist, one bulk INSERT for the rest."""
        first: dict[tuple[str, date], ParsedCitation] = {}
        for analysis in analyses:
            for citation in analysis.citations:
                if not citation.incomplete:
                    first.setdefault(citation.decision_key, citation)
        missing = [key for key in first if key not in self.decision_ids]
        if missing:
            titles = {title for title, _d in missing}
            wanted = set(missing)
            fill_url = []
            for decision in Decision.objects.filter(normalized_title__in=titles).only(
                "id", "normalized_title", "date", "source_url"
            ):
                key = (decision.normalized_title, decision.date)
                if key in wanted:
                    self.decision_ids[key] = decision.pk
                    if not decision.source_url and first[key].url:
                        decision.source_url = first[key].url
                        fill_url.append(decision)
            if fill_url:
                Decision.objects.bulk_update(fill_url, ["source_url"])
            new = [key for key in missing if key not in self.decision_ids]
            if new:
                Decision.objects.bulk_create(
                    [
                        Decision(
                            title=first[key].title,
                            normalized_title=key[0],
                            date=key[1],
                            source_url=first[key].url,
                        )
                        for key in new
                    ],
                    ignore_conflicts=True,
                    batch_size=500,
                )
                created = Decision.objects.filter(
                    normalized_title__in={t for t, _d in new}
                ).values_list("id", "normalized_title", "date")
                new_keys = set(new)
                for pk, title, day in created:
                    if (title, day) in new_keys:
                        self.decision_ids[(title, day)] = pk
                        self.decisions_seen.add(pk)
                self.report.decisions_created += len(new)
        for key in first:
            pk = self.decision_ids[key]
            if pk not in self.decisions_seen:
                self.decisions_seen.add(pk)
                self.report.decisions_reused += 1

    def _write_sections(self, changed) -> None:
        new_sections, updated_sections, targets = [], [], []
        for chapter, source_file, analysis, section in changed:
            self.touched_chapters.add(chapter.pk)
            is_new = section is None
            if is_new:
                section = Section(chapter=chapter, number=analysis.number)
                new_sections.append(section)
            else:
                updated_sections.append(section)
            section.title = analysis.title
            section.text = analysis.text
            section.sort_key = section_sort_key(analysis.number)
            targets.append((section, is_new, source_file, analysis))
            self.report.changed_sections.append(
                f"{chapter.title} {analysis.number} {analysis.title}"
            )
        # bulk_create skips Section.save(), which would relink parents once per
        # row; parents are relinked once per chapter at the end of the run.
        Section.objects.bulk_create(new_sections, batch_size=500)
        self.report.section_ids.extend(section.pk for section, *_rest in targets)
        if updated_sections:
            Section.objects.bulk_update(updated_sections, ["title", "text"], batch_size=500)
        self.report.sections_created += len(new_sections)
        self.report.sections_updated += len(updated_sections)

        old_citations = self._old_citations(updated_sections)
        summaries_new, summaries_update = [], []
        citations_new, citations_update, citations_delete = [], [], []
        for section, is_new, source_file, analysis in targets:
            summary = None if is_new else self._summary(section)
            if summary is None:
                summary = Summary(section=section)
                summaries_new.append(summary)
            else:
                summaries_update.append(summary)
            summary.body = analysis.body
            summary.conclusion = analysis.conclusion
            summary.source_file = source_file.source
            summary.source_sha256 = analysis.sha256
            summary.imported_at = self.now
            summary.produced_by = PRODUCED_BY

            old = old_citations.get(section.pk, {})
            for parsed in analysis.citations:
                citation = old.pop(parsed.number, None)
                if citation is None:
                    citation = Citation(section=section, number=parsed.number)
                    citations_new.append(citation)
                else:
                    citations_update.append(citation)
                # An editor resolved this citation by choosing its decision; a
                # source that still gives no title must not undo that.
                editor_resolved = (
                    parsed.incomplete
                    and citation.decision_id is not None
                    and not citation.incomplete
                )
                citation.raw_date = parsed.date
                citation.raw_title = parsed.title
                citation.raw_url = parsed.url
                if not editor_resolved:
                    citation.decision_id = (
                        None if parsed.incomplete else self.decision_ids[parsed.decision_key]
                    )
                    citation.incomplete = parsed.incomplete
            citations_delete.extend(c.pk for c in old.values())

        Summary.objects.bulk_create(summaries_new, batch_size=500)
        summary_fields = [
            "body", "conclusion", "source_file", "source_sha256", "imported_at", "produced_by",
        ]  # fmt: skip
        if summaries_update:
            Summary.objects.bulk_update(summaries_update, summary_fields, batch_size=500)
        if citations_delete:
            Citation.objects.filter(pk__in=citations_delete).delete()
        Citation.objects.bulk_create(citations_new, batch_size=1000)
        if citations_update:
            Citation.objects.bulk_update(
                citations_update,
                ["raw_date", "raw_title", "raw_url", "decision", "incomplete"],
                batch_size=1000,
            )

    @staticmethod
    def _old_citations(sections: list[Section]) -> dict[int, dict[int, Citation]]:
        result: dict[int, dict[int, Citation]] = {}
        if sections:
            for citation in Citation.objects.filter(section__in=sections):
                result.setdefault(citation.section_id, {})[citation.number] = citation
        return result

    def finish(self) -> None:
        for chapter_id in sorted(self.touched_chapters):
            relink_section_parents(chapter_id)


def import_analyses(
    paths: Iterable[str | Path],
    *,
    agreement_title: str = DEFAULT_AGREEMENT,
    chapter: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import analysis files and trees in one transaction; on any error raise
    AnalysisImportError and leave the database as it was."""
    files = collect_files(paths, chapter=chapter)
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        lock_imports()
        importer = _Importer(find_agreement(agreement_title), report)
        for batch in _batches(files, BATCH_SIZE):
            importer.run_batch(batch)
        importer.finish()
        if dry_run:
            transaction.set_rollback(True)
    return report
