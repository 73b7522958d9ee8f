from django.urls import path, re_path, register_converter

from . import views


class AnythingConverter:
    """Any non-empty text, newlines included: beta.gouv.fr slugs hold dots, and whatever a client
    sends after startups/ must get the API's JSON 404 rather than an HTML page."""

    regex = r"[\s\S]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(AnythingConverter, "anything")

app_name = "api"

urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("startups", views.startup_list, name="startup_list"),
    path("startups/<anything:slug>", views.startup_retrieve, name="startup_detail"),
    path("decisions", views.decision_list, name="decision_list"),
    re_path(r"^(?P<rest>[\s\S]*)$", views.not_found, name="not_found"),
]
