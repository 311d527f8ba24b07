"""What an import run did, and how it reads: the command, `load_seed` and the
admin import page all print `ImportReport.lines()`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


def _short(text: str, limit: int = 120) -> str:
    """One line of at most `limit` characters; the full text is in the admin history."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class ImportConflict:
    """A part of a section that both the file and an editor changed."""

    section: str  # "Samenleven 1.2"
    part: str  # "titel", "referentie [3]"
    file_value: str
    editor_value: str
    # True: the file's version was written (--overwrite-editor-changes).
    overwritten: bool

    def line(self) -> str:
        if self.overwritten:
            return _(
                "%(section)s, %(part)s: overschreven met het bestand; de redacteur had '%(editor)s'"
            ) % {"section": self.section, "part": self.part, "editor": _short(self.editor_value)}
        return _(
            "%(section)s, %(part)s: de wijziging van een redacteur is behouden; "
            "het bestand zegt '%(file)s'"
        ) % {"section": self.section, "part": self.part, "file": _short(self.file_value)}


@dataclass
class ImportReport:
    dry_run: bool = False
    overwrite: bool = False
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
    # Parts both the file and an editor changed, kept or (overwrite) overwritten.
    conflicts: list[ImportConflict] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The run summary, one line per string, in the active language."""
        lines = []
        if self.dry_run:
            lines.append(_("Proefdraai: er is niets opgeslagen."))
        lines.extend(f"  {line}" for line in self.changed_sections)
        lines.append(_("Bestanden: %(n)s") % {"n": self.files})
        lines.append(
            _("Secties: %(created)s nieuw, %(updated)s bijgewerkt, %(unchanged)s ongewijzigd")
            % {
                "created": self.sections_created,
                "updated": self.sections_updated,
                "unchanged": self.sections_unchanged,
            }
        )
        lines.append(
            _("Referenties: %(n)s, waarvan %(incomplete)s onvolledig")
            % {"n": self.citations, "incomplete": self.incomplete_citations}
        )
        lines.append(
            _("Beslissingen: %(created)s nieuw, %(reused)s hergebruikt")
            % {"created": self.decisions_created, "reused": self.decisions_reused}
        )
        lines.append(_("Waarschuwingen: %(n)s") % {"n": len(self.warnings)})
        lines.extend(f"  {warning}" for warning in self.warnings)
        kept = [c for c in self.conflicts if not c.overwritten]
        lines.append(_("Conflicten: %(n)s") % {"n": len(kept)})
        lines.extend(f"  {conflict.line()}" for conflict in kept)
        if self.overwrite:
            overwritten = [c for c in self.conflicts if c.overwritten]
            lines.append(
                _("Overschreven wijzigingen van redacteurs: %(n)s") % {"n": len(overwritten)}
            )
            lines.extend(f"  {conflict.line()}" for conflict in overwritten)
        return lines
