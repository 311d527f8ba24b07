from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from core.cache import bump_content_version, content_version


class Command(BaseCommand):
    help = (
        "Publish a new content version, so that every cached page (on every server) is "
        "rendered afresh. Only needed after writing content with SQL outside Django: "
        "every write through Django does this by itself."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show the current version and change nothing.",
        )

    def handle(self, *args, dry_run: bool, **options):
        before = content_version()
        if dry_run:
            self.stdout.write(
                _("Huidige inhoudsversie: %(version)s; niets gewijzigd (--dry-run).")
                % {"version": before}
            )
            return
        with transaction.atomic():
            bump_content_version()  # published when this transaction commits
        self.stdout.write(
            self.style.SUCCESS(
                _("Inhoudsversie %(before)s vervangen door %(after)s.")
                % {"before": before, "after": content_version()}
            )
        )
