from django.urls import path, re_path

from . import views

app_name = "commitments"

urlpatterns = [
    path("", views.home, name="home"),
    path("secties/", views.section_list, name="section-list"),
    re_path(r"^secties/export\.(?P<fmt>csv|json)$", views.section_export, name="section-export"),
    path("zoeken/", views.search, name="search"),
    path("over/", views.about, name="about"),
    path("akkoorden/<slug:agreement>/", views.agreement, name="agreement"),
    path("akkoorden/<slug:agreement>/<slug:chapter>/", views.chapter, name="chapter"),
    path(
        "akkoorden/<slug:agreement>/<slug:chapter>/<str:number>/",
        views.section,
        name="section",
    ),
]
