"""operations/database.py: web processes get the statement timeout and JIT off
on their PostgreSQL connections; management commands keep the defaults. Each
case is a fresh process, as gunicorn and manage.py are."""

import json

import pytest
from django.db import connection

from tests.operations.test_security_settings import production_env, run_python

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="statement_timeout and JIT are PostgreSQL server settings",
    ),
]

SHOW_SETTINGS = (
    "from django.db import connection;"
    "cursor = connection.cursor();"
    "cursor.execute('SHOW statement_timeout'); timeout = cursor.fetchone()[0];"
    "cursor.execute('SHOW jit'); jit = cursor.fetchone()[0];"
    "import json; print(json.dumps([timeout, jit]))"
)


def _server_url() -> str:
    """The PostgreSQL server the suite runs on; its maintenance database is enough."""
    params = connection.settings_dict
    return f"postgres://{params['USER']}@{params['HOST']}:{params['PORT'] or 5432}/postgres"


def _settings_seen_by(prelude: str, **env) -> list[str]:
    result = run_python(
        "-c",
        f"{prelude};{SHOW_SETTINGS}",
        env=production_env(DATABASE_URL=_server_url(), **env),
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_web_process_queries_have_the_statement_timeout_and_no_jit():
    assert _settings_seen_by("import config.wsgi") == ["5s", "off"]


def test_statement_timeout_follows_the_environment():
    assert _settings_seen_by("import config.wsgi", DB_STATEMENT_TIMEOUT_MS="1500") == [
        "1500ms",
        "off",
    ]


def test_management_commands_are_not_limited():
    """Imports, backups and migrations may legitimately run long statements."""
    prelude = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
        "import django; django.setup()"
    )
    timeout, _jit = _settings_seen_by(prelude)
    assert timeout == "0"


def test_web_limits_work_with_the_connection_pool():
    url = f"{_server_url()}?pool=true"
    result = run_python(
        "-c", f"import config.wsgi;{SHOW_SETTINGS}", env=production_env(DATABASE_URL=url)
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == ["5s", "off"]
