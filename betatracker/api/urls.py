from django.urls import URLPattern, path, re_path

from . import views
from .auth import read_only, token_writes

WRITE_OPERATIONS = {"measurement_create"}  # the rest of the API only reads

app_name = "api"


def _operations():
    """ninja's patterns for the operations (not its root page), each read-only and exempt from the login, at its
    address with and without a final slash (`startups` and `startups/`); the name goes to the one without."""
    patterns, _app, _namespace = views.api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name != "api-root":
            wrap = token_writes if pattern.name in WRITE_OPERATIONS else read_only
            callback = wrap(pattern.callback)
            route = str(pattern.pattern).removesuffix("/")
            yield path(route, callback, pattern.default_args, pattern.name)
            yield path(f"{route}/", callback, pattern.default_args)


urlpatterns = [
    path("", views.index, name="index"),
    path("openapi.json", views.openapi, name="openapi"),
    path("docs/", views.documentation, name="docs"),
    *_operations(),
    re_path(r"^(?P<rest>[\s\S]*)$", views.not_found, name="not_found"),
]
