"""The code that uses the cache works on Django's RedisCache as on local memory:
the rate limit's counters, the content version, the rendered markdown."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import cache

from core.cache import CACHE_KEY, cache_is_shared, content_version
from core.rendering import render_markdown
from operations.ratelimit import seconds_until_allowed

REDIS_SERVER = shutil.which("redis-server")

pytestmark = pytest.mark.skipif(
    REDIS_SERVER is None,
    reason="redis-server is missing: run `make redis` (scripts/install-redis.sh)",
)


@pytest.fixture
def redis_cache(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
            }
        }
        yield cache
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_rate_limit_counts_in_redis(redis_cache):
    allowed = [seconds_until_allowed("search:203.0.113.9", limit=3, window=60) for _ in range(4)]
    assert allowed[:3] == [0, 0, 0]
    assert 1 <= allowed[3] <= 60
    # Another address has its own counter.
    assert seconds_until_allowed("search:203.0.113.10", limit=3, window=60) == 0


@pytest.mark.django_db
def test_the_content_version_is_read_from_redis_without_a_query(
    redis_cache, django_assert_num_queries
):
    assert cache_is_shared()
    version = content_version()
    assert redis_cache.get(CACHE_KEY) == version
    with django_assert_num_queries(0):
        assert content_version() == version


def test_rendered_markdown_comes_back_from_redis_as_safe_html(redis_cache):
    text = "Een **vet** woord en een citaat [3].\n\n" + "Nog een zin over beleid. " * 40
    first = render_markdown(text, link_citations=True, incomplete_citations=[3])
    second = render_markdown(text, link_citations=True, incomplete_citations=[3])
    assert second == first
    assert hasattr(second, "__html__")  # still marked safe, not escaped again
    assert "citation-incomplete" in second
    # Other options, another entry.
    assert render_markdown(text) != first
