"""The site's URLs plus a stand-in for the admin's evaluation workspace
(`admin:commitments_section_assess`), which the admin branch provides: the
section page links to it for staff whenever it exists."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns

workspace = [
    path(
        "commitments/section/<int:pk>/beoordelen/",
        lambda request, pk: HttpResponse(),
        name="commitments_section_assess",
    )
]

# First, so that reversing in the "admin" namespace finds the stand-in.
urlpatterns = [path("admin/", include((workspace, "admin"))), *site_urlpatterns]
