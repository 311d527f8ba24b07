"""The import lock: imports run one at a time; a web request does not wait for one."""

import pytest
from django.db import transaction

from core.importing import ImportBusyError, lock_imports
from tests.import_lock import another_import_running

# SQLite: the other session must be able to write, so no test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_lock_is_free_when_no_import_runs():
    with transaction.atomic():
        lock_imports(wait=False)


def test_without_waiting_a_held_lock_raises_at_once():
    with another_import_running(), pytest.raises(ImportBusyError), transaction.atomic():
        lock_imports(wait=False)


def test_waiting_says_so_first_and_then_gets_the_lock_when_the_other_import_ends():
    said = []
    with another_import_running() as release:

        def on_wait():
            said.append("wacht")
            release()  # the other import ends while this one waits

        with transaction.atomic():
            lock_imports(wait=True, on_wait=on_wait)
    assert said == ["wacht"]


def test_the_lock_is_released_with_the_transaction():
    with transaction.atomic():
        lock_imports()
    with transaction.atomic():
        lock_imports(wait=False)
