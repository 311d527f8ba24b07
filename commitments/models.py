"""The coalition agreement, its chapters and sections, what the government did
about each section (summary and citations) and how a person judges it (evaluations)."""

import re

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.cache import bump_content_version
from core.models import SearchDocument
from core.queries import scalar_count
from decisions.models import Decision

from .queues import SectionQueues

SECTION_NUMBER_RE = re.compile(r"^\d+(?:\.\d+)*$")


def section_sort_key(number: str) -> str:
    """Text key that sorts section numbers naturally: 1.2 < 1.10 < 2."""
    return ".".join(f"{int(part):04d}" for part in number.split("."))


class Status(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Nog niet beoordeeld")
    NOT_STARTED = "not_started", _("Niet opgestart")
    IN_PROGRESS = "in_progress", _("In uitvoering")
    PARTIALLY_ACHIEVED = "partially_achieved", _("Gedeeltelijk gerealiseerd")
    ACHIEVED = "achieved", _("Gerealiseerd")
    ABANDONED = "abandoned", _("Losgelaten")
    NOT_ASSESSABLE = "not_assessable", _("Niet te beoordelen")


class Agreement(models.Model):
    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    start_date = models.DateField(_("begindatum"), null=True, blank=True)
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    source_url = models.URLField(_("bronlink"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("regeerakkoord")
        verbose_name_plural = _("regeerakkoorden")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commitments:agreement", args=[self.slug])


class Chapter(models.Model):
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("regeerakkoord"),
        related_name="chapters",
        on_delete=models.CASCADE,
    )
    title = models.CharField(_("titel"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=300)
    position = models.PositiveIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["agreement", "position", "title"]
        verbose_name = _("hoofdstuk")
        verbose_name_plural = _("hoofdstukken")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "slug"], name="unique_chapter_slug_per_agreement"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commitments:chapter", args=[self.agreement.slug, self.slug])


class SectionQuerySet(SectionQueues, models.QuerySet):
    def with_status(self):
        """Annotate `current_status`: the newest published evaluation's status,
        or not_assessed. Proposals and rejected evaluations never count."""
        newest = Evaluation.objects.newest_published_first().filter(section=models.OuterRef("pk"))
        return self.annotate(
            current_status=Coalesce(
                models.Subquery(newest.values("status")[:1]),
                models.Value(Status.NOT_ASSESSED),
                output_field=models.CharField(),
            )
        )

    def with_status_in(self, statuses):
        return self.with_status().filter(current_status__in=list(statuses))

    def with_counts(self):
        """Citation count, cited-decision count and date of the newest cited
        decision, each a correlated subquery (index citation_section_decision_idx).

        Not JOIN + GROUP BY: that aggregates every citation of the table before a
        page of 25 is cut, and makes Paginator count over the grouped subquery.
        A subquery in the SELECT list is only evaluated for the rows returned
        (PostgreSQL postpones it past ORDER BY ... LIMIT), unless a list sorts on it.
        """
        citations = Citation.objects.filter(section=models.OuterRef("pk")).order_by()
        return self.annotate(
            citation_count=scalar_count(citations, models.Count("pk")),
            decision_count=scalar_count(citations, models.Count("decision", distinct=True)),
            latest_decision_date=models.Subquery(
                citations.annotate(_all=models.Value(1))
                .values("_all")
                .annotate(latest=models.Max("decision__date"))
                .values("latest"),
                output_field=models.DateField(),
            ),
        )

    def annotate_citation_count(self):
        citations = Citation.objects.filter(section=models.OuterRef("pk")).order_by()
        return self.annotate(citation_count=scalar_count(citations, models.Count("pk")))

    def without_decisions(self):
        """Sections that cite no decision: an anti-join, one index probe per section."""
        return self.exclude(
            models.Exists(
                Citation.objects.filter(section=models.OuterRef("pk"), decision__isnull=False)
            )
        )


class Section(models.Model):
    chapter = models.ForeignKey(
        Chapter, verbose_name=_("hoofdstuk"), related_name="sections", on_delete=models.CASCADE
    )
    number = models.CharField(
        _("nummer"), max_length=40, help_text=_("bv. 1.2 of 2.2.2.1; uniek binnen het hoofdstuk")
    )
    title = models.CharField(_("titel"), max_length=500)
    # Agreement text as found in the source (PDF hyphenation included); rendered escaped.
    text = models.TextField(_("tekst regeerakkoord"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("bovenliggende sectie"),
        related_name="children",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
    )
    sort_key = models.CharField(_("sorteersleutel"), max_length=200, editable=False, db_index=True)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["chapter__agreement", "chapter__position", "chapter__title", "sort_key"]
        verbose_name = _("sectie")
        verbose_name_plural = _("secties")
        # An import creates chapters, sections and decisions: one permission for
        # all of it, given to both editor roles.
        permissions = [("import_analyses", _("Kan analyses importeren"))]
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "number"], name="unique_section_number_per_chapter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        self.sort_key = section_sort_key(self.number)
        super().save(*args, **kwargs)
        self.parent_id = relink_section_parents(self.chapter_id).get(self.pk)

    def get_absolute_url(self) -> str:
        return reverse(
            "commitments:section",
            args=[self.chapter.agreement.slug, self.chapter.slug, self.number],
        )

    @property
    def depth(self) -> int:
        return self.number.count(".")

    def ancestor_numbers(self) -> list[str]:
        """'2.2.2.1' -> ['2.2.2', '2.2', '2'], nearest first."""
        parts = self.number.split(".")
        return [".".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]

    def clean(self):
        from django.core.exceptions import ValidationError

        if not SECTION_NUMBER_RE.match(self.number or ""):
            raise ValidationError({"number": _("Een sectienummer ziet eruit als 1.2 of 2.2.2.1.")})


def relink_section_parents(chapter_id: int) -> dict[int, int | None]:
    """Point every section of a chapter at its nearest existing ancestor.

    The corpus often has 1.2.6 without a 1.2, so a missing level is skipped
    rather than invented; and sections arrive in any order, so a new section can
    become the parent of ones saved before it. Returns {section id: parent id}.
    """
    rows = list(Section.objects.filter(chapter_id=chapter_id).only("id", "number", "parent_id"))
    by_number = {row.number: row.pk for row in rows}
    parents: dict[int, int | None] = {}
    changed = []
    for row in rows:
        parent_id = next((by_number[n] for n in row.ancestor_numbers() if n in by_number), None)
        parents[row.pk] = parent_id
        if row.parent_id != parent_id:
            row.parent_id = parent_id
            changed.append(row)
    if changed:
        bump_content_version()  # bulk_update sends no signal
        Section.objects.bulk_update(changed, ["parent"])
    return parents


class Summary(models.Model):
    """What the government did about a section, as an imported (language-model)
    analysis or as written by an editor. Shown as such; never sets a status."""

    section = models.OneToOneField(
        Section, verbose_name=_("sectie"), related_name="summary", on_delete=models.CASCADE
    )
    # Untrusted markdown; only ever shown through the sanitising renderer.
    body = models.TextField(_("samenvatting (markdown)"), blank=True)
    conclusion = models.TextField(_("conclusie (markdown)"), blank=True)
    source_file = models.CharField(_("bronbestand"), max_length=1000, blank=True)
    source_sha256 = models.CharField(_("controlegetal bron"), max_length=64, blank=True)
    imported_at = models.DateTimeField(_("geïmporteerd op"), null=True, blank=True)
    produced_by = models.CharField(
        _("opgesteld door"),
        max_length=300,
        blank=True,
        help_text=_("bv. 'taalmodel (geïmporteerde analyse)' of de naam van een redacteur"),
    )
    # What the last import read from source_file (title, text, body, conclusion,
    # citations by number): a re-import compares the file with it to tell the
    # file's changes from editors' changes (commitments/importers/merging.py).
    import_baseline = models.JSONField(
        _("laatst geïmporteerde versie"), default=dict, blank=True, editable=False
    )

    class Meta:
        ordering = ["section"]
        verbose_name = _("samenvatting")
        verbose_name_plural = _("samenvattingen")

    def __str__(self) -> str:
        return _("Samenvatting van %(section)s") % {"section": self.section}

    def get_absolute_url(self) -> str:
        return f"{self.section.get_absolute_url()}#samenvatting"


class CitationQuerySet(models.QuerySet):
    def incomplete(self):
        return self.filter(incomplete=True)

    def counts_per_chapter(self, agreement: "Agreement") -> tuple[dict[int, dict], int]:
        """Citation and distinct cited-decision counts of each chapter of
        `agreement` ({chapter id: {"citation_count", "decision_count"}}), and the
        number of distinct decisions the agreement cites (a decision cited in two
        chapters counts once, so it is not a sum over the chapters).

        On PostgreSQL one pass: GROUP BY ROLLUP adds the agreement's row to the
        chapters' (about 11 ms at 50,000 citations, against 7 + 13 ms for two
        queries). Other databases have no ROLLUP and take the two queries."""
        from django.db import connections

        connection = connections[self.db]
        if connection.vendor == "postgresql":
            citation, section, chapter = (
                model._meta.db_table for model in (Citation, Section, Chapter)
            )
            sql = (
                f'SELECT s."chapter_id", COUNT(*), COUNT(DISTINCT c."decision_id")'  # noqa: S608 - table names from the models
                f' FROM "{citation}" c JOIN "{section}" s ON s."id" = c."section_id"'
                f' JOIN "{chapter}" ch ON ch."id" = s."chapter_id"'
                f' WHERE ch."agreement_id" = %s GROUP BY ROLLUP (s."chapter_id")'
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [agreement.pk])
                rows = cursor.fetchall()
            # The ROLLUP row is the one without a chapter; none when nothing is cited.
            total = next((distinct for chap, _n, distinct in rows if chap is None), 0)
            return {
                chap: {"citation_count": n, "decision_count": distinct}
                for chap, n, distinct in rows
                if chap is not None
            }, total
        citations = self.filter(section__chapter__agreement=agreement).order_by()
        per_chapter = {
            row.pop("section__chapter"): row
            for row in citations.values("section__chapter").annotate(
                citation_count=models.Count("pk"),
                decision_count=models.Count("decision", distinct=True),
            )
        }
        total = citations.aggregate(n=models.Count("decision", distinct=True))["n"]
        return per_chapter, total


class Citation(models.Model):
    """A numbered reference `[n]` in a section's summary to a decision.

    It hangs on the section (which has one summary) so that editors can manage
    citations inline on the section in the admin.
    """

    section = models.ForeignKey(
        Section, verbose_name=_("sectie"), related_name="citations", on_delete=models.CASCADE
    )
    number = models.PositiveIntegerField(_("nummer"))
    # Empty when the source gave no title or link: the citation is kept, marked incomplete.
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("beslissing"),
        related_name="citations",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    raw_date = models.DateField(_("datum (bron)"), null=True, blank=True)
    raw_title = models.CharField(_("titel (bron)"), max_length=1000, blank=True)
    raw_url = models.URLField(_("link (bron)"), max_length=2000, blank=True)
    # True while the citation cannot be traced to a decision (the source gave no
    # title or link); an editor resolves it by choosing the decision.
    incomplete = models.BooleanField(
        _("onvolledig"),
        default=False,
        help_text=_("De bron gaf geen titel of link en er is nog geen beslissing gekozen."),
    )

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["section", "number"]
        verbose_name = _("referentie")
        verbose_name_plural = _("referenties")
        indexes = [
            # Counts and "cites a decision from/to/of minister X" per section, from
            # the index alone (the list pages' subqueries and EXISTS filters).
            models.Index(fields=["section", "decision"], name="citation_section_decision_idx"),
            # The same per decision: its citation and section counts.
            models.Index(fields=["decision", "section"], name="citation_decision_section_idx"),
        ]
        constraints = [
            # A section has one summary: this is the number within that summary.
            models.UniqueConstraint(
                fields=["section", "number"], name="unique_citation_number_per_summary"
            ),
        ]

    def __str__(self) -> str:
        # Outside the f-string: xgettext does not look inside f-strings.
        title = self.raw_title or _("onvolledige referentie")
        return f"[{self.number}] {title}"

    def get_absolute_url(self) -> str:
        return f"{self.section.get_absolute_url()}#ref-{self.number}"


class EvaluationQuerySet(models.QuerySet):
    def newest_first(self):
        """The history: newest proposal first, whatever became of it."""
        return self.order_by("-created", "-id")

    def newest_published_first(self):
        """What the public sees, the current status first: in publication order,
        since a proposal approved later overrules one approved earlier."""
        return self.published().order_by("-published_at", "-id")

    def published(self):
        return self.filter(state=Evaluation.State.PUBLISHED)

    def proposed(self):
        return self.filter(state=Evaluation.State.PROPOSED)

    def rejected(self):
        return self.filter(state=Evaluation.State.REJECTED)


class Evaluation(models.Model):
    """A person's judgement of a section. Never edited in place: a correction is a
    new row, so the history stays. A proposal becomes public when another person
    approves it (four eyes); the newest published one is the section's status."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("voorstel")
        PUBLISHED = "published", _("gepubliceerd")
        REJECTED = "rejected", _("afgewezen")

    section = models.ForeignKey(
        Section, verbose_name=_("sectie"), related_name="evaluations", on_delete=models.CASCADE
    )
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.NOT_ASSESSED
    )
    rationale = models.TextField(_("motivering"), blank=True)
    # Which citations of the section support the judgement.
    evidence = models.ManyToManyField(
        Citation, verbose_name=_("bewijs"), related_name="evaluations", blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        related_name="evaluations",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created = models.DateTimeField(_("datum"), default=timezone.now, db_index=True)
    state = models.CharField(
        _("toestand"), max_length=20, choices=State.choices, default=State.PROPOSED
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eindredacteur"),
        related_name="reviewed_evaluations",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    reviewed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    review_comment = models.TextField(_("opmerking eindredacteur"), blank=True)
    # When it became public: approval time, or creation time without review.
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        get_latest_by = ["created", "id"]
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        permissions = [("review_evaluation", _("Kan evaluaties goedkeuren of afwijzen"))]
        indexes = [
            # The current status: newest published evaluation per section.
            models.Index(
                fields=["section", "state", "-published_at"], name="evaluation_current_idx"
            ),
        ]
        constraints = [
            # Four eyes, also for whoever bypasses the services.
            models.CheckConstraint(
                condition=~models.Q(reviewer=models.F("author")),
                name="evaluation_reviewer_is_not_author",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="published") | models.Q(published_at__isnull=False),
                name="evaluation_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section}: {self.get_status_display()} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return f"{self.section.get_absolute_url()}#evaluatie-{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.status != Status.NOT_ASSESSED and not (self.rationale or "").strip():
            raise ValidationError(
                {
                    "rationale": _(
                        "Een motivering is verplicht voor elke status behalve "
                        "'Nog niet beoordeeld'."
                    )
                }
            )


class SectionSearchDocument(SearchDocument):
    """A section's search document (commitments/searchindex.py); the GIN index
    of its vector is in migration 0008."""

    section = models.OneToOneField(
        Section,
        verbose_name=_("sectie"),
        related_name="search_document",
        primary_key=True,
        on_delete=models.CASCADE,
    )

    class Meta:
        verbose_name = _("zoekdocument van een sectie")
        verbose_name_plural = _("zoekdocumenten van secties")

    def __str__(self) -> str:
        return str(self.section)

    def get_absolute_url(self) -> str:
        return self.section.get_absolute_url()
