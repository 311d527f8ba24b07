"""The sample gunicorn configuration, served for real on a free local port."""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.operations.test_security_settings import production_env, run_python

GUNICORN = Path(sys.executable).with_name("gunicorn")
CONFIG = settings.BASE_DIR / "deploy" / "gunicorn.conf.py"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _fetch(url: str, headers: dict[str, str] | None = None):
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (local http)
    try:
        return opener.open(request, timeout=5)
    except urllib.error.HTTPError as error:
        return error


@pytest.fixture
def gunicorn_url(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = production_env(
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_MANIFEST="0",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    process = subprocess.Popen(
        [str(GUNICORN), "-c", str(CONFIG), "config.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                _fetch(f"{url}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_gunicorn_serves_healthz_without_a_server_banner(gunicorn_url):
    response = _fetch(f"{gunicorn_url}/healthz")
    assert response.status == 200
    assert response.read() == b"ok\n"
    assert response.headers["Server"] is None
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_gunicorn_redirects_plain_http_and_sends_hsts_behind_the_proxy(gunicorn_url):
    response = _fetch(f"{gunicorn_url}/beslissingen/")
    assert response.status == 301
    assert response.headers["Location"].startswith("https://127.0.0.1:")
    assert response.headers["Server"] is None
    response = _fetch(f"{gunicorn_url}/healthz", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_gunicorn_readyz_reports_the_database(gunicorn_url):
    # A fresh SQLite file: reachable, so ready (no tables are needed for SELECT 1).
    assert _fetch(f"{gunicorn_url}/readyz").status == 200


def _config(**env) -> dict:
    """The sample configuration's settings, as gunicorn reads them (a fresh process)."""
    result = run_python(
        "-c",
        "import json, runpy; c = runpy.run_path('deploy/gunicorn.conf.py');"
        "print(json.dumps({k: c[k] for k in ('worker_class', 'workers', 'threads',"
        " 'keepalive', 'max_requests', 'max_requests_jitter', 'timeout')}))",
        env=production_env(**env),
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_gunicorn_workers_are_threaded_and_restart_rarely_with_jitter():
    config = _config(WEB_CONCURRENCY=None, GUNICORN_THREADS=None)
    # Threaded workers keep client connections alive; sync workers close each one.
    assert config["worker_class"] == "gthread"
    assert config["threads"] >= 2
    assert config["keepalive"] >= 2
    # Tens of thousands of requests between restarts, spread by a jitter so that
    # the workers never restart together.
    assert 10_000 <= config["max_requests"] <= 100_000
    assert config["max_requests_jitter"] >= config["max_requests"] // 20


def test_gunicorn_worker_and_thread_counts_come_from_the_environment():
    config = _config(WEB_CONCURRENCY="3", GUNICORN_THREADS="8")
    assert (config["workers"], config["threads"]) == (3, 8)
