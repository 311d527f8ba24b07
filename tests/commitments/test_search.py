"""Search over sections and decisions, on both databases.

The PostgreSQL half of the suite runs the stemming and ranking tests; SQLite
has no Dutch stemmer, so those are skipped there with the reason."""

import pytest
from django.db import connection
from django.urls import reverse

from commitments.search import fold, search
from tests.builders import (
    make_citation,
    make_decision,
    make_document,
    make_section,
    make_seed_section,
    make_summary,
)

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL full-text search (Dutch stemming, ranking, GIN indexes) has no SQLite twin",
)


def _section_keys(results):
    return [(s.chapter.slug, s.number) for s in results.sections]


@pytest.mark.parametrize("query", ["discriminatie", "participatieorganisatie", "Discriminatie"])
def test_seed_words_find_section_1_2_of_samenleven(query):
    make_seed_section()
    make_section(title="Iets anders", text="Over wegen en bruggen.")
    assert _section_keys(search(query)) == [("samenleven", "1.2")]


def test_search_page_shows_highlighted_snippet(client):
    make_seed_section()
    html = client.get(reverse("commitments:search"), {"q": "discriminatie"}).content.decode()
    assert "1.2 Uitsluiting voorkomen, samenleven bevorderen" in html
    assert "<mark>discriminatie</mark>" in html.lower()


def test_accents_do_not_matter():
    make_section(title="Financiën van de lokale besturen", text="")
    assert len(search("financien").sections) == 1
    make_section(title="Financien zonder trema", text="")
    assert len(search("financiën").sections) == 2


def test_search_finds_summaries_decisions_and_documents():
    section = make_section(title="Wonen", text="Betaalbaar wonen.")
    make_summary(section, body="De regering hervormde de woonbonus \\[0\\].")
    decision = make_decision(title="Besluit over huurpremie")
    document = make_document(
        make_decision(title="Andere titel"), body="## Situering\n\nDe kilometerheffing."
    )
    assert [s.pk for s in search("woonbonus").sections] == [section.pk]
    assert [d.pk for d in search("huurpremie").decisions] == [decision.pk]
    assert [d.pk for d in search("kilometerheffing").decisions] == [document.decision.pk]


def test_every_word_of_the_query_must_match():
    make_section(title="Wonen en energie", text="")
    make_section(title="Wonen", text="")
    assert [s.title for s in search("wonen energie").sections] == ["Wonen en energie"]


def test_snippet_escapes_source_text_but_keeps_the_highlight():
    make_decision(
        title="Subsidie", text="<img src=x onerror=alert(1)> subsidie voor <b>scholen</b>"
    )
    snippet = str(search("subsidie").decisions[0].snippet)
    assert "<img" not in snippet and "<b>" not in snippet
    assert "&lt;img" in snippet
    assert "<mark>" in snippet.lower()


def test_hostile_query_is_shown_escaped(client):
    make_seed_section()
    html = client.get(
        reverse("commitments:search"), {"q": '"><img src=x onerror=alert(1)>'}
    ).content.decode()
    assert "<img src=x" not in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def test_empty_query_returns_nothing_and_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert search("   ").total == 0


def test_search_page_query_count_does_not_grow_with_results(client, django_assert_num_queries):
    make_seed_section()

    def run():
        # 1 matching sections (with chapter, agreement, summary), 2 matching decisions
        with django_assert_num_queries(2):
            assert (
                client.get(reverse("commitments:search"), {"q": "discriminatie"}).status_code == 200
            )

    run()
    for number in range(10):
        section = make_section(number=f"9.{number}")
        make_citation(section, decision=make_decision(title=f"Tegen discriminatie {number}"))
    run()


def test_control_characters_in_the_query_are_ignored(client):
    make_seed_section()
    response = client.get(reverse("commitments:search"), {"q": "discrimi\x00natie\x02"})
    assert response.status_code == 200
    assert len(response.context["results"].sections) == 1


def test_fold_removes_accents_and_case():
    assert fold("Financiën Één") == "financien een"


@postgres_only
def test_dutch_stemming_finds_other_word_forms():
    make_section(title="Huisvesting", text="Projecten voor betaalbare woningen.")
    make_section(title="Andere", text="Over wegen.")
    assert [s.title for s in search("woning").sections] == ["Huisvesting"]
    assert [s.title for s in search("project").sections] == ["Huisvesting"]


@postgres_only
def test_results_are_ranked_by_relevance():
    make_section(number="1.1", title="Eenmaal", text="Wonen.")
    make_section(number="1.2", title="Wonen", text="Wonen, wonen en nog eens wonen.")
    assert [s.title for s in search("wonen").sections] == ["Wonen", "Eenmaal"]


@postgres_only
def test_search_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE %s",
            ["%search_gin"],
        )
        indexes = dict(cursor.fetchall())
    assert set(indexes) == {
        "section_search_gin",
        "summary_search_gin",
        "decision_search_gin",
        "document_search_gin",
    }
    assert all("USING gin" in definition for definition in indexes.values())
    assert all("akk_dutch" in definition for definition in indexes.values())


@postgres_only
@pytest.mark.parametrize(
    ("model_path", "vector_name", "index_name"),
    [
        ("commitments.Section", "section_vector", "section_search_gin"),
        ("commitments.Summary", "summary_vector", "summary_search_gin"),
        ("decisions.Decision", "decision_vector", "decision_search_gin"),
        ("decisions.DecisionDocument", "document_vector", "document_search_gin"),
    ],
)
def test_every_search_vector_can_use_its_gin_index(model_path, vector_name, index_name):
    """The migration freezes copies of the vectors; this proves they still match."""
    from django.apps import apps
    from django.contrib.postgres.search import SearchQuery

    from commitments import search as search_module

    model = apps.get_model(model_path)
    query = (
        model.objects.annotate(document=getattr(search_module, vector_name)())
        .filter(document=SearchQuery("wonen", config=search_module.CONFIG))
        .order_by()
        .values("pk")
    )
    # On a tiny table a scan is cheapest; forbid scans to see whether the GIN
    # index matches the query's expression at all.
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off; SET enable_indexscan = off")
        plan = query.explain()
        cursor.execute("RESET enable_seqscan; RESET enable_indexscan")
    assert index_name in plan
