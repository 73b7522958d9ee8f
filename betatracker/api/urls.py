from django.urls import path, re_path

from . import views

app_name = "api"

urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("startups", views.startup_list, name="startup_list"),
    # A slug the converter refuses (NUL, newline, quote…) falls to not_found: the API's JSON 404.
    path("startups/<startup_slug:slug>", views.startup_retrieve, name="startup_detail"),
    path("decisions", views.decision_list, name="decision_list"),
    re_path(r"^(?P<rest>[\s\S]*)$", views.not_found, name="not_found"),
]
