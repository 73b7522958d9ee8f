"""Writes of the betatracker app: ProConnect sign-in and personal API tokens."""

import datetime
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from products.models import Invitation, Startup
from products.perms import SYNTHESIS_READERS, startup_ids_q

from .models import AllowedDomain, ApiToken, ProConnectIdentity, hash_token

User = get_user_model()

TOKEN_PREFIX = "bt_"


class ProConnectRefused(Exception):
    """A ProConnect sign-in that Betatracker refuses, with the reason to show on the login page."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _full_name(claims: dict) -> str:
    return " ".join(part.strip() for part in (claims.get("given_name"), claims.get("usual_name")) if part).strip()


@transaction.atomic
def proconnect_sign_in(*, claims: dict) -> User:
    """The account for a person ProConnect has just authenticated, from their verified claims.

    1. a subject already linked signs in to its account;
    2. otherwise the verified e-mail (case-insensitive) links the subject to an existing active account —
       never to a staff or superuser account (whoever controls that address at the identity provider would
       become an administrator: an administrator links such an account in the admin);
    3. otherwise an account is created only if an administrator allowed the e-mail's domain, or a team invited
       that very address (products.Invitation, still pending).
    Anything else raises ProConnectRefused with a message for the person.
    """
    sub = str(claims.get("sub") or "").strip()
    email = str(claims.get("email") or "").strip().lower()
    if not sub or not email or "@" not in email:
        raise ProConnectRefused(_("ProConnect n'a pas transmis d'adresse électronique : la connexion est impossible."))
    if claims.get("email_verified") is False:
        raise ProConnectRefused(
            _("ProConnect indique que l'adresse %(email)s n'est pas vérifiée : la connexion est refusée.")
            % {"email": email}
        )
    now = timezone.now()
    identity = ProConnectIdentity.objects.select_for_update().select_related("user").filter(sub=sub).first()
    if identity is not None:
        if not identity.user.is_active:
            raise ProConnectRefused(
                _("Votre compte Betatracker est désactivé. Contactez l'équipe de votre incubateur.")
            )
        identity.email = email
        identity.last_sign_in_at = now
        identity.save(update_fields=["email", "last_sign_in_at"])
        return identity.user

    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        if not user.is_active:
            raise ProConnectRefused(
                _("Votre compte Betatracker est désactivé. Contactez l'équipe de votre incubateur.")
            )
        if user.is_staff or user.is_superuser:
            raise ProConnectRefused(
                _(
                    "Le compte %(email)s est un compte d'administration : il n'est pas relié à ProConnect par "
                    "son adresse. Connectez-vous avec votre mot de passe."
                )
                % {"email": email}
            )
        if hasattr(user, "proconnect_identity"):
            raise ProConnectRefused(
                _("Le compte %(email)s est déjà lié à une autre identité ProConnect. Contactez un administrateur.")
                % {"email": email}
            )
        if not user.full_name:
            user.full_name = _full_name(claims)[:150]
            user.save(update_fields=["full_name"])
    elif AllowedDomain.objects.allows(email) or Invitation.objects.pending().filter(email__iexact=email).exists():
        # An allowed domain, or a pending invitation to this address (the person then accepts it on its page).
        user = User(email=email, full_name=_full_name(claims)[:150] or email)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    else:
        raise ProConnectRefused(
            _(
                "Aucun compte Betatracker n'existe pour l'adresse %(email)s et son domaine n'est pas ouvert "
                "à l'inscription. Demandez à l'équipe de votre incubateur de vous inviter."
            )
            % {"email": email}
        )
    identity = ProConnectIdentity(user=user, sub=sub, email=email, linked_at=now, last_sign_in_at=now)
    identity.full_clean()
    identity.save()
    return user


def api_token_readable_startups(user: User):
    """The startups a token of `user` may be limited to: those whose synthesis and decisions they may read."""
    return Startup.objects.filter(startup_ids_q(user, SYNTHESIS_READERS)).order_by("name")


@transaction.atomic
def api_token_create(
    *, user: User, name: str, startups: Iterable[Startup] = (), days: int | None = None, can_write: bool = False
) -> tuple[ApiToken, str]:
    """A new personal token for `user`, expiring after `days` (API_TOKEN_DAYS by default) and, given
    `startups` (among those `user` may read), limited to them; with `can_write`, it may also record impact
    measurements. Returns the token and its secret, which is never stored."""
    days = days or settings.API_TOKEN_DAYS
    startups = list(startups)
    readable = set(
        api_token_readable_startups(user).filter(pk__in=[s.pk for s in startups]).values_list("pk", flat=True)
    )
    if any(startup.pk not in readable for startup in startups):
        raise ValidationError({"startups": _("Un jeton ne peut donner accès qu'à des startups que vous pouvez lire.")})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip(),
        token_hash=hash_token(raw),
        prefix=raw[:10],
        expires_at=timezone.now() + datetime.timedelta(days=days),
        can_write=can_write,
    )
    token.full_clean()
    token.save()
    token.startups.set(startups)
    return token, raw


@transaction.atomic
def api_tokens_revoke_all(*, user: User) -> int:
    """Revoke every active token of `user`: on a password change or reset and on deactivation, called by the
    views that do these. Returns how many."""
    return ApiToken.objects.active().filter(user=user).update(revoked_at=timezone.now())


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke a token; only its owner may. Revoking twice keeps the first date."""
    if token.user_id != by.pk:
        raise ValidationError(_("Ce jeton ne vous appartient pas."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
