import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from tests.builders import make_section

UNAVAILABLE = "Tijdelijk niet beschikbaar"


@pytest.fixture
def section_url(db):
    return make_section().get_absolute_url()


@pytest.mark.parametrize(
    "url",
    [
        reverse("commitments:home"),
        reverse("decisions:list"),
        reverse("decisions:detail", args=[1]),
        reverse("commitments:section", args=["ra", "samenleven", "1.2"]),
        "/admin/",
    ],
)
def test_unreachable_database_shows_the_friendly_503_page(client, unreachable_database, url):
    # A session cookie makes the admin look the session up in the database.
    client.cookies["sessionid"] = "een-sessie"
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert f"<h1>{UNAVAILABLE}</h1>" in html
    assert "Traceback" not in html
    assert "OperationalError" not in html
    assert 'lang="nl-be"' in html


def test_unreachable_database_is_logged_for_the_operator(client, unreachable_database, caplog):
    client.get(reverse("decisions:list"))
    ours = [record for record in caplog.records if record.name == "operations.middleware"]
    assert len(ours) == 1
    assert ours[0].levelname == "ERROR"
    # The cause, as the database driver gave it, for the operator.
    prefix = f"Database unavailable for {reverse('decisions:list')}: "
    assert ours[0].getMessage().startswith(prefix)
    assert len(ours[0].getMessage()) > len(prefix)


def test_unreachable_database_page_is_served_under_the_csp(client, unreachable_database):
    response = client.get(reverse("commitments:home"))
    assert response.status_code == 503
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_page_served_before_the_outage_then_503_during_it(client, section_url, request):
    assert client.get(section_url).status_code == 200
    request.getfixturevalue("unreachable_database")
    assert client.get(section_url).status_code == 503


@pytest.mark.django_db
def test_unknown_page_gets_the_dutch_404_page(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "<h1>Pagina niet gevonden</h1>" in response.content.decode()


def test_server_error_page_is_dutch_and_needs_no_database(unreachable_database):
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Er ging iets mis</h1>" in html
    assert reverse("commitments:home") in html
