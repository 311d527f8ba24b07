"""The search page: one ranked search over the stored section and decision
documents, on both databases.

Stemming needs PostgreSQL's Dutch dictionary: those tests are skipped on
SQLite with the reason; everything else runs on both."""

import pytest
from django.db import connection
from django.urls import reverse

from commitments import search as search_module
from commitments.models import Status
from commitments.search import PAGE_SIZE, fold, parse_query, search
from tests.builders import (
    make_chapter,
    make_citation,
    make_decision,
    make_document,
    make_evaluation,
    make_section,
    make_seed_section,
    make_summary,
)

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Dutch stemming, ts_rank and GIN indexes are PostgreSQL's; SQLite has no twin",
)


def _sections(results):
    return [(row.chapter.slug, row.number) for row in results.rows if row.result_kind == "section"]


def _titles(results):
    return [row.title for row in results.rows]


def _page(client, **params):
    return client.get(reverse("commitments:search"), params)


# --------------------------------------------------------------------------- finding


@pytest.mark.parametrize("query", ["discriminatie", "participatieorganisatie", "Discriminatie"])
def test_seed_words_find_section_1_2_of_samenleven(query):
    make_seed_section()
    make_section(title="Iets anders", text="Over wegen en bruggen.")
    assert _sections(search(query)) == [("samenleven", "1.2")]


@pytest.mark.parametrize(
    ("split", "joined"),
    [
        ("sensibi-lisering", "sensibilisering"),
        ("netwerkorga-nisatie", "netwerkorganisatie"),
        ("gesubsi-dieerd", "gesubsidieerd"),
    ],
)
def test_a_word_the_pdf_split_is_found_joined(split, joined):
    section = make_seed_section()
    assert split in section.text  # the stored text keeps the PDF's hyphen
    assert _sections(search(joined)) == [("samenleven", "1.2")]


def test_a_quoted_phrase_is_found_across_a_former_line_break():
    make_section(number="1.1", title="Gezin", text="De ouderlijke verantwoorde-lijkheid telt.")
    make_section(number="1.2", title="Anders", text="Verantwoordelijkheid van ouderlijke zorg.")
    results = search('"ouderlijke verantwoordelijkheid"')
    assert _titles(results) == ["Gezin"]


def test_the_exact_phrase_ranks_above_the_same_words_apart():
    # Many hits of both words, but never side by side.
    make_section(
        number="1.1",
        title="Verspreid",
        text="Ouderlijke zorg en verantwoordelijkheid. " * 5
        + "De ouderlijke rol, de verantwoordelijkheid.",
    )
    make_section(number="1.2", title="Letterlijk", text="De ouderlijke verantwoordelijkheid.")
    assert _titles(search("ouderlijke verantwoordelijkheid")) == ["Letterlijk", "Verspreid"]


@postgres_only
def test_the_exact_phrase_ranks_above_a_match_by_stem_only():
    # "ouders" and "ouderlijke" share the stem "ouder": found, but ranked below.
    make_section(
        number="1.1",
        title="Stam",
        text="Ouders en ouderen dragen verantwoordelijkheid, ouders en verantwoordelijkheid. " * 3,
    )
    make_section(number="1.2", title="Letterlijk", text="De ouderlijke verantwoordelijkheid.")
    assert _titles(search("ouderlijke verantwoordelijkheid")) == ["Letterlijk", "Stam"]


def test_accents_do_not_matter():
    make_section(title="Financiën van de lokale besturen", text="")
    assert len(search("financien").rows) == 1
    make_section(title="Financien zonder trema", text="")
    assert len(search("financiën").rows) == 2


def test_search_finds_summaries_conclusions_decisions_and_documents():
    section = make_section(title="Wonen", text="Betaalbaar wonen.")
    make_summary(
        section, body="De regering hervormde de woonbonus \\[0\\].", conclusion="Huurpact."
    )
    decision = make_decision(title="Besluit over huurpremie", alternative_title="Besluit tot X")
    document = make_document(
        make_decision(title="Andere titel"), body="## Situering\n\nDe kilometerheffing."
    )
    assert [r.pk for r in search("woonbonus").rows] == [section.pk]
    assert [r.pk for r in search("huurpact").rows] == [section.pk]
    assert [r.pk for r in search("huurpremie").rows] == [decision.pk]
    assert [r.pk for r in search("kilometerheffing").rows] == [document.decision.pk]


def test_every_word_of_the_query_must_match():
    make_section(title="Wonen en energie", text="")
    make_section(title="Wonen", text="")
    assert _titles(search("wonen energie")) == ["Wonen en energie"]


def test_a_word_with_a_star_finds_words_that_begin_with_it():
    make_section(title="Woonbeleid", text="")
    make_section(title="Wegen", text="")
    assert _titles(search("woon*")) == ["Woonbeleid"]


@postgres_only
def test_dutch_stemming_finds_other_word_forms():
    make_section(title="Huisvesting", text="Projecten voor betaalbare woningen.")
    make_section(title="Andere", text="Over wegen.")
    assert _titles(search("woning")) == ["Huisvesting"]
    assert _titles(search("project")) == ["Huisvesting"]


@postgres_only
def test_a_title_hit_ranks_above_a_text_hit():
    make_section(number="1.1", title="Eenmaal", text="Wonen.")
    make_section(number="1.2", title="Wonen", text="Over iets anders.")
    assert _titles(search("wonen")) == ["Wonen", "Eenmaal"]


# --------------------------------------------------------------------------- snippets


def test_snippet_is_plain_text_without_markdown():
    section = make_section(title="Onderwijs", text="")
    make_summary(
        section,
        body="# Evaluatie\n\n**Conclusie**: de leerkrachten kregen **meer** steun \\[3\\].",
    )
    snippet = str(search("leerkrachten").rows[0].snippet)
    assert "**" not in snippet and "#" not in snippet and "[3]" not in snippet
    assert "<mark>leerkrachten</mark>" in snippet


def test_the_highlight_covers_whole_words():
    make_section(title="Iets", text="De afgele-verd documenten werden afgeleverd.")
    snippet = str(search("afgeleverd").rows[0].snippet)
    assert "<mark>afgeleverd</mark>" in snippet
    assert "afgele<" not in snippet and "-verd" not in snippet


def test_snippet_escapes_source_text_but_keeps_the_highlight():
    make_decision(
        title="Subsidie", text="<img src=x onerror=alert(1)> subsidie voor <b>scholen</b>"
    )
    snippet = str(search("subsidie").rows[0].snippet)
    assert "<img" not in snippet and "<b>" not in snippet
    assert "<mark>subsidie</mark>" in snippet.lower()


def test_results_show_chapter_number_and_current_status(client):
    chapter = make_chapter(title="Welzijn")
    section = make_section(chapter, number="4.2", title="Armoede bestrijden", text="")
    make_evaluation(section, status=Status.IN_PROGRESS, rationale="Bezig")
    html = _page(client, q="armoede").content.decode()
    assert "Welzijn" in html
    assert "4.2 Armoede bestrijden" in html
    assert str(Status.IN_PROGRESS.label) in html


def test_hostile_query_is_shown_escaped(client):
    make_seed_section()
    html = _page(client, q='"><img src=x onerror=alert(1)>').content.decode()
    assert "<img src=x" not in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


# --------------------------------------------------------------------------- any input


@pytest.mark.parametrize(
    "query",
    [
        "-" * 33,
        "-" * 40 + " wonen",
        "wonen " + "-" * 500,
        "!" * 100,
        "& | ! <-> ( ) :* <2> '",
        '"""',
        '"wonen',
        "wonen*" * 50,
        "*",
        ":*",
        "wonen\x00energie",
        "\x00" * 20,
        "🏠 wonen ‮ energie ͏ ِ",
        "a" * 100_000,
        " ".join(["wonen"] * 2000),
        "(((((((((((((((((((((((((((((((((((wonen",
        "wonen & !energie | (x <-> y)",
    ],
)
def test_every_input_answers_200(client, query):
    make_section(title="Wonen en energie", text="Wonen, energie.")
    response = _page(client, q=query)
    assert response.status_code == 200


def test_33_dashes_before_a_word_still_find_the_word(client):
    make_section(title="Wonen", text="")
    response = _page(client, q="-" * 33 + " wonen")
    assert response.status_code == 200
    assert _titles(response.context["results"]) == ["Wonen"]


def test_the_parser_bounds_the_number_of_terms_and_their_length():
    parsed = parse_query(" ".join(f"woord{n}" for n in range(100)) + " " + "x" * 500)
    assert len(parsed.all_words) == search_module.MAX_TERMS
    assert all(len(word) <= search_module.MAX_WORD for word in parsed.all_words)


def test_the_parser_keeps_only_letters_and_digits_as_words():
    parsed = parse_query('wonen-energie "ouderlijke  verantwoordelijkheid" woon* !&|:')
    assert parsed.words == ("wonen", "energie")
    assert parsed.phrases == (("ouderlijke", "verantwoordelijkheid"),)
    assert parsed.prefixes == ("woon",)


def test_control_characters_in_the_query_are_ignored(client):
    make_seed_section()
    response = _page(client, q="discrimi\x00natie\x02")
    assert response.status_code == 200
    assert _sections(response.context["results"]) == [("samenleven", "1.2")]


def test_empty_query_returns_nothing_and_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert search("   ").count == 0
    with django_assert_num_queries(0):
        assert search("-" * 40).count == 0


@postgres_only
def test_a_search_that_runs_too_long_answers_with_a_message(client, monkeypatch):
    make_section(title="Wonen", text="")

    def slow(result, *args):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.2)")
        return result

    monkeypatch.setattr(search_module, "TIMEOUT_MS", 20)
    monkeypatch.setattr(search_module, "_run", slow)
    response = _page(client, q="wonen")
    assert response.status_code == 200
    assert response.context["results"].timed_out
    assert "duurde te lang" in response.content.decode()
    # The transaction is usable again: the timeout was local to the search.
    assert make_section(number="9.9").pk


# --------------------------------------------------------------------------- pages and filters


def _matching_sections(count: int, chapter=None):
    chapter = chapter or make_chapter()
    for number in range(1, count + 1):
        make_section(chapter, number=f"1.{number}", title=f"Wonen {number}", text="")
    return chapter


def test_results_are_paginated_by_50_with_page_links(client):
    _matching_sections(PAGE_SIZE + 10)
    first = _page(client, q="wonen")
    assert len(first.context["results"].rows) == PAGE_SIZE
    html = first.content.decode()
    assert 'rel="next"' in html and "page=2" in html
    second = _page(client, q="wonen", page=2)
    assert len(second.context["results"].rows) == 10
    first_ids = {row.pk for row in first.context["results"].rows}
    assert first_ids.isdisjoint(row.pk for row in second.context["results"].rows)


@pytest.mark.parametrize("page", ["abc", "0", "-3", "99999", "9" * 5000, "2\x00"])
def test_a_page_number_out_of_range_shows_a_page(client, page):
    _matching_sections(3)
    response = _page(client, q="wonen", page=page)
    assert response.status_code == 200
    assert len(response.context["results"].rows) == 3


def test_results_can_be_narrowed_to_a_chapter_and_a_status(client):
    housing = _matching_sections(2, make_chapter(title="Wonen", slug="wonen"))
    other = make_chapter(title="Anders", slug="anders")
    judged = make_section(other, number="2.1", title="Wonen anders", text="")
    make_evaluation(judged, status=Status.ACHIEVED, rationale="Klaar")
    make_decision(title="Wonen in Vlaanderen")

    everything = _page(client, q="wonen").context["results"]
    assert everything.count == 4
    by_chapter = _page(client, q="wonen", chapter=housing.pk).context["results"]
    assert {row.chapter_id for row in by_chapter.rows} == {housing.pk}
    assert by_chapter.count == 2
    by_status = _page(client, q="wonen", status=Status.ACHIEVED).context["results"]
    assert [row.pk for row in by_status.rows] == [judged.pk]


def test_results_can_be_narrowed_to_sections_or_decisions(client):
    make_section(title="Wonen", text="")
    make_decision(title="Wonen in Vlaanderen")
    sections = _page(client, q="wonen", kind="sections").context["results"]
    decisions = _page(client, q="wonen", kind="decisions").context["results"]
    assert [row.result_kind for row in sections.rows] == ["section"]
    assert [row.result_kind for row in decisions.rows] == ["decision"]


def test_an_unknown_filter_value_is_ignored(client):
    make_section(title="Wonen", text="")
    response = _page(client, q="wonen", chapter="x", status="nonsense", kind="\x00")
    assert response.status_code == 200
    assert response.context["results"].count == 1


@pytest.mark.parametrize("kind", ["sections", "decisions"])
def test_search_page_query_count_does_not_grow_with_results(
    client, django_assert_num_queries, kind
):
    make_seed_section()
    # the page of (kind, id, rank) with the hits per kind, the page's rows
    # (sections with chapter, agreement, status and document; or decisions
    # with document), the chapters of the filter form; PostgreSQL adds the
    # savepoint, SET LOCAL statement_timeout and the release. A page holding
    # both kinds costs one query more (sections and decisions).
    expected = 6 if connection.vendor == "postgresql" else 3

    def run():
        with django_assert_num_queries(expected):
            assert _page(client, q="discriminatie", kind=kind).status_code == 200

    run()
    for number in range(60):
        section = make_section(number=f"9.{number}", title=f"Discriminatie {number}")
        make_citation(section, decision=make_decision(title=f"Tegen discriminatie {number}"))
    # 60 more of each kind: two pages now.
    run()


def test_a_page_with_both_kinds_costs_one_query_more(client, django_assert_num_queries):
    make_section(title="Discriminatie", text="")
    make_decision(title="Tegen discriminatie")
    expected = 7 if connection.vendor == "postgresql" else 4  # as above, + the decisions
    with django_assert_num_queries(expected):
        results = _page(client, q="discriminatie").context["results"]
    assert {row.result_kind for row in results.rows} == {"section", "decision"}


def test_the_query_never_computes_a_vector_per_row(django_assert_max_num_queries):
    make_seed_section()
    with django_assert_max_num_queries(10) as captured:
        assert search('discriminatie "ouderlijke verantwoordelijkheid" integ*').count >= 0
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "to_tsvector" not in sql
    assert " OR " not in sql.upper().replace("ORDER", "")


def test_fold_removes_accents_and_case():
    assert fold("Financiën Één") == "financien een"


@postgres_only
@pytest.mark.parametrize(
    ("table", "index"),
    [
        ("commitments_sectionsearchdocument", "section_search_document_gin"),
        ("decisions_decisionsearchdocument", "decision_search_document_gin"),
    ],
)
def test_the_match_uses_the_gin_index_of_each_document_table(table, index):
    from commitments.models import SectionSearchDocument
    from decisions.models import DecisionSearchDocument

    make_seed_section()
    engine = search_module._PostgresSearch(parse_query("discriminatie"))
    model = SectionSearchDocument if table.startswith("commitments") else DecisionSearchDocument
    query = engine.ranked(engine.matching(model.objects.all(), 0, "pk"))
    # On a tiny table a scan is cheapest; forbid scans to see whether the GIN
    # index serves the match at all.
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = query.explain()
        cursor.execute("RESET enable_seqscan")
    assert index in plan


@postgres_only
def test_a_word_in_very_many_decisions_ranks_the_newest_of_them(monkeypatch):
    from datetime import date

    monkeypatch.setattr(search_module._PostgresSearch, "cap", 3)
    for year in range(2019, 2024):
        make_decision(title=f"Begroting {year}", date=date(year, 1, 1))
    results = search("begroting")
    assert results.capped
    assert results.count == 3
    assert sorted(row.title for row in results.rows) == [
        "Begroting 2021",
        "Begroting 2022",
        "Begroting 2023",
    ]


def test_a_snippet_marks_other_forms_of_the_searched_word():
    make_section(title="Iets", text="De regeringen van Vlaanderen.")
    snippet = str(search("regering*").rows[0].snippet)
    assert "<mark>regeringen</mark>" in snippet
