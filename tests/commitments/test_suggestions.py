"""Suggestions both ways (commitments/suggestions.py), on both databases: the
suite's SQLite run exercises the Python ranking, its PostgreSQL run the
full-text one (same tests, same expectations)."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection

from commitments import suggestions
from commitments.importers import import_analyses
from commitments.models import Section
from commitments.suggestions import (
    _index_statistics,
    stem,
    suggest_decisions,
    suggest_sections,
    suggest_sections_for_decisions,
    tokens,
)
from decisions.models import Decision, DecisionSearchDocument
from tests.builders import (
    make_chapter,
    make_citation,
    make_decision,
    make_document,
    make_section,
    make_summary,
    require_corpus_sample,
)

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"
TABLE = DecisionSearchDocument._meta.db_table


def _three_sections():
    chapter = make_chapter(title="Omgeving", slug="omgeving")
    water = make_section(
        chapter,
        number="1.1",
        title="Waterbeleid en droogte",
        text="We pakken de droogte aan met een waterbeleid: grondwater aanvullen, "
        "beken herstellen en regenwater opvangen in elke gemeente.",
    )
    make_summary(water, body="De regering keurde een droogteplan goed voor het grondwater.")
    schools = make_section(
        chapter,
        number="1.2",
        title="Basisonderwijs",
        text="Elke leerling in het basisonderwijs leert lezen en rekenen; leraren krijgen "
        "meer ondersteuning in de klas.",
    )
    make_summary(schools, body="Er kwam een leesplan voor leerlingen en hun leraren.")
    animals = make_section(
        chapter,
        number="1.3",
        title="Dierenwelzijn",
        text="Het welzijn van dieren staat centraal: strengere controles bij fokkers en "
        "een verbod op onverdoofd slachten.",
    )
    make_summary(animals, body="Het slachten zonder verdoving werd verboden.")
    return {"water": water, "schools": schools, "animals": animals}


def test_stemmer_lite_brings_dutch_plurals_and_inflections_together():
    assert stem("kansen") == stem("kans")
    assert stem("beleidsplannen") == stem("beleidsplan")
    assert stem("gelijke") == stem("gelijk")
    assert stem("mogelijkheden") == stem("mogelijkheid")
    assert stem("subsidies") == stem("subsidie")


def test_tokens_fold_accents_drop_function_words_and_keep_a_line_broken_word():
    words = tokens("De Financiën van de gesubsi-dieerd organisaties")
    assert stem("financien") in words
    assert "de" not in words and "van" not in words
    # The PDF's line break gives the joined word as well as its two halves.
    assert stem("gesubsidieerd") in words


def test_a_decision_is_suggested_the_section_about_its_subject_first():
    sections = _three_sections()
    decision = make_decision(title="Droogteplan: maatregelen voor het grondwater en de beken")
    assert suggest_sections(decision)[0] == sections["water"]
    decision = make_decision(title="Leesplan voor leerlingen van het basisonderwijs")
    assert suggest_sections(decision)[0] == sections["schools"]


def test_a_document_makes_a_decision_findable_even_when_its_title_says_little():
    sections = _three_sections()
    decision = make_decision(title="Mededeling aan de regering")
    make_document(
        decision,
        subject="Conceptnota",
        body="Strengere controles bij fokkers en een verbod op onverdoofd slachten van dieren.",
    )
    assert suggest_sections(decision)[0] == sections["animals"]


def test_suggest_sections_leaves_out_the_sections_that_cite_the_decision():
    sections = _three_sections()
    decision = make_decision(title="Droogteplan voor het grondwater")
    make_citation(sections["water"], decision=decision)
    assert sections["water"] not in suggest_sections(decision)


def test_suggest_decisions_ranks_the_decision_on_the_sections_subject_first():
    sections = _three_sections()
    droogte = make_decision(title="Droogteplan: regenwater opvangen en beken herstellen")
    make_decision(title="Leesplan voor het basisonderwijs")
    make_decision(title="Verbod op onverdoofd slachten")
    assert suggest_decisions(sections["water"])[0] == droogte


def test_suggest_decisions_leaves_out_the_decisions_the_section_cites():
    sections = _three_sections()
    cited = make_decision(title="Droogteplan voor het grondwater")
    other = make_decision(title="Grondwater aanvullen in elke gemeente")
    make_citation(sections["water"], decision=cited)
    suggested = suggest_decisions(sections["water"])
    assert cited not in suggested
    assert other in suggested


def test_nothing_in_common_suggests_nothing():
    _three_sections()
    decision = make_decision(title="Xylofoon")
    assert suggest_sections(decision) == []


def test_suggest_sections_query_count_does_not_grow_with_the_sections(
    django_assert_num_queries,
):
    sections = _three_sections()
    chapter = make_chapter()
    for index in range(30):
        make_section(chapter, number=f"2.{index + 1}", title=f"Sectie over onderwerp {index}")
    decision = make_decision(title="Droogteplan voor het grondwater")
    make_document(decision, body="Regenwater opvangen.")
    # 1 the decision's search document, 2 the sections citing it;
    # PostgreSQL: 3 the lexemes of the document's text, 4 the vector
    # column's statistics, 5 the other terms' document frequencies (one
    # statement), 6 the ranking; SQLite: 3 every section's search document;
    # then the suggested sections with chapter and agreement.
    with django_assert_num_queries(7 if POSTGRES else 4):
        suggested = suggest_sections(decision)
    assert suggested[0] == sections["water"]


def test_suggest_decisions_query_count_does_not_grow_with_the_decisions(
    django_assert_num_queries,
):
    sections = _three_sections()
    for index in range(30):
        make_document(make_decision(title=f"Beslissing over onderwerp {index}"))
    make_citation(
        sections["water"], decision=make_decision(title="Droogteplan voor het grondwater")
    )
    droogte = make_decision(title="Regenwater opvangen in elke gemeente")
    # 1 the section's search document, 2 the decisions it cites;
    # PostgreSQL: 3 the lexemes, 4 the vector column's statistics, 5 the
    # other terms' document frequencies, 6 the ranking; SQLite: 3 every
    # decision's search document; then the suggested decisions.
    with django_assert_num_queries(7 if POSTGRES else 4):
        suggested = suggest_decisions(sections["water"])
    assert suggested[0] == droogte


def test_triage_suggestions_for_a_list_cost_four_queries_however_long_the_list(
    django_assert_num_queries,
):
    sections = _three_sections()
    decisions = [
        make_decision(title=f"Droogteplan nummer {n} voor het grondwater") for n in range(20)
    ]
    decisions.append(make_decision(title="Leesplan voor leerlingen"))
    make_citation(sections["water"], decision=decisions[0])
    # 1 the decisions' search documents, 2 their citations, 3 every section's
    # search document, 4 the suggested sections with chapter and agreement.
    with django_assert_num_queries(4):
        suggested = suggest_sections_for_decisions(decisions, limit=3)
    assert suggested[decisions[1].pk][0] == sections["water"]
    assert sections["water"] not in suggested[decisions[0].pk]
    assert suggested[decisions[-1].pk][0] == sections["schools"]
    assert all(len(sections) <= 3 for sections in suggested.values())


@pytest.mark.skipif(not POSTGRES, reason="the planner's statistics are PostgreSQL's")
def test_after_analyze_common_terms_come_from_the_planners_statistics_same_ranking(
    monkeypatch,
):
    """Before the first ANALYZE every term is counted through the index; after
    it, in a large table, the common ones come from pg_stats, and the
    suggestions stay the same. (Large here: 41 decisions.)"""
    monkeypatch.setattr(suggestions, "STATISTICS_FROM", 10)
    sections = _three_sections()
    for index in range(40):
        make_decision(title=f"Grondwater en gemeente, beslissing {index}")
    target = make_decision(title="Droogteplan: regenwater opvangen en beken herstellen")
    before = suggest_decisions(sections["water"], limit=3)
    with connection.cursor() as cursor:
        assert _index_statistics(cursor, TABLE) == ({}, None)
        cursor.execute(f"ANALYZE {TABLE}")
        estimated, rows = _index_statistics(cursor, TABLE)
    assert rows == 41
    assert estimated["grondwater"] == pytest.approx(40, abs=1)
    after = suggest_decisions(sections["water"], limit=3)
    assert after[0] == before[0] == target


def test_seed_003_document_on_its_decision_puts_samenleven_1_2_in_the_top_3():
    """Seed 003 (the goals of the Horizontal Integration and Equal Opportunities
    plan) is cited by no section: among the corpus sample's 13 sections, its
    document must point to Samenleven 1.2."""
    import_analyses([require_corpus_sample()])
    call_command("load_seed", verbosity=0)
    decision = Decision.objects.get(
        title="Doelstellingenkader Horizontaal Integratie- en Gelijke kansenbeleidsplan 2020-2024",
        date=date(2020, 4, 24),
    )
    assert decision.documents.exists()
    assert Section.objects.count() == 13
    target = Section.objects.get(chapter__title="Samenleven", number="1.2")
    assert target in suggest_sections(decision, limit=3)
