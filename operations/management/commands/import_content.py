from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from operations.backup import BackupError, import_content
from operations.management.commands.export_content import print_counts


class Command(BaseCommand):
    help = (
        "Restore a JSON backup made by export_content into an EMPTY, migrated database, "
        "in one transaction: every row or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="A .json file made by export_content.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Load and check everything, then roll back.",
        )

    def handle(self, *args, path: Path, dry_run: bool, **options):
        try:
            counts = import_content(path=path, dry_run=dry_run)
        except BackupError as error:
            raise CommandError(str(error)) from error
        print_counts(self.stdout, counts)
        message = (
            _("%(rows)s rijen gecontroleerd in %(path)s; niets bewaard (--dry-run).")
            if dry_run
            else _("%(rows)s rijen teruggezet uit %(path)s.")
        )
        self.stdout.write(
            self.style.SUCCESS(message % {"rows": sum(counts.values()), "path": path})
        )
