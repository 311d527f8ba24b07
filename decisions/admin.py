from django.contrib import admin
from django.db.models import Count
from django.urls import path
from django.utils.translation import gettext_lazy as _

from commitments.admin_queues import queue_list_filter

from .dates import split_search_date
from .models import Decision, DecisionDocument, Minister, Theme


class DecisionDocumentInline(admin.StackedInline):
    model = DecisionDocument
    extra = 0
    fields = ["kind", "subject", "issuer", "body", "signatory", "source_file", "imported_at"]
    readonly_fields = ["source_file", "imported_at"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "kind", "minister_names", "citation_count"]
    list_filter = [queue_list_filter("decision"), "kind", "ministers", "themes"]
    # Explicit: Django ignores Meta.ordering on the grouped (annotated) queryset.
    ordering = ["-date", "title"]
    search_fields = ["title", "alternative_title", "external_id"]
    date_hierarchy = "date"
    filter_horizontal = ["ministers", "themes"]
    fields = [
        "title",
        "alternative_title",
        "date",
        "kind",
        "ministers",
        "themes",
        "text",
        "source_url",
        "external_id",
    ]
    inlines = [DecisionDocumentInline]

    def get_urls(self):
        # The one-click "Koppelen als citaat" of the suggestions (commitments/admin_suggestions.py).
        from commitments.admin_suggestions import link_citation_view

        link = path(
            "<int:decision_id>/link-citation/",
            self.admin_site.admin_view(link_citation_view),
            name="decisions_decision_link_citation",
        )
        return [link, *super().get_urls()]

    def get_list_display(self, request):
        # The triage queue ("decisions cited by no section") shows each row's
        # suggested sections (commitments/admin_suggestions.py).
        from commitments.admin_suggestions import in_triage_queue, suggested_sections_column

        if in_triage_queue(request):
            return [*self.list_display, suggested_sections_column(request)]
        return self.list_display

    def get_changelist(self, request, **kwargs):
        from commitments.admin_suggestions import SuggestingChangeList, in_triage_queue

        if in_triage_queue(request):
            return SuggestingChangeList
        return super().get_changelist(request, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            from commitments.admin_suggestions import decision_page_context

            context.update(decision_page_context(obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("ministers")
            .annotate(citation_count=Count("citations", distinct=True))
        )

    def get_search_results(self, request, queryset, search_term):
        # Editors resolving a citation know its date: "2020-06-26" or
        # "26/06/2020" (with or without words) finds the decisions of that day.
        day, rest = split_search_date(search_term)
        if day is not None:
            queryset = queryset.filter(date=day)
        return super().get_search_results(request, queryset, rest)

    @admin.display(description=_("ministers"))
    def minister_names(self, obj: Decision) -> str:
        return ", ".join(minister.name for minister in obj.ministers.all())

    @admin.display(description=_("referenties"), ordering="citation_count")
    def citation_count(self, obj: Decision) -> int:
        return obj.citation_count


@admin.register(DecisionDocument)
class DecisionDocumentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "decision", "issuer"]
    list_select_related = ["decision"]
    search_fields = ["subject", "body", "decision__title"]
    autocomplete_fields = ["decision"]


@admin.register(Minister)
class MinisterAdmin(admin.ModelAdmin):
    list_display = ["name", "title"]
    search_fields = ["name", "title"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["label", "external_id"]
    search_fields = ["label", "external_id"]
