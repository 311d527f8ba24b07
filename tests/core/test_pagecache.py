"""Anonymous public pages from the cache: fresh after every write, 304 on
revalidation, shareable by a proxy (no cookie), never for a logged-in editor."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from commitments.services import evaluation_create
from tests.builders import make_seed_section, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache():
    # The suite runs with the page cache off (tests/conftest.py); these tests are about it.
    with override_settings(PAGE_CACHE=True, EVALUATION_REVIEW=False):
        yield


@pytest.fixture
def section(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_seed_section()


def test_a_repeated_anonymous_page_is_served_without_rendering(
    client, section, django_assert_num_queries
):
    url = section.get_absolute_url()
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    # 1 the content version (local-memory cache: the row; with Redis: no query at all)
    with django_assert_num_queries(1):
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "script-src 'self'" in second["Content-Security-Policy"]


def test_a_published_evaluation_shows_on_the_next_request(
    client, section, django_capture_on_commit_callbacks
):
    url = section.get_absolute_url()
    before = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_create(
            section=section, status="achieved", rationale="Volledig gerealiseerd in 2023."
        )
    after = client.get(url)
    assert after["X-Page-Cache"] == "miss"
    assert "Volledig gerealiseerd in 2023." in after.content.decode()
    assert after["ETag"] != before["ETag"]
    # Every other page of the site is new as well: the overview counts statuses.
    assert client.get(reverse("commitments:home"))["X-Page-Cache"] == "miss"


def test_an_unchanged_page_answers_304_to_its_etag(client, section, django_assert_num_queries):
    url = section.get_absolute_url()
    etag = client.get(url)["ETag"]
    # 1 the content version
    with django_assert_num_queries(1):
        response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_an_anonymous_page_sets_no_cookie_and_may_be_shared(client, section):
    for url in [
        reverse("commitments:home"),
        reverse("commitments:section-list"),
        section.get_absolute_url(),
        reverse("decisions:list"),
        reverse("feed-status"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, url
        assert "Cookie" not in response.get("Vary", ""), url
        assert "public" in response["Cache-Control"], url
        assert f"max-age={settings.PAGE_MAX_AGE}" in response["Cache-Control"], url
        assert response["Last-Modified"], url


def test_a_logged_in_editor_gets_a_private_uncached_page(client, section):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    url = section.get_absolute_url()
    client.get(url)
    response = client.get(url)
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "ETag" not in response


def test_search_results_and_the_admin_are_never_cached(client, section):
    for url in [reverse("commitments:search") + "?q=discriminatie", reverse("admin:login")]:
        client.get(url)
        response = client.get(url)
        assert "X-Page-Cache" not in response, url
        assert "public" not in response.get("Cache-Control", ""), url


def test_the_page_cache_can_be_turned_off(client, section):
    with override_settings(PAGE_CACHE=False):
        client.get(section.get_absolute_url())
        assert "X-Page-Cache" not in client.get(section.get_absolute_url())


def test_if_modified_since_alone_never_confirms_a_page(client, section):
    """Two versions can share a second; only the ETag can tell them apart."""
    url = section.get_absolute_url()
    last_modified = client.get(url)["Last-Modified"]
    response = client.get(url, headers={"If-Modified-Since": last_modified})
    assert response.status_code == 200
