"""A second database session that holds the import lock, as a running import does."""

import sqlite3
from contextlib import contextmanager

import psycopg
from django.db import connection

from core.importing import IMPORT_LOCK_KEY


@contextmanager
def another_import_running():
    """Hold the import lock from another session until the block ends (or until
    the yielded `release()` is called). SQLite needs a transactional_db test:
    the test database is shared in memory, and inside a test transaction no
    other session could write."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        other = psycopg.connect(
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            user=db["USER"],
            password=db["PASSWORD"] or None,
            dbname=db["NAME"],
            autocommit=True,
        )
        other.execute("SELECT pg_advisory_lock(%s)", [IMPORT_LOCK_KEY])

        def release():
            other.execute("SELECT pg_advisory_unlock_all()")

    else:
        other = sqlite3.connect(db["NAME"], uri=True, isolation_level=None)
        other.execute("BEGIN")
        other.execute("UPDATE django_migrations SET id = id WHERE 0")

        def release():
            if other.in_transaction:
                other.execute("ROLLBACK")

    try:
        yield release
    finally:
        release()
        other.close()
