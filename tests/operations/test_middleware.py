"""operations/middleware.py: NUL bytes, per-address rate limits, and slow
queries cut off by the web statement timeout."""

import copy
import logging
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests import builders

# --- NUL bytes ----------------------------------------------------------------


@pytest.fixture
def seed_section(db):
    return builders.make_seed_section()


# The section page's address without its last parts, e.g. "/nl/akkoorden/".
SEED = reverse("commitments:section", args=["regeerakkoord-2019-2024", "samenleven", "1.2"])
SEED = SEED.removesuffix("regeerakkoord-2019-2024/samenleven/1.2/")


@pytest.mark.parametrize(
    "url",
    [
        SEED + "regeerakkoord-2019-2024/samenleven/1.2%00/",
        SEED + "regeerakkoord-2019-2024/samenleven%00/",
        SEED + "regeerakkoord-2019-2024%00/",
        reverse("decisions:list") + "1%00/",
        "/beslissingen/1%00/",  # an old address (redirected) with a NUL
        "/%00",
    ],
)
def test_nul_byte_in_the_path_is_a_dutch_404(client, seed_section, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "<h1>Pagina niet gevonden</h1>" in response.content.decode()


AUTOCOMPLETE = "/admin/autocomplete/?app_label=commitments&model_name=citation"


@pytest.mark.parametrize(
    "url",
    [
        f"{AUTOCOMPLETE}&field_name=decision&term=%00",
        f"{AUTOCOMPLETE}&field_name=section&term=a%00b",
        f"{AUTOCOMPLETE}&field_name=section&term=a&page=%00",
        "/admin/decisions/decision/?kind=%00",
        "/admin/decisions/decision/?q=%00",
        "/admin/commitments/section/?chapter__id__exact=%00",
        reverse("commitments:section-list") + "?q=%00",
        reverse("commitments:section-list") + "?chapter=%00&status=%00&minister=%00",
        reverse("commitments:section-list") + "?decided_from=%00",
        reverse("commitments:section-list") + "?sort=%00",
        reverse("commitments:section-list") + "?page=%00",
        reverse("commitments:section-export", args=["csv"]) + "?q=%00",
        reverse("decisions:list") + "?q=%00&kind=%00&theme=%00",
        reverse("decisions:list") + "?page=%00",
        reverse("decisions:export", args=["json"]) + "?minister=%00",
        reverse("commitments:search") + "?q=%00",
        reverse("commitments:search") + "?q%00=x",
        reverse("feed-decisions") + "?q=%00",
    ],
)
def test_nul_byte_in_a_parameter_is_dropped_never_a_500(admin_client, seed_section, url):
    response = admin_client.get(url)
    assert response.status_code == 200


def test_nul_bytes_are_dropped_from_parameters_not_the_rest(admin_client, seed_section):
    response = admin_client.get(
        reverse("commitments:section-list") + "?q=discri%00minatie&page=%001"
    )
    assert response.status_code == 200
    page = response.context["page"]
    assert [section.number for section in page] == ["1.2"]
    assert response.wsgi_request.GET["q"] == "discriminatie"


def test_autocomplete_with_only_a_nul_byte_is_an_empty_term(admin_client, seed_section):
    response = admin_client.get(f"{AUTOCOMPLETE}&field_name=section&term=%00")
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == [str(seed_section)]


def test_pages_without_nul_are_untouched(client, seed_section):
    assert client.get(seed_section.get_absolute_url()).status_code == 200
    assert (
        client.get(reverse("commitments:section-list") + "?q=discriminatie&page=1").status_code
        == 200
    )


# --- rate limits ----------------------------------------------------------------


@pytest.fixture
def rate_limit(settings):
    settings.RATE_LIMIT = 3
    settings.RATE_LIMIT_WINDOW = 60
    cache.clear()
    yield settings
    cache.clear()


def _from(address: str) -> Client:
    """A visitor at `address`, as our reverse proxy (127.0.0.1) reports it."""
    return Client(headers={"X-Forwarded-For": address})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        reverse("commitments:search") + "?q=school",
        reverse("commitments:section-export", args=["csv"]),
        reverse("decisions:export", args=["json"]),
    ],
)
def test_fourth_expensive_request_in_a_minute_gets_a_dutch_429(rate_limit, url):
    visitor = _from("203.0.113.7")
    assert [visitor.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = visitor.get(url)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    html = response.content.decode()
    assert "<h1>Te veel aanvragen</h1>" in html
    assert f"Probeer het over {response['Retry-After']} seconde" in html


@pytest.mark.django_db
def test_rate_limit_is_per_client_address_and_per_endpoint(rate_limit):
    greedy, other = _from("203.0.113.7"), _from("203.0.113.8")
    for _ in range(4):
        greedy.get(reverse("commitments:search") + "?q=school")
    assert greedy.get(reverse("commitments:search") + "?q=school").status_code == 429
    # Another visitor, another endpoint and ordinary pages are not affected.
    assert other.get(reverse("commitments:search") + "?q=school").status_code == 200
    assert greedy.get(reverse("decisions:export", args=["csv"])).status_code == 200
    assert all(greedy.get(reverse("decisions:list")).status_code == 200 for _ in range(5))


@pytest.mark.django_db
def test_forged_forwarded_for_does_not_escape_the_rate_limit(rate_limit):
    """A client reaching gunicorn directly cannot pose as many visitors."""
    statuses = [
        Client(REMOTE_ADDR="198.51.100.23", headers={"X-Forwarded-For": f"203.0.113.{n}"})
        .get(reverse("commitments:search") + "?q=school")
        .status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


@pytest.mark.django_db
def test_rate_limit_zero_turns_it_off(rate_limit):
    rate_limit.RATE_LIMIT = 0
    visitor = _from("203.0.113.7")
    assert {
        visitor.get(reverse("commitments:search") + "?q=school").status_code for _ in range(6)
    } == {200}


@pytest.mark.django_db
def test_new_window_allows_requests_again(rate_limit, monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr("operations.ratelimit.time.time", lambda: clock[0])
    visitor = _from("203.0.113.7")
    assert [visitor.get(reverse("commitments:search") + "?q=a").status_code for _ in range(4)] == [
        200,
        200,
        200,
        429,
    ]
    clock[0] += 60
    assert visitor.get(reverse("commitments:search") + "?q=a").status_code == 200


# --- the web statement timeout, for real ------------------------------------------


@pytest.fixture
def web_limits(settings, transactional_db):
    """This process as a web server (what config/wsgi.py does) with a 200 ms
    statement timeout, on a fresh connection; the test's own settings after."""
    from operations.database import limit_web_queries

    saved = copy.deepcopy(settings.DATABASES)
    settings.DB_STATEMENT_TIMEOUT_MS = 200
    connection.close()
    limit_web_queries()
    yield
    connection.close()
    for alias, database in saved.items():
        settings.DATABASES[alias].clear()
        settings.DATABASES[alias].update(database)


@pytest.mark.postgres_only
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="statement_timeout is PostgreSQL's; SQLite has no server to cancel a query",
)
@pytest.mark.urls("tests.operations.slow_urls")
def test_slow_query_is_cancelled_and_answered_with_the_503_page(web_limits, client, caplog):
    started = time.monotonic()
    response = client.get("/traag/")
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "<h1>Tijdelijk niet beschikbaar</h1>" in response.content.decode()
    # Far below the ten seconds of pg_sleep, with room for a busy machine.
    assert elapsed < 6, "pg_sleep(10) ran to the end: no statement timeout"
    ours = [r for r in caplog.records if r.name == "operations.middleware"]
    assert [r.levelno for r in ours] == [logging.ERROR]
    assert ours[0].getMessage().startswith("Slow query cancelled for /traag/: ")
    # The worker is free and the next request is served normally.
    assert client.get(reverse("commitments:home")).status_code == 200
