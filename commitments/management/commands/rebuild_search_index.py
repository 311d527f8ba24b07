from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from commitments.searchindex import rebuild_search_index


class Command(BaseCommand):
    help = _(
        "Bouwt de zoekdocumenten van alle secties en beslissingen opnieuw op. Nodig na een "
        "wijziging van de tekstverwerking of na schrijven buiten de app om; de app houdt ze "
        "zelf bij."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help=_("alles opbouwen en tellen, niets opslaan")
        )

    def handle(self, *args, **options):
        # One transaction: searches see the old documents or the new ones, never half.
        with transaction.atomic():
            sections, decisions = rebuild_search_index()
            if options["dry_run"]:
                transaction.set_rollback(True)
        self.stdout.write(
            _("Zoekindex: %(sections)s secties en %(decisions)s beslissingen opgebouwd.")
            % {"sections": sections, "decisions": decisions}
        )
        if options["dry_run"]:
            self.stdout.write(self.style.WARNING(_("Proefdraai: er is niets opgeslagen.")))
