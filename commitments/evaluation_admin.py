"""The evaluation admin's bulk pages: import proposals from CSV, export as CSV.

The work itself is in commitments/evaluation_csv.py; this is the admin around it.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.exports import export_response

from .evaluation_csv import (
    EXPORT_COLUMNS,
    MAX_BYTES,
    evaluations_import_csv,
    export_queryset,
    export_row,
)

# The sha256 of the last file that passed a dry run for this user: a real
# import must be of that very file.
DRY_RUN_SESSION_KEY = "evaluation_csv_dry_run"


class EvaluationCsvForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-bestand"),
        help_text=_(
            "Kolommen section (akkoord/hoofdstuk/nummer), status en rationale; UTF-8, "
            "komma of puntkomma. Een export van evaluaties kan opnieuw ingelezen worden."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Proefdraaien (niets opslaan)"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Het bestand is groter dan %(size)s MB."),
                params={"size": MAX_BYTES // (1024 * 1024)},
            )
        return upload


def _filename() -> str:
    return f"evaluaties-{timezone.localdate():%Y-%m-%d}"


@admin.action(description=_("Geselecteerde evaluaties exporteren (CSV)"), permissions=["view"])
def export_selected_csv(modeladmin, request, queryset):
    return export_response(
        "csv",
        filename=_filename(),
        columns=EXPORT_COLUMNS,
        rows=export_queryset(queryset),
        to_row=export_row,
    )


class EvaluationCsvMixin:
    """Adds "Evaluaties importeren (CSV)" and "Exporteren (CSV)" to the evaluation admin."""

    def get_urls(self):
        return [
            path(
                "importeren/",
                self.admin_site.admin_view(self.import_csv_view),
                name="commitments_evaluation_import_csv",
            ),
            path(
                "export.csv",
                self.admin_site.admin_view(self.export_csv_view),
                name="commitments_evaluation_export_csv",
            ),
            *super().get_urls(),
        ]

    def has_csv_import_permission(self, request) -> bool:
        # Each row becomes a proposal: whoever may propose an evaluation may
        # import them (the admin's own add form may be switched off).
        return request.user.has_perm("commitments.add_evaluation")

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "can_import_csv": self.has_csv_import_permission(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def export_csv_view(self, request):
        """Every evaluation the changelist shows with the same filters and search."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            evaluations = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest(gettext("Onbekende filter."))
        return export_response(
            "csv",
            filename=_filename(),
            columns=EXPORT_COLUMNS,
            rows=export_queryset(evaluations),
            to_row=export_row,
        )

    def import_csv_view(self, request):
        if not self.has_csv_import_permission(request):
            raise PermissionDenied
        report = None
        if request.method == "POST":
            form = EvaluationCsvForm(request.POST, request.FILES)
            if form.is_valid():
                dry_run = form.cleaned_data["dry_run"]
                upload = form.cleaned_data["file"]
                report = evaluations_import_csv(file=upload, user=request.user, dry_run=True)
                if report.ok and dry_run:
                    request.session[DRY_RUN_SESSION_KEY] = report.sha256
                elif report.ok and request.session.get(DRY_RUN_SESSION_KEY) != report.sha256:
                    form.add_error(
                        "dry_run",
                        gettext(
                            "Proefdraai dit bestand eerst: een import schrijft alleen een "
                            "bestand weg dat net zonder fouten proefgedraaid is."
                        ),
                    )
                elif report.ok:
                    upload.seek(0)
                    report = evaluations_import_csv(file=upload, user=request.user, dry_run=False)
                    if report.ok:
                        request.session.pop(DRY_RUN_SESSION_KEY, None)
                        messages.success(request, report.summary())
                        return redirect(reverse("admin:commitments_evaluation_changelist"))
        else:
            form = EvaluationCsvForm()
        if report is not None and report.ok and not form.errors and report.dry_run:
            # The next step is the import itself: offer the form with dry run off.
            form = EvaluationCsvForm(initial={"dry_run": False})
        return TemplateResponse(
            request,
            "admin/commitments/evaluation/import_csv.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Evaluaties importeren (CSV)"),
                "form": form,
                "report": report,
            },
        )
