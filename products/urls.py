from django.urls import path, register_converter

from . import views


class StartupSlugConverter:
    """A startup identifier: anything but "/" (dots are common, e.g. 1000.premiers.jours.blues) and NUL,
    which PostgreSQL would refuse in a query."""

    regex = r"[^/\x00]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(StartupSlugConverter, "startup_slug")

app_name = "products"

urlpatterns = [
    path("startups/", views.StartupListView.as_view(), name="startup_list"),
    path("startups/<startup_slug:slug>/", views.StartupDetailView.as_view(), name="startup_detail"),
]
