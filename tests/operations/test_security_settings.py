import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

MANAGE = django_settings.BASE_DIR / "manage.py"


def production_env(**overrides) -> dict[str, str]:
    """The environment of a production process: no DEBUG, no pytest, a real key."""
    env = {
        key: value
        for key, value in os.environ.items()
        # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is a test-only escape hatch.
        if key
        not in {
            "DEBUG",
            "PYTEST_VERSION",
            "SECURE_SSL_REDIRECT",
            "SECURE_COOKIES",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="akkoordmonitor.example",
        STATIC_MANIFEST="1",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def run_python(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """This interpreter in a fresh process: settings are read once, at start."""
    return subprocess.run(
        [sys.executable, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=django_settings.BASE_DIR,
    )


def test_deploy_check_passes_with_the_production_environment():
    result = run_python(
        str(MANAGE), "check", "--deploy", "--fail-level", "WARNING", env=production_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_only_the_hsts_preload_warning_is_silenced():
    """With preload on, nothing is silenced and the check is still clean."""
    result = run_python(
        str(MANAGE),
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(SECURE_HSTS_PRELOAD="1"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python(str(MANAGE), "check", env=production_env(SECRET_KEY=None))
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_debug_run_serves_plain_http_with_ordinary_cookies():
    """`make run` (DEBUG=1, http://127.0.0.1:8000) must keep working: no https redirect."""
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = run_python(
        "-c",
        f"import django;django.setup();{code}",
        env=production_env(DEBUG="1", SECRET_KEY=None, DJANGO_SETTINGS_MODULE="config.settings"),
    )
    assert result.stdout.split() == ["False", "False", "False"], result.stderr


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("decisions:list") + "?page=2")
    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{reverse('decisions:list')}?page=2"


@pytest.mark.django_db
def test_https_behind_the_proxy_gets_hsts_and_no_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("commitments:home"), headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.django_db
def test_plain_http_gets_no_hsts_header(client):
    assert "Strict-Transport-Security" not in client.get(reverse("commitments:home"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", [reverse("commitments:home"), reverse("decisions:list"), "/admin/login/", "/healthz"]
)
def test_every_response_carries_the_strict_csp_and_security_headers(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
    }
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Server" not in response


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_and_httponly(client):
    from tests.builders import make_user

    make_user(username="redacteur", is_staff=True)
    login_url = reverse("admin:login")
    csrf_cookie = client.get(login_url).cookies["csrftoken"]
    assert csrf_cookie["secure"] is True
    assert csrf_cookie["httponly"] is True
    response = client.post(
        login_url, {"username": "redacteur", "password": "een-lang-wachtwoord-2024"}
    )
    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["secure"] is True
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_language_cookie_is_secure_and_httponly(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
