"""The search page's narrowing: kind, chapter and status, as a FilterSet over
the sections' search documents (commitments/search.py runs the search)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Chapter, Section, SectionSearchDocument, Status


class SearchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Zoekterm"), method="keep")
    kind = django_filters.ChoiceFilter(
        label=_("Soort"),
        choices=[("sections", _("Secties")), ("decisions", _("Beslissingen"))],
        empty_label=_("Secties en beslissingen"),
        method="keep",
    )
    chapter = django_filters.ModelChoiceFilter(
        label=_("Hoofdstuk"),
        queryset=Chapter.objects.select_related("agreement"),
        field_name="section__chapter",
        empty_label=_("Alle hoofdstukken"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Status.choices,
        empty_label=_("Alle statussen"),
        method="filter_status",
    )

    class Meta:
        model = SectionSearchDocument
        fields = ["q", "kind", "chapter", "status"]

    def keep(self, queryset, name, value):
        # Read by the view, not a narrowing of the sections.
        return queryset

    def filter_status(self, queryset, name, value):
        return queryset.filter(section__in=Section.objects.with_status_in([value]))

    @property
    def narrows_sections(self) -> bool:
        """Chapter and status belong to sections: decisions have neither."""
        data = self.form.cleaned_data if self.is_valid() else {}
        return bool(data.get("chapter") or data.get("status"))

    @property
    def chosen_kind(self) -> str:
        return (self.form.cleaned_data.get("kind") or "") if self.is_valid() else ""
