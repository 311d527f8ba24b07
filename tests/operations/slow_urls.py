"""The site's URLs plus one view whose query takes ten seconds (pg_sleep), for
the statement-timeout tests."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def slow(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(10)")
    return HttpResponse("te laat\n")


urlpatterns = [path("traag/", slow), *site_urlpatterns]
