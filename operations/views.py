from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """Liveness: the process answers. Touches no database on purpose, so a
    database outage does not make the orchestrator restart healthy workers."""
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
def readyz(request):
    """Readiness: the database answers a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unreachable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
