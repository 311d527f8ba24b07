"""Resolving a citation: which decision does `[n]` in a summary mean?

An incomplete citation kept only a date (the source gave no title or link). The
editor sees the summary sentence(s) that use `[n]` and the decisions of that
date and the days around it, ranked by how well their titles fit the sentence;
choosing one saves through `citation_resolve`, the one rule for that choice.

Ranking is deliberately simple and explainable (the page shows the words that
matched): the sentence's block, the raw title and every candidate title become
sets of normalised words (lower case, accents off, Dutch function words
dropped, plural and inflection endings "-en", "-s", "-e" cut off). A title word
found among the context words counts its weight; one that only shares a part
of a compound with a context word ("gelijkekansendecreet" ~ "kansen") half its
weight. The weight is the word's inverse document frequency among the
candidates (a word every title of the day has, "wijziging", tells little). The
score is that sum over the title's norm: the cosine of two weighted binary
word vectors, so a long title does not win by length alone. Ties go to the
decision closest to the raw date, then the title. Measured by
scripts/benchmark_resolving.py (docs/editing.md).
"""

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.text import dehyphenate
from decisions.models import Decision

from .models import Citation
from .services import citation_resolve
from .text import readable_text, section_vocabulary

# Days around the raw date searched for candidates: the first window with any
# decision wins (a meeting is weekly, so ±3 days nearly always finds one).
WINDOWS = (3, 7, 14, 31)
# More rows than a month of meetings ever has; a bound, not a page size.
MAX_CANDIDATES = 1000
SHOWN_CANDIDATES = 40

# --- Sentences -----------------------------------------------------------------

_MARKDOWN_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\s]*\)")
_LINE_START = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d{1,9}[.)]\s+)*")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
# A sentence ends at . ! ? or … (closing quotes or brackets may follow), before
# whitespace and something that can start a sentence.
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(\[A-Z0-9ÀÁÂÄÈÉÊËÌÍÎÏÒÓÔÖÙÚÛÜ])")
# Abbreviations that end in a period without ending a sentence.
_ABBREVIATIONS = frozenset((
    "bv", "bijv", "o.a", "m.b.t", "nl", "art", "nr", "blz", "e.d", "enz", "incl", "excl", "ca",
    "dhr", "mevr", "min", "resp", "vzw", "i.v.m", "t.e.m", "t.o.v", "m.a.w", "d.w.z", "p",
    "ev", "zgn",
))  # fmt: skip
_LEADING_MARKERS = re.compile(r"^((?:\[\d+\])+)\s*")


def _blocks(body: str) -> list[str]:
    """Paragraphs and list items, each as one line of text."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in body.splitlines():
        if not line.strip() or line.lstrip().startswith("#") or _LIST_ITEM.match(line):
            if current:
                blocks.append(current)
            current = [line] if line.strip() else []
            if line.lstrip().startswith("#"):
                blocks.append(current)
                current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)
    return [" ".join(part.strip() for part in block) for block in blocks if block]


def plain_text(markdown: str) -> str:
    """One block of summary markdown as a reader sees it: "\\[3\\]" is "[3]",
    no emphasis stars, list markers or heading hashes, links as their text."""
    text = markdown.replace("\\[", "[").replace("\\]", "]")
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _LINE_START.sub("", text)
    text = _EMPHASIS.sub("", text).replace("\\", "")
    return " ".join(text.split())


def split_sentences(text: str) -> list[str]:
    """Sentences of one plain-text block. Abbreviations ("bv.", "o.a.") and
    initials do not end a sentence; citation markers written after the period
    ("... geletterdheid. [0][1] Verder") stay with the sentence they close."""
    sentences: list[str] = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        before = text[start : boundary.start()].rstrip("\"'”’)")
        last_word = before.rsplit(maxsplit=1)[-1].rstrip(".").casefold() if before else ""
        if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        sentences.append(text[start : boundary.start()].strip())
        start = boundary.end()
    sentences.append(text[start:].strip())
    merged: list[str] = []
    for sentence in filter(None, sentences):
        markers = _LEADING_MARKERS.match(sentence)
        if markers and merged:
            merged[-1] = f"{merged[-1]} {markers.group(1)}"
            sentence = sentence[markers.end() :]
        if sentence:
            merged.append(sentence)
    return merged


@dataclass
class Passage:
    """A sentence that uses the citation, and the block (paragraph or list
    item) around it: the block's other sentences often name the subject."""

    sentence: str
    block: str

    def marked(self, number: int) -> SafeString:
        """The sentence with its `[n]` markers highlighted, everything else escaped."""
        marker = f"[{number}]"
        parts = ((part,) for part in self.sentence.split(marker))
        return format_html_join(format_html("<mark>{}</mark>", marker), "{}", parts)


def citation_passages(body: str, number: int, *, vocabulary=None) -> list[Passage]:
    """The sentences of a summary body that cite `[number]`, readable: markdown
    stripped and the PDF's line-break hyphens joined (core.text.dehyphenate)."""
    marker = f"[{number}]"
    passages = []
    for block in _blocks(body):
        text = dehyphenate(plain_text(block), vocabulary)
        if marker not in text:
            continue
        for sentence in split_sentences(text):
            if marker in sentence:
                passages.append(Passage(sentence=sentence, block=text))
    return passages


# --- Ranking -------------------------------------------------------------------

_STOPWORDS = frozenset((
    "aan", "al", "alle", "als", "van", "de", "den", "der", "des", "het", "een", "en", "of",
    "in", "op", "te", "ten", "ter", "tot", "voor", "met", "naar", "bij", "door", "om", "uit",
    "over", "onder", "tegen", "tussen", "zonder", "na", "per", "via", "dat", "die", "dit",
    "deze", "is", "zijn", "wordt", "worden", "werd", "werden", "heeft", "hebben", "had", "kan",
    "kunnen", "zal", "zullen", "moet", "er", "hier", "daar", "ook", "nog", "niet", "geen",
    "wel", "maar", "dan", "zoals", "waarbij", "waarin", "welke", "wat", "wie", "zich", "hun",
    "haar", "hij", "zij", "ze", "we", "wij", "u", "ons", "onze", "meer", "veel", "andere",
    "verschillende", "nieuwe", "vlaamse", "vlaanderen", "regering", "overheid", "beslissing",
    "besluit", "ontwerp",
))  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+")
_COMPOUND_PART = 5  # shortest shared part that counts as a compound match


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A crude Dutch stem: plural and inflection endings off, so that
    "organisaties", "organisatie" and "participatieorganisaties" share a form."""
    if len(word) > 5 and word.endswith("en"):
        word = word[:-2]
    elif len(word) > 4 and word.endswith("s"):
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def words(text: str) -> dict[str, str]:
    """The normalised content words of a text: {stem: the word as written}."""
    found = re.findall(r"\w+", text.casefold())
    result: dict[str, str] = {}
    for word in found:
        plain = _strip_accents(word)
        if not _WORD.fullmatch(plain) or plain in _STOPWORDS:
            continue
        if len(plain) > 2 or plain.isdigit():
            result.setdefault(stem(plain), word)
    return result


def _partial(word: str, context) -> str | None:
    """A context word that is part of `word` or contains it (compounds)."""
    if len(word) < _COMPOUND_PART:
        return None
    for other in context:
        if len(other) >= _COMPOUND_PART and (other in word or word in other):
            return other
    return None


@dataclass
class Candidate:
    decision: Decision
    score: float = 0.0
    matched: list[str] = field(default_factory=list)
    days_off: int = 0

    @property
    def same_day(self) -> bool:
        return self.days_off == 0


def fit(
    title_words: dict[str, str], context, weights: dict[str, float] | None = None
) -> tuple[float, list[str]]:
    """How well a title fits the context words (stems), and the title's words
    (as written) that matched. A word weighs its `weights` entry (default 1)."""
    if not title_words:
        return 0.0, []
    weights = weights or {}
    total = 0.0
    norm = 0.0
    matched = []
    for word, written in title_words.items():
        weight = weights.get(word, 1.0)
        norm += weight * weight
        if word in context:
            total += weight
            matched.append(written)
        elif _partial(word, context):
            total += weight / 2
            matched.append(written)
    return total / math.sqrt(norm), matched


def rank(decisions, *, context: str, near: date | None) -> list[Candidate]:
    """`decisions` best first for the context text (see the module docstring)."""
    context_words = frozenset(words(context))
    decisions = list(decisions)
    title_words = [words(f"{d.title} {d.alternative_title}") for d in decisions]
    # A word that many candidate titles share ("wijziging", "decreet") tells
    # them apart less than a rare one: inverse document frequency.
    frequency: dict[str, int] = {}
    for found in title_words:
        for word in found:
            frequency[word] = frequency.get(word, 0) + 1
    count = len(decisions)
    weights = {word: math.log(1 + count / n) for word, n in frequency.items()}
    candidates = []
    for decision, found in zip(decisions, title_words, strict=True):
        score, matched = fit(found, context_words, weights)
        days_off = abs((decision.date - near).days) if near else 0
        candidates.append(Candidate(decision, score, matched, days_off))
    candidates.sort(key=lambda c: (-c.score, c.days_off, c.decision.title, c.decision.pk))
    return candidates


def candidates_near(near: date) -> tuple[list[Decision], int]:
    """Decisions of `near` and the days around it: the first window of WINDOWS
    days either side that has any, and that window's width."""
    for days in WINDOWS:
        found = list(
            Decision.objects.filter(
                date__range=(near - timedelta(days=days), near + timedelta(days=days))
            ).order_by("date", "title")[:MAX_CANDIDATES]
        )
        if found:
            return found, days
    return [], WINDOWS[-1]


def resolve_context(citation: Citation, passages: list[Passage]) -> str:
    """What a candidate's title is compared with: the blocks that use the
    citation and the raw title, if the source gave one."""
    return " ".join([*dict.fromkeys(p.block for p in passages), citation.raw_title])


# --- The admin view ------------------------------------------------------------


def resolve_url(citation: Citation, *, back: str = "") -> str:
    """The resolve page of a citation; after saving, the editor returns to `back`
    (a list or a workspace) if given, else to the list of incomplete citations."""
    url = reverse("admin:commitments_citation_resolve", args=[citation.pk])
    return f"{url}?{urlencode({'next': back})}" if back else url


def resolve_link(citation: Citation, *, back: str = "") -> str:
    """'Oplossen' (or 'Andere beslissing' for a complete citation) as a link."""
    label = gettext("Oplossen") if citation.incomplete else gettext("Andere beslissing")
    return format_html(
        '<a href="{}">{}<span class="visually-hidden"> {}</span></a>',
        resolve_url(citation, back=back),
        label,
        citation,
    )


def date_mismatch_warning(citation: Citation) -> str:
    return gettext(
        "Referentie [%(number)s] verwijst naar een beslissing van %(date)s; "
        "de bron dateert ze op %(raw_date)s."
    ) % {
        "number": citation.number,
        "date": date_format(citation.decision.date, "SHORT_DATE_FORMAT"),
        "raw_date": date_format(citation.raw_date, "SHORT_DATE_FORMAT"),
    }


class CitationResolveMixin:
    """Adds the resolve view to the citation ModelAdmin, and a link to it on
    every row of the citation list (also when filtered on one section: that is
    a section's citation list), which returns to the same filtered list."""

    def get_list_display(self, request):
        back = request.get_full_path()

        @admin.display(description=_("oplossen"))
        def resolve(citation: Citation) -> str:
            return resolve_link(citation, back=back)

        return [*super().get_list_display(request), resolve]

    def get_urls(self):
        resolve = path(
            "<int:pk>/oplossen/",
            self.admin_site.admin_view(self.resolve_view),
            name="commitments_citation_resolve",
        )
        return [resolve, *super().get_urls()]

    def resolve_view(self, request, pk: int):
        citation = get_object_or_404(
            Citation.objects.select_related("section__chapter__agreement", "decision"), pk=pk
        )
        if not self.has_change_permission(request, citation):
            raise PermissionDenied
        section = citation.section
        summary = getattr(section, "summary", None)
        cited = list(section.citations.select_related("decision"))
        vocabulary = section_vocabulary(summary=summary, citations=cited)
        passages = citation_passages(
            summary.body if summary else "", citation.number, vocabulary=vocabulary
        )
        if not passages and summary and summary.conclusion:
            passages = citation_passages(summary.conclusion, citation.number, vocabulary=vocabulary)
        context_text = resolve_context(citation, passages)
        next_url = self._safe_next(request)

        if request.method == "POST":
            decision = Decision.objects.filter(pk=request.POST.get("decision") or None).first()
            if decision is None:
                messages.error(request, gettext("Kies een beslissing."))
            elif (
                citation.raw_date
                and decision.date != citation.raw_date
                and request.POST.get("confirm_other_date") != "1"
            ):
                # A decision of another date is a deliberate choice: ask once more.
                return self._render(
                    request,
                    citation,
                    confirm=decision,
                    confirm_error=bool(request.POST.get("confirm_step")),
                    next_url=next_url,
                    passages=passages,
                )
            else:
                return self._resolve(request, citation, decision, next_url)

        query = request.GET.get("q", "").strip()
        near, window = [], 0
        if citation.raw_date:
            near, window = candidates_near(citation.raw_date)
        candidates = rank(near, context=context_text, near=citation.raw_date)[:SHOWN_CANDIDATES]
        search_results = []
        if query:
            decision_admin = self.admin_site._registry[Decision]
            found, _duplicates = decision_admin.get_search_results(
                request, Decision.objects.all(), query
            )
            search_results = rank(
                found.order_by("-date", "title")[:MAX_CANDIDATES],
                context=context_text,
                near=citation.raw_date,
            )[:SHOWN_CANDIDATES]
        return self._render(
            request,
            citation,
            passages=passages,
            candidates=candidates,
            window=window,
            query=query,
            search_results=search_results,
            next_url=next_url,
            agreement_text=readable_text(section, summary=summary, citations=cited),
        )

    def _render(self, request, citation: Citation, **context):
        number = citation.number
        context["passages"] = [
            {"marked": p.marked(number), "block": p.block} for p in context.get("passages", [])
        ]
        return TemplateResponse(
            request,
            "admin/commitments/citation/resolve.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Referentie [%(number)s] oplossen") % {"number": number},
                "citation": citation,
                "section": citation.section,
                **context,
            },
        )

    def _resolve(self, request, citation: Citation, decision: Decision, next_url: str | None):
        with transaction.atomic():
            citation_resolve(citation=citation, decision=decision)
            described = gettext("Opgelost met beslissing “%(decision)s” van %(date)s.") % {
                "decision": decision.title,
                "date": decision.date.isoformat(),
            }
            if citation.raw_date and decision.date != citation.raw_date:
                described += " " + gettext(
                    "Andere datum dan in de bron (%(raw_date)s), bevestigd."
                ) % {"raw_date": citation.raw_date.isoformat()}
            self.log_change(request, citation, described)
        messages.success(
            request,
            gettext(
                "Referentie [%(number)s] van %(section)s verwijst nu naar "
                "“%(decision)s” (%(date)s)."
            )
            % {
                "number": citation.number,
                "section": citation.section,
                "decision": decision.title,
                "date": date_format(decision.date, "SHORT_DATE_FORMAT"),
            },
        )
        if next_url:
            return redirect(next_url)
        return redirect(f"{reverse('admin:commitments_citation_changelist')}?incomplete__exact=1")

    @staticmethod
    def _safe_next(request) -> str | None:
        next_url = request.POST.get("next") or request.GET.get("next")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return next_url
        return None
