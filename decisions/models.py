"""Decisions of the Flemish Government: the evidence that sections cite."""

import re
import unicodedata
from datetime import date

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import SearchDocument
from core.queries import scalar_count

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"'})


def normalize_title(title: str) -> str:
    """Key under which two spellings of one decision title are the same.

    The corpus writes one title with curly or straight quotes, odd spacing and
    varying case; accents are kept because they can change the word.
    """
    text = unicodedata.normalize("NFKC", title).translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip().casefold()


class Minister(models.Model):
    name = models.CharField(_("naam"), max_length=200, unique=True)
    title = models.CharField(_("functie"), max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("minister")
        verbose_name_plural = _("ministers")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('decisions:list')}?minister={self.pk}"


class Theme(models.Model):
    external_id = models.CharField(_("extern id"), max_length=200, unique=True)
    label = models.CharField(_("label"), max_length=300, blank=True)

    class Meta:
        ordering = ["label", "external_id"]
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")

    def __str__(self) -> str:
        return self.label or self.external_id

    def get_absolute_url(self) -> str:
        return f"{reverse('decisions:list')}?theme={self.pk}"


class DecisionQuerySet(models.QuerySet):
    def in_period(self, start: date | None = None, end: date | None = None):
        qs = self
        if start:
            qs = qs.filter(date__gte=start)
        if end:
            qs = qs.filter(date__lte=end)
        return qs

    def with_citation_count(self):
        """Citation and section counts as correlated subqueries on
        citation_decision_section_idx: PostgreSQL evaluates them for the rows a
        page returns, not for the whole table before LIMIT (as JOIN + GROUP BY did)."""
        from commitments.models import Citation  # commitments depends on decisions

        citations = Citation.objects.filter(decision=models.OuterRef("pk")).order_by()
        return self.annotate(
            citation_count=scalar_count(citations, models.Count("pk")),
            section_count=scalar_count(citations, models.Count("section", distinct=True)),
        )

    def latest(self, limit: int = 10):
        return self.order_by("-date", "-id")[:limit]


class Decision(models.Model):
    class Kind(models.TextChoices):
        UNKNOWN = "", _("onbekend")
        NOTA = "nota", _("nota")
        MEDEDELING = "mededeling", _("mededeling")

    title = models.CharField(_("titel"), max_length=1000)
    # Filled from the title on save; one decision per normalised title + date.
    normalized_title = models.CharField(_("genormaliseerde titel"), max_length=1000, editable=False)
    # The decision database's formal title ("Besluit van de Vlaamse Regering tot …").
    alternative_title = models.CharField(_("officiële titel"), max_length=2000, blank=True)
    date = models.DateField(_("datum zitting"), db_index=True)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, blank=True)
    ministers = models.ManyToManyField(
        Minister, verbose_name=_("ministers"), related_name="decisions", blank=True
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("thema's"), related_name="decisions", blank=True
    )
    # Untrusted source text (may contain HTML); only ever shown through the sanitiser.
    text = models.TextField(_("tekst"), blank=True)
    source_url = models.URLField(_("bronlink"), max_length=2000, blank=True)
    external_id = models.CharField(
        _("extern id"),
        max_length=200,
        blank=True,
        help_text=_("Id van het nieuwsbericht in de beslissingendatabank, indien gekend."),
    )
    created = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated = models.DateTimeField(_("gewijzigd"), auto_now=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("beslissing")
        verbose_name_plural = _("beslissingen")
        indexes = [
            # The list's default order (-date, title) reads the date index and sorts
            # one date at a time (incremental sort); "latest decisions" use date, id.
            models.Index(fields=["date", "id"], name="decision_date_id_idx"),
            # The list's own order, whole, with the id it selects: a late page's ids
            # come from this index alone (index-only scan, ~20 ms for the last of
            # 4,000 pages), not from sorting the table by title per date (~200 ms).
            models.Index(fields=["-date", "title", "id"], name="decision_list_order_idx"),
            # The feed of new decisions: newest created first.
            models.Index(fields=["created", "id"], name="decision_created_idx"),
            # The kind filter, in the list's date order.
            models.Index(fields=["kind", "date"], name="decision_kind_date_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["normalized_title", "date"], name="unique_decision_title_date"
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~models.Q(external_id=""),
                name="unique_decision_external_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        self.normalized_title = normalize_title(self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "normalized_title"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("decisions:detail", args=[self.pk])


class DecisionDocument(models.Model):
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("beslissing"),
        related_name="documents",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(
        _("soort document"),
        max_length=300,
        blank=True,
        help_text=_("bv. MEDEDELING AAN DE VLAAMSE REGERING"),
    )
    subject = models.CharField(_("betreft"), max_length=1000, blank=True)
    issuer = models.CharField(
        _("indiener"), max_length=500, blank=True, help_text=_("bv. DE VLAAMSE MINISTER VAN …")
    )
    # Untrusted source text; markdown-like headings are kept as found.
    body = models.TextField(_("tekst"), blank=True)
    signatory = models.CharField(_("ondertekenaar"), max_length=500, blank=True)
    source_file = models.CharField(_("bronbestand"), max_length=500, blank=True)
    imported_at = models.DateTimeField(_("geïmporteerd op"), null=True, blank=True)

    class Meta:
        ordering = ["decision", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documenten")

    def __str__(self) -> str:
        return self.subject or self.kind or _("document %(pk)s") % {"pk": self.pk}

    def get_absolute_url(self) -> str:
        return f"{self.decision.get_absolute_url()}#document-{self.pk}"


class DecisionSearchDocument(SearchDocument):
    """A decision's search document and its documents' text
    (decisions/searchindex.py); the GIN index of its vector is in migration 0003."""

    decision = models.OneToOneField(
        Decision,
        verbose_name=_("beslissing"),
        related_name="search_document",
        primary_key=True,
        on_delete=models.CASCADE,
    )
    # The decision's date: a query matching thousands of decisions ranks the
    # newest of them (commitments/search.py, CANDIDATES), walking this index.
    date = models.DateField(_("datum zitting"), null=True)

    class Meta:
        indexes = [models.Index(fields=["-date"], name="decision_search_date_idx")]
        verbose_name = _("zoekdocument van een beslissing")
        verbose_name_plural = _("zoekdocumenten van beslissingen")

    def __str__(self) -> str:
        return str(self.decision)

    def get_absolute_url(self) -> str:
        return self.decision.get_absolute_url()
