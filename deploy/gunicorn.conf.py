"""Sample gunicorn configuration for Akkoordmonitor.

    gunicorn -c deploy/gunicorn.conf.py config.wsgi

Gunicorn listens on a local address only; a TLS-terminating reverse proxy in
front of it sets X-Forwarded-Proto and X-Forwarded-For (docs/operations.md).
"""

import multiprocessing
import os

import gunicorn.http.wsgi

bind = os.getenv("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.getenv("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
# Pages are rendered from the database in well under a second; a worker stuck
# for 30 s is killed and replaced rather than left holding a connection.
timeout = 30
graceful_timeout = 30
# Recycle workers now and then so that a slow leak can never grow unbounded.
max_requests = 1000
max_requests_jitter = 100
# Heartbeat files in memory: a full or slow disk must not get workers killed.
worker_tmp_dir = "/dev/shm"  # noqa: S108 (gunicorn's documented choice, not a temp file)
accesslog = "-"
errorlog = "-"
loglevel = os.getenv("LOG_LEVEL", "info").lower()
proc_name = "akkoordmonitor"
# No runtime control socket (gunicorn >= 25): nothing here uses it, and one
# fixed path in $HOME would be shared by every instance on the machine.
control_socket_disable = True
# Only the proxy may tell gunicorn the original scheme.
forwarded_allow_ips = os.getenv("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Gunicorn always sends "Server: gunicorn" and has no setting to stop it; a
# version banner only helps an attacker pick an exploit, so the line is dropped.
_default_headers = gunicorn.http.wsgi.Response.default_headers


def _default_headers_without_server(self):
    return [line for line in _default_headers(self) if not line.startswith("Server:")]


gunicorn.http.wsgi.Response.default_headers = _default_headers_without_server
