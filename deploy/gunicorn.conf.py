"""Sample gunicorn configuration for Akkoordmonitor.

    gunicorn -c deploy/gunicorn.conf.py config.wsgi

Gunicorn listens on a local address only; a TLS-terminating reverse proxy in
front of it sets X-Forwarded-Proto and X-Forwarded-For (docs/operations.md).
"""

import multiprocessing
import os

import gunicorn.http.wsgi

bind = os.getenv("GUNICORN_BIND", "127.0.0.1:8000")
# Threaded workers (gthread): a worker keeps client connections alive between
# requests (sync workers close every one) and overlaps the waits on the database
# of several requests. Workers x threads requests run at once; each thread holds
# its own persistent database connection (CONN_MAX_AGE), so PostgreSQL's
# max_connections must exceed workers x threads x app servers.
worker_class = "gthread"
workers = int(os.getenv("WEB_CONCURRENCY", str(multiprocessing.cpu_count() + 1)))
threads = int(os.getenv("GUNICORN_THREADS", "4"))
# Seconds an idle client connection stays open for its next request.
keepalive = int(os.getenv("GUNICORN_KEEPALIVE", "5"))
# Pages are rendered from the database in well under a second; a worker stuck
# for 30 s is killed and replaced rather than left holding a connection.
timeout = 30
graceful_timeout = 30
# Recycle workers now and then so that a slow leak can never grow unbounded:
# every 20,000-22,000 requests, the jitter spreading the restarts so that the
# workers never restart together (1,000 restarted them 125 times in one load run).
max_requests = int(os.getenv("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = int(os.getenv("GUNICORN_MAX_REQUESTS_JITTER", "2000"))
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
