from django.urls import path, re_path

from . import views

app_name = "decisions"

urlpatterns = [
    path("", views.decision_list, name="list"),
    re_path(r"^export\.(?P<fmt>csv|json)$", views.decision_export, name="export"),
    path("<int:pk>/", views.decision_detail, name="detail"),
]
