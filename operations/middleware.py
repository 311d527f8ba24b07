import logging
from urllib.parse import unquote

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from psycopg.errors import QueryCanceled

from .ratelimit import seconds_until_allowed
from .security import client_ip

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database, or whose query ran past the web
    statement timeout, answers with the friendly 503 page.

    Only connection-level errors are caught (OperationalError, InterfaceError;
    PostgreSQL's "canceling statement due to statement timeout" is one); a
    programming error still ends in the 500 page and the error log.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # The visitor sees no details; the operator must.
        if isinstance(exception.__cause__, QueryCanceled):
            # DB_STATEMENT_TIMEOUT_MS cut it off: a query to make faster, not an outage.
            logger.error("Slow query cancelled for %s: %s", request.path, exception)
        else:
            logger.error("Database unavailable for %s: %s", request.path, exception)
        return database_unavailable_response()


def database_unavailable_response() -> HttpResponse:
    # Rendered without the request: context processors (user, messages) could
    # touch the database that just failed.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "60"
    return response


class RejectNulMiddleware:
    """No address of ours contains a NUL byte, and PostgreSQL refuses text with
    one (a DataError, so a 500 page): a path with one is a page that does not
    exist (404). In query parameters NUL bytes are dropped, as the search
    already ignores control characters: `?term=%00` is an empty term, never a
    500. One rule for every view, filter, page number and admin lookup,
    present and future."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404(_("Het adres bevat een ongeldig teken."))
        if "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(
                    key.replace("\x00", ""), [value.replace("\x00", "") for value in values]
                )
            cleaned._mutable = False
            request.GET = cleaned
            request.META["QUERY_STRING"] = cleaned.urlencode()
        return self.get_response(request)


class RateLimitMiddleware:
    """Search and exports (settings.RATE_LIMITED_VIEWS) answer 429 once a client
    address passes settings.RATE_LIMIT requests per RATE_LIMIT_WINDOW seconds,
    so that one client cannot keep every worker busy with expensive requests."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_name = request.resolver_match.view_name
        if not settings.RATE_LIMIT or view_name not in settings.RATE_LIMITED_VIEWS:
            return None
        wait = seconds_until_allowed(
            f"{view_name}:{client_ip(request)}",
            limit=settings.RATE_LIMIT,
            window=settings.RATE_LIMIT_WINDOW,
        )
        if not wait:
            return None
        logger.warning("Rate limit for %s reached by %s", view_name, client_ip(request))
        response = render(request, "429.html", {"retry_after": wait}, status=429)
        response["Retry-After"] = str(wait)
        return response
