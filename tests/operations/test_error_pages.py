"""The error pages: Dutch by default, English when chosen, in the site's look,
and the 500 page without the request, a session or the database."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from operations.middleware import database_unavailable_response
from tests import builders

pytestmark = pytest.mark.django_db

HEADINGS = {
    400: ("Ongeldige aanvraag", "Bad request"),
    403: ("Geen toegang", "Access denied"),
    404: ("Pagina niet gevonden", "Page not found"),
    "csrf": ("Formulier verlopen", "Form expired"),
    500: ("Er ging iets mis", "Something went wrong"),
    503: ("Tijdelijk niet beschikbaar", "Temporarily unavailable"),
}


def _client(language: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    if language == "en":
        client.cookies["django_language"] = "en"
    return client


def _bad_request(client):
    # A Host header that is not in ALLOWED_HOSTS: Django answers 400.
    return client.get("/", headers={"host": "aanvaller.example"})


def _forbidden(client):
    # Staff without the permission to add sections: the admin raises PermissionDenied.
    user = builders.make_user(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_section"))
    client.force_login(user)
    return client.get("/admin/commitments/section/add/")


def _not_found(client):
    return client.get("/bestaat-niet/")


def _csrf_failure(client):
    return client.post("/i18n/setlang/", {"language": "nl-be", "next": "/"})


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    ("key", "status", "trigger"),
    [
        (400, 400, _bad_request),
        (403, 403, _forbidden),
        (404, 404, _not_found),
        ("csrf", 403, _csrf_failure),
    ],
    ids=["400", "403", "404", "csrf"],
)
def test_error_page_is_in_the_visitors_language_and_the_sites_look(language, key, status, trigger):
    response = trigger(_client(language))
    assert response.status_code == status
    html = response.content.decode()
    heading = HEADINGS[key][language == "en"]
    assert f"<h1>{heading}</h1>" in html
    assert 'class="site-header"' in html
    assert "/static/css/site.css" in html
    # Django's own English, technical pages are gone.
    assert "Bad Request (400)" not in html
    assert "CSRF verification failed" not in html
    assert "<h1>403 Forbidden</h1>" not in html


@pytest.mark.parametrize("language", ["nl-be", "en"])
@pytest.mark.parametrize("status", [500, 503])
def test_server_error_pages_need_no_request_and_follow_the_active_language(
    django_assert_num_queries, language, status
):
    with translation.override(language), django_assert_num_queries(0):
        if status == 500:
            response = server_error(RequestFactory().get("/"))
        else:
            response = database_unavailable_response()
    html = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{HEADINGS[status][language == 'en']}</h1>" in html
    assert f'lang="{language}"' in html
    assert 'class="site-header"' in html


def test_server_error_page_does_not_run_context_processors(settings, client):
    """A context processor that fails (it may need the database) cannot take the
    500 page down with it."""
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                "context_processors": [
                    *settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
                    "tests.operations.test_error_pages.failing_context_processor",
                ]
            },
        }
    ]
    with translation.override("nl-be"):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "<h1>Er ging iets mis</h1>" in response.content.decode()


def failing_context_processor(request):
    raise RuntimeError("context processor down")
