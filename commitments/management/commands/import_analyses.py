from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from commitments.importers import DEFAULT_AGREEMENT, AnalysisImportError, import_analyses


def print_report(stdout, style, report) -> None:
    """The run summary, shared with load_seed."""
    if report.dry_run:
        stdout.write(style.WARNING(_("Proefdraai: er is niets opgeslagen.")))
    for line in report.changed_sections:
        stdout.write(f"  {line}")
    stdout.write(_("Bestanden: %(n)s") % {"n": report.files})
    stdout.write(
        _("Secties: %(created)s nieuw, %(updated)s bijgewerkt, %(unchanged)s ongewijzigd")
        % {
            "created": report.sections_created,
            "updated": report.sections_updated,
            "unchanged": report.sections_unchanged,
        }
    )
    stdout.write(
        _("Referenties: %(n)s, waarvan %(incomplete)s onvolledig")
        % {"n": report.citations, "incomplete": report.incomplete_citations}
    )
    stdout.write(
        _("Beslissingen: %(created)s nieuw, %(reused)s hergebruikt")
        % {"created": report.decisions_created, "reused": report.decisions_reused}
    )
    stdout.write(_("Waarschuwingen: %(n)s") % {"n": len(report.warnings)})
    for warning in report.warnings:
        stdout.write(style.WARNING(f"  {warning}"))


class Command(BaseCommand):
    help = _(
        "Importeert sectieanalyses (markdown) uit bestanden of mappen: de eerste map "
        "is het hoofdstuk, elk .md/.txt-bestand één sectie. Alles of niets."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--agreement",
            default=DEFAULT_AGREEMENT,
            help=_("slug of titel van het regeerakkoord (wordt aangemaakt als het niet bestaat)"),
        )
        parser.add_argument(
            "--chapter", help=_("hoofdstuk voor een los bestand (verplicht bij een bestand)")
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("alles nalezen en tellen, niets opslaan")
        )

    def handle(self, *args, **options):
        try:
            report = import_analyses(
                options["paths"],
                agreement_title=options["agreement"],
                chapter=options["chapter"],
                dry_run=options["dry_run"],
            )
        except AnalysisImportError as exc:
            raise CommandError(str(exc)) from exc
        print_report(self.stdout, self.style, report)
