"""Small builders for test data: each makes one valid row with sensible
defaults and takes keyword overrides. Real files: the seeds in fixtures/seeds,
and (only for the tests that need it) the corpus sample at CORPUS_SAMPLE_DIR."""

import itertools
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from commitments.models import Agreement, Chapter, Citation, Evaluation, Section, Summary
from decisions.models import Decision, DecisionDocument, Minister, Theme

SEEDS = Path(settings.BASE_DIR) / "fixtures" / "seeds"
# Seed 000_a74408733425afcb.txt, shipped under the name of its corpus file.
SEED_ANALYSIS = SEEDS / "Samenleven" / "Uitsluiting voorkomen, samenleven bevorderen.md"
SEED_DOCUMENT = SEEDS / "documents" / "003_af59b198eec837c6.txt"
CORPUS_SAMPLE = Path(settings.CORPUS_SAMPLE_DIR)


def require_corpus_sample() -> Path:
    """The corpus sample's folder; the calling test is skipped where it is absent,
    so that a clone anywhere runs everything else."""
    if not CORPUS_SAMPLE.is_dir():
        pytest.skip(f"corpus sample not found at {CORPUS_SAMPLE} (set CORPUS_SAMPLE_DIR)")
    return CORPUS_SAMPLE


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
    # Published unless asked otherwise: most tests look at what the public sees.
    kwargs.setdefault("state", Evaluation.State.PUBLISHED)
    if kwargs["state"] == Evaluation.State.PUBLISHED:
        kwargs.setdefault("published_at", kwargs.get("created") or timezone.now())
    return Evaluation.objects.create(section=section, **kwargs)


def make_user(**kwargs):
    kwargs.setdefault("username", f"redacteur{next(_counter)}")
    password = kwargs.pop("password", "een-lang-wachtwoord-2024")
    return get_user_model().objects.create_user(password=password, **kwargs)


# --- Page tests: the real seed section, and bulk data for query counts ---------

_SEED_REFERENCE = re.compile(
    r"^\*\*\[\\\[(?P<number>\d+)\\\]\]?(?:\((?P<url>[^)]*)\))?\]?\*\*\s*:\s*"
    r"\*\*\((?P<date>\d{4}-\d{2}-\d{2})\)\*\*\s*(?P<title>.*?)\s*$"
)


def seed_section_parts() -> dict:
    """The seed analysis cut into what the importer will store: the agreement text
    (after number and title), the summary body, and the references. A test helper,
    not a parser: the IMPORT helper owns parsing."""
    source = SEED_ANALYSIS.read_text(encoding="utf-8")
    paragraph = re.search(r"<p>(.*?)</p>", source, re.S).group(1).strip()
    title = "Uitsluiting voorkomen, samenleven bevorderen"
    text = paragraph.removeprefix("1.2").strip().removeprefix(title).strip()
    body = source.split("</details>", 1)[1].split("<details>", 1)[0].strip()
    references = {}
    for line in source.split("<summary> Referenties</summary>", 1)[1].splitlines():
        match = _SEED_REFERENCE.match(line.strip())
        if match:
            references[int(match["number"])] = match.groupdict()
    return {"number": "1.2", "title": title, "text": text, "body": body, "references": references}


def make_seed_section() -> Section:
    """Section 1.2 of Samenleven as the seed will be imported: 21 citations, [8] incomplete."""
    parts = seed_section_parts()
    agreement = Agreement.objects.filter(slug="regeerakkoord-2019-2024").first() or make_agreement()
    chapter = make_chapter(agreement, title="Samenleven", slug="samenleven")
    section = make_section(
        chapter, number=parts["number"], title=parts["title"], text=parts["text"]
    )
    make_summary(
        section,
        body=parts["body"],
        source_file="seeds/000_a74408733425afcb.txt",
        produced_by="taalmodel (geïmporteerde analyse)",
    )
    for number, ref in sorted(parts["references"].items()):
        raw_date = date.fromisoformat(ref["date"])
        if not ref["title"]:
            make_citation(section, number=number, decision=None, raw_date=raw_date)
            continue
        decision = Decision.objects.filter(title=ref["title"], date=raw_date).first()
        make_citation(
            section,
            number=number,
            decision=decision or make_decision(title=ref["title"], date=raw_date),
            raw_url=ref["url"] or "",
        )
    return section


def make_chapter_with_sections(count: int, citations_per_section: int = 2, **kwargs) -> Chapter:
    """A chapter of `count` evaluated sections, each citing decisions of a minister."""
    chapter = make_chapter(**kwargs)
    minister = make_minister()
    for index in range(1, count + 1):
        section = make_section(chapter, number=f"{index}.1", title=f"Sectie {index}")
        make_summary(section)
        for _ in range(citations_per_section):
            make_citation(section, decision=make_decision(ministers=[minister]))
        make_evaluation(section, status="in_progress" if index % 2 else "achieved")
    return chapter


def make_theme(**kwargs) -> Theme:
    kwargs.setdefault("external_id", f"thema-{next(_counter)}")
    kwargs.setdefault("label", f"Thema {kwargs['external_id']}")
    return Theme.objects.create(**kwargs)


TEST_DATA = Path(__file__).resolve().parent / "data"


def model_counts() -> dict[str, int]:
    """Row count of every model: equal before and after a failed import."""
    from django.apps import apps

    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def reference_line(number: int, title: str = "", day: str = "2022-01-21") -> str:
    """One line of an analysis' reference block; no title means no link either."""
    if not title:
        return f"**[\\[{number}\\]]** : **({day})**  "
    url = f"https://beslissingenvlaamseregering.vlaanderen.be/?search={title.replace(' ', '%20')}"
    return f"**[\\[{number}\\]]({url})** : **({day})** {title} "


def analysis_text(**kwargs) -> str:
    """A small valid section analysis in the corpus format; every part can be overridden."""
    heading = kwargs.get("heading", "Testsectie")
    number = kwargs.get("number", "1.1")
    text = kwargs.get("text", "We blijven elke vorm van discriminatie bestrijden.")
    body = kwargs.get("body", "De regering nam een beslissing \\[0\\].")
    references = kwargs.get("references", [reference_line(0, "Testbeslissing")])
    return (
        f"# {heading}\n\n<details>\n        <summary>Regeerakkoord Sectie </summary>\n"
        f"        <p>{number} {kwargs.get('title', heading)} {text} </p>\n        </details> \n\n"
        f"{body}\n\n<details>\n        <summary> Referenties</summary>\n        \n"
        + "\n\n".join(references)
        + "\n        </details> \n"
    )


def write_analysis(directory: Path, relative: str, **kwargs) -> Path:
    path = directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(analysis_text(**kwargs), encoding="utf-8")
    return path


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
