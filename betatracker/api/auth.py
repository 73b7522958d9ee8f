"""Who is calling the API: a personal token (Authorization: Bearer …) or a signed-in browser session.

API views are exempt from LoginRequiredMiddleware (no redirect to the login page for a program):
they authenticate here and answer 401 JSON when nobody is identified.
"""

import functools

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.vary import vary_on_headers
from ninja.security.base import AuthBase

from betatracker.models import ApiToken


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_response(status: int, code: str, message: str) -> JsonResponse:
    response = JsonResponse({"error": code, "message": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="betatracker"'
    return response


def _token_user(request):
    """The active owner of the bearer token, None if there is no token, ApiError if it is not valid."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        return None
    scheme, _sep, raw = header.partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw:
        raise ApiError(401, "unauthorized", _("En-tête Authorization attendu : « Bearer <jeton> »."))
    token = ApiToken.objects.matching(raw).select_related("user").first()
    if token is None or not token.user.is_active:
        raise ApiError(401, "unauthorized", _("Jeton d'API inconnu, expiré ou révoqué."))
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    request.api_startup_ids = set(token.startups.values_list("pk", flat=True)) or None
    request.api_can_write = token.can_write
    return token.user


class PersonalToken(AuthBase):
    """A personal token (created on the profile page) or, for a browser, the signed-in session.

    A token that is sent but not valid (unknown, expired, revoked, of a deactivated account) is refused even
    if a session is there too; nobody identified is refused the same way (ApiError 401, see `views`)."""

    openapi_type = "http"
    openapi_scheme = "bearer"
    openapi_description = "Jeton personnel créé sur la page « Mon profil »."

    def __call__(self, request):
        user = _token_user(request)
        if user is not None:
            request.user = user
        elif not request.user.is_authenticated:
            raise ApiError(
                401,
                "unauthorized",
                _("Authentification requise : envoyez un jeton personnel (Authorization: Bearer <jeton>)."),
            )
        return request.user


def scoped(request, queryset, field: str = "pk"):
    """`queryset` narrowed to the startups the calling token is limited to, if it is (`field`: the startup id
    column). A session, or a token without a list, reads everything its owner may."""
    ids = getattr(request, "api_startup_ids", None)
    return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})


def _method_not_allowed(allow: str, message: str) -> JsonResponse:
    """JSON 405 with the methods the view answers (`allow`, as the Allow header lists them)."""
    response = error_response(405, "method_not_allowed", message)
    response["Allow"] = allow
    return response


def read_only(view):
    """Wraps an API view for Django: GET and HEAD only (JSON 405 otherwise), no login redirect, and a cache
    keyed on who asks. HEAD is answered as GET; the server sends the headers without the body."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return _method_not_allowed(
                "GET, HEAD",
                _("Méthode %(method)s non permise : l'API est en lecture seule.") % {"method": request.method},
            )
        if request.method == "HEAD":
            request.method = "GET"
            try:
                return view(request, *args, **kwargs)
            finally:
                request.method = "HEAD"
        return view(request, *args, **kwargs)

    # GET and HEAD only: a token in a header needs no CSRF protection, and a session can only read.
    return login_not_required(csrf_exempt(vary_on_headers("Authorization", "Cookie")(wrapper)))


def token_writes(view):
    """Wraps an API view that writes (POST only, JSON 405 otherwise): no login redirect, no CSRF check — so it
    answers only a bearer token, never a browser session (401); the view checks the write scope (403)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return _method_not_allowed(
                "POST", _("Méthode %(method)s non permise : POST attendu.") % {"method": request.method}
            )
        if not request.META.get("HTTP_AUTHORIZATION"):
            return error_response(
                401,
                "unauthorized",
                _("Écrire demande un jeton personnel (Authorization: Bearer <jeton>), pas une session."),
            )
        return view(request, *args, **kwargs)

    return login_not_required(csrf_exempt(wrapper))


def require_write(request) -> None:
    """ApiError 403 unless the calling token has the write scope."""
    if not getattr(request, "api_can_write", False):
        raise ApiError(
            403,
            "forbidden",
            _(
                "Ce jeton ne fait que lire : créez sur la page « Mon profil » un jeton avec l'écriture des mesures "
                "d'impact."
            ),
        )
