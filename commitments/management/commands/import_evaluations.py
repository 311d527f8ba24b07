from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from commitments.evaluation_csv import evaluations_import_csv


class Command(BaseCommand):
    help = _(
        "Leest evaluaties uit een CSV-bestand (kolommen section, status, rationale; zie "
        "docs/editing.md) als voorstellen van een gebruiker. Alles of niets."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="FILE")
        parser.add_argument(
            "--user", required=True, help=_("gebruikersnaam van wie de voorstellen doet")
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("alles nalezen en tonen, niets opslaan")
        )

    def handle(self, *args, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: options["user"]})
        except User.DoesNotExist as exc:
            raise CommandError(_("geen gebruiker '%(user)s'") % {"user": options["user"]}) from exc
        path = Path(options["path"])
        try:
            with path.open("rb") as file:
                # The service runs in one transaction: all rows or none.
                report = evaluations_import_csv(file=file, user=user, dry_run=options["dry_run"])
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        if not report.ok:
            raise CommandError(
                "\n".join([report.summary(), *(f"{path}: {error}" for error in report.errors)])
            )
        for row in report.rows:
            self.stdout.write(
                f"{row.line}: {row.section.chapter.title} {row.section} → {row.status_label}"
            )
        self.stdout.write(self.style.SUCCESS(report.summary()))
