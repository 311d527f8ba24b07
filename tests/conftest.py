import pytest
from django.test import override_settings

from tests import builders


@pytest.fixture(autouse=True, scope="session")
def _plain_http():
    """The suite runs the production settings over plain http (test client,
    live_server): only the redirect to https is switched off. The redirect
    itself is tested in tests/operations/test_security_settings.py.

    The per-address rate limit is off as well: every test client comes from
    127.0.0.1, so the suite's own searches and exports would add up to it.
    tests/operations/test_rate_limit.py turns it on.

    So is the page cache: the suite's query counts are those of a rendered
    page, and most tests write rows without committing (no new content
    version). tests/core/test_pagecache.py turns it on."""
    with override_settings(SECURE_SSL_REDIRECT=False, RATE_LIMIT=0, PAGE_CACHE=False):
        yield


@pytest.fixture
def admin_user_client(client, db):
    """A logged-in superuser, the way an editor uses the admin."""
    user = builders.make_user(is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client
