"""Step two of an import: one analysis file's text into plain data.

Pure: nothing here touches the database, so every rule of the format can be
tested on text alone. Everything read is untrusted; it is returned as text and
only ever shown through `core/rendering.py`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePath
from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext as _

from core.importing import ImportFileError, read_text
from decisions.models import normalize_title

from ..models import SECTION_NUMBER_RE

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
# The conclusion marker's first word: "Conclusie(s)", "Algemene conclusie",
# "Eindconclusie", "Slotconclusie".
# Not followed by a letter or digit ("_" ends it, as in "__Conclusie__").
_CONCLUSION_WORD = r"(?:algemene\s+|eind|slot)?conclusies?(?![^\W_])"
# "## Conclusie", "#### Algemene Conclusie:", "### **Conclusie van de evaluatie**":
# the whole line is the heading.
_CONCLUSION_HEADING_RE = re.compile(r"^#{1,6}\s*(?:\*{1,3}|_{1,3})?\s*" + _CONCLUSION_WORD, re.I)
# A bold or italic label: "**Conclusie**", "**Conclusie:**", "**Conclusie**:",
# "**Conclusie van de Evaluatie**", "**Conclusie:** text on the same line".
# The label is short and no sentence; text after it belongs to the conclusion.
_CONCLUSION_LABEL_RE = re.compile(
    r"^(?P<mark>\*{1,3}|_{1,3})\s*" + _CONCLUSION_WORD + r"(?P<more>[^*_.!?;:\n]{0,60}?)"
    r"\s*:?\s*(?P=mark)\s*:?\s*(?P<rest>.*)$",
    re.I,
)
# A bare line "Conclusie" or "Algemene conclusie:", maybe followed by text after the colon.
_CONCLUSION_BARE_RE = re.compile(r"^" + _CONCLUSION_WORD + r"\s*(?:$|:\s*(?P<rest>.*)$)", re.I)


# Database column limits, checked while parsing so that input beyond them gets
# a FILE:LINE message instead of a database error half-way through an import.
MAX_CITATION_NUMBER = 2**31 - 1  # Citation.number, a PostgreSQL integer
MAX_TITLE = 1000  # Citation.raw_title, Decision.title and Decision.normalized_title


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


class AnalysisImportError(ImportFileError):
    """Bad analysis input: `str(err)` is "PATH:LINE: message" naming what was expected."""


@dataclass(frozen=True)
class ParsedCitation:
    number: int
    date: date
    title: str
    url: str
    line: int
    # normalize_title(title): the decision's key, computed once while parsing.
    normalized_title: str = ""

    @property
    def incomplete(self) -> bool:
        return not self.title

    @property
    def decision_key(self) -> tuple[str, date]:
        return self.normalized_title, self.date


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
    """(body, conclusion): the conclusion is what follows the first line that
    marks it: a heading starting with "Conclusie" (any # level, any words
    after it), a bold label such as "**Conclusie**:" or "**Conclusie van de
    Evaluatie**" (text after it on the same line is kept), or a bare
    "Conclusie" / "Conclusie: …" line. Running text that merely starts with
    the word does not count, nor does a list item."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        # Markers are short; the length check also keeps the regexes cheap on hostile lines.
        if len(line) > 200 or "conclusie" not in line.casefold():
            continue
        rest = _conclusion_marker(line.strip())
        if rest is None:
            continue
        head = "\n".join(lines[:index]).strip()
        tail = "\n".join(([rest] if rest else []) + lines[index + 1 :]).strip()
        return head, tail
    return body.strip(), ""


def _conclusion_marker(line: str) -> str | None:
    """None when `line` does not mark the conclusion; else the text on the same
    line that already belongs to the conclusion (often empty)."""
    if _CONCLUSION_HEADING_RE.match(line):
        return ""
    for pattern in (_CONCLUSION_LABEL_RE, _CONCLUSION_BARE_RE):
        match = pattern.match(line)
        if match:
            return (match.group("rest") or "").strip()
    return None


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
        digits = match.group("number")
        # Checked as text first: int() of thousands of digits is refused by Python itself.
        if len(digits) > len(str(MAX_CITATION_NUMBER)) or int(digits) > MAX_CITATION_NUMBER:
            raise AnalysisImportError(
                source,
                line_no,
                _("referentienummer [%(number)s] is te groot; hoogstens %(max)s")
                % {"number": _shorten(digits, 20), "max": MAX_CITATION_NUMBER},
            )
        number = int(digits)
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
    # The decision stores the normalised title too, and NFKC can lengthen it ("ﬃ" -> "ffi").
    normalized = normalize_title(title) if title else ""
    if len(title) > MAX_TITLE or len(normalized) > MAX_TITLE:
        raise AnalysisImportError(
            source,
            line_no,
            _("titel van referentie [%(number)s] is langer dan 1000 tekens")
            % {"number": ref["number"]},
        )
    return ParsedCitation(
        number=ref["number"],
        date=parsed_date,
        title=title,
        url=url,
        line=line_no,
        normalized_title=normalized,
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
    used = {int(n) for n in _CITED_RE.findall(body + "\n" + conclusion) if len(n) <= 18}
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
