from django.urls import URLPattern, path, re_path

from . import views
from .auth import read_only

app_name = "api"


def _operations():
    """ninja's patterns for the operations (not its root page), each read-only and exempt from the login."""
    patterns, _app, _namespace = views.api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name != "api-root":
            yield URLPattern(pattern.pattern, read_only(pattern.callback), pattern.default_args, pattern.name)


urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    *_operations(),
    re_path(r"^(?P<rest>[\s\S]*)$", views.not_found, name="not_found"),
]
