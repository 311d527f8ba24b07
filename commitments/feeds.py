"""Atom feeds: new decisions and published status changes (of every section,
of one chapter, of one section), for readers that follow them.

Feed readers render an entry's summary (`type="html"`) as HTML, so every
summary is built here from escaped plain text and from markdown passed through
the one sanitising renderer; titles and author names are plain text (Atom's
default `type="text"`), escaped once by the XML writer.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.people import display_name
from core.rendering import render_markdown
from decisions.models import Decision

from .history import previous_published_status
from .models import Chapter, Evaluation, Section, Status

FEED_SIZE = 50


class NewDecisionsFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Akkoordmonitor: nieuwe beslissingen")
    subtitle = gettext_lazy("Beslissingen van de Vlaamse Regering, nieuwst toegevoegd eerst.")
    link = reverse_lazy("decisions:list")

    def items(self):
        return Decision.objects.order_by("-created", "-id")[:FEED_SIZE]

    def item_title(self, item: Decision) -> str:
        return str(item)

    def item_description(self, item: Decision) -> str:
        return format_html(
            "<p>{}</p>",
            _("Beslissing van %(date)s (%(kind)s)")
            % {"date": item.date.isoformat(), "kind": item.get_kind_display()},
        )

    def item_pubdate(self, item: Decision):
        return item.created

    def item_updateddate(self, item: Decision):
        return item.updated


class StatusChangesFeed(Feed):
    """Published evaluations of every section, newest publication first."""

    feed_type = Atom1Feed
    title = gettext_lazy("Akkoordmonitor: statuswijzigingen")
    subtitle = gettext_lazy("Nieuwe beoordelingen van secties van het regeerakkoord.")
    link = reverse_lazy("commitments:section-list")

    def items(self, obj=None):
        return self.changes(Evaluation.objects.all())[:FEED_SIZE]

    def changes(self, evaluations):
        # Proposals and rejected evaluations never leave the editors' room.
        return (
            evaluations.newest_published_first()
            .select_related("section__chapter__agreement", "author", "reviewer")
            .annotate(previous_status=previous_published_status())
        )

    def item_title(self, item: Evaluation) -> str:
        return _("%(section)s: %(old)s → %(new)s") % {
            "section": item.section,
            "old": Status(item.previous_status).label,
            "new": item.get_status_display(),
        }

    def item_description(self, item: Evaluation) -> str:
        change = format_html(
            "<p>{}</p>",
            _("Status van %(section)s gewijzigd van ‘%(old)s’ naar ‘%(new)s’.")
            % {
                "section": item.section,
                "old": Status(item.previous_status).label,
                "new": item.get_status_display(),
            },
        )
        return change + render_markdown(item.rationale) + self._sign_off(item)

    def _sign_off(self, item: Evaluation) -> str:
        published = timezone.localdate(item.published_at).isoformat()
        reviewer = display_name(item.reviewer)
        if item.reviewed_at and reviewer:
            text = _("Gepubliceerd op %(date)s, goedgekeurd door %(reviewer)s.") % {
                "date": published,
                "reviewer": reviewer,
            }
        elif item.reviewed_at:
            text = _("Gepubliceerd op %(date)s, goedgekeurd door een eindredacteur.") % {
                "date": published
            }
        else:
            text = _("Gepubliceerd op %(date)s, zonder eindredactie.") % {"date": published}
        return format_html("<p>{}</p>", text)

    def item_author_name(self, item: Evaluation) -> str | None:
        return display_name(item.author) or None

    def item_pubdate(self, item: Evaluation):
        return item.published_at

    def item_updateddate(self, item: Evaluation):
        return item.published_at


class ChapterStatusChangesFeed(StatusChangesFeed):
    """Published evaluations of the sections of one chapter."""

    def get_object(self, request, agreement: str, chapter: str) -> Chapter:
        return get_object_or_404(
            Chapter.objects.select_related("agreement"), agreement__slug=agreement, slug=chapter
        )

    def title(self, obj: Chapter) -> str:
        return _("Akkoordmonitor: statuswijzigingen in %(chapter)s") % {"chapter": obj.title}

    def subtitle(self, obj: Chapter) -> str:
        return _("Nieuwe beoordelingen van de secties van %(chapter)s (%(agreement)s).") % {
            "chapter": obj.title,
            "agreement": obj.agreement.title,
        }

    def link(self, obj: Chapter) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Chapter):
        return self.changes(Evaluation.objects.filter(section__chapter=obj))[:FEED_SIZE]


class SectionStatusChangesFeed(StatusChangesFeed):
    """Published evaluations of one section."""

    def get_object(self, request, agreement: str, chapter: str, number: str) -> Section:
        return get_object_or_404(
            Section.objects.select_related("chapter__agreement"),
            chapter__agreement__slug=agreement,
            chapter__slug=chapter,
            number=number,
        )

    def title(self, obj: Section) -> str:
        return _("Akkoordmonitor: statuswijzigingen van %(section)s") % {"section": obj}

    def subtitle(self, obj: Section) -> str:
        return _("Nieuwe beoordelingen van sectie %(section)s (%(chapter)s).") % {
            "section": obj,
            "chapter": obj.chapter.title,
        }

    def link(self, obj: Section) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Section):
        return self.changes(obj.evaluations.all())[:FEED_SIZE]
