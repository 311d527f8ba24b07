from datetime import date

import pytest

from decisions.dates import split_search_date


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("2020-06-26", (date(2020, 6, 26), "")),
        ("26/06/2020", (date(2020, 6, 26), "")),
        ("26-06-2020", (date(2020, 6, 26), "")),
        ("6/7/2021 erkenning", (date(2021, 7, 6), "erkenning")),
        ("erkenning 2020-06-26 vzw", (date(2020, 6, 26), "erkenning vzw")),
        ("plan 2020-2024", (None, "plan 2020-2024")),
        ("31/02/2020", (None, "31/02/2020")),
        ("12026-06-26", (None, "12026-06-26")),
    ],
)
def test_a_typed_date_is_split_from_the_search_words(term, expected):
    assert split_search_date(term) == expected
