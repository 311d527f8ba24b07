"""Small builders for test data: each makes one valid row with sensible
defaults and takes keyword overrides. Real files come from ../shared/."""

import itertools
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from commitments.models import Agreement, Chapter, Citation, Evaluation, Section, Summary
from decisions.models import Decision, DecisionDocument, Minister

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
CORPUS_SAMPLE = SHARED / "corpus-sample"

_counter = itertools.count(1)


def make_agreement(**kwargs) -> Agreement:
    title = kwargs.pop("title", "Regeerakkoord 2019-2024")
    defaults = {
        "slug": slugify(title),
        "start_date": date(2019, 10, 2),
        "end_date": date(2024, 6, 9),
    }
    return Agreement.objects.create(title=title, **{**defaults, **kwargs})


def make_chapter(agreement: Agreement | None = None, **kwargs) -> Chapter:
    agreement = agreement or Agreement.objects.first() or make_agreement()
    title = kwargs.pop("title", f"Hoofdstuk {next(_counter)}")
    kwargs.setdefault("slug", slugify(title))
    return Chapter.objects.create(agreement=agreement, title=title, **kwargs)


def make_section(chapter: Chapter | None = None, **kwargs) -> Section:
    chapter = chapter or make_chapter()
    kwargs.setdefault("number", f"1.{next(_counter)}")
    kwargs.setdefault("title", f"Sectie {kwargs['number']}")
    kwargs.setdefault("text", "We blijven elke vorm van discriminatie bestrijden.")
    return Section.objects.create(chapter=chapter, **kwargs)


def make_summary(section: Section | None = None, **kwargs) -> Summary:
    section = section or make_section()
    kwargs.setdefault("body", "De regering nam beslissingen \\[0\\].")
    kwargs.setdefault("produced_by", "taalmodel (geïmporteerde analyse)")
    return Summary.objects.create(section=section, **kwargs)


def make_decision(**kwargs) -> Decision:
    kwargs.setdefault("title", f"Beslissing {next(_counter)}")
    kwargs.setdefault("date", date(2022, 1, 21))
    ministers = kwargs.pop("ministers", [])
    decision = Decision.objects.create(**kwargs)
    if ministers:
        decision.ministers.set(ministers)
    return decision


def make_minister(**kwargs) -> Minister:
    kwargs.setdefault("name", f"Minister {next(_counter)}")
    return Minister.objects.create(**kwargs)


def make_document(decision: Decision | None = None, **kwargs) -> DecisionDocument:
    decision = decision or make_decision()
    kwargs.setdefault("kind", "MEDEDELING AAN DE VLAAMSE REGERING")
    kwargs.setdefault("subject", decision.title)
    kwargs.setdefault("body", "Situering\n\nTekst van het document.")
    return DecisionDocument.objects.create(decision=decision, **kwargs)


def make_citation(section: Section | None = None, **kwargs) -> Citation:
    section = section or make_section()
    if "decision" not in kwargs:
        kwargs["decision"] = make_decision()
    decision = kwargs["decision"]
    kwargs.setdefault("number", section.citations.count())
    if decision is not None:
        kwargs.setdefault("raw_title", decision.title)
        kwargs.setdefault("raw_date", decision.date)
    else:
        kwargs.setdefault("incomplete", True)
    return Citation.objects.create(section=section, **kwargs)


def make_evaluation(section: Section | None = None, **kwargs) -> Evaluation:
    section = section or make_section()
    kwargs.setdefault("status", "in_progress")
    kwargs.setdefault("rationale", "Er zijn beslissingen genomen.")
    return Evaluation.objects.create(section=section, **kwargs)


def make_user(**kwargs):
    kwargs.setdefault("username", f"redacteur{next(_counter)}")
    password = kwargs.pop("password", "een-lang-wachtwoord-2024")
    return get_user_model().objects.create_user(password=password, **kwargs)


def make_theme(**kwargs):
    from decisions.models import Theme

    kwargs.setdefault("external_id", f"thema-{next(_counter)}")
    kwargs.setdefault("label", f"Thema {next(_counter)}")
    return Theme.objects.create(**kwargs)


# Hostile text for every shown field: tags, event handlers, javascript: URLs and
# stray closing tags that try to end the page early.
HOSTILE_TEXT = (
    '<script>alert("xss")</script><img src=x onerror=alert(1)>'
    '<a href="javascript:alert(1)" onclick="alert(1)">klik</a></p></div></main>'
)
HOSTILE_MARKDOWN = (
    f"{HOSTILE_TEXT}\n\n[link](javascript:alert(1)) ![beeld](javascript:alert(1)) "
    "<javascript:alert(1)>\n\n<svg/onload=alert(1)><details open ontoggle=alert(1)>"
    "\n\n**<b><i>genest <table><tr><td>open"
)
HOSTILE_URL = "javascript:alert(1)"


def make_hostile_content():
    """One section and one decision in which every text an import or an editor
    can fill is hostile; returns (section, decision)."""
    agreement = make_agreement(title=f"Akkoord {HOSTILE_TEXT}", slug="akkoord-vijandig")
    chapter = make_chapter(agreement, title=f"Hoofdstuk {HOSTILE_TEXT}", slug="vijandig")
    section = make_section(chapter, number="1.2", title=HOSTILE_TEXT, text=HOSTILE_TEXT)
    make_summary(
        section,
        body=HOSTILE_MARKDOWN,
        conclusion=HOSTILE_MARKDOWN,
        produced_by=HOSTILE_TEXT,
        source_file=HOSTILE_TEXT,
    )
    decision = make_decision(
        title=HOSTILE_TEXT,
        text=HOSTILE_MARKDOWN,
        source_url=HOSTILE_URL,
        ministers=[make_minister(name=HOSTILE_TEXT, title=HOSTILE_TEXT)],
    )
    decision.themes.add(make_theme(label=HOSTILE_TEXT))
    make_document(
        decision,
        kind=HOSTILE_TEXT,
        subject=HOSTILE_TEXT,
        issuer=HOSTILE_TEXT,
        body=HOSTILE_MARKDOWN,
        signatory=HOSTILE_TEXT,
    )
    make_citation(section, decision=decision, raw_title=HOSTILE_TEXT, raw_url=HOSTILE_URL)
    make_citation(section, decision=None, raw_title=HOSTILE_TEXT, raw_url=HOSTILE_URL)
    make_evaluation(section, rationale=HOSTILE_MARKDOWN)
    return section, decision
