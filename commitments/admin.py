from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import admin_roles  # noqa: F401  (the role actions on the user admin)
from .admin_queues import install_index_hook, queue_list_filter, workspace_column
from .evaluation_admin import EvaluationCsvMixin, export_selected_csv
from .forms import AnalysisUploadForm
from .importers import DEFAULT_AGREEMENT
from .models import Agreement, Chapter, Citation, Evaluation, Section, Status, Summary
from .queues import QUEUES
from .resolving import CitationResolveMixin, date_mismatch_warning
from .services import citation_resolve
from .workspace import assess_view, workspace_url

admin.site.site_header = _("Akkoordmonitor – beheer")
admin.site.site_title = _("Akkoordmonitor beheer")
admin.site.index_title = _("Regeerakkoord, beslissingen en evaluaties beheren")
install_index_hook(admin.site)


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


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "chapter", "status_display", "citation_count"]
    # Explicit: Django ignores Meta.ordering on the grouped (annotated) queryset.
    ordering = ["chapter__agreement", "chapter__position", "chapter__title", "sort_key"]
    list_display_links = ["number", "title"]
    list_filter = [queue_list_filter("section"), StatusListFilter, "chapter__agreement", "chapter"]
    search_fields = ["number", "title", "text"]
    readonly_fields = ["parent"]
    fields = ["chapter", "number", "title", "text", "parent"]
    # Citations are edited in their own paginated list and evaluations in the
    # workspace: the change page of a 10,000-citation section stays small and
    # its POST far below DATA_UPLOAD_MAX_NUMBER_FIELDS.
    inlines = [SummaryInline]

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
        assess_urls = [
            path(
                "<path:object_id>/beoordelen/",
                self.admin_site.admin_view(self.assess_view),
                name="commitments_section_assess",
            ),
            path(
                "beoordelen/<slug:queue>/",
                self.admin_site.admin_view(self.assess_queue_view),
                name="commitments_section_assess_queue",
            ),
        ]
        return [import_url, *assess_urls, *super().get_urls()]

    def assess_view(self, request, object_id):
        return assess_view(self, request, object_id)

    def assess_queue_view(self, request, queue):
        """Start a queue: the workspace of its first section, or the list if it is empty."""
        chosen = QUEUES.get(queue)
        if chosen is None or not chosen.walks_sections:
            raise Http404
        first = chosen.sections(request.user).values_list("pk", flat=True).first()
        if first is None:
            messages.info(request, gettext("De wachtrij is leeg."))
            return redirect(f"{reverse('admin:commitments_section_changelist')}?queue={queue}")
        return redirect(workspace_url(first, chosen))

    def has_delete_permission(self, request, obj=None):
        # Deleting a section would take its judgements with it: a section that
        # has been judged is never deleted through the admin. (Bulk deletes and
        # chapter deletes are refused by Django itself, since the evaluations
        # they would cascade to are not deletable: see EvaluationAdmin.)
        if obj is not None and obj.evaluations.exists():
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            "assess_url": workspace_url(int(object_id)) if str(object_id).isdigit() else "",
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra_context)

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
    def citation_count(self, obj: Section) -> str:
        # Citations are edited in their own list, filtered on this section.
        url = reverse("admin:commitments_citation_changelist")
        return format_html(
            '<a href="{}?section__id__exact={}">{}</a>', url, obj.pk, obj.citation_count
        )

    def get_list_display(self, request):
        return [*super().get_list_display(request), workspace_column(request)]


@admin.register(Citation)
class CitationAdmin(CitationResolveMixin, admin.ModelAdmin):
    list_display = ["__str__", "section", "raw_date", "decision", "incomplete"]
    list_filter = [queue_list_filter("citation"), "incomplete", "section__chapter"]
    list_select_related = ["section__chapter__agreement", "decision"]
    search_fields = ["raw_title", "section__title", "decision__title"]
    autocomplete_fields = ["decision", "section"]
    date_hierarchy = "raw_date"

    def get_list_display(self, request):
        return [
            *super().get_list_display(request),
            workspace_column(request, section_of=lambda citation: citation.section),
        ]

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
    """The history of all judgements, read-only. A judgement is proposed in the
    section's workspace and never changed or deleted here, not even by a
    superuser: a correction is a new evaluation."""

    list_display = ["section", "status", "state", "author", "reviewer", "created"]
    list_filter = ["state", "status", "section__chapter"]
    list_select_related = ["section__chapter__agreement", "author", "reviewer"]
    search_fields = ["section__title", "section__number", "rationale"]
    actions = [export_selected_csv]
    date_hierarchy = "created"
    fields = [
        "section",
        "status",
        "rationale",
        "evidence",
        "author",
        "created",
        "state",
        "reviewer",
        "reviewed_at",
        "review_comment",
        "published_at",
    ]

    def has_add_permission(self, request):
        # Proposed in the workspace, where the evidence is chosen among the
        # section's own citations and the rules are those of the services.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_list_display(self, request):
        return [
            *super().get_list_display(request),
            workspace_column(request, section_of=lambda evaluation: evaluation.section),
        ]


@admin.register(Summary)
class SummaryAdmin(admin.ModelAdmin):
    list_display = ["section", "produced_by", "imported_at"]
    list_select_related = ["section__chapter__agreement"]
    list_filter = ["section__chapter"]
    search_fields = ["section__title", "body"]
    autocomplete_fields = ["section"]
    readonly_fields = ["source_file", "source_sha256", "imported_at"]
