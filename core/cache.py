"""The content version: one token that changes after every committed write.

Cached pages are keyed on it (core/pagecache.py), and so are their ETags: a
write publishes a new token and every page cached before it is simply never
looked up again. Nothing has to be found and deleted, on this server or on any
other.

Two rules keep cached content from ever being older than the database:

- a token is new, never reused (time + random): a page cached under it was
  rendered after it was published;
- a token is published only after the transaction that wrote the content has
  committed (`transaction.on_commit`): a reader that learns the new token reads
  the new rows. Publishing before the commit would let a reader cache the old
  rows under the new token, for good.

Where the token lives: the `ContentVersion` row is the truth, read by every
process on every server. With a shared cache (Redis, REDIS_URL) a copy sits in
the cache and a request costs one cache get, no query; if the cache loses it
(restart, eviction) the next request reads the row and puts it back. With the
local-memory cache, which each process has to itself, a copy there would
never hear of another worker's or an import command's write, so every request
reads the row (one primary-key query).

Every write path bumps: a signal receiver for every model of CONTENT_APPS
(saves, deletes, many-to-many changes: the admin, services, forms, future code),
and explicit calls where code writes past the signals (bulk_create,
bulk_update, QuerySet.update, raw SQL, loaddata): the importers, the restore.
Writing with SQL outside Django? Run `manage.py bump_content_version`.
"""

import secrets
import time
from datetime import UTC, datetime

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import IntegrityError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

CACHE_KEY = "content-version"
# The apps whose rows the public pages show.
CONTENT_APPS = ("commitments", "decisions")


def _new_version() -> str:
    # Seconds first: the Last-Modified of every page. The random part makes
    # the token unique even for two writes in one second on two servers.
    return f"{int(time.time())}.{secrets.token_hex(8)}"


def cache_is_shared() -> bool:
    """True when every process (and server) sees the same cache."""
    # `cache` is a proxy; the backend behind it is caches["default"].
    return not isinstance(caches["default"], LocMemCache | DummyCache)


def content_version() -> str:
    """The current token: one cache get with a shared cache, otherwise one query."""
    shared = cache_is_shared()
    if shared:
        version = cache.get(CACHE_KEY)
        if version:
            return version
    from .models import ContentVersion

    version = ContentVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    if version is None:
        version = _store(_new_version())
    if shared:
        # add, not set: a bump published meanwhile wins.
        cache.add(CACHE_KEY, version, timeout=None)
    return version


def version_time(version: str) -> datetime:
    """When the token was published (whole seconds, as Last-Modified has them)."""
    return datetime.fromtimestamp(int(version.split(".", 1)[0]), tz=UTC)


def bump_content_version() -> None:
    """Publish a new content version once the current transaction commits
    (at once outside a transaction). Cheap to call often: one publication per
    transaction, however many rows it writes; none if it rolls back (a dry run)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        isinstance(entry[1], _Publication) and not entry[1].done
        for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(_Publication())


class _Publication:
    """One pending publication: after the commit, a new version. Django drops
    it if the transaction (or the savepoint that registered it) rolls back."""

    done = False

    def __call__(self) -> None:
        self.done = True
        version = _store(_new_version())
        cache.set(CACHE_KEY, version, timeout=None)


def _store(version: str) -> str:
    from .models import ContentVersion

    now = datetime.now(tz=UTC)
    if not ContentVersion.objects.filter(pk=1).update(version=version, changed=now):
        try:
            with transaction.atomic():
                ContentVersion.objects.create(pk=1, version=version, changed=now)
        except IntegrityError:
            # Another process created the row first: ours is still the newer token.
            ContentVersion.objects.filter(pk=1).update(version=version, changed=now)
    return version


def _content_changed(sender, **kwargs) -> None:
    if sender._meta.app_label in CONTENT_APPS:
        bump_content_version()


def connect_signals() -> None:
    """Every save, delete and many-to-many change of a content model bumps.

    One receiver for all senders, so models added later are covered too.
    post_delete is connected per model, and not for the automatic many-to-many
    tables: a delete receiver stops Django's fast (single query) delete of those
    rows, and m2m_changed already covers them."""
    from django.apps import apps

    post_save.connect(_content_changed, dispatch_uid="core.cache.post_save")
    m2m_changed.connect(_content_changed, dispatch_uid="core.cache.m2m_changed")
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            uid = f"core.cache.delete.{model._meta.label}"
            post_delete.connect(_content_changed, sender=model, dispatch_uid=uid)
