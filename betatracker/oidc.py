"""ProConnect sign-in (OpenID Connect) on top of mozilla-django-oidc.

Switched on only when PROCONNECT_CLIENT_ID, PROCONNECT_CLIENT_SECRET and either PROCONNECT_ISSUER
(endpoints read from its discovery document) or the four endpoint URLs are set. When it is off, the
button is hidden, the URLs answer 404 and the backend never authenticates anyone.
"""

import logging
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .services import ProConnectRefused, proconnect_sign_in

logger = logging.getLogger(__name__)

DISCOVERY_CACHE_SECONDS = 60 * 60
REFUSAL_ATTRIBUTE = "_proconnect_refusal"


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_endpoint: str
    sign_algo: str
    end_session_endpoint: str = ""


class ProviderUnavailable(Exception):
    """The discovery document of the issuer could not be read."""


def is_enabled() -> bool:
    """ProConnect is configured: credentials, and an issuer or every endpoint."""
    s = settings
    if not (s.PROCONNECT_CLIENT_ID and s.PROCONNECT_CLIENT_SECRET):
        return False
    endpoints = (
        s.PROCONNECT_AUTHORIZATION_ENDPOINT,
        s.PROCONNECT_TOKEN_ENDPOINT,
        s.PROCONNECT_USERINFO_ENDPOINT,
        s.PROCONNECT_JWKS_ENDPOINT,
    )
    return bool(s.PROCONNECT_ISSUER) or all(endpoints)


def _discovery(issuer: str) -> dict:
    key = f"proconnect-discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        url = f"{issuer}/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(str(exc)) from exc
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def provider() -> Provider:
    """The provider's configuration: explicit endpoint settings win over the discovery document."""
    if not is_enabled():
        raise Http404(_("La connexion avec ProConnect n'est pas configurée."))
    s = settings
    issuer = s.PROCONNECT_ISSUER.rstrip("/")
    explicit = {
        "authorization_endpoint": s.PROCONNECT_AUTHORIZATION_ENDPOINT,
        "token_endpoint": s.PROCONNECT_TOKEN_ENDPOINT,
        "userinfo_endpoint": s.PROCONNECT_USERINFO_ENDPOINT,
        "jwks_uri": s.PROCONNECT_JWKS_ENDPOINT,
    }
    document = {} if all(explicit.values()) else _discovery(issuer)
    resolved = {key: value or document.get(key, "") for key, value in explicit.items()}
    if not all(resolved.values()):
        raise ProviderUnavailable("The discovery document lacks an endpoint.")
    return Provider(
        issuer=document.get("issuer", issuer),
        client_id=s.PROCONNECT_CLIENT_ID,
        client_secret=s.PROCONNECT_CLIENT_SECRET,
        authorization_endpoint=resolved["authorization_endpoint"],
        token_endpoint=resolved["token_endpoint"],
        userinfo_endpoint=resolved["userinfo_endpoint"],
        jwks_endpoint=resolved["jwks_uri"],
        sign_algo=s.PROCONNECT_SIGN_ALGO,
        end_session_endpoint=s.PROCONNECT_END_SESSION_ENDPOINT or document.get("end_session_endpoint", ""),
    )


ID_TOKEN_SESSION_KEY = "oidc_id_token"  # where mozilla-django-oidc keeps the ID token (OIDC_STORE_ID_TOKEN)


def provider_logout_url(request, id_token: str) -> str | None:
    """Where to send a person who signed in with ProConnect and signs out, so that their ProConnect session
    ends too and ProConnect sends them back to the sign-in page; None when ProConnect is off, unreachable
    or has no end-session endpoint (then only the Betatracker session ends)."""
    if not (id_token and is_enabled()):
        return None
    try:
        endpoint = provider().end_session_endpoint
    except ProviderUnavailable:
        logger.warning("ProConnect discovery document unavailable at sign-out", exc_info=True)
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": secrets.token_urlsafe(24),
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def _refuse(request, message: str) -> None:
    setattr(request, REFUSAL_ATTRIBUTE, message)


def _from_provider(name: str) -> property:
    """A mozilla-django-oidc setting read from the ProConnect configuration when a sign-in needs it."""
    return property(lambda backend: getattr(backend.provider, name))


class ProConnectBackend(OIDCAuthenticationBackend):
    """Authenticates a ProConnect callback; account matching is in services.proconnect_sign_in.

    Settings are read when a sign-in happens, not when the backend is built: Django builds backends
    on every request of a signed-in person, and ProConnect may be off.
    """

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()
        self._provider = None

    @property
    def provider(self) -> Provider:
        if self._provider is None:
            self._provider = provider()
        return self._provider

    # Attributes read by mozilla-django-oidc.
    OIDC_RP_IDP_SIGN_KEY = None

    OIDC_OP_TOKEN_ENDPOINT = _from_provider("token_endpoint")
    OIDC_OP_USER_ENDPOINT = _from_provider("userinfo_endpoint")
    OIDC_OP_JWKS_ENDPOINT = _from_provider("jwks_endpoint")
    OIDC_RP_CLIENT_ID = _from_provider("client_id")
    OIDC_RP_CLIENT_SECRET = _from_provider("client_secret")
    OIDC_RP_SIGN_ALGO = _from_provider("sign_algo")

    def authenticate(self, request, **kwargs):
        if request is None or not is_enabled() or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        try:
            return super()._verify_jws(payload, key)
        except jwt.ExpiredSignatureError as exc:
            raise SuspiciousOperation("The token has expired.") from exc
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"Invalid token: {exc}") from exc

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the ID token (the signed userinfo carries no nonce)
            audience = payload.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            if self.provider.client_id not in audiences:
                raise SuspiciousOperation("The ID token was issued for another client.")
            if self.provider.issuer and payload.get("iss") != self.provider.issuer:
                raise SuspiciousOperation("The ID token comes from another issuer.")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo subject differs from the ID token's.")
        try:
            return proconnect_sign_in(claims=claims)
        except ProConnectRefused as refusal:
            _refuse(self.request, refusal.message)
            logger.info("ProConnect sign-in refused for %s: %s", claims.get("email"), refusal.message)
            return None

    def get_user(self, user_id):
        # Django's version, which refuses inactive accounts (mozilla-django-oidc's does not).
        return ModelBackend.get_user(self, user_id)


def _back_to_login(request, message: str | None = None):
    messages.error(
        request,
        message
        or _("La connexion avec ProConnect a échoué. Réessayez, ou connectez-vous avec votre adresse électronique."),
    )
    return HttpResponseRedirect(reverse("login"))


class ProConnectAuthenticateView(OIDCAuthenticationRequestView):
    """Sends the person to ProConnect's authorization endpoint (state and nonce kept in the session)."""

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        try:
            configuration = provider()
        except ProviderUnavailable:
            logger.warning("ProConnect discovery document unavailable", exc_info=True)
            return _back_to_login(
                request, _("ProConnect ne répond pas pour le moment. Réessayez dans quelques minutes.")
            )
        self.OIDC_OP_AUTH_ENDPOINT = configuration.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = configuration.client_id
        return super().get(request)


class ProConnectCallbackView(OIDCAuthenticationCallbackView):
    """ProConnect sends the person back here; any failure ends on the login page with a message."""

    def get(self, request):
        if not is_enabled():
            raise Http404(_("La connexion avec ProConnect n'est pas configurée."))
        try:
            return super().get(request)
        except SuspiciousOperation as exc:
            logger.warning("ProConnect callback refused: %s", exc)
        except (requests.RequestException, ValueError, ProviderUnavailable) as exc:
            logger.warning("ProConnect unreachable during the callback: %s", exc)
        return self.login_failure()

    def login_failure(self):
        return _back_to_login(self.request, getattr(self.request, REFUSAL_ATTRIBUTE, None))


urlpatterns = [
    path(
        "proconnect/connexion/",
        login_not_required(ProConnectAuthenticateView.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "proconnect/retour/",
        login_not_required(ProConnectCallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
]
