"""Whole public pages for anonymous visitors, from the cache and over HTTP.

A visitor without a session cookie sees the same page as every other such
visitor, so that page is cached (in Django's cache, shared by every server with
Redis) under the content version, the language and the full address; its ETag
is that same key. After a write the version changes (core/cache.py): the next
request renders afresh, and a browser's or proxy's If-None-Match no longer
matches. Until then a revalidation is answered 304 without rendering or
querying anything.

Never cached: anything but GET/HEAD, a request carrying the session cookie (an
editor sees staff links; their pages are `private, no-store`), the admin,
search results (one entry per query nobody repeats; the rate limit stays
whole), exports (files, rate limited), and any response that is not a plain
200 or that touched the session or set a cookie.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

from .cache import content_version, version_time

CACHED_VIEWS = frozenset(
    {
        "commitments:home",
        "commitments:section-list",
        "commitments:about",
        "commitments:agreement",
        "commitments:chapter",
        "commitments:section",
        "decisions:list",
        "decisions:detail",
        "feed-decisions",
        "feed-status",
        "feed-status-chapter",
        "feed-status-section",
    }
)
# Response headers a cached page keeps; the other middleware add theirs
# (CSP, security, language) again on every response.
_KEPT_HEADERS = ("Content-Type",)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        if getattr(request, "_page_private", False):
            patch_cache_control(response, private=True, no_store=True)
        elif (
            key and not getattr(request, "_page_cache_hit", False) and _shareable(request, response)
        ):
            _mark_public(response, key, request._page_version, "miss")
            cache.set(
                key,
                {
                    "status": response.status_code,
                    "content": response.content,
                    "headers": {h: response[h] for h in _KEPT_HEADERS if h in response},
                },
                timeout=settings.CACHES["default"].get("TIMEOUT", 3600),
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.PAGE_CACHE or request.method not in ("GET", "HEAD"):
            return None
        if request.resolver_match.view_name not in CACHED_VIEWS:
            return None
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            request._page_private = True
            return None
        # Without a session cookie nobody is logged in: saying so here keeps the
        # templates ({% if user.is_staff %}) from loading an empty session,
        # which would add "Vary: Cookie" and make the page unshareable.
        request.user = AnonymousUser()
        try:
            version = content_version()
        except (OperationalError, InterfaceError):
            # No database: the view answers with the 503 page, uncached.
            return None
        key = (
            "page:"
            + hashlib.sha256(
                "\x00".join([version, get_language() or "", request.build_absolute_uri()]).encode()
            ).hexdigest()
        )
        request._page_cache_key, request._page_version = key, version
        # Only the ETag decides a 304. Last-Modified has whole seconds, and two
        # versions can be published within one second: If-Modified-Since alone
        # could confirm a page that changed.
        not_modified = get_conditional_response(request, etag=_etag(key), response=HttpResponse())
        if not_modified is not None and not_modified.status_code == 304:
            request._page_cache_hit = True
            _mark_public(not_modified, key, version, "hit")
            return not_modified
        stored = cache.get(key)
        if stored is None:
            return None
        request._page_cache_hit = True
        response = HttpResponse(stored["content"], status=stored["status"])
        for header, value in stored["headers"].items():
            response[header] = value
        _mark_public(response, key, version, "hit")
        return response


def _etag(key: str) -> str:
    return f'"{key.removeprefix("page:")[:32]}"'


def _shareable(request, response) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (session is not None and session.accessed)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "Cache-Control" not in response
    )


def _mark_public(response, key: str, version: str, state: str) -> None:
    response["ETag"] = _etag(key)
    response["Last-Modified"] = http_date(version_time(version).timestamp())
    # For the operator and the benchmarks: was this page rendered or reused?
    response["X-Page-Cache"] = state
    patch_cache_control(
        response, public=True, max_age=settings.PAGE_MAX_AGE, s_maxage=settings.PAGE_MAX_AGE
    )
