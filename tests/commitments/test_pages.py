"""The pages policy staff read: overview, chapter, section list and section."""

from datetime import date

import pytest
from django.urls import reverse

from commitments.models import Section
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

SEED_URL = "/akkoorden/regeerakkoord-2019-2024/samenleven/1.2/"


def test_empty_database_renders_a_friendly_overview(client, django_assert_num_queries):
    # 1 the first agreement (none)
    with django_assert_num_queries(1):
        response = client.get("/")
    assert response.status_code == 200
    assert "Er is nog geen regeerakkoord geladen" in response.content.decode()


def test_every_page_renders_on_an_empty_database(client):
    for url in ["/secties/", "/beslissingen/", "/zoeken/?q=iets", "/over/", "/zoeken/"]:
        assert client.get(url).status_code == 200, url


def test_overview_shows_chapters_with_status_counts_in_words(client):
    chapter = make_chapter_with_sections(3, title="Omgeving", slug="omgeving")
    make_chapter(chapter.agreement, title="Onderwijs", slug="onderwijs")
    html = client.get("/").content.decode()
    assert "Omgeving" in html
    # The bar's numbers are text, not only colour: 2 in progress, 1 achieved.
    assert "In uitvoering: <strong>2</strong>" in html
    assert "Gerealiseerd: <strong>1</strong>" in html
    assert "3 secties · 6 referenties · 6 beslissingen" in " ".join(html.split())
    assert 'style="' not in html


def test_overview_lists_latest_decisions_and_sections_without_decisions(client):
    lonely = make_section(title="Zonder beslissing")
    cited = make_section(lonely.chapter, title="Met beslissing")
    newest = make_decision(title="Nieuwste beslissing", date=date(2024, 5, 1))
    make_citation(cited, decision=newest)
    html = client.get("/").content.decode()
    latest = html.split('id="laatste-titel"')[1].split("</section>")[0]
    uncited = html.split('id="zonder-titel"')[1].split("</section>")[0]
    assert "Nieuwste beslissing" in latest
    assert "Zonder beslissing" in uncited
    assert "Met beslissing" not in uncited


def _overview_queries(client, django_assert_num_queries):
    # 1 the first agreement
    # 2 its chapters with section, citation and decision counts
    # 3 section counts per chapter and status
    # 4 totals for the agreement
    # 5 the latest decisions
    # 6 sections without a cited decision
    with django_assert_num_queries(6):
        assert client.get("/").status_code == 200


def test_overview_query_count_does_not_grow_with_data(client, django_assert_num_queries):
    chapter = make_chapter_with_sections(2)
    _overview_queries(client, django_assert_num_queries)
    make_chapter_with_sections(8, citations_per_section=4, agreement=chapter.agreement)
    _overview_queries(client, django_assert_num_queries)


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
    assert client.get(f"/akkoorden/{chapter.agreement.slug}/nope/").status_code == 404
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
    author = make_user(username="an.peeters")
    make_evaluation(section, status="in_progress", rationale="Eerst.", author=author)
    make_evaluation(section, status="not_assessable", rationale="Geen meetbare resultaten.")
    html = client.get(SEED_URL).content.decode()
    breadcrumb = html.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert "Regeerakkoord 2019-2024" in breadcrumb and "Samenleven" in breadcrumb
    assert "taalmodel" in html.split('class="provenance"')[1].split("</p>")[0]
    status = html.split('class="status-box"')[1].split("</section>")[0]
    assert "Niet te beoordelen" in status and "Geen meetbare resultaten." in status
    history = html.split('class="history"')[1].split("</ol>")[0]
    assert history.index("Niet te beoordelen") < history.index("In uitvoering")
    assert "an.peeters" in history
    pager = html.split('class="pager')[1].split("</nav>")[0]
    assert previous.get_absolute_url() in pager and following.get_absolute_url() in pager


def test_timeline_lists_cited_decisions_by_date(client):
    make_seed_section()
    html = client.get(SEED_URL).content.decode()
    timeline = html.split('class="timeline"')[1].split("</ol>")[0]
    dates = [part.split('"')[0] for part in timeline.split('datetime="')[1:]]
    assert dates == sorted(dates)
    assert len(dates) == 20  # 21 citations, one incomplete, no decision cited twice


def test_summary_markdown_cannot_inject_html(client):
    section = make_section()
    make_summary(section, body="<script>alert(1)</script> [x](javascript:alert(1)) \\[0\\]")
    make_citation(section, number=0)
    html = client.get(section.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;" in html


def _section_queries(client, section, django_assert_num_queries):
    # 1 the section with chapter, agreement, summary and current status
    # 2 its citations with their decisions
    # 3 its evaluations with their authors
    # 4 the previous section, 5 the next section (each with chapter and agreement)
    with django_assert_num_queries(5):
        response = client.get(section.get_absolute_url())
    assert response.status_code == 200


def test_section_page_query_count_does_not_grow_with_citations(client, django_assert_num_queries):
    small = make_section(number="1.1")
    make_summary(small)
    make_citation(small)
    _section_queries(client, small, django_assert_num_queries)
    large = make_seed_section()
    for _ in range(5):
        make_evaluation(large, author=make_user())
    _section_queries(client, large, django_assert_num_queries)


# --- Section list -------------------------------------------------------------


def _list_queries(client, url, django_assert_num_queries):
    # 1 count for the paginator
    # 2 the page of sections with status, counts, chapter and agreement
    # 3 chapter choices, 4 minister choices of the filter form
    with django_assert_num_queries(4):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_section_list_query_count_does_not_grow_with_data(client, django_assert_num_queries):
    chapter = make_chapter_with_sections(2)
    small = _list_queries(client, "/secties/", django_assert_num_queries)
    make_chapter_with_sections(30, citations_per_section=3, agreement=chapter.agreement)
    large = _list_queries(client, "/secties/?status=in_progress", django_assert_num_queries)
    assert small.context["page"].paginator.count == 2
    assert large.context["page"].paginator.count == 16


def test_section_list_filters_by_status_chapter_and_decisions(client):
    first = make_chapter_with_sections(4, title="Eerste", slug="eerste")
    make_section(first, number="9", title="Zonder beslissingen")
    second = make_chapter_with_sections(2, title="Tweede", slug="tweede", agreement=first.agreement)

    def numbers(query):
        page = client.get(f"/secties/?{query}").context["page"]
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
        return [s.title for s in client.get(f"/secties/?{query}").context["page"].object_list]

    assert titles("decided_from=2022-01-01") == ["Laat"]
    assert titles("decided_to=2021-01-01") == ["Vroeg"]
    assert titles(f"minister={minister.pk}") == ["Vroeg"]
    # A section citing two decisions in range is one row, with all its citations counted.
    row = client.get("/secties/?decided_from=2023-01-01").context["page"].object_list[0]
    assert row.citation_count == 2


def test_section_list_sorts_and_paginates_keeping_the_filters(client, settings):
    settings.PAGE_SIZE = 2
    chapter = make_chapter_with_sections(5)
    make_citation(chapter.sections.get(number="3.1"))
    response = client.get("/secties/?status=in_progress&sort=-referenties")
    page = response.context["page"]
    assert [s.number for s in page.object_list] == ["3.1", "1.1"]
    html = response.content.decode()
    assert 'href="?status=in_progress&amp;sort=-referenties&amp;page=2"' in html
    second = client.get("/secties/?status=in_progress&sort=-referenties&page=2")
    assert [s.number for s in second.context["page"].object_list] == ["5.1"]


def test_agreement_page_shows_that_agreement(client):
    make_agreement(title="Regeerakkoord 2024-2029")
    html = client.get(reverse("commitments:agreement", args=["regeerakkoord-2024-2029"])).content
    assert "Regeerakkoord 2024-2029" in html.decode()


def test_about_page_says_where_the_data_comes_from(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        html = client.get("/over/").content.decode()
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
