from django.contrib import admin
from django.urls import include, path

from commitments.feeds import NewDecisionsFeed, StatusChangesFeed

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("feeds/beslissingen/", NewDecisionsFeed(), name="feed-decisions"),
    path("feeds/statussen/", StatusChangesFeed(), name="feed-status"),
    path("", include("operations.urls")),
    path("beslissingen/", include("decisions.urls")),
    path("", include("commitments.urls")),
]
