from datetime import date

import pytest
from django.db import IntegrityError

from decisions.models import Decision, normalize_title
from tests.builders import make_decision, make_document

pytestmark = pytest.mark.django_db


def test_normalize_title_folds_quotes_spacing_and_case():
    assert normalize_title("Oproep  ‘Lokaal Activeringspact’ ") == normalize_title(
        "oproep 'lokaal activeringspact'"
    )


def test_normalize_title_keeps_accents():
    assert normalize_title("Subsidiëring") != normalize_title("Subsidiering")


def test_one_decision_per_normalised_title_and_date():
    make_decision(title="Erkenning participatieorganisatie", date=date(2021, 11, 26))
    with pytest.raises(IntegrityError):
        make_decision(title="erkenning  participatieorganisatie", date=date(2021, 11, 26))


def test_same_title_on_another_date_is_another_decision():
    title = "Plan Vlaamse Veerkracht: Digitalisering integratie en inburgering"
    make_decision(title=title, date=date(2022, 11, 18))
    make_decision(title=title, date=date(2021, 9, 17))
    assert Decision.objects.filter(title=title).count() == 2


def test_external_id_is_unique_when_given_but_may_be_empty_for_many():
    make_decision(external_id="")
    make_decision(external_id="")
    make_decision(external_id="abc")
    with pytest.raises(IntegrityError):
        make_decision(external_id="abc")


def test_in_period_keeps_decisions_between_the_dates():
    inside = make_decision(date=date(2021, 5, 7))
    make_decision(date=date(2019, 1, 1))
    assert list(Decision.objects.in_period(date(2020, 1, 1), date(2021, 12, 31))) == [inside]


def test_document_links_to_its_place_on_the_decision_page():
    document = make_document()
    assert document.get_absolute_url() == (
        f"{document.decision.get_absolute_url()}#document-{document.pk}"
    )
