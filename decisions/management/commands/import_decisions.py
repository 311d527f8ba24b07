from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.importing import ImportFileError
from decisions.importers import import_decisions


class Command(BaseCommand):
    help = _(
        "Importeert beslissingen uit een JSON-lijst van nieuwsberichten van de "
        "beslissingendatabank (een bestand van elke grootte); bijwerken op extern id. "
        "Alles of niets."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="FILE.json")
        parser.add_argument(
            "--dry-run", action="store_true", help=_("alles nalezen en tellen, niets opslaan")
        )

    def handle(self, *args, **options):
        try:
            report = import_decisions(path=options["path"], dry_run=options["dry_run"])
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        if report.dry_run:
            self.stdout.write(self.style.WARNING(_("Proefdraai: er is niets opgeslagen.")))
        self.stdout.write(
            _(
                "Records: %(records)s — %(created)s nieuw, %(updated)s bijgewerkt, "
                "%(unchanged)s ongewijzigd; %(linked)s gekoppeld op titel en datum, "
                "%(merged)s samengevoegd met een beslissing onder een ander id"
            )
            % {
                "records": report.records,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "linked": report.linked,
                "merged": report.merged,
            }
        )
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(warning))
