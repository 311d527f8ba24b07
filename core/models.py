from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentVersion(models.Model):
    """The one row that names the current state of the public content.

    Every committed write to the content apps replaces `version` with a new,
    never-used token (core/cache.py). Cached pages are keyed on it, so a page
    cached before a write is never found again after it. The row is the truth
    for every process on every server; the shared cache (Redis) only holds a
    copy so that a request needs no query to learn it.
    """

    version = models.CharField(_("versie"), max_length=40)
    changed = models.DateTimeField(_("gewijzigd"))

    class Meta:
        verbose_name = _("inhoudsversie")
        verbose_name_plural = _("inhoudsversies")

    def __str__(self) -> str:
        return self.version


class SearchDocument(models.Model):
    """Derived data: the readable text of one section or decision as the search
    indexes it, kept current by every write path (core/searchindex.py). Never
    edited, not in backups; `rebuild_search_index` recreates it."""

    # Weight A: the title (a decision's official title too).
    title = models.TextField(_("titel"), blank=True)
    # Weight B: the text as the page shows it (a section's agreement text
    # de-hyphenated; a decision's text and documents as plain text).
    body = models.TextField(_("tekst"), blank=True)
    # Weight C: a section's summary and conclusion as plain text; unused for
    # decisions (the same columns, so one query reads both tables).
    context = models.TextField(_("context"), blank=True)
    # SQLite: the folded words of all three (core.searchindex.tokens); empty on PostgreSQL.
    tokens = models.TextField(_("woorden"), blank=True)
    # PostgreSQL: the weighted vector, GIN-indexed; NULL on SQLite.
    vector = SearchVectorField(_("zoekvector"), null=True, editable=False)

    class Meta:
        abstract = True
