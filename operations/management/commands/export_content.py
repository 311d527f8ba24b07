from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from operations.backup import BackupError, export_content


class Command(BaseCommand):
    help = (
        "Write the whole content (agreements, sections, summaries, citations, evaluations, "
        "decisions, documents, accounts and admin history) to one new JSON file."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="New .json file; an existing one is refused.")

    def handle(self, *args, path: Path, **options):
        try:
            counts = export_content(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        print_counts(self.stdout, counts)
        self.stdout.write(
            self.style.SUCCESS(
                _("%(rows)s rijen geschreven naar %(path)s.")
                % {"rows": sum(counts.values()), "path": path}
            )
        )


def print_counts(stdout, counts: dict[str, int]) -> None:
    width = max(map(len, counts))
    for label, count in counts.items():
        stdout.write(f"  {label:<{width}}  {count:>7}")
