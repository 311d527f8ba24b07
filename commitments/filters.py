"""The filters of the section list and its exports (one FilterSet for both)."""

import django_filters
from django import forms
from django.db.models import Exists, F, Max, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from decisions.models import Decision, Minister

from .models import Chapter, Citation, Section, Status


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting on a count or date ties often; the section's place in the
    agreement breaks ties, so that pages never repeat or skip a section.
    Sections without any cited decision come last in either direction."""

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = []
        for param in value:
            if not param:
                continue
            name = self.get_ordering_value(param)
            descending = name.startswith("-")
            name = name.lstrip("-")
            if name == "latest_decision_date":
                # One hash join of citations and decisions grouped per section:
                # the correlated MAX() of with_counts() probes the decision table
                # once per citation (50,000 probes at scale) just to sort.
                qs = qs.annotate(sort_latest=Max("citations__decision__date"))
                name = "sort_latest"
            field = F(name)
            ordering.append(
                field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
            )
        return qs.order_by(*ordering, "chapter__position", "sort_key", "pk")


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
        method="filter_cites",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    decided_to = django_filters.DateFilter(
        label=_("Beslissingen tot en met"),
        method="filter_cites",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    minister = django_filters.ModelChoiceFilter(
        label=_("Minister"),
        queryset=Minister.objects.all(),
        method="filter_cites",
        empty_label=_("Alle ministers"),
    )
    q = django_filters.CharFilter(label=_("Tekst bevat"), method="filter_text")
    sort = StableOrderingFilter(
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

    # Filters on what a section cites are EXISTS subqueries, not joins: a section
    # citing many matching decisions stays one row without a blanket DISTINCT, and
    # PostgreSQL answers them with a semi-join on citation_section_decision_idx.
    def filter_cites(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        if name == "minister":
            # Straight from the through table: no detour over the decision table.
            of_minister = Decision.ministers.through.objects.filter(minister=value)
            condition = {"decision__in": of_minister.values("decision_id")}
        else:
            lookup = "gte" if name == "decided_from" else "lte"
            condition = {f"decision__date__{lookup}": value}
        return queryset.filter(Exists(Citation.objects.filter(section=OuterRef("pk"), **condition)))

    def filter_has_decisions(self, queryset, name, value):
        if value is None:
            return queryset
        cited = Exists(Citation.objects.filter(section=OuterRef("pk"), decision__isnull=False))
        return queryset.filter(cited if value else ~cited)

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(text__icontains=value))


def filtered_sections(data):
    """The section list's rows with status and counts, ordered, for data (GET)."""
    base = (
        Section.objects.select_related("chapter__agreement")
        .with_status()
        .with_counts()
        .order_by("chapter__agreement", "chapter__position", "chapter__title", "sort_key")
    )
    return SectionFilter(data, queryset=base)
