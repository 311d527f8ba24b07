"""Two app servers sharing PostgreSQL and Redis behave as one.

Two gunicorn processes with the production configuration (DEBUG off, the
sample gunicorn.conf.py, two workers each) serve the PostgreSQL test database
and share one redis-server on a free port. An editor proposes an evaluation
in server A's workspace and a reviewer approves it on server B; the very next
anonymous request to server B, whose page was cached in Redis a moment before,
shows it.
"""

import http.cookiejar
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from tests.builders import make_seed_section, make_user
from tests.operations.test_security_settings import production_env

GUNICORN = Path(sys.executable).with_name("gunicorn")
CONFIG = settings.BASE_DIR / "deploy" / "gunicorn.conf.py"
PASSWORD = "een-lang-wachtwoord-2024"
PUBLIC_HOST = "127.0.0.1"

REDIS_SERVER = shutil.which("redis-server")
pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the servers need a database another process can reach while the test runs",
    ),
    pytest.mark.skipif(
        REDIS_SERVER is None,
        reason="redis-server is missing: run `make redis` (scripts/install-redis.sh)",
    ),
    # The servers read the rows this test commits.
    pytest.mark.django_db(transaction=True),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen) -> None:
    for _ in range(150):
        if process.poll() is not None:
            raise RuntimeError(f"process on port {port} exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


@contextmanager
def _running(command: list[str], port: int, env: dict[str, str] | None = None):
    process = subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, process)
        yield
    finally:
        process.terminate()
        process.wait(timeout=15)


class _Server:
    """One app server, spoken to as the TLS proxy would (X-Forwarded-Proto)."""

    def __init__(self, port: int):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310 (our own local server)
            self.base + path,
            data=body,
            headers={
                # One public name for both servers, as behind a load balancer: the
                # cached pages (whose absolute links name the host) are shared.
                "Host": PUBLIC_HOST,
                "X-Forwarded-Proto": "https",
                # What the browser sends behind the proxy; the CSRF check wants https.
                "Referer": f"https://{PUBLIC_HOST}{path}",
                **(headers or {}),
            },
        )
        try:
            return self.opener.open(request, timeout=20)
        except urllib.error.HTTPError as error:
            return error

    def csrf_token(self, path: str) -> str:
        html = self.request(path).read().decode()
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


@pytest.fixture
def two_servers():
    redis_port, ports = _free_port(), [_free_port(), _free_port()]
    database = connection.settings_dict
    database_url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    redis = [
        REDIS_SERVER,
        "--port",
        str(redis_port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    with (
        _running(redis, redis_port),
        _running(*_gunicorn(ports[0], database_url, redis_port)),
        _running(*_gunicorn(ports[1], database_url, redis_port)),
    ):
        yield [_Server(port) for port in ports]


def _gunicorn(port: int, database_url: str, redis_port: int):
    env = production_env(
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_MANIFEST="0",
        DATABASE_URL=database_url,
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        # The test speaks plain http to the servers; the proxy's https is a header.
        SECURE_COOKIES="0",
    )
    return [str(GUNICORN), "-c", str(CONFIG), "config.wsgi"], port, env


def _log_in(server: "_Server", username: str) -> None:
    login = reverse("admin:login")
    server.request(
        login,
        {
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": server.csrf_token(login),
        },
    )


def test_an_evaluation_published_through_one_server_shows_on_the_other(two_servers):
    first, second = two_servers
    section = make_seed_section()
    make_user(username="redacteur", password=PASSWORD, is_staff=True, is_superuser=True)
    make_user(username="eindredacteur", password=PASSWORD, is_staff=True, is_superuser=True)
    page = section.get_absolute_url()

    # Server A renders the page and caches it in the shared Redis; B reuses it.
    assert first.request(page).headers["X-Page-Cache"] == "miss"
    cached = second.request(page)
    assert cached.headers["X-Page-Cache"] == "hit"
    etag = cached.headers["ETag"]
    assert "Volledig gerealiseerd volgens de beslissingen." not in cached.read().decode()

    # The editor proposes in server A's workspace ...
    _log_in(first, "redacteur")
    assess = reverse("admin:commitments_section_assess", args=[section.pk])
    response = first.request(
        assess,
        {
            "status": "achieved",
            "rationale": "Volledig gerealiseerd volgens de beslissingen.",
            "csrfmiddlewaretoken": first.csrf_token(assess),
            "_save": "Opslaan",
        },
    )
    assert response.status == 200  # the workspace again, after the redirect
    proposal = section.evaluations.get(status="achieved")
    assert proposal.state == "proposed"
    # ... and a reviewer, logged in on server B, approves it there.
    reviewer = _Server(second.port)
    _log_in(reviewer, "eindredacteur")
    response = reviewer.request(
        assess,
        {
            "evaluation": proposal.pk,
            "decision": "approve",
            "review_comment": "",
            "csrfmiddlewaretoken": reviewer.csrf_token(assess),
        },
    )
    assert response.status == 200
    proposal.refresh_from_db()
    assert proposal.state == "published"

    # The next anonymous request to server B renders afresh and shows it.
    fresh = second.request(page)
    assert fresh.headers["X-Page-Cache"] == "miss"
    assert "Volledig gerealiseerd volgens de beslissingen." in fresh.read().decode()
    # A browser or proxy revalidating its old copy gets the new page, not a 304.
    revalidated = second.request(page, headers={"If-None-Match": etag})
    assert revalidated.status == 200
    assert revalidated.headers["ETag"] != etag
    # An anonymous visitor of server A gets the new page from the shared cache;
    # the editor, logged in there, gets a private page that is never cached.
    again = _Server(first.port).request(page)
    assert again.headers["X-Page-Cache"] == "hit"
    assert "Volledig gerealiseerd volgens de beslissingen." in again.read().decode()
    editor = first.request(page)
    assert "X-Page-Cache" not in editor.headers
    assert "no-store" in editor.headers["Cache-Control"]
