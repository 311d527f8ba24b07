"""What a re-import may change: the three-way rule, without the database.

Three versions of a section meet: what its file says now, what was imported
from that file last time (the baseline, `Summary.import_baseline`) and what is
stored now, after editors worked on it. Per field and per citation number:

- the file did not change it: keep what is stored (an editor's change stays);
- the file changed it and an editor did not: take the file's version;
- both changed it to the same: nothing to do;
- both changed it differently: keep the editor's version and report a
  conflict, naming what the file says.

With `overwrite` the file wins wherever it and the stored version differ, and
every editor's change it undoes is reported with the editor's version. A
citation that an evaluation uses as evidence is never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from decisions.services import DecisionKey, decision_key

FIELDS = ("title", "text", "body", "conclusion")


def field_label(name: str) -> str:
    return {
        "title": _("titel"),
        "text": _("tekst"),
        "body": _("samenvatting"),
        "conclusion": _("conclusie"),
    }[name]


@dataclass(frozen=True)
class CitationValues:
    """One reference as a file gives it."""

    date: date | None
    title: str
    url: str
    # normalize_title(title) when known already (a file's values): see decision_key.
    normalized_title: str | None = field(default=None, compare=False, repr=False)

    @property
    def decision_key(self) -> DecisionKey | None:
        """The key of the decision these values cite; None without a title."""
        if not (self.title and self.date):
            return None
        if self.normalized_title is None:
            return decision_key(self.title, self.date)
        return self.normalized_title, self.date

    def as_json(self, number: int) -> dict:
        day = self.date.isoformat() if self.date else None
        return {"number": number, "date": day, "title": self.title, "url": self.url}

    @classmethod
    def from_json(cls, data: dict) -> CitationValues:
        day = date.fromisoformat(data["date"]) if data.get("date") else None
        return cls(date=day, title=data.get("title", ""), url=data.get("url", ""))

    def imported(self) -> StoredCitation:
        """The citation an import writes for these values: without a title it
        is incomplete and has no decision; with one, it cites the decision of
        that title and date."""
        return StoredCitation(
            date=self.date,
            title=self.title,
            url=self.url,
            decision=self.decision_key,
            incomplete=not self.title,
        )

    def describe(self) -> str:
        day = self.date.isoformat() if self.date else "?"
        return f"({day}) {self.title}".strip() if self.title else f"({day})"


@dataclass(frozen=True)
class StoredCitation:
    """A citation as stored, reduced to what an import compares."""

    date: date | None
    title: str
    url: str
    decision: DecisionKey | None
    incomplete: bool
    decision_id: int | None = field(default=None, compare=False)
    # An evaluation cites it as evidence: deleting it would rewrite that judgement.
    is_evidence: bool = field(default=False, compare=False)
    # An editor chose its decision (commitments.services.citation_is_resolved_by_editor).
    resolved_by_editor: bool = field(default=False, compare=False)

    def describe(self) -> str:
        day = self.date.isoformat() if self.date else "?"
        text = f"({day}) {self.title}".strip() if self.title else f"({day})"
        if self.decision_id is not None:
            text += " " + _("→ beslissing #%(id)s") % {"id": self.decision_id}
        elif self.incomplete:
            text += " " + _("(onvolledig)")
        return text


@dataclass(frozen=True)
class Version:
    """A section's importable parts: what a file says, or what was imported last."""

    number: str = ""
    title: str = ""
    text: str = ""
    body: str = ""
    conclusion: str = ""
    citations: dict[int, CitationValues] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "text": self.text,
            "body": self.body,
            "conclusion": self.conclusion,
            "citations": [self.citations[n].as_json(n) for n in sorted(self.citations)],
        }

    @classmethod
    def from_json(cls, data: dict | None) -> Version:
        """The baseline; an empty one (a section an editor made, nothing
        imported yet) reads as all parts empty."""
        data = data or {}
        return cls(
            number=data.get("number", ""),
            title=data.get("title", ""),
            text=data.get("text", ""),
            body=data.get("body", ""),
            conclusion=data.get("conclusion", ""),
            citations={
                item["number"]: CitationValues.from_json(item) for item in data.get("citations", [])
            },
        )


@dataclass(frozen=True)
class Current:
    """What is stored now for a section."""

    title: str
    text: str
    body: str
    conclusion: str
    citations: dict[int, StoredCitation]


@dataclass(frozen=True)
class Clash:
    """One part where the file and an editor disagree."""

    part: str
    file_value: str
    editor_value: str
    # True: the file's version was written (overwrite); False: the editor's was kept.
    overwritten: bool


@dataclass
class Merge:
    fields: dict[str, str] = field(default_factory=dict)  # field name -> value to write
    write_citations: dict[int, CitationValues] = field(default_factory=dict)  # create or update
    delete_citations: set[int] = field(default_factory=set)
    clashes: list[Clash] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fields or self.write_citations or self.delete_citations)


def _same(stored: str, other: str) -> bool:
    """Equal for a reader. Browsers send a textarea back with CRLF line ends,
    so a section saved in the admin without touching its summary must still
    count as untouched."""
    return _lines(stored) == _lines(other)


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def merge(*, baseline: Version, file: Version, current: Current, overwrite: bool) -> Merge:
    """What to write so that the file's changes arrive and editors' changes stay."""
    result = Merge()
    for name in FIELDS:
        new, old, now = getattr(file, name), getattr(baseline, name), getattr(current, name)
        if _same(now, new):
            continue
        editor_changed = not _same(now, old)
        if overwrite:
            result.fields[name] = new
            if editor_changed:
                result.clashes.append(Clash(field_label(name), new, now, overwritten=True))
        elif new == old:
            continue  # only the editor changed it
        elif not editor_changed:
            result.fields[name] = new
        else:
            result.clashes.append(Clash(field_label(name), new, now, overwritten=False))

    numbers = set(file.citations) | set(baseline.citations) | set(current.citations)
    for number in sorted(numbers):
        _merge_citation(
            result,
            number,
            file.citations.get(number),
            baseline.citations.get(number),
            current.citations.get(number),
            overwrite,
        )
    return result


def _merge_citation(
    result: Merge,
    number: int,
    new: CitationValues | None,
    old: CitationValues | None,
    now: StoredCitation | None,
    overwrite: bool,
) -> None:
    wanted = new.imported() if new else None
    if now == wanted:
        return
    # As the last import left it: neither added, deleted, resolved nor edited by a person.
    if now is None or old is None:
        untouched = now is None and old is None
    else:
        untouched = not now.resolved_by_editor and now == old.imported()
    part = _("referentie [%(number)s]") % {"number": number}
    file_value = new.describe() if new else _("(niet meer in het bestand)")
    editor_value = now.describe() if now else _("(verwijderd door een redacteur)")
    if not overwrite and (new == old or not untouched):
        if new != old:  # both changed, differently
            result.clashes.append(Clash(part, file_value, editor_value, overwritten=False))
        return
    # The file's version is written: it changed and no editor touched this
    # citation, or an operator chose to overwrite.
    if new is None:
        if now.is_evidence:
            result.clashes.append(
                Clash(
                    part,
                    _(
                        "(niet meer in het bestand; blijft, want een evaluatie gebruikt ze "
                        "als bewijs)"
                    ),
                    editor_value,
                    overwritten=False,
                )
            )
            return
        result.delete_citations.add(number)
    else:
        result.write_citations[number] = new
    if not untouched:
        result.clashes.append(Clash(part, file_value, editor_value, overwritten=True))
