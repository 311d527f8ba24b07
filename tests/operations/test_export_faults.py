"""Exports during a database outage: the 503 page, never a 200 with a header
line or a lone "[" (issue 10 point 4)."""

import pytest
from django.urls import reverse

EXPORTS = [
    ("commitments:section-export", "csv"),
    ("commitments:section-export", "json"),
    ("decisions:export", "csv"),
    ("decisions:export", "json"),
]


@pytest.mark.parametrize(("url_name", "fmt"), EXPORTS)
def test_export_during_an_outage_is_the_503_page_not_a_truncated_file(
    client, unreachable_database, url_name, fmt
):
    response = client.get(reverse(url_name, args=[fmt]))
    assert response.status_code == 503
    assert not response.streaming
    assert "Content-Disposition" not in response
    assert "<h1>Tijdelijk niet beschikbaar</h1>" in response.content.decode()
