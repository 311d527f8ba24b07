from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.importing import ImportFileError
from decisions.importers import import_document


class Command(BaseCommand):
    help = _(
        "Importeert een document van een beslissing (mededeling of nota aan de Vlaamse "
        "Regering) en hangt het aan een bestaande of nieuwe beslissing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--decision", type=int, help=_("id van een bestaande beslissing"))
        target.add_argument(
            "--date",
            type=date.fromisoformat,
            help=_("datum van de zitting (JJJJ-MM-DD); zoekt of maakt de beslissing"),
        )
        parser.add_argument(
            "--title", help=_("titel van de beslissing bij --date (standaard: het onderwerp)")
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("alles nalezen, niets opslaan")
        )

    def handle(self, *args, **options):
        if options["title"] and options["date"] is None:
            raise CommandError(_("--title hoort bij --date"))
        try:
            report = import_document(
                path=options["path"],
                decision=options["decision"],
                date=options["date"],
                title=options["title"],
                dry_run=options["dry_run"],
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
