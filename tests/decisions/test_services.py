"""One decision per normalised title + date, found or created in one place."""

from datetime import date

import pytest
from django.db import connection

from decisions.models import Decision
from decisions.services import (
    CitedDecision,
    decision_get_or_create,
    decision_key,
    decisions_get_or_create,
)
from tests.builders import make_decision

pytestmark = pytest.mark.django_db

DAY = date(2022, 7, 15)


def test_two_spellings_of_one_title_on_one_date_are_one_new_decision():
    found = decisions_get_or_create(
        cited=[
            CitedDecision(title="Plan ‘Vlaamse’ Veerkracht", date=DAY, url="https://a.be/1"),
            CitedDecision(title="plan 'vlaamse'  veerkracht", date=DAY, url="https://a.be/2"),
        ]
    )
    decision = Decision.objects.get()
    assert found.ids == {decision_key("Plan 'Vlaamse' Veerkracht", DAY): decision.pk}
    assert found.created == set(found.ids)
    # The first mention names it and gives its link.
    assert (decision.title, decision.source_url) == ("Plan ‘Vlaamse’ Veerkracht", "https://a.be/1")


def test_the_same_title_on_another_date_is_another_decision():
    found = decisions_get_or_create(
        cited=[
            CitedDecision(title="Wijziging decreet", date=DAY),
            CitedDecision(title="Wijziging decreet", date=date(2022, 12, 2)),
        ]
    )
    assert len(set(found.ids.values())) == Decision.objects.count() == 2


def test_an_existing_decision_is_found_and_only_a_missing_link_is_filled():
    linked = make_decision(title="Met link", date=DAY, source_url="https://eerst.be")
    unlinked = make_decision(title="Zonder link", date=DAY)

    found = decisions_get_or_create(
        cited=[
            CitedDecision(title="met LINK", date=DAY, url="https://later.be/1"),
            CitedDecision(title="zonder link", date=DAY, url="https://later.be/2"),
        ]
    )

    assert found.created == set()
    assert set(found.ids.values()) == {linked.pk, unlinked.pk}
    linked.refresh_from_db()
    unlinked.refresh_from_db()
    assert (linked.source_url, unlinked.source_url) == ("https://eerst.be", "https://later.be/2")


def test_new_decisions_take_a_fixed_number_of_queries(django_assert_num_queries):
    cited = [CitedDecision(title=f"Beslissing {n}", date=DAY) for n in range(50)]
    # 1 existing decisions by title, 2 insert the new ones, 3 read their ids,
    # their search documents: 4 their documents, 5 the decisions, 6 upsert
    # (PostgreSQL: 7 the vectors)
    with django_assert_num_queries(7 if connection.vendor == "postgresql" else 6):
        found = decisions_get_or_create(cited=cited)
    assert len(found.created) == 50


def test_nothing_cited_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert decisions_get_or_create(cited=[]).ids == {}


def test_decision_get_or_create_says_whether_it_created_the_decision():
    first, created = decision_get_or_create(title="Nota X", date=DAY, kind="nota")
    again, created_again = decision_get_or_create(title="nota  x", date=DAY)
    assert (created, created_again) == (True, False)
    assert again == first
    assert (first.kind, first.normalized_title) == ("nota", "nota x")
