"""The content version: new after every committed write, never before the commit."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from core.cache import CACHE_KEY, bump_content_version, content_version, version_time
from core.models import ContentVersion
from decisions.importers import import_decisions
from tests.builders import make_decision, make_evaluation, make_minister, make_section

pytestmark = pytest.mark.django_db

NEWS_ITEMS = "tests/data/news_items.json"


def test_the_first_read_creates_the_version_row():
    version = content_version()
    assert ContentVersion.objects.get().version == version
    assert content_version() == version


def test_a_saved_evaluation_publishes_a_new_version_after_the_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        section = make_section()
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_evaluation(section)
        # Not yet committed: a reader must not learn a version for rows it cannot see.
        assert content_version() == before
    assert len(callbacks) == 1
    assert content_version() != before


def test_many_writes_in_one_transaction_publish_one_version(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        section = make_section()
        for _ in range(5):
            make_evaluation(section)
        make_decision().ministers.add(make_minister())
    assert len(callbacks) == 1


def test_a_delete_and_a_many_to_many_change_bump(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        decision, minister = make_decision(), make_minister()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        decision.ministers.add(minister)
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        decision.delete()
    assert len(callbacks) == 1


def test_a_rolled_back_write_publishes_nothing(django_capture_on_commit_callbacks):
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                make_section()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == []
    assert content_version() == before


def test_a_bulk_import_bumps_although_bulk_writes_send_no_signals(
    django_capture_on_commit_callbacks,
):
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_decisions(path=NEWS_ITEMS)
    assert callbacks
    assert content_version() != before


def test_a_dry_run_import_publishes_nothing(django_capture_on_commit_callbacks):
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        import_decisions(path=NEWS_ITEMS, dry_run=True)
    assert content_version() == before


def test_a_version_is_never_reused_and_carries_its_time(django_capture_on_commit_callbacks):
    versions = set()
    for _ in range(20):
        with django_capture_on_commit_callbacks(execute=True):
            bump_content_version()
        versions.add(content_version())
    assert len(versions) == 20
    assert version_time(content_version()).year >= 2024


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_with_local_memory_each_request_reads_the_row(django_assert_num_queries):
    content_version()
    # 1 the version row: another worker's write would never reach this process's memory
    with django_assert_num_queries(1):
        content_version()


def test_with_a_shared_cache_the_version_costs_no_query_and_survives_its_loss(
    django_assert_num_queries, settings, tmp_path
):
    # A file cache stands in for Redis: shared by processes, unlike local memory.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    first = content_version()
    with django_assert_num_queries(0):
        assert content_version() == first
    cache.delete(CACHE_KEY)  # a restarted Redis
    # 1 the version row, which the cache gets back
    with django_assert_num_queries(1):
        assert content_version() == first


@pytest.mark.django_db(transaction=True)
def test_the_command_publishes_a_new_version_and_its_dry_run_does_not():
    before = content_version()
    output = io.StringIO()
    call_command("bump_content_version", "--dry-run", stdout=output)
    assert before in output.getvalue()
    assert content_version() == before
    call_command("bump_content_version", stdout=output)
    assert content_version() != before
