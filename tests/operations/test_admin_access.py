"""Who gets into the back office: lockout, passwords, accounts, anonymous
writes and CSRF."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests import builders

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord-2024"
LOGIN_URL = reverse("admin:login")


def _login(client, username, password, **headers):
    return client.post(
        LOGIN_URL, {"username": username, "password": password, "next": "/admin/"}, **headers
    )


def _is_logged_in(client) -> bool:
    return client.get(reverse("admin:index")).status_code == 200


# --- brute-force lockout -------------------------------------------------


def test_fifth_wrong_password_locks_the_username_even_for_the_right_password(client):
    builders.make_user(username="redacteur", is_staff=True)
    for _ in range(4):
        assert _login(client, "redacteur", "fout-wachtwoord").status_code == 200
    response = _login(client, "redacteur", "fout-wachtwoord")
    assert response.status_code == 429
    assert "Aanmelden tijdelijk geblokkeerd" in response.content.decode()
    response = _login(client, "redacteur", PASSWORD)
    assert response.status_code == 429
    assert not _is_logged_in(client)


def test_lockout_is_per_address_so_the_same_username_elsewhere_still_logs_in(client):
    builders.make_user(username="redacteur", is_staff=True)
    for _ in range(5):
        _login(client, "redacteur", "fout-wachtwoord")
    assert _login(client, "redacteur", PASSWORD).status_code == 429
    # Same username from another address (as the proxy reports it): not locked.
    other = Client()
    response = _login(other, "redacteur", PASSWORD, headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.status_code == 302


def test_rotating_usernames_from_one_address_is_locked_out(client):
    """20 usernames x 4 attempts from one address never locked per username + address."""
    builders.make_user(username="collega", is_staff=True)
    statuses = [
        _login(client, f"gebruiker{number}", "fout-wachtwoord").status_code
        for number in range(20)
        for _ in range(4)
    ]
    assert statuses[:4] == [200] * 4
    assert set(statuses[5:]) == {429}
    # Even a real account with its right password, from that address.
    assert _login(client, "collega", PASSWORD).status_code == 429


def test_forged_forwarded_for_from_a_client_that_is_not_our_proxy_is_ignored():
    """With gunicorn reachable directly, rotating X-Forwarded-For gave 30 failures
    without lockout: the header only counts when our own proxy sent it."""
    builders.make_user(username="redacteur", is_staff=True)
    direct = Client(REMOTE_ADDR="198.51.100.23")
    statuses = [
        _login(
            direct,
            "redacteur",
            "fout-wachtwoord",
            headers={"X-Forwarded-For": f"203.0.113.{attempt}"},
        ).status_code
        for attempt in range(30)
    ]
    assert statuses[:4] == [200] * 4
    assert set(statuses[5:]) == {429}
    assert AccessAttempt.objects.get().ip_address == "198.51.100.23"


def test_admin_session_lasts_a_working_day(client):
    builders.make_user(username="redacteur", is_staff=True)
    response = _login(client, "redacteur", PASSWORD)
    assert response.status_code == 302
    assert response.cookies["sessionid"]["max-age"] == 8 * 60 * 60


def test_lockout_follows_the_address_the_proxy_appended_not_the_one_a_client_forged(client):
    builders.make_user(username="redacteur", is_staff=True)
    for attempt in range(5):
        # An attacker varies the left part of the header; the proxy appends the real peer.
        forged = f"198.51.100.{attempt}, 203.0.113.7"
        _login(client, "redacteur", "fout-wachtwoord", headers={"X-Forwarded-For": forged})
    response = _login(client, "redacteur", PASSWORD, headers={"X-Forwarded-For": "203.0.113.7"})
    assert response.status_code == 429


def test_correct_password_resets_the_failure_count(client):
    builders.make_user(username="redacteur", is_staff=True)
    for _ in range(4):
        _login(client, "redacteur", "fout-wachtwoord")
    assert _login(client, "redacteur", PASSWORD).status_code == 302
    client.post(reverse("admin:logout"))
    for _ in range(4):
        _login(client, "redacteur", "fout-wachtwoord")
    assert _login(client, "redacteur", PASSWORD).status_code == 302


def test_axes_reset_username_unlocks_a_locked_out_editor(client):
    builders.make_user(username="redacteur", is_staff=True)
    for _ in range(5):
        _login(client, "redacteur", "fout-wachtwoord")
    assert _login(client, "redacteur", PASSWORD).status_code == 429
    call_command("axes_reset_username", "redacteur")
    assert _login(client, "redacteur", PASSWORD).status_code == 302
    assert _is_logged_in(client)


# --- passwords and accounts ----------------------------------------------


def test_a_twelve_character_password_is_accepted():
    validate_password("Vlaams-Akk24", get_user_model()(username="redacteur"))


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Vlaams-Akk2", "password_too_short"),  # 11 characters
        ("123456789012345", "password_entirely_numeric"),
        ("qwerty123456", "password_too_common"),
        ("redacteur-vlaanderen", "password_too_similar"),
    ],
)
def test_weak_passwords_are_refused(password, code):
    user = get_user_model()(username="redacteur-vlaanderen")
    with pytest.raises(ValidationError) as error:
        validate_password(password, user)
    assert code in {item.code for item in error.value.error_list}


def test_a_freshly_migrated_database_has_no_accounts():
    """No migration or fixture creates a default (admin) account; the only
    groups are the two editorial roles (commitments/0007_roles), with nobody in them."""
    assert get_user_model().objects.count() == 0
    assert set(Group.objects.values_list("name", flat=True)) == {"Redacteur", "Eindredacteur"}
    assert not Group.objects.filter(user__isnull=False).exists()


# --- anonymous users cannot write ------------------------------------------


def _registered_object(model):
    """One saved row of every model the admin can edit."""
    makers = {
        "auth.Group": lambda: Group.objects.create(name="Redactie"),
        "auth.User": lambda: builders.make_user(),
        "axes.AccessAttempt": lambda: AccessAttempt.objects.create(
            username="x", ip_address="203.0.113.1", failures_since_start=1
        ),
        "axes.AccessLog": lambda: AccessLog.objects.create(username="x", ip_address="203.0.113.1"),
        "axes.AccessFailureLog": lambda: AccessFailureLog.objects.create(
            username="x", ip_address="203.0.113.1"
        ),
        "commitments.Agreement": builders.make_agreement,
        "commitments.Chapter": builders.make_chapter,
        "commitments.Section": builders.make_section,
        "commitments.Citation": builders.make_citation,
        "commitments.Evaluation": builders.make_evaluation,
        "commitments.Summary": builders.make_summary,
        "decisions.Decision": builders.make_decision,
        "decisions.DecisionDocument": builders.make_document,
        "decisions.Minister": builders.make_minister,
        "decisions.Theme": builders.make_theme,
    }
    return makers[model._meta.label]()


REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def _admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def _snapshot(model):
    return serializers.serialize("json", model._default_manager.order_by("pk"))


def _form_data(obj) -> dict[str, str]:
    """Every concrete field of the row, changed: what a forged write would send."""
    data = {}
    for field in obj._meta.concrete_fields:
        if not field.primary_key:
            data[field.attname.removesuffix("_id")] = "gewijzigd"
    return data


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_anonymous_user_is_sent_to_login_and_writes_nothing(client, model):
    obj = _registered_object(model)
    before = _snapshot(model)
    pk = obj.pk
    attempts = [
        ("get", _admin_url(model, "changelist")),
        ("get", _admin_url(model, "add")),
        ("post", _admin_url(model, "add")),
        ("get", _admin_url(model, "change", pk)),
        ("post", _admin_url(model, "change", pk)),
        ("post", _admin_url(model, "delete", pk)),
    ]
    for method, url in attempts:
        data = {**_form_data(obj), "post": "yes"} if method == "post" else None
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(f"{LOGIN_URL}?next="), (method, url)
    assert _snapshot(model) == before


def test_every_registered_model_is_covered_by_the_write_tests():
    for model in REGISTERED:
        assert _registered_object(model).pk is not None


# --- CSRF is enforced ----------------------------------------------------------


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_admin_login_without_csrf_token_is_refused(csrf_client):
    builders.make_user(username="redacteur", is_staff=True)
    response = _login(csrf_client, "redacteur", PASSWORD)
    assert response.status_code == 403
    assert "sessionid" not in response.cookies
    assert not _is_logged_in(csrf_client)


def test_admin_login_with_csrf_token_works(csrf_client):
    """The refusal above is about the token, not about the login itself."""
    builders.make_user(username="redacteur", is_staff=True)
    token = csrf_client.get(LOGIN_URL).cookies["csrftoken"].value
    response = csrf_client.post(
        LOGIN_URL, {"username": "redacteur", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert _is_logged_in(csrf_client)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_admin_forms_without_csrf_token_are_refused_for_a_logged_in_editor(csrf_client, model):
    csrf_client.force_login(builders.make_user(is_staff=True, is_superuser=True))
    obj = _registered_object(model)
    before = _snapshot(model)
    for url in [
        _admin_url(model, "add"),
        _admin_url(model, "change", obj.pk),
        _admin_url(model, "delete", obj.pk),
    ]:
        response = csrf_client.post(url, {**_form_data(obj), "post": "yes"})
        assert response.status_code == 403, url
    assert _snapshot(model) == before


def test_section_change_form_without_csrf_token_changes_nothing(csrf_client):
    csrf_client.force_login(builders.make_user(is_staff=True, is_superuser=True))
    section = builders.make_section(title="Oorspronkelijke titel")
    response = csrf_client.post(
        _admin_url(type(section), "change", section.pk),
        {"chapter": section.chapter_id, "number": section.number, "title": "Vervalst"},
    )
    assert response.status_code == 403
    section.refresh_from_db()
    assert section.title == "Oorspronkelijke titel"


def test_logout_and_language_switch_without_csrf_token_are_refused(csrf_client):
    csrf_client.force_login(builders.make_user(is_staff=True))
    assert csrf_client.post(reverse("admin:logout")).status_code == 403
    assert _is_logged_in(csrf_client)
    assert csrf_client.post(reverse("set_language"), {"language": "en"}).status_code == 403
