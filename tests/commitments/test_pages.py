"""The pages policy staff read: overview, chapter, section list and section."""

import re
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.urls import reverse

from commitments.models import Evaluation, Section
from commitments.services import evaluation_approve, evaluation_create, evaluation_reject
from decisions.models import Decision
from tests.builders import (
    make_agreement,
    make_chapter,
    make_chapter_with_sections,
    make_citation,
    make_decision,
    make_evaluation,
    make_minister,
    make_section,
    make_seed_section,
    make_summary,
    make_user,
)

pytestmark = pytest.mark.django_db

SEED_URL = reverse("commitments:section", args=["regeerakkoord-2019-2024", "samenleven", "1.2"])
HOME = reverse("commitments:home")


def test_empty_database_renders_a_friendly_overview(client, django_assert_num_queries):
    # 1 the first agreement (none)
    with django_assert_num_queries(1):
        response = client.get(HOME)
    assert response.status_code == 200
    assert "Er is nog geen regeerakkoord geladen" in response.content.decode()


def test_every_page_renders_on_an_empty_database(client):
    for url in [
        reverse("commitments:section-list"),
        reverse("decisions:list"),
        reverse("commitments:search") + "?q=iets",
        reverse("commitments:about"),
        reverse("commitments:search"),
    ]:
        assert client.get(url).status_code == 200, url


def test_overview_shows_chapters_with_status_counts_in_words(client):
    chapter = make_chapter_with_sections(3, title="Omgeving", slug="omgeving")
    make_chapter(chapter.agreement, title="Onderwijs", slug="onderwijs")
    html = client.get(HOME).content.decode()
    assert "Omgeving" in html
    # The bar's numbers are text, not only colour: 2 in progress, 1 achieved.
    assert "In uitvoering: <strong>2</strong>" in html
    assert "Gerealiseerd: <strong>1</strong>" in html
    assert "3 secties · 6 referenties · 6 beslissingen" in " ".join(html.split())
    assert 'style="' not in html


def test_overview_key_figures_count_a_shared_decision_once_and_an_empty_chapter_as_zero(client):
    first = make_section(title="Eerste")
    other_chapter = make_chapter(first.chapter.agreement, title="Tweede", slug="tweede")
    second = make_section(other_chapter, title="Tweede sectie")
    make_chapter(first.chapter.agreement, title="Leeg", slug="leeg")
    shared = make_decision()
    make_citation(first, decision=shared)
    make_citation(first, decision=None)
    make_citation(second, decision=shared)
    make_citation(second)
    html = " ".join(client.get(HOME).content.decode().split())
    figures = html.split('class="key-figures"')[1].split("</dl>")[0]
    # 4 citations (one incomplete), 2 distinct decisions: the shared one counts once.
    assert "<dt>Referenties</dt><dd>4</dd>" in figures
    assert "<dt>Geciteerde beslissingen</dt><dd>2</dd>" in figures
    assert "1 sectie · 2 referenties · 1 beslissing" in html
    assert "0 secties · 0 referenties · 0 beslissingen" in html


def test_overview_lists_latest_decisions_and_sections_without_decisions(client):
    lonely = make_section(title="Zonder beslissing")
    cited = make_section(lonely.chapter, title="Met beslissing")
    newest = make_decision(title="Nieuwste beslissing", date=date(2024, 5, 1))
    make_citation(cited, decision=newest)
    html = client.get(HOME).content.decode()
    latest = html.split('id="laatste-titel"')[1].split("</section>")[0]
    uncited = html.split('id="zonder-titel"')[1].split("</section>")[0]
    assert "Nieuwste beslissing" in latest
    assert "Zonder beslissing" in uncited
    assert "Met beslissing" not in uncited


def _overview_queries(client, django_assert_num_queries):
    # 1 the first agreement
    # 2 its chapters
    # 3 section counts per chapter and status
    # 4 citation and cited-decision counts per chapter (one grouped query)
    # 5 distinct cited decisions of the agreement: on PostgreSQL the ROLLUP row of 4
    # 6 the latest decisions
    # 7 sections without a cited decision
    # 8 published evaluations of its sections, for the status trend chart
    with django_assert_num_queries(7 if connection.vendor == "postgresql" else 8):
        assert client.get(HOME).status_code == 200


def test_overview_query_count_does_not_grow_with_data(client, django_assert_num_queries):
    chapter = make_chapter_with_sections(2)
    _overview_queries(client, django_assert_num_queries)
    make_chapter_with_sections(8, citations_per_section=4, agreement=chapter.agreement)
    _overview_queries(client, django_assert_num_queries)


def test_overview_charts_sections_per_status_month_by_month_with_the_numbers(client):
    agreement = make_agreement(start_date=date(2024, 1, 1), end_date=date(2024, 3, 31))
    chapter = make_chapter(agreement, title="Omgeving", slug="omgeving")
    first, second, _third = (make_section(chapter) for _ in range(3))
    make_evaluation(first, status="in_progress", published_at=datetime(2024, 1, 10, tzinfo=UTC))
    make_evaluation(first, status="achieved", published_at=datetime(2024, 3, 2, tzinfo=UTC))
    make_evaluation(second, status="abandoned", published_at=datetime(2024, 2, 5, tzinfo=UTC))
    make_evaluation(second, status="achieved", state=Evaluation.State.PROPOSED)
    html = client.get(HOME).content.decode()
    trend = html.split('class="trend"')[1].split("</section>")[0]
    assert "van januari 2024 tot maart 2024" in trend
    svg = trend.split("<svg")[1].split("</svg>")[0]
    assert 'role="img" aria-labelledby="verloop-uitleg"' in svg
    assert svg.count("<g>") == 3  # one column per month
    assert 'class="fill--achieved"' in svg and "style=" not in html
    table = trend.split("<table")[1].split("</table>")[0]
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table)
    assert headers == [
        "Maand",
        "Nog niet beoordeeld",
        "In uitvoering",
        "Gerealiseerd",
        "Losgelaten",
    ]
    rows = [
        re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row)
        for row in table.split("<tbody>")[1].split("</tr>")[:-1]
    ]
    assert rows == [
        ["januari 2024", "2", "1", "0", "0"],
        ["februari 2024", "1", "1", "0", "1"],
        ["maart 2024", "1", "0", "1", "1"],
    ]


def test_overview_says_when_nothing_is_published_yet(client):
    section = make_section()
    make_evaluation(section, state=Evaluation.State.PROPOSED)
    html = client.get(HOME).content.decode()
    trend = html.split('class="trend"')[1].split("</section>")[0]
    assert "<svg" not in trend
    assert "zodra een eerste beoordeling gepubliceerd is" in trend


def _chapter_queries(client, chapter, django_assert_num_queries):
    # 1 the chapter with its agreement
    # 2 its sections with status, counts and chapter
    with django_assert_num_queries(2):
        response = client.get(chapter.get_absolute_url())
    assert response.status_code == 200
    return response


def test_chapter_page_lists_sections_in_natural_order(client, django_assert_num_queries):
    chapter = make_chapter(title="Samenleven", slug="samenleven")
    for number in ["1.10", "1.2", "2", "1"]:
        make_section(chapter, number=number, title=f"Titel {number}")
    html = _chapter_queries(client, chapter, django_assert_num_queries).content.decode()
    positions = [html.index(f"Titel {n}<") for n in ["1", "1.2", "1.10", "2"]]
    assert positions == sorted(positions)
    assert 'class="depth-1"' in html  # 1.2 is shown under 1


def test_chapter_page_query_count_does_not_grow_with_data(client, django_assert_num_queries):
    small = make_chapter_with_sections(2)
    large = make_chapter_with_sections(15, citations_per_section=3, agreement=small.agreement)
    _chapter_queries(client, small, django_assert_num_queries)
    _chapter_queries(client, large, django_assert_num_queries)


def test_unknown_chapter_and_section_are_404(client):
    section = make_section()
    chapter = section.chapter
    assert (
        client.get(
            reverse("commitments:chapter", args=[chapter.agreement.slug, "nope"])
        ).status_code
        == 404
    )
    assert client.get(f"{chapter.get_absolute_url()}9.9/").status_code == 404


# --- Section page -------------------------------------------------------------


def test_seed_section_shows_text_without_pdf_hyphenation(client):
    make_seed_section()
    html = client.get(SEED_URL).content.decode()
    text = html.split('class="agreement-text"')[1].split("</blockquote>")[0]
    assert "gesubsidieerd" in text and "gesubsi-dieerd" not in text
    assert "participatieorganisatie" in text and "participatieorgani-satie" not in text
    assert "wijk- en straatniveau" in text
    assert "etnisch-culturele" in text
    # The stored text stays as found.
    assert "gesubsi-dieerd" in Section.objects.get(number="1.2").text


def test_seed_section_links_every_citation_to_its_reference(client):
    make_seed_section()
    html = client.get(SEED_URL).content.decode()
    for number in range(21):
        assert f'href="#ref-{number}"' in html
        assert f'id="ref-{number}"' in html
    assert '<a href="#ref-0" class="citation"' in html


def test_incomplete_citation_is_marked_in_words(client):
    make_seed_section()
    html = client.get(SEED_URL).content.decode()
    summary = html.split('class="summary"')[1].split("</div>")[0]
    assert 'class="citation citation-incomplete"' in summary
    assert "onvolledig" in summary
    entry = html.split('id="ref-8"')[1].split("</li>")[0]
    assert "Onvolledige referentie" in entry


def test_each_reference_links_the_decision_and_the_official_source(client):
    section = make_seed_section()
    citation = section.citations.get(number=3)
    html = client.get(SEED_URL).content.decode()
    entry = html.split('id="ref-3"')[1].split("</li>")[0]
    assert f'href="{citation.decision.get_absolute_url()}"' in entry
    assert 'href="https://beslissingenvlaamseregering.vlaanderen.be/?search=' in entry
    assert 'rel="noopener noreferrer"' in entry


def test_section_page_shows_breadcrumb_provenance_status_history_and_neighbours(client):
    section = make_seed_section()
    previous = make_section(section.chapter, number="1.1", title="Uitdagingen en visie")
    following = make_section(section.chapter, number="1.10", title="Later")
    author = make_user(username="an.peeters", first_name="An", last_name="Peeters")
    make_evaluation(section, status="in_progress", rationale="Eerst.", author=author)
    make_evaluation(section, status="not_assessable", rationale="Geen meetbare resultaten.")
    html = client.get(SEED_URL).content.decode()
    breadcrumb = html.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert "Regeerakkoord 2019-2024" in breadcrumb and "Samenleven" in breadcrumb
    assert "taalmodel" in html.split('class="provenance"')[1].split("</p>")[0]
    status = html.split('class="status-box"')[1].split("</section>")[0]
    assert "Niet te beoordelen" in status and "Geen meetbare resultaten." in status
    history = html.split('class="history"')[1].split("</ol>")[0]
    entries = history.split('class="history__entry"')[1:]
    assert "naar Niet te beoordelen" in entries[0] and "naar In uitvoering" in entries[1]
    assert "An Peeters" in history and "an.peeters" not in html
    pager = html.split('class="pager')[1].split("</nav>")[0]
    assert previous.get_absolute_url() in pager and following.get_absolute_url() in pager


def test_timeline_lists_cited_decisions_by_date(client):
    make_seed_section()
    html = client.get(SEED_URL).content.decode()
    timeline = html.split('class="timeline"')[1].split("</ol>")[0]
    dates = [part.split('"')[0] for part in timeline.split('datetime="')[1:]]
    assert dates == sorted(dates)
    assert len(dates) == 20  # 21 citations, one incomplete, no decision cited twice


def test_reference_and_timeline_rows_link_each_decision_its_date_and_citing_numbers(client):
    section = make_section()
    decision = make_decision(title="Nota fietspaden", date=date(2022, 3, 7))
    make_citation(section, number=1, decision=decision, raw_url="https://example.org/nota")
    make_citation(section, number=2, decision=decision, raw_url="javascript:alert(1)")
    html = client.get(section.get_absolute_url()).content.decode()
    path = reverse("decisions:detail", args=[decision.pk])
    references = html.split('class="references"')[1].split("</ol>")[0]
    assert references.count(f'<a href="{path}" lang="nl">Nota fietspaden</a>') == 2
    assert references.count('<time datetime="2022-03-07">7 mrt 2022</time>') == 2
    # Only the http(s) source becomes a link.
    assert 'href="https://example.org/nota"' in references and "javascript:" not in references
    timeline = html.split('class="timeline"')[1].split("</ol>")[0]
    assert f'<a href="{path}">Nota fietspaden</a>' in timeline
    assert '(<a href="#ref-1">[1]</a><a href="#ref-2">[2]</a>)' in timeline


def test_summary_markdown_cannot_inject_html(client):
    section = make_section()
    make_summary(section, body="<script>alert(1)</script> [x](javascript:alert(1)) \\[0\\]")
    make_citation(section, number=0)
    html = client.get(section.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;" in html


def _section_queries(client, section, django_assert_num_queries, *, evaluated=True):
    # 1 the section with chapter, agreement, summary and current status
    # 2 its citations with their decisions
    # 3 its published evaluations with their authors and reviewers
    # 4 their evidence citations with decisions (skipped when there is no evaluation)
    # 5 the previous section, 6 the next section (each with chapter and agreement)
    with django_assert_num_queries(6 if evaluated else 5):
        response = client.get(section.get_absolute_url())
    assert response.status_code == 200
    return response


def test_section_page_query_count_does_not_grow_with_citations(client, django_assert_num_queries):
    small = make_section(number="1.1")
    make_summary(small)
    make_citation(small)
    _section_queries(client, small, django_assert_num_queries, evaluated=False)
    make_evaluation(small).evidence.set(small.citations.all())
    _section_queries(client, small, django_assert_num_queries)
    large = make_seed_section()
    for _ in range(5):
        reviewer = make_user(first_name="Eind", last_name="Redacteur")
        evaluation = make_evaluation(large, author=make_user(), reviewer=reviewer)
        evaluation.evidence.set(large.citations.all()[:4])
    _section_queries(client, large, django_assert_num_queries)


# --- Section page: the published judgement -------------------------------------


def _published(section, **kwargs) -> Evaluation:
    """A proposal by one editor approved by another, as the workflow publishes it."""
    author = kwargs.pop("author", None) or make_user(first_name="An", last_name="Peeters")
    reviewer = kwargs.pop("reviewer", None) or make_user(first_name="Bart", last_name="Claes")
    evidence = kwargs.pop("evidence", ())
    proposal = evaluation_create(section=section, author=author, evidence=evidence, **kwargs)
    return evaluation_approve(evaluation=proposal, reviewer=reviewer)


def _status_box(html: str) -> str:
    return html.split('class="status-box"')[1].split("</section>")[0]


def _history(html: str) -> str:
    return html.split('class="history"')[1].split("</ol>\n")[0]


def test_status_box_shows_rationale_evidence_publication_and_sign_off(client):
    section = make_seed_section()
    evidence = [section.citations.get(number=3), section.citations.get(number=8)]
    evaluation = _published(
        section,
        status="in_progress",
        rationale="De erkenning loopt **verder** \\[3\\].",
        evidence=evidence,
        reviewer=make_user(username="b.claes", first_name="Bart", last_name="Claes"),
    )
    Evaluation.objects.filter(pk=evaluation.pk).update(
        published_at=datetime(2024, 3, 5, 10, tzinfo=UTC)
    )
    box = _status_box(client.get(SEED_URL).content.decode())
    assert "badge--in_progress" in box
    assert "De erkenning loopt <strong>verder</strong>" in box
    assert 'href="#ref-3" class="citation"' in box.split('class="rationale"')[1].split("</div>")[0]
    evidence_html = box.split('class="evidence"')[1].split("</ul>")[0]
    decision = evidence[0].decision
    assert 'href="#ref-3"' in evidence_html and 'href="#ref-8"' in evidence_html
    assert f'href="{decision.get_absolute_url()}"' in evidence_html
    assert "Onvolledige referentie" in evidence_html  # [8] has no decision yet
    sign_off = " ".join(box.split('class="sign-off"')[1].split("</p>")[0].split())
    assert "Beoordeeld door An Peeters." in sign_off
    assert "Gepubliceerd op 5 maart 2024, goedgekeurd door Bart Claes." in sign_off


def test_people_are_shown_by_their_name_never_by_their_login(client):
    section = make_section()
    _published(
        section,
        status="achieved",
        rationale="Klaar.",
        author=make_user(username="redacteur.zonder.naam"),
        reviewer=make_user(username="eindredacteur.zonder.naam"),
    )
    html = client.get(section.get_absolute_url()).content.decode()
    assert "zonder.naam" not in html
    sign_off = " ".join(_status_box(html).split('class="sign-off"')[1].split("</p>")[0].split())
    assert "Beoordeeld door" not in sign_off
    assert "goedgekeurd door een eindredacteur." in sign_off


def test_evaluation_published_without_review_says_so(client, settings):
    settings.EVALUATION_REVIEW = False
    section = make_section()
    evaluation_create(section=section, status="not_started", rationale="Nog niets.")
    sign_off = _status_box(client.get(section.get_absolute_url()).content.decode())
    assert "zonder eindredactie" in sign_off


def test_history_shows_each_change_from_the_previous_published_status(client):
    section = make_section()
    first = _published(section, status="not_started", rationale="Nog niets.")
    _published(section, status="in_progress", rationale="Er is een conceptnota.")
    last = _published(section, status="achieved", rationale="Het decreet is goedgekeurd.")
    history = _history(client.get(section.get_absolute_url()).content.decode())
    entries = history.split('class="history__entry"')[1:]
    changes = [
        " ".join(e.split('class="visually-hidden">')[1].split("<")[0].split()) for e in entries
    ]
    assert changes == [
        "Van In uitvoering naar Gerealiseerd",
        "Van Niet opgestart naar In uitvoering",
        "Van Nog niet beoordeeld naar Niet opgestart",
    ]
    assert f'id="evaluatie-{last.pk}"' in history and f'id="evaluatie-{first.pk}"' in history
    assert "badge--not_assessed" in entries[-1] and "→" in entries[-1]


def test_proposals_and_rejected_evaluations_never_show_anywhere_public(client):
    section = make_seed_section()
    _published(section, status="in_progress", rationale="Gepubliceerde motivering.")
    author, reviewer = make_user(), make_user()
    rejected = evaluation_create(
        section=section, status="abandoned", rationale="GEHEIM afgewezen.", author=author
    )
    evaluation_reject(evaluation=rejected, reviewer=reviewer, comment="GEHEIM opmerking.")
    evaluation_create(
        section=section, status="achieved", rationale="GEHEIM voorstel.", author=author
    )
    chapter = section.chapter
    pages = [
        HOME,
        chapter.get_absolute_url(),
        SEED_URL,
        reverse("commitments:section-list"),
        reverse("commitments:search") + "?q=discriminatie",
        reverse("commitments:section-export", args=["csv"]),
        reverse("commitments:section-export", args=["json"]),
        reverse("feed-status"),
        reverse("feed-status-chapter", args=[chapter.agreement.slug, chapter.slug]),
        reverse("feed-status-section", args=[chapter.agreement.slug, chapter.slug, "1.2"]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        assert "GEHEIM" not in body, url
        if response["Content-Type"].startswith("text/html"):
            assert "badge--achieved" not in body and "badge--abandoned" not in body, url
        else:  # exports and feeds name the status in words
            assert "Gerealiseerd" not in body and "Losgelaten" not in body, url
    assert "Gepubliceerde motivering." in client.get(SEED_URL).content.decode()


def _feed_links(html: str) -> list[tuple[str, str]]:
    """(title, href) of every Atom feed the page's head announces."""
    head = html.split("</head>")[0]
    return re.findall(
        r'<link rel="alternate" type="application/atom\+xml" title="([^"]*)" href="([^"]*)">', head
    )


def test_section_page_offers_the_feed_of_its_status_changes(client):
    make_seed_section()
    html = client.get(SEED_URL).content.decode()
    feed = reverse("feed-status-section", args=["regeerakkoord-2019-2024", "samenleven", "1.2"])
    assert ("Statuswijzigingen van sectie 1.2", feed) in _feed_links(html)
    assert f'<a href="{feed}">' in _status_box(html)
    assert client.get(feed).status_code == 200


def test_chapter_page_offers_the_feed_of_its_status_changes(client):
    chapter = make_chapter_with_sections(1, title="Omgeving", slug="omgeving")
    html = client.get(chapter.get_absolute_url()).content.decode()
    feed = reverse("feed-status-chapter", args=["regeerakkoord-2019-2024", "omgeving"])
    assert ("Statuswijzigingen in Omgeving", feed) in _feed_links(html)
    assert f'<a href="{feed}">' in html.split("</head>")[1]
    assert client.get(feed).status_code == 200


def test_staff_get_a_link_to_the_evaluation_workspace(client):
    section = make_section()
    workspace = reverse("admin:commitments_section_assess", args=[section.pk])
    assert workspace not in client.get(section.get_absolute_url()).content.decode()
    client.force_login(make_user())  # logged in, but not staff
    assert workspace not in client.get(section.get_absolute_url()).content.decode()
    client.force_login(make_user(is_staff=True))
    box = _status_box(client.get(section.get_absolute_url()).content.decode())
    assert f'<a href="{workspace}">Beoordelen</a>' in box


# --- Section list -------------------------------------------------------------


def _list_queries(client, url, django_assert_num_queries, extra=0):
    # 1 the ids of every matching section, in order (counted and paged in Python)
    # 2 the page's sections with status, counts, chapter and agreement
    # 3 chapter choices, 4 minister choices of the filter form
    # (+1 for a chapter or minister filter: the form looks the chosen one up)
    with django_assert_num_queries(4 + extra):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_section_list_query_count_does_not_grow_with_data(client, django_assert_num_queries):
    chapter = make_chapter_with_sections(2)
    small = _list_queries(client, reverse("commitments:section-list"), django_assert_num_queries)
    make_chapter_with_sections(30, citations_per_section=3, agreement=chapter.agreement)
    large = _list_queries(
        client,
        reverse("commitments:section-list") + "?status=in_progress",
        django_assert_num_queries,
    )
    assert small.context["page"].paginator.count == 2
    assert large.context["page"].paginator.count == 16


SECTION_LIST_VARIANTS = [
    "",
    "status=in_progress",
    "has_decisions=true",
    "has_decisions=false",
    "decided_from=2020-01-01",
    "decided_to=2030-01-01",
    "minister={minister}",
    "q=sectie",
    "sort=-referenties",
    "sort=-laatste_beslissing",
    "sort=titel",
    "page=2",
]


@pytest.mark.parametrize("query", SECTION_LIST_VARIANTS)
def test_every_section_list_filter_sort_and_page_takes_the_same_queries_at_two_sizes(
    client, django_assert_num_queries, settings, query
):
    settings.PAGE_SIZE = 2
    chapter = make_chapter_with_sections(3)
    make_section(chapter, number="9", title="Sectie zonder beslissingen")
    minister = Decision.objects.filter(ministers__isnull=False).first().ministers.first()
    url = f"{reverse('commitments:section-list')}?{query.format(minister=minister.pk)}"
    extra = 1 if query.startswith("minister") else 0
    small = _list_queries(client, url, django_assert_num_queries, extra)
    make_chapter_with_sections(20, citations_per_section=4, agreement=chapter.agreement)
    large = _list_queries(client, url, django_assert_num_queries, extra)
    assert len(large.context["page"].object_list) >= len(small.context["page"].object_list)


def test_section_list_sorted_by_a_count_breaks_ties_in_agreement_order(client, settings):
    settings.PAGE_SIZE = 2
    make_chapter_with_sections(5)  # two citations each: all tie

    def numbers(page):
        url = f"{reverse('commitments:section-list')}?sort=-referenties&page={page}"
        return [s.number for s in client.get(url).context["page"].object_list]

    assert numbers(1) + numbers(2) + numbers(3) == ["1.1", "2.1", "3.1", "4.1", "5.1"]


def test_section_list_counts_citations_of_the_page_rows(client):
    section = make_section(number="1", title="Veel")
    decision = make_decision()
    make_citation(section, decision=decision)
    make_citation(section, decision=decision)
    make_citation(section, decision=None, incomplete=True)
    make_section(section.chapter, number="2", title="Niets")
    rows = client.get(reverse("commitments:section-list")).context["page"].object_list
    assert [(s.title, s.citation_count, s.decision_count) for s in rows] == [
        ("Veel", 3, 1),
        ("Niets", 0, 0),
    ]
    assert rows[0].latest_decision_date == decision.date
    assert rows[1].latest_decision_date is None


def test_section_list_filters_by_status_chapter_and_decisions(client):
    first = make_chapter_with_sections(4, title="Eerste", slug="eerste")
    make_section(first, number="9", title="Zonder beslissingen")
    second = make_chapter_with_sections(2, title="Tweede", slug="tweede", agreement=first.agreement)

    def numbers(query):
        page = client.get(reverse("commitments:section-list") + f"?{query}").context["page"]
        return sorted((s.chapter.slug, s.number) for s in page.object_list)

    assert numbers("status=achieved") == [("eerste", "2.1"), ("eerste", "4.1"), ("tweede", "2.1")]
    assert numbers(f"chapter={second.pk}") == [("tweede", "1.1"), ("tweede", "2.1")]
    assert numbers("has_decisions=false") == [("eerste", "9")]
    assert numbers("status=not_assessed") == [("eerste", "9")]
    assert numbers("q=zonder") == [("eerste", "9")]


def test_section_list_filters_by_decision_date_and_minister(client):
    minister = make_minister(name="Bart Somers")
    early = make_section(number="1", title="Vroeg")
    late = make_section(early.chapter, number="2", title="Laat")
    make_citation(early, decision=make_decision(date=date(2020, 3, 1), ministers=[minister]))
    make_citation(late, decision=make_decision(date=date(2023, 3, 1)))
    make_citation(late, decision=make_decision(date=date(2023, 4, 1)))

    def titles(query):
        return [
            s.title
            for s in client.get(reverse("commitments:section-list") + f"?{query}")
            .context["page"]
            .object_list
        ]

    assert titles("decided_from=2022-01-01") == ["Laat"]
    assert titles("decided_to=2021-01-01") == ["Vroeg"]
    assert titles(f"minister={minister.pk}") == ["Vroeg"]
    # A section citing two decisions in range is one row, with all its citations counted.
    row = (
        client.get(reverse("commitments:section-list") + "?decided_from=2023-01-01")
        .context["page"]
        .object_list[0]
    )
    assert row.citation_count == 2


def test_section_list_sorts_and_paginates_keeping_the_filters(client, settings):
    settings.PAGE_SIZE = 2
    chapter = make_chapter_with_sections(5)
    make_citation(chapter.sections.get(number="3.1"))
    response = client.get(
        reverse("commitments:section-list") + "?status=in_progress&sort=-referenties"
    )
    page = response.context["page"]
    assert [s.number for s in page.object_list] == ["3.1", "1.1"]
    html = response.content.decode()
    assert 'href="?status=in_progress&amp;sort=-referenties&amp;page=2"' in html
    second = client.get(
        reverse("commitments:section-list") + "?status=in_progress&sort=-referenties&page=2"
    )
    assert [s.number for s in second.context["page"].object_list] == ["5.1"]


def test_agreement_page_shows_that_agreement(client):
    make_agreement(title="Regeerakkoord 2024-2029")
    html = client.get(reverse("commitments:agreement", args=["regeerakkoord-2024-2029"])).content
    assert "Regeerakkoord 2024-2029" in html.decode()


def test_about_page_says_where_the_data_comes_from(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        html = client.get(reverse("commitments:about")).content.decode()
    assert "datamindedbe/demo-elections2024-website" in html
    assert "taalmodel" in html
    assert "MIT" in html


def test_imported_summary_is_labelled_as_written_by_a_language_model(client):
    section = make_section()
    make_summary(section, produced_by="import", source_file="Samenleven/1.2.md")
    html = client.get(section.get_absolute_url()).content.decode()
    provenance = html.split('class="provenance"')[1].split("</p>")[0]
    assert "geschreven door een taalmodel" in provenance
    assert "Samenleven/1.2.md" in provenance


def test_editor_summary_is_not_labelled_as_language_model(client):
    section = make_section()
    make_summary(section, produced_by="An Peeters (redacteur)")
    html = client.get(section.get_absolute_url()).content.decode()
    provenance = html.split('class="provenance"')[1].split("</p>")[0]
    assert "An Peeters (redacteur)" in provenance
    assert "taalmodel" not in provenance


@pytest.mark.parametrize("sort", ["laatste_beslissing", "-laatste_beslissing"])
def test_section_list_sorted_by_latest_decision_puts_uncited_sections_last(client, sort):
    early = make_section(number="1", title="Vroeg")
    make_citation(early, decision=make_decision(date=date(2020, 1, 1)))
    make_citation(early, decision=make_decision(date=date(2021, 1, 1)))
    late = make_section(early.chapter, number="2", title="Laat")
    make_citation(late, decision=make_decision(date=date(2023, 1, 1)))
    make_section(early.chapter, number="3", title="Geen")
    url = f"{reverse('commitments:section-list')}?sort={sort}"
    titles = [s.title for s in client.get(url).context["page"].object_list]
    expected = ["Vroeg", "Laat"] if sort == "laatste_beslissing" else ["Laat", "Vroeg"]
    assert titles == [*expected, "Geen"]


def test_overview_counts_a_decision_cited_in_two_chapters_once_in_the_total(client):
    first = make_chapter(title="Eerste", slug="eerste")
    second = make_chapter(first.agreement, title="Tweede", slug="tweede")
    shared, own = make_decision(), make_decision()
    make_citation(make_section(first, number="1"), decision=shared)
    section = make_section(second, number="1")
    make_citation(section, decision=shared)
    make_citation(section, decision=own)
    make_citation(section, decision=None, incomplete=True)
    response = client.get(reverse("commitments:home"))
    assert response.context["totals"] == {
        "section_total": 2,
        "citation_total": 4,
        "decision_total": 2,
    }
    counts = [
        (c.title, c.section_count, c.citation_count, c.decision_count)
        for c in response.context["chapters"]
    ]
    assert counts == [("Eerste", 1, 1, 1), ("Tweede", 1, 3, 2)]
