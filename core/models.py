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
