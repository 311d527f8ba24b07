import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers with the friendly 503 page.

    Only connection-level errors are caught (OperationalError, InterfaceError);
    a programming error still ends in the 500 page and the error log.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # The visitor sees no details; the operator must.
        logger.error("Database unavailable for %s: %s", request.path, exception)
        return database_unavailable_response()


def database_unavailable_response() -> HttpResponse:
    # Rendered without the request: context processors (user, messages) could
    # touch the database that just failed.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "60"
    return response
