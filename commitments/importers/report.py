"""What an import run did, and how it reads: the command, `load_seed` and the
admin import page all print `ImportReport.lines()`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


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
        return lines
