"""Limits for the queries of web traffic (not of management commands)."""

from django.conf import settings


def web_connection_options() -> str:
    """libpq startup options for a web process's PostgreSQL connections."""
    return f"-c statement_timeout={settings.DB_STATEMENT_TIMEOUT_MS} -c jit=off"


def limit_web_queries() -> None:
    """Bound every query this process sends from now on: the statement timeout
    and JIT off (settings.DB_STATEMENT_TIMEOUT_MS).

    Called by the WSGI entry point (config/wsgi.py), so gunicorn and runserver
    get the limits and management commands (imports, backups, migrations) do
    not. They travel as connection startup options: no extra query per request
    or connection, and psycopg's pool opens its connections with them too.
    Connections opened before the call keep their settings.
    """
    for database in settings.DATABASES.values():
        if database["ENGINE"] != "django.db.backends.postgresql":
            continue
        options = database.setdefault("OPTIONS", {})
        # Keep startup options an operator set in DATABASE_URL; ours come last and win.
        existing = options.get("options", "")
        options["options"] = f"{existing} {web_connection_options()}".strip()
