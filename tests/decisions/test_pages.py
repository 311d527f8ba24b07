"""Decision list and decision page."""

from datetime import date

import pytest
from django.urls import reverse

from decisions.models import Decision
from tests.builders import (
    SEED_DOCUMENT,
    make_citation,
    make_decision,
    make_document,
    make_minister,
    make_section,
    make_seed_section,
    make_theme,
)

pytestmark = pytest.mark.django_db


def _list_queries(client, url, django_assert_num_queries):
    # 1 count for the paginator
    # 2 the ids of the page's decisions (filtered and ordered)
    # 3 those decisions with citation and section counts
    # 4 the ministers of those decisions (prefetch)
    # 5 minister choices, 6 theme choices of the filter form
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_decision_list_query_count_does_not_grow_with_data(client, django_assert_num_queries):
    minister = make_minister()
    make_decision(ministers=[minister])
    _list_queries(client, reverse("decisions:list"), django_assert_num_queries)
    for _ in range(30):
        make_citation(make_section(), decision=make_decision(ministers=[minister, make_minister()]))
    response = _list_queries(client, reverse("decisions:list"), django_assert_num_queries)
    assert response.context["page"].paginator.count == 31


def test_decision_list_filters_by_date_kind_minister_theme_and_text(client):
    somers = make_minister(name="Bart Somers")
    theme = make_theme(label="Gelijke kansen")
    first = make_decision(title="Erkenning participatieorganisatie", date=date(2020, 6, 26),
                          kind="nota", ministers=[somers])  # fmt: skip
    first.themes.add(theme)
    make_decision(title="Digitalisering inburgering", date=date(2021, 9, 17), kind="mededeling")

    def titles(query):
        return [
            d.title
            for d in client.get(reverse("decisions:list") + f"?{query}").context["page"].object_list
        ]

    assert titles("date_from=2021-01-01") == ["Digitalisering inburgering"]
    assert titles("date_to=2020-12-31") == ["Erkenning participatieorganisatie"]
    assert titles("kind=mededeling") == ["Digitalisering inburgering"]
    assert titles(f"minister={somers.pk}") == ["Erkenning participatieorganisatie"]
    assert titles(f"theme={theme.pk}") == ["Erkenning participatieorganisatie"]
    assert titles("q=inburgering") == ["Digitalisering inburgering"]


def test_decision_list_paginates_keeping_filters(client, settings):
    settings.PAGE_SIZE = 2
    for day in range(1, 6):
        make_decision(title=f"Nota {day}", date=date(2022, 1, day), kind="nota")
    html = client.get(reverse("decisions:list") + "?kind=nota").content.decode()
    assert 'href="?kind=nota&amp;page=2"' in html
    page3 = client.get(reverse("decisions:list") + "?kind=nota&page=3").context["page"]
    assert [d.title for d in page3.object_list] == ["Nota 1"]


def _detail_queries(client, decision, django_assert_num_queries):
    # 1 the decision, 2 its ministers, 3 its themes (prefetch)
    # 4 the citations with section, chapter and agreement
    # 5 its documents
    with django_assert_num_queries(5):
        response = client.get(decision.get_absolute_url())
    assert response.status_code == 200
    return response


def test_decision_page_links_back_to_each_citing_section(client, django_assert_num_queries):
    section = make_seed_section()
    decision = section.citations.get(number=3).decision
    other = make_section(number="4.1", title="Andere sectie")
    make_citation(other, number=0, decision=decision)
    html = _detail_queries(client, decision, django_assert_num_queries).content.decode()
    cited = html.split('class="plain-list cited-in"')[1].split("</ul>")[0]
    assert f'href="{section.get_absolute_url()}#ref-3"' in cited
    assert "referentie [3]" in cited
    assert f'href="{other.get_absolute_url()}#ref-0"' in cited


def test_decision_page_query_count_does_not_grow(client, django_assert_num_queries):
    decision = make_decision(ministers=[make_minister()])
    _detail_queries(client, decision, django_assert_num_queries)
    for index in range(10):
        make_citation(make_section(), decision=decision)
        make_document(decision, body=f"Document {index}")
    decision.ministers.add(make_minister(), make_minister())
    decision.themes.add(make_theme(), make_theme())
    _detail_queries(client, decision, django_assert_num_queries)


def test_seed_document_is_readable_with_its_headings(client):
    """Seed 003 as the importer will store it: plain heading lines become markdown headings."""
    decision = make_decision(title="Participatieorganisatie", kind="mededeling")
    body = SEED_DOCUMENT.read_text(encoding="utf-8")
    body = body.replace("\nSituering\n", "\n## Situering\n")
    make_document(decision, body=body, issuer="DE VLAAMSE MINISTER VAN BINNENLANDS BESTUUR")
    html = client.get(decision.get_absolute_url()).content.decode()
    document = html.split('class="document__body"')[1].split("</article>")[0]
    # Under the document's own <h3>: a document's headings never outrank the page's.
    assert "<h4>Situering</h4>" in document
    assert "<p>" in document
    assert "DE VLAAMSE MINISTER VAN BINNENLANDS BESTUUR" in html


def test_decision_text_html_is_sanitised(client):
    decision = make_decision(
        text='<p>Goedgekeurd <a href="javascript:alert(1)">x</a><script>alert(1)</script></p>'
    )
    html = client.get(decision.get_absolute_url()).content.decode()
    text = html.split('class="source-text"')[1].split("</section>")[0]
    assert "<p>Goedgekeurd" in text
    assert "<script" not in text and "javascript:" not in text


def test_unknown_decision_is_404(client):
    assert client.get(reverse("decisions:detail", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_decision_page_shows_the_official_title_when_known(client):
    decision = make_decision(alternative_title="Besluit van de Vlaamse Regering tot wijziging")
    response = client.get(decision.get_absolute_url())
    assert "Officiële titel" in response.text
    assert "Besluit van de Vlaamse Regering tot wijziging" in response.text


DECISION_LIST_VARIANTS = [
    ("", 0),
    ("date_from=2020-01-01", 0),
    ("date_to=2030-01-01", 0),
    ("kind=nota", 0),
    ("minister={minister}", 1),  # the form looks the chosen minister up
    ("theme={theme}", 1),
    ("q=Beslissing", 0),
    ("page=2", 0),
]


@pytest.mark.parametrize(("query", "extra"), DECISION_LIST_VARIANTS)
def test_every_decision_list_filter_and_page_takes_the_same_queries_at_two_sizes(
    client, django_assert_num_queries, settings, query, extra
):
    settings.PAGE_SIZE = 2
    minister, theme = make_minister(), make_theme()

    def add(count):
        for _ in range(count):
            decision = make_decision(kind="nota", ministers=[minister])
            decision.themes.add(theme)
            make_citation(make_section(), decision=decision)

    add(3)
    url = f"{reverse('decisions:list')}?{query.format(minister=minister.pk, theme=theme.pk)}"
    with django_assert_num_queries(6 + extra):
        assert client.get(url).status_code == 200
    add(20)
    with django_assert_num_queries(6 + extra):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 2


def test_decision_list_counts_citations_and_sections_of_the_page_rows(client):
    decision = make_decision(title="Geciteerd")
    section = make_section()
    make_citation(section, decision=decision)
    make_citation(section, decision=decision)
    make_citation(make_section(), decision=decision)
    make_decision(title="Niet geciteerd", date=decision.date.replace(year=2019))
    rows = client.get(reverse("decisions:list")).context["page"].object_list
    assert [(d.title, d.citation_count, d.section_count) for d in rows] == [
        ("Geciteerd", 3, 2),
        ("Niet geciteerd", 0, 0),
    ]


def test_decision_text_filter_is_served_by_the_trigram_indexes_on_postgresql():
    from django.db import connection

    from decisions.filters import filtered_decisions

    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only; SQLite scans the table")
    make_decision(title="Fietspad langs de Schelde")
    ids = filtered_decisions({"q": "fietspad"}).qs.values_list("pk", flat=True)
    # The paginator's count: the query that has to find every match.
    sql, params = ids.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        # A table of one row is scanned whatever the indexes: ask for the plan
        # the planner would take at scale.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "decision_title_trgm" in plan
    assert "decision_text_trgm" in plan
    assert list(ids) == [Decision.objects.get().pk]
