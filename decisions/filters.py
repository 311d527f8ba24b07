"""The filters of the decision list and its exports."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Decision, Minister, Theme


class DecisionFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        label=_("Vanaf"),
        field_name="date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("Tot en met"),
        field_name="date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Soort"),
        choices=[c for c in Decision.Kind.choices if c[0]],
        empty_label=_("Alle soorten"),
    )
    minister = django_filters.ModelChoiceFilter(
        label=_("Minister"),
        queryset=Minister.objects.all(),
        field_name="ministers",
        empty_label=_("Alle ministers"),
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Thema"),
        queryset=Theme.objects.all(),
        field_name="themes",
        empty_label=_("Alle thema's"),
    )
    q = django_filters.CharFilter(label=_("Tekst bevat"), method="filter_text")

    class Meta:
        model = Decision
        fields = []

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(text__icontains=value))

    # No DISTINCT: the minister and theme filters join one row per decision at
    # most (the through tables are unique per pair), and DISTINCT over the
    # annotated rows would make PostgreSQL sort the whole table before LIMIT.


def filtered_decisions(data):
    # The id makes the order total (pages never repeat or skip a decision) and
    # matches decision_list_order_idx.
    base = Decision.objects.with_citation_count().order_by("-date", "title", "id")
    return DecisionFilter(data, queryset=base)
