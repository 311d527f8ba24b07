import tomllib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from commitments.importers import import_analyses
from commitments.management.commands.import_analyses import busy_message, waiting_message
from core.importing import ImportBusyError, ImportFileError
from decisions.importers import import_document

SEEDS = Path(settings.BASE_DIR) / "fixtures" / "seeds"


class Command(BaseCommand):
    help = _(
        "Laadt de meegeleverde seeddata (fixtures/seeds/manifest.toml): de analyse van "
        "sectie 1.2 Samenleven en het document van seed 003. Twee keer laden kan geen kwaad."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help=_("alles nalezen en tellen, niets opslaan")
        )

    def handle(self, *args, **options):
        manifest = tomllib.loads((SEEDS / "manifest.toml").read_text(encoding="utf-8"))
        try:
            with transaction.atomic():
                for entry in manifest.get("analyses", []):
                    report = import_analyses(
                        [SEEDS / entry["path"]],
                        agreement_title=manifest["agreement"],
                        chapter=entry["chapter"],
                        on_lock_wait=self.say_waiting,
                    )
                    for line in report.lines():
                        self.stdout.write(line)
                for entry in manifest.get("documents", []):
                    document_report = import_document(
                        path=SEEDS / entry["path"], date=entry["date"], title=entry["title"]
                    )
                    for line in document_report.lines():
                        self.stdout.write(line)
                if options["dry_run"]:
                    self.stdout.write(self.style.WARNING(_("Proefdraai: er is niets opgeslagen.")))
                    transaction.set_rollback(True)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        except ImportBusyError as exc:
            raise CommandError(busy_message()) from exc

    def say_waiting(self) -> None:
        self.stdout.write(self.style.WARNING(waiting_message()))
        self.stdout.flush()
