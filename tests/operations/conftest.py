import copy

import pytest
from django.db import DEFAULT_DB_ALIAS, connections


@pytest.fixture
def unreachable_database(django_db_blocker, tmp_path):
    """The default connection pointed at a database that does not answer.

    Every query makes a real connection attempt that really fails (a SQLite file
    in a directory that does not exist; a PostgreSQL port nobody listens on).
    """
    real = connections[DEFAULT_DB_ALIAS]
    settings_dict = copy.deepcopy(real.settings_dict)
    if real.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "ontbrekende-map" / "db.sqlite3")
    else:
        settings_dict.update(HOST="127.0.0.1", PORT="1")
    broken = real.__class__(settings_dict, alias=DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = broken
    try:
        with django_db_blocker.unblock():
            yield broken
    finally:
        broken.close()
        connections[DEFAULT_DB_ALIAS] = real
