"""The filters of the section list and its exports (one FilterSet for both)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from decisions.models import Minister

from .models import Chapter, Section, Status


class SectionFilter(django_filters.FilterSet):
    chapter = django_filters.ModelChoiceFilter(
        label=_("Hoofdstuk"),
        queryset=Chapter.objects.select_related("agreement"),
        empty_label=_("Alle hoofdstukken"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Status.choices,
        field_name="current_status",
        empty_label=_("Alle statussen"),
    )
    has_decisions = django_filters.BooleanFilter(
        label=_("Met geciteerde beslissingen"),
        method="filter_has_decisions",
        widget=forms.Select(
            choices=[("", _("Alle secties")), ("true", _("Ja")), ("false", _("Nee"))]
        ),
    )
    decided_from = django_filters.DateFilter(
        label=_("Beslissingen vanaf"),
        field_name="citations__decision__date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    decided_to = django_filters.DateFilter(
        label=_("Beslissingen tot en met"),
        field_name="citations__decision__date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    minister = django_filters.ModelChoiceFilter(
        label=_("Minister"),
        queryset=Minister.objects.all(),
        field_name="citations__decision__ministers",
        empty_label=_("Alle ministers"),
    )
    q = django_filters.CharFilter(label=_("Tekst bevat"), method="filter_text")
    sort = django_filters.OrderingFilter(
        label=_("Sorteren op"),
        fields=[
            ("sort_key", "nummer"),
            ("title", "titel"),
            ("citation_count", "referenties"),
            ("latest_decision_date", "laatste_beslissing"),
        ],
        field_labels={
            "sort_key": _("nummer"),
            "title": _("titel"),
            "citation_count": _("aantal referenties"),
            "latest_decision_date": _("laatste beslissing"),
            # Named here, lazily: django-filter builds its "%s (descending)" labels
            # once at import, which froze them in the language active then.
            "-nummer": _("nummer (aflopend)"),
            "-titel": _("titel (aflopend)"),
            "-referenties": _("aantal referenties (aflopend)"),
            "-laatste_beslissing": _("laatste beslissing (aflopend)"),
        },
        empty_label=None,
        null_label=None,
    )

    class Meta:
        model = Section
        fields = []

    def filter_has_decisions(self, queryset, name, value):
        if value is None:
            return queryset
        with_decisions = queryset.filter(citations__decision__isnull=False).values("pk")
        if value:
            return queryset.filter(pk__in=with_decisions)
        return queryset.exclude(pk__in=with_decisions)

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(text__icontains=value))

    def filter_queryset(self, queryset):
        # Date and minister filters join citations; one section must still be one row.
        return super().filter_queryset(queryset).distinct()


def filtered_sections(data):
    """The section list's rows with status and counts, ordered, for data (GET)."""
    base = (
        Section.objects.select_related("chapter__agreement")
        .with_status()
        .with_counts()
        .order_by("chapter__agreement", "chapter__position", "chapter__title", "sort_key")
    )
    return SectionFilter(data, queryset=base)
