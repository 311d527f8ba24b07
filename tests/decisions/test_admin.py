import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.builders import make_citation, make_decision, make_document, make_minister

pytestmark = pytest.mark.django_db


def _make_decisions(count: int):
    minister = make_minister()
    for _ in range(count):
        decision = make_decision(ministers=[minister, make_minister()])
        make_citation(decision=decision)


def test_decision_changelist_uses_the_same_number_of_queries_for_1_and_50_rows(
    admin_user_client,
):
    url = reverse("admin:decisions_decision_changelist")
    _make_decisions(1)
    with CaptureQueriesContext(connection) as one:
        admin_user_client.get(url)
    _make_decisions(49)
    with CaptureQueriesContext(connection) as fifty:
        response = admin_user_client.get(url)
    assert response.status_code == 200
    assert len(one.captured_queries) == len(fifty.captured_queries)


def test_decision_changelist_query_count(admin_user_client, django_assert_num_queries):
    _make_decisions(50)
    url = reverse("admin:decisions_decision_changelist")
    # 1 session, 2 user, 3 ministers for the "ministers" filter, 4 themes for the
    # "themes" filter, 5 filtered count, 6 full count, 7 the page of decisions with
    # citation counts, 8 their ministers (prefetch), 9 date hierarchy min/max,
    # 10 date hierarchy distinct dates.
    with django_assert_num_queries(10):
        response = admin_user_client.get(url)
    assert "50 beslissingen" in response.text


def test_decision_change_page_shows_its_documents_inline(admin_user_client):
    document = make_document(subject="doelstellingenkader Horizontaal Integratie")
    response = admin_user_client.get(
        reverse("admin:decisions_decision_change", args=[document.decision_id])
    )
    assert response.status_code == 200
    assert "doelstellingenkader Horizontaal Integratie" in response.text


def _autocomplete(client, term: str) -> list[str]:
    """The decision autocomplete of the citation form, as its widget calls it."""
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": term,
            "app_label": "commitments",
            "model_name": "citation",
            "field_name": "decision",
        },
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


@pytest.mark.parametrize("term", ["2020-06-26", "26/06/2020", "26-06-2020", "26.06.2020"])
def test_decision_autocomplete_finds_the_decisions_of_a_typed_date(admin_user_client, term):
    from datetime import date

    make_decision(title="Participatieorganisatie integratie", date=date(2020, 6, 26))
    make_decision(title="Erkenning vzw", date=date(2020, 6, 26))
    make_decision(title="Andere dag", date=date(2020, 6, 27))
    texts = _autocomplete(admin_user_client, term)
    assert sorted(texts) == [
        "Erkenning vzw (2020-06-26)",
        "Participatieorganisatie integratie (2020-06-26)",
    ]


def test_decision_autocomplete_combines_a_date_with_words(admin_user_client):
    from datetime import date

    make_decision(title="Participatieorganisatie integratie", date=date(2020, 6, 26))
    make_decision(title="Erkenning vzw", date=date(2020, 6, 26))
    make_decision(title="Participatieorganisatie integratie", date=date(2020, 5, 8))
    assert _autocomplete(admin_user_client, "26/06/2020 participatie") == [
        "Participatieorganisatie integratie (2020-06-26)"
    ]


def test_decision_autocomplete_still_finds_plain_text_and_ignores_impossible_dates(
    admin_user_client,
):
    make_decision(title="Begroting 2020-2024")
    assert _autocomplete(admin_user_client, "begroting") == ["Begroting 2020-2024 (2022-01-21)"]
    # Not a date (31 February): searched as text, which finds nothing.
    assert _autocomplete(admin_user_client, "31/02/2020") == []
