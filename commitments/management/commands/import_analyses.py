from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from commitments.importers import DEFAULT_AGREEMENT, AnalysisImportError, import_analyses
from core.importing import ImportBusyError


def busy_message() -> str:
    return _(
        "een andere import hield de database te lang bezet; er is niets opgeslagen, "
        "probeer het later opnieuw"
    )


def waiting_message() -> str:
    return _("Er loopt al een import; deze wacht tot die klaar is …")


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
            "--chapter",
            help=_(
                "hoofdstuk van een los bestand (verplicht), of van alles in een map "
                "(dan zijn submappen groeperingen, geen hoofdstukken)"
            ),
        )
        parser.add_argument(
            "--subfolders-as-chapters",
            action="store_true",
            help=_(
                "bevestigt dat de submappen van een map hoofdstukken zijn, ook als de map "
                "zelf heet zoals een bestaand hoofdstuk"
            ),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("alles nalezen en tellen, niets opslaan")
        )
        parser.add_argument(
            "--overwrite-editor-changes",
            action="store_true",
            help=_(
                "het bestand wint overal, ook waar een redacteur de sectie sindsdien wijzigde; "
                "elke overschreven wijziging wordt gemeld en staat in de geschiedenis"
            ),
        )

    def handle(self, *args, **options):
        try:
            report = import_analyses(
                options["paths"],
                agreement_title=options["agreement"],
                chapter=options["chapter"],
                dry_run=options["dry_run"],
                overwrite_editor_changes=options["overwrite_editor_changes"],
                subfolders_as_chapters=options["subfolders_as_chapters"],
                on_lock_wait=self.say_waiting,
            )
        except AnalysisImportError as exc:
            raise CommandError(str(exc)) from exc
        except ImportBusyError as exc:
            raise CommandError(busy_message()) from exc
        for line in report.lines():
            self.stdout.write(line)

    def say_waiting(self) -> None:
        # Commands wait their turn (a scheduled run should not fail because an
        # editor is importing), but an operator must see why nothing happens.
        self.stdout.write(self.style.WARNING(waiting_message()))
        self.stdout.flush()
