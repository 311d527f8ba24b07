"""Finding or creating decisions: one decision per normalised title + date.

Every importer that meets a decision by its title and date (the analysis
importer, many at a time; the document importer, one) comes here, so the rule
that two spellings of one title on one date are one decision lives beside
`normalize_title` and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from core.cache import bump_content_version

from .models import Decision, normalize_title
from .searchindex import refresh_decisions

DecisionKey = tuple[str, date]


def decision_key(title: str, day: date) -> DecisionKey:
    """The identity of a decision as sources name it."""
    return normalize_title(title), day


@dataclass(frozen=True)
class CitedDecision:
    """What a source says about a decision: enough to find it, or to create it."""

    title: str
    date: date
    url: str = ""
    kind: str = ""
    # normalize_title(title) when the caller has it already: an import of
    # thousands of citations should normalise each title once.
    normalized_title: str | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> DecisionKey:
        if self.normalized_title is None:
            return decision_key(self.title, self.date)
        return self.normalized_title, self.date


@dataclass
class FoundDecisions:
    ids: dict[DecisionKey, int] = field(default_factory=dict)
    # The keys this call created; the others existed before.
    created: set[DecisionKey] = field(default_factory=set)


def decisions_get_or_create(*, cited: Iterable[CitedDecision]) -> FoundDecisions:
    """The id of the decision for every key cited, creating the missing ones.

    A fixed number of queries whatever the number of keys: one SELECT, and when
    some are new one bulk INSERT and one SELECT of their ids. The first mention
    of a key gives a new decision its title, link and kind; an existing
    decision without a link gets the first link seen.
    """
    first: dict[DecisionKey, CitedDecision] = {}
    for item in cited:
        first.setdefault(item.key, item)  # the key is computed once per item here
    found = FoundDecisions()
    if not first:
        return found
    fill_url = []
    for decision in Decision.objects.filter(normalized_title__in={t for t, _d in first}).only(
        "id", "normalized_title", "date", "source_url"
    ):
        key = (decision.normalized_title, decision.date)
        if key in first:
            found.ids[key] = decision.pk
            if not decision.source_url and first[key].url:
                decision.source_url = first[key].url
                fill_url.append(decision)
    if fill_url:
        bump_content_version()  # bulk writes send no signals
        Decision.objects.bulk_update(fill_url, ["source_url"])
    new = [key for key in first if key not in found.ids]
    if new:
        bump_content_version()
        # ignore_conflicts: an editor may have added one of them since the SELECT.
        Decision.objects.bulk_create(
            [
                Decision(
                    title=first[key].title,
                    normalized_title=key[0],
                    date=key[1],
                    source_url=first[key].url,
                    kind=first[key].kind,
                )
                for key in new
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
        wanted = set(new)
        for pk, title, day in Decision.objects.filter(
            normalized_title__in={t for t, _d in new}
        ).values_list("id", "normalized_title", "date"):
            if (title, day) in wanted:
                found.ids[(title, day)] = pk
        found.created.update(new)
        # bulk_create sends no signals: index the new decisions here, in bulk.
        # New decisions have no citations yet: no section to tell.
        refresh_decisions([found.ids[key] for key in new if key in found.ids], notify=False)
    return found


def decision_get_or_create(
    *, title: str, date: date, kind: str = "", url: str = ""
) -> tuple[Decision, bool]:
    """The one decision with this title (normalised) and date, created when
    there is none; returns it and whether it was created."""
    cited = CitedDecision(title=title, date=date, url=url, kind=kind)
    found = decisions_get_or_create(cited=[cited])
    return Decision.objects.get(pk=found.ids[cited.key]), cited.key in found.created
