import tempfile
from pathlib import Path, PurePath

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.importing import ImportBusyError

from .importers import SUFFIXES, AnalysisImportError, ImportReport, import_analyses


class AnalysisUploadForm(forms.Form):
    """One analysis file uploaded from the admin, imported like `import_analyses FILE --chapter`."""

    # Long enough for every corpus file name, short enough to be a valid file name on disk.
    file = forms.FileField(
        label=_("Analysebestand"),
        max_length=200,
        help_text=_("Een .md- of .txt-bestand in UTF-8, zoals de analyses van het corpus."),
    )
    chapter = forms.CharField(
        label=_("Hoofdstuk"),
        max_length=300,
        help_text=_("De naam van een bestaand hoofdstuk; een nieuwe naam maakt het hoofdstuk aan."),
    )
    dry_run = forms.BooleanField(
        label=_("Proefdraaien (niets opslaan)"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(
                _("verwacht een .md- of .txt-bestand, niet '%(name)s'"),
                params={"name": upload.name},
            )
        return upload

    def run_import(self, *, user) -> ImportReport | None:
        """Import the upload as `user`; on bad input add the importer's message
        as a form error and return None (the import then wrote nothing)."""
        upload = self.cleaned_data["file"]
        # The importer takes the section title from the file name and records
        # the name as provenance, so the file keeps its own name on disk.
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / upload.name
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                report = import_analyses(
                    [path],
                    chapter=self.cleaned_data["chapter"],
                    dry_run=self.cleaned_data["dry_run"],
                    user=user,
                    # A request must not wait for a long import until its worker is killed.
                    wait_for_lock=False,
                )
            except AnalysisImportError as exc:
                # The editor knows the file by its own name, not by our temporary path.
                self.add_error(None, str(exc).replace(str(path), upload.name))
                return None
            except ImportBusyError:
                # Browsers never fill in a file field again, so the file must
                # be chosen anew; chapter and dry run stay as they were.
                self.add_error(
                    None,
                    gettext(
                        "Er loopt al een import; er is niets opgeslagen. Probeer het over "
                        "enkele ogenblikken opnieuw en kies daarvoor het bestand opnieuw: "
                        "een browser onthoudt een gekozen bestand niet."
                    ),
                )
                return None
        report.warnings = [w.replace(str(path), upload.name) for w in report.warnings]
        return report
