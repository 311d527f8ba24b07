from django.contrib import admin
from django.urls import include, path, re_path

from commitments.feeds import (
    ChapterStatusChangesFeed,
    NewDecisionsFeed,
    SectionStatusChangesFeed,
    StatusChangesFeed,
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("feeds/beslissingen/", NewDecisionsFeed(), name="feed-decisions"),
    path("feeds/statussen/", StatusChangesFeed(), name="feed-status"),
    path(
        "feeds/statussen/<slug:agreement>/<slug:chapter>/",
        ChapterStatusChangesFeed(),
        name="feed-status-chapter",
    ),
    # Only section numbers (1.2, 2.2.2.1): anything else is a 404 before the database.
    re_path(
        r"^feeds/statussen/(?P<agreement>[-a-zA-Z0-9_]+)/(?P<chapter>[-a-zA-Z0-9_]+)/"
        r"(?P<number>[0-9]+(?:\.[0-9]+)*)/$",
        SectionStatusChangesFeed(),
        name="feed-status-section",
    ),
    path("", include("operations.urls")),
    path("beslissingen/", include("decisions.urls")),
    path("", include("commitments.urls")),
]
