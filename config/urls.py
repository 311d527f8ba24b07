from django.contrib import admin
from django.urls import include, path, re_path

from commitments.feeds import (
    ChapterStatusChangesFeed,
    NewDecisionsFeed,
    SectionStatusChangesFeed,
    StatusChangesFeed,
)
from core.localeurls import language_patterns, legacy_redirect

# Outside the language prefix: the admin (its language from the browser or the
# language cookie), the health endpoints, and the old public addresses.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("operations.urls")),
    path("", legacy_redirect),
    re_path(r"^(?:secties|beslissingen|zoeken|over|akkoorden|feeds)/", legacy_redirect),
]

# The public site, under /nl/ and /en/ (core/localeurls.py).
urlpatterns += language_patterns(
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
    path("beslissingen/", include("decisions.urls")),
    path("", include("commitments.urls")),
)
