"""Settings are read once per process, so each case runs in a fresh interpreter."""

import json

import pytest

from tests.operations.test_security_settings import production_env, run_python

PRINT_DATABASE = (
    "import json, os;"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
    "from django.conf import settings;"
    "db = settings.DATABASES['default'];"
    "keys = ('ENGINE', 'NAME', 'CONN_MAX_AGE', 'OPTIONS');"
    "print(json.dumps({k: db[k] for k in keys}, default=str))"
)


def database_settings(**env) -> dict:
    result = run_python("-c", PRINT_DATABASE, env=production_env(**env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_database_url_an_sqlite_file_in_the_project_is_used():
    db = database_settings(DATABASE_URL=None)
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"].endswith("db.sqlite3")


def test_database_url_selects_postgresql():
    db = database_settings(DATABASE_URL="postgres://u:p@db.example:5432/akkoordmonitor")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert db["NAME"] == "akkoordmonitor"
    assert "pool" not in db["OPTIONS"]


def test_connections_persist_for_a_minute_by_default_with_health_checks():
    db = database_settings(
        DATABASE_URL="postgres://u:p@db.example:5432/akkoordmonitor", CONN_MAX_AGE=None
    )
    assert db["CONN_MAX_AGE"] == 60
    result = run_python(
        "-c",
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['CONN_HEALTH_CHECKS'])",
        env=production_env(DATABASE_URL="postgres://u:p@db.example:5432/akkoordmonitor"),
    )
    assert result.stdout.strip().splitlines()[-1] == "True"


def test_conn_max_age_0_closes_connections_after_each_request():
    db = database_settings(
        DATABASE_URL="postgres://u:p@db.example:5432/akkoordmonitor", CONN_MAX_AGE="0"
    )
    assert db["CONN_MAX_AGE"] == 0


@pytest.mark.parametrize("value", ["true", "1"])
def test_pool_true_turns_on_the_psycopg_pool_without_persistent_connections(value):
    db = database_settings(
        DATABASE_URL=f"postgres://u:p@db.example:5432/akkoordmonitor?pool={value}",
        CONN_MAX_AGE="60",
    )
    assert db["OPTIONS"]["pool"] is True
    assert db["CONN_MAX_AGE"] == 0


def test_management_commands_print_no_axes_banner():
    """django-axes announced its configuration ("AXES: BEGIN …") on every command."""
    result = run_python("manage.py", "check", env=production_env())
    assert result.returncode == 0, result.stderr
    assert "AXES" not in result.stdout + result.stderr


def test_missing_secret_key_says_how_to_run_commands_locally():
    result = run_python("manage.py", "migrate", "--check", env=production_env(SECRET_KEY=None))
    assert result.returncode != 0
    assert "DEBUG=1 .venv/bin/python manage.py migrate" in result.stderr
