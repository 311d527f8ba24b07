import pytest
from django.db import OperationalError
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_answers_without_a_database_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):  # no queries: liveness must not depend on the database
        response = client.get(reverse("operations:healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_stays_up_when_the_database_is_unreachable(client, unreachable_database):
    with pytest.raises(OperationalError):
        unreachable_database.ensure_connection()
    assert client.get(reverse("operations:healthz")).status_code == 200


@pytest.mark.django_db
def test_readyz_is_ok_when_the_database_answers(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        response = client.get(reverse("operations:readyz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_readyz_is_503_when_the_database_is_unreachable(client, unreachable_database):
    response = client.get(reverse("operations:readyz"))
    assert response.status_code == 503
    assert response.content == b"database unreachable\n"


@pytest.mark.django_db
def test_health_endpoints_answer_plain_http_when_https_is_enforced(client, settings):
    """Load balancers probe over http inside the network; a redirect would fail them."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("operations:healthz")).status_code == 200
    assert client.get(reverse("operations:readyz")).status_code == 200
    assert client.get("/").status_code == 301
