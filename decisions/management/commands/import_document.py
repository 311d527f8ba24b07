from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.importing import ImportFileError
from decisions.importers import import_document


def print_document_report(stdout, report) -> None:
    """Where the document landed; shared with load_seed."""
    if report.dry_run:
        stdout.write(_("Proefdraai: er is niets opgeslagen."))
    decision_state = _("nieuw") if report.decision_created else _("bestaand")
    if report.document_created:
        document_state = _("nieuw")
    elif report.document_changed:
        document_state = _("bijgewerkt")
    else:
        document_state = _("ongewijzigd")
    stdout.write(
        _("Beslissing (%(state)s): #%(id)s %(decision)s")
        % {"state": decision_state, "id": report.decision.pk, "decision": report.decision}
    )
    stdout.write(
        _("Document (%(state)s): %(kind)s — %(subject)s")
        % {
            "state": document_state,
            "kind": report.document.kind,
            "subject": report.document.subject,
        }
    )
    if not report.dry_run:
        stdout.write(_("Te zien op: %(url)s") % {"url": report.document.get_absolute_url()})


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
        print_document_report(self.stdout, report)
