"""Atom feeds of published status changes (all sections, a chapter, a section)
and of new decisions: entries say "from → to", only published evaluations appear,
and every field is plain text or sanitised HTML."""

from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit
from xml.etree import ElementTree  # our own feed output, not untrusted XML

import pytest
from django.urls import reverse

from commitments.models import Evaluation
from commitments.services import evaluation_approve, evaluation_create, evaluation_reject
from core.rendering import ALLOWED_TAGS
from tests.builders import (
    HOSTILE_MARKDOWN,
    HOSTILE_TEXT,
    make_chapter,
    make_chapter_with_sections,
    make_decision,
    make_evaluation,
    make_hostile_content,
    make_section,
    make_user,
)

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE_NAME = '<img src=x onerror="alert(1)">'


def _entries(client, url: str) -> list[ElementTree.Element]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314
    return list(feed.iter(f"{ATOM}entry"))


def _text(entry, name: str) -> str:
    return entry.find(f"{ATOM}{name}").text or ""


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(2024, 3, day, hour, tzinfo=UTC)


def _feeds_of(section) -> list[str]:
    chapter = section.chapter
    return [
        reverse("feed-status"),
        reverse("feed-status-chapter", args=[chapter.agreement.slug, chapter.slug]),
        reverse("feed-status-section", args=[chapter.agreement.slug, chapter.slug, section.number]),
    ]


def test_entries_say_from_which_status_to_which(client):
    section = make_section(title="Armoede bestrijden")
    other = make_section(section.chapter, title="Andere sectie")
    make_evaluation(section, status="not_started", rationale="Nog niets.", published_at=_at(1))
    make_evaluation(other, status="achieved", rationale="Klaar.", published_at=_at(2))
    make_evaluation(section, status="in_progress", rationale="Begonnen.", published_at=_at(3))
    # A proposal in between is no step in the public history.
    evaluation_create(section=section, status="abandoned", rationale="Nee.", author=make_user())
    make_evaluation(section, status="achieved", rationale="Gedaan.", published_at=_at(4))
    for url in _feeds_of(section):
        titles = [
            _text(e, "title") for e in _entries(client, url) if "Armoede" in _text(e, "title")
        ]
        assert titles == [
            f"{section}: In uitvoering → Gerealiseerd",
            f"{section}: Niet opgestart → In uitvoering",
            f"{section}: Nog niet beoordeeld → Niet opgestart",
        ], url
    summary = _text(_entries(client, _feeds_of(section)[2])[0], "summary")
    assert "gewijzigd van ‘In uitvoering’ naar ‘Gerealiseerd’" in summary
    assert "<p>Gedaan.</p>" in summary


def test_evaluations_published_at_the_same_moment_follow_their_order(client):
    section = make_section()
    make_evaluation(section, status="not_started", published_at=_at(1))
    make_evaluation(section, status="in_progress", published_at=_at(1))
    titles = [_text(e, "title") for e in _entries(client, reverse("feed-status"))]
    assert titles == [
        f"{section}: Niet opgestart → In uitvoering",
        f"{section}: Nog niet beoordeeld → Niet opgestart",
    ]


def test_chapter_and_section_feeds_hold_only_their_own_changes(client):
    chapter = make_chapter_with_sections(2, title="Omgeving", slug="omgeving")
    elsewhere = make_chapter_with_sections(1, agreement=chapter.agreement)
    first = chapter.sections.order_by("sort_key").first()
    chapter_feed = reverse("feed-status-chapter", args=["regeerakkoord-2019-2024", "omgeving"])
    links = [e.find(f"{ATOM}link").get("href") for e in _entries(client, chapter_feed)]
    ours = Evaluation.objects.filter(section__chapter=chapter)
    assert sorted(links) == sorted(f"http://testserver{e.get_absolute_url()}" for e in ours)
    assert not any(elsewhere.slug in link for link in links)
    section_feed = f"{chapter_feed}{first.number}/"
    entries = _entries(client, section_feed)
    assert [_text(e, "title") for e in entries] == [f"{first}: Nog niet beoordeeld → In uitvoering"]
    feed = ElementTree.fromstring(client.get(section_feed).content)  # noqa: S314
    assert feed.find(f"{ATOM}title").text == f"Akkoordmonitor: statuswijzigingen van {first}"


def test_proposals_and_rejected_evaluations_are_not_in_any_feed(client):
    section = make_section()
    author, reviewer = make_user(), make_user()
    rejected = evaluation_create(
        section=section, status="achieved", rationale="Nee.", author=author
    )
    evaluation_reject(evaluation=rejected, reviewer=reviewer, comment="Onvoldoende.")
    evaluation_create(section=section, status="abandoned", rationale="Wacht.", author=author)
    for url in _feeds_of(section):
        assert _entries(client, url) == [], url
    approved = evaluation_create(
        section=section, status="in_progress", rationale="Ja.", author=author
    )
    evaluation_approve(evaluation=approved, reviewer=reviewer)
    for url in _feeds_of(section):
        assert len(_entries(client, url)) == 1, url


def test_unknown_chapter_or_section_feed_is_404(client):
    section = make_section(number="1.2")
    chapter = section.chapter
    base = reverse("feed-status") + chapter.agreement.slug
    assert client.get(f"{base}/nope/").status_code == 404
    assert client.get(f"{base}/{chapter.slug}/9.9/").status_code == 404
    nope = reverse("feed-status-section", args=["nope", chapter.slug, "1.2"])
    assert client.get(nope).status_code == 404
    # Not a section number: refused by the URL, before the database sees a NUL.
    assert client.get(f"{base}/{chapter.slug}/1.2%00/").status_code == 404


def test_entries_name_the_author_and_reviewer_by_display_name_only(client):
    section = make_section()
    author = make_user(username="an.login", first_name="An", last_name="Peeters")
    proposal = evaluation_create(
        section=section, status="in_progress", rationale="Ja.", author=author
    )
    evaluation_approve(evaluation=proposal, reviewer=make_user(username="bart.login"))
    nameless = evaluation_create(
        section=section, status="achieved", rationale="Klaar.", author=make_user(username="x.login")
    )
    evaluation_approve(
        evaluation=nameless, reviewer=make_user(first_name="Bart", last_name="Claes")
    )
    response = client.get(reverse("feed-status"))
    assert b".login" not in response.content
    newest, oldest = _entries(client, reverse("feed-status"))
    assert newest.find(f"{ATOM}author") is None  # no name entered: no author at all
    assert "goedgekeurd door Bart Claes." in _text(newest, "summary")
    assert oldest.find(f"{ATOM}author/{ATOM}name").text == "An Peeters"
    assert "goedgekeurd door een eindredacteur." in _text(oldest, "summary")


class _Markup(HTMLParser):
    """The tags, attributes and URLs a feed reader would find in an HTML summary."""

    def __init__(self, html: str):
        super().__init__()
        self.tags, self.attributes, self.urls = set(), set(), []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            self.attributes.add(name)
            if name in {"href", "src"}:
                self.urls.append(value or "")


def assert_plain_text_or_sanitised(entry_or_feed) -> None:
    for element in entry_or_feed.iter():
        kind = element.get("type")
        if element.tag == f"{ATOM}summary":
            assert kind == "html"
            markup = _Markup(element.text or "")
            assert markup.tags <= ALLOWED_TAGS, markup.tags
            assert not [a for a in markup.attributes if a.startswith("on")]
            assert all(urlsplit(url).scheme in {"", "http", "https"} for url in markup.urls)
        else:
            # Atom text constructs without a type are plain text: readers show
            # "<script>" as those eight characters.
            assert kind in (None, "text"), element.tag


def test_every_feed_field_is_plain_text_or_sanitised_html(client):
    section, _decision = make_hostile_content()
    hostile_person = make_user(first_name=HOSTILE_NAME, last_name=HOSTILE_NAME)
    proposal = evaluation_create(
        section=section, status="achieved", rationale=HOSTILE_MARKDOWN, author=hostile_person
    )
    evaluation_approve(evaluation=proposal, reviewer=make_user(first_name=HOSTILE_NAME))
    for url in [*_feeds_of(section), reverse("feed-decisions")]:
        response = client.get(url)
        assert response.status_code == 200, url
        feed = ElementTree.fromstring(response.content)  # noqa: S314
        assert_plain_text_or_sanitised(feed)
        entries = list(feed.iter(f"{ATOM}entry"))
        assert entries, url
        # The hostile words arrive, as text.
        assert HOSTILE_TEXT in _text(entries[0], "title"), url
    newest = _entries(client, reverse("feed-status"))[0]
    assert newest.find(f"{ATOM}author/{ATOM}name").text == f"{HOSTILE_NAME} {HOSTILE_NAME}"
    assert "&lt;script&gt;" in _text(newest, "summary")  # shown, not run


def _feed_queries(client, url, count, django_assert_num_queries):
    with django_assert_num_queries(count):
        assert client.get(url).status_code == 200


def test_feed_query_counts_do_not_grow_with_data(client, django_assert_num_queries):
    small = make_chapter_with_sections(1, title="Klein", slug="klein")
    section = small.sections.get()
    large = make_chapter_with_sections(12, title="Groot", slug="groot", agreement=small.agreement)
    for index in range(1, 6):
        make_evaluation(section, author=make_user(first_name="A", last_name=f"{index}"))
    for chapter in (small, large):
        # 1 the newest published evaluations with section, chapter, agreement,
        #   author, reviewer and (a subquery) the previous published status
        _feed_queries(client, reverse("feed-status"), 1, django_assert_num_queries)
        # 1 the chapter with its agreement, 2 its newest published evaluations (as above)
        url = reverse("feed-status-chapter", args=["regeerakkoord-2019-2024", chapter.slug])
        _feed_queries(client, url, 2, django_assert_num_queries)
        # 1 the section with chapter and agreement, 2 its published evaluations (as above)
        last = chapter.sections.order_by("-sort_key").first()
        feed_url = reverse(
            "feed-status-section", args=["regeerakkoord-2019-2024", chapter.slug, last.number]
        )
        _feed_queries(client, feed_url, 2, django_assert_num_queries)


def test_decisions_feed_summary_is_html_of_plain_words(client):
    make_decision(title="Tarieven & <kosten>", kind="nota")
    make_chapter(title="Leeg")
    entry = _entries(client, reverse("feed-decisions"))[0]
    assert _text(entry, "title") == "Tarieven & <kosten> (2022-01-21)"
    assert _text(entry, "summary") == "<p>Beslissing van 2022-01-21 (nota)</p>"
