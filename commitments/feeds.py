"""Atom feeds: new decisions and status changes, for readers that follow them."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from decisions.models import Decision

from .models import Evaluation

FEED_SIZE = 50


class NewDecisionsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Akkoordmonitor: nieuwe beslissingen")
    subtitle = _("Beslissingen van de Vlaamse Regering, nieuwst toegevoegd eerst.")
    link = reverse_lazy("decisions:list")

    def items(self):
        return Decision.objects.order_by("-created", "-id")[:FEED_SIZE]

    def item_title(self, item: Decision) -> str:
        return str(item)

    def item_description(self, item: Decision) -> str:
        # Plain words only; the feed generator escapes them.
        return _("Beslissing van %(date)s (%(kind)s)") % {
            "date": item.date.isoformat(),
            "kind": item.get_kind_display(),
        }

    def item_pubdate(self, item: Decision):
        return item.created

    def item_updateddate(self, item: Decision):
        return item.updated


class StatusChangesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Akkoordmonitor: statuswijzigingen")
    subtitle = _("Nieuwe beoordelingen van secties van het regeerakkoord.")
    link = reverse_lazy("commitments:section-list")

    def items(self):
        return Evaluation.objects.newest_published_first().select_related(
            "section__chapter__agreement"
        )[:FEED_SIZE]

    def item_title(self, item: Evaluation) -> str:
        return f"{item.section}: {item.get_status_display()}"

    def item_description(self, item: Evaluation) -> str:
        return item.rationale

    def item_pubdate(self, item: Evaluation):
        return item.published_at
