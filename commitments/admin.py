from django.contrib import admin, messages
from django.db.models import QuerySet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .evaluation_admin import EvaluationCsvMixin, export_selected_csv
from .forms import AnalysisUploadForm
from .importers import DEFAULT_AGREEMENT
from .models import Agreement, Chapter, Citation, Evaluation, Section, Status, Summary
from .resolving import CitationResolveMixin, date_mismatch_warning
from .services import citation_resolve, evaluation_create

admin.site.site_header = _("Akkoordmonitor – beheer")
admin.site.site_title = _("Akkoordmonitor beheer")
admin.site.index_title = _("Regeerakkoord, beslissingen en evaluaties beheren")


class StatusListFilter(admin.SimpleListFilter):
    """Filters on the newest evaluation, which is what 'status' means to an editor."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Status.choices

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() in Status.values:
            return queryset.with_status_in([self.value()])
        return queryset


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "start_date", "end_date"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ["title", "agreement", "position"]
    list_editable = ["position"]
    list_filter = ["agreement"]
    list_select_related = ["agreement"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}


class SummaryInline(admin.StackedInline):
    model = Summary
    can_delete = False
    extra = 0
    fields = ["body", "conclusion", "produced_by", "source_file", "imported_at"]
    readonly_fields = ["source_file", "imported_at"]


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    fields = ["number", "raw_date", "raw_title", "raw_url", "decision", "incomplete"]
    autocomplete_fields = ["decision"]
    show_change_link = True


class EvaluationInline(admin.TabularInline):
    """History is read-only; the empty row at the bottom adds a new judgement."""

    model = Evaluation
    extra = 1
    fields = ["status", "rationale", "author", "created", "state"]
    readonly_fields = ["author", "created", "state"]
    verbose_name = _("evaluatie")
    verbose_name_plural = _("evaluaties (nieuwste eerst; een nieuwe toevoegen onderaan)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author").newest_first()

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "chapter", "status_display", "citation_count"]
    # Explicit: Django ignores Meta.ordering on the grouped (annotated) queryset.
    ordering = ["chapter__agreement", "chapter__position", "chapter__title", "sort_key"]
    list_display_links = ["number", "title"]
    list_filter = [StatusListFilter, "chapter__agreement", "chapter"]
    search_fields = ["number", "title", "text"]
    readonly_fields = ["parent"]
    fields = ["chapter", "number", "title", "text", "parent"]
    inlines = [SummaryInline, CitationInline, EvaluationInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("chapter__agreement")
            .with_status()
            .annotate_citation_count()
        )

    def get_urls(self):
        import_url = path(
            "import/",
            self.admin_site.admin_view(self.import_view),
            name="commitments_section_import",
        )
        return [import_url, *super().get_urls()]

    def has_import_permission(self, request) -> bool:
        # An import creates and changes chapters, sections, citations and
        # decisions: one dedicated permission covers all of it.
        return request.user.has_perm("commitments.import_analyses")

    def changelist_view(self, request, extra_context=None):
        extra_context = {"can_import": self.has_import_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        """Editors have no shell: this runs `import_analyses FILE --chapter NAME` for them."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Analyse importeren"),
            "agreement": DEFAULT_AGREEMENT,
        }
        if not self.has_import_permission(request):
            context["denied"] = True
            return TemplateResponse(
                request, "admin/commitments/section/import.html", context, status=403
            )
        report = None
        if request.method == "POST":
            form = AnalysisUploadForm(request.POST, request.FILES)
            if form.is_valid():
                report = form.run_import(user=request.user)
                if report is not None and not report.dry_run:
                    return self._imported(request, form.cleaned_data["file"].name, report)
        else:
            form = AnalysisUploadForm()
        context.update(
            form=form,
            report=report,
            chapters=Chapter.objects.filter(agreement__title=DEFAULT_AGREEMENT)
            .order_by("position", "title")
            .values_list("title", flat=True),
        )
        return TemplateResponse(request, "admin/commitments/section/import.html", context)

    def _imported(self, request, file_name: str, report):
        # The importer wrote the section's history itself, under this user.
        section = Section.objects.select_related("chapter").get(pk=report.section_ids[0])
        if report.sections_created or report.sections_updated:
            summary = gettext(
                "Analyse %(file)s geïmporteerd in %(chapter)s %(number)s: "
                "%(citations)s referenties, waarvan %(incomplete)s onvolledig."
            ) % {
                "file": file_name,
                "chapter": section.chapter.title,
                "number": section.number,
                "citations": report.citations,
                "incomplete": report.incomplete_citations,
            }
        else:
            summary = gettext("Analyse %(file)s is ongewijzigd; er is niets opgeslagen.") % {
                "file": file_name
            }
        messages.success(request, summary)
        for conflict in report.conflicts:
            messages.warning(request, conflict.line())
        return redirect(reverse("admin:commitments_section_change", args=[section.pk]))

    @admin.display(description=_("status"), ordering="current_status")
    def status_display(self, obj: Section) -> str:
        return Status(obj.current_status).label

    @admin.display(description=_("referenties"), ordering="citation_count")
    def citation_count(self, obj: Section) -> int:
        return obj.citation_count

    def save_formset(self, request, form, formset, change):
        if formset.model is not Evaluation:
            return super().save_formset(request, form, formset, change)
        # New judgements go through the service so the author is always recorded;
        # the admin's change message reads these three lists.
        formset.new_objects = [
            evaluation_create(
                section=form.instance,
                status=inline_form.cleaned_data["status"],
                rationale=inline_form.cleaned_data.get("rationale", ""),
                author=request.user,
            )
            for inline_form in formset.extra_forms
            if inline_form.has_changed() and inline_form.is_valid()
        ]
        formset.changed_objects = []
        formset.deleted_objects = []
        return formset.new_objects


@admin.register(Citation)
class CitationAdmin(CitationResolveMixin, admin.ModelAdmin):
    list_display = ["__str__", "section", "raw_date", "decision", "incomplete"]
    list_filter = ["incomplete", "section__chapter"]
    list_select_related = ["section__chapter__agreement", "decision"]
    search_fields = ["raw_title", "section__title", "decision__title"]
    autocomplete_fields = ["decision", "section"]
    date_hierarchy = "raw_date"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Choosing a decision is how an editor resolves an incomplete citation.
        if obj.decision_id and obj.incomplete:
            citation_resolve(citation=obj, decision=obj.decision)
        if obj.decision_id and obj.raw_date and obj.decision.date != obj.raw_date:
            # The resolve page asks first; this form can only say so afterwards.
            messages.warning(request, date_mismatch_warning(obj))


@admin.register(Evaluation)
class EvaluationAdmin(EvaluationCsvMixin, admin.ModelAdmin):
    list_display = ["section", "status", "author", "created"]
    list_filter = ["status", "section__chapter"]
    list_select_related = ["section__chapter__agreement", "author"]
    search_fields = ["section__title", "section__number", "rationale"]
    actions = [export_selected_csv]
    date_hierarchy = "created"
    autocomplete_fields = ["section"]
    fields = ["section", "status", "rationale", "author", "created", "state"]
    readonly_fields = ["author", "created", "state"]

    def has_change_permission(self, request, obj=None):
        # A judgement is history: correct it by adding a new one.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Not even for superusers: deleting a judgement would rewrite history.
        return False

    def save_model(self, request, obj, form, change):
        created = evaluation_create(
            section=obj.section, status=obj.status, rationale=obj.rationale, author=request.user
        )
        obj.pk = created.pk
        obj.author = created.author
        obj.created = created.created


@admin.register(Summary)
class SummaryAdmin(admin.ModelAdmin):
    list_display = ["section", "produced_by", "imported_at"]
    list_select_related = ["section__chapter__agreement"]
    list_filter = ["section__chapter"]
    search_fields = ["section__title", "body"]
    autocomplete_fields = ["section"]
    readonly_fields = ["source_file", "source_sha256", "imported_at"]
