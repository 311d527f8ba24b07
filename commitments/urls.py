from django.urls import path

from . import views

app_name = "commitments"

urlpatterns = [
    path("", views.home, name="home"),
    path("akkoorden/<slug:agreement>/", views.agreement, name="agreement"),
    path("akkoorden/<slug:agreement>/<slug:chapter>/", views.chapter, name="chapter"),
    path(
        "akkoorden/<slug:agreement>/<slug:chapter>/<str:number>/",
        views.section,
        name="section",
    ),
]
