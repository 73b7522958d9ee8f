"""Access to Betatracker from outside: ProConnect identities, allowed e-mail domains, API tokens."""

import hashlib
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import actor_field

from .throttle import FailedLogin  # noqa: F401  (login throttling, kept in its own module)

DOMAIN = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")


# --- ProConnect ---------------------------------------------------------------------------------
class AllowedDomainQuerySet(models.QuerySet):
    def allows(self, email: str) -> bool:
        """Whether an administrator allowed accounts to be created for this address's domain."""
        domain = email.rpartition("@")[2].strip().lower()
        return bool(domain) and self.filter(domain=domain).exists()


class AllowedDomain(models.Model):
    """An e-mail domain whose people get an account on their first ProConnect sign-in."""

    domain = models.CharField(
        _("domaine"),
        max_length=253,
        unique=True,
        help_text=_(
            "Par exemple « beta.gouv.fr » : la partie de l'adresse après l'arobase, sans sous-domaine implicite."
        ),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = actor_field(_("autorisé par"))
    created_at = models.DateTimeField(_("autorisé le"), auto_now_add=True)

    objects = AllowedDomainQuerySet.as_manager()

    class Meta:
        verbose_name = _("domaine autorisé")
        verbose_name_plural = _("domaines autorisés")
        ordering = ["domain"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(domain=Lower("domain")),
                name="allowed_domain_lowercase",
                violation_error_message=_("Le domaine s'écrit en minuscules."),
            ),
        ]

    def __str__(self):
        return self.domain

    def clean(self):
        super().clean()
        self.domain = self.domain.strip().lower().removeprefix("@")
        if not DOMAIN.fullmatch(self.domain):
            raise ValidationError(
                {
                    "domain": _("« %(domain)s » n'est pas un nom de domaine (exemple : beta.gouv.fr).")
                    % {"domain": self.domain}
                }
            )


class ProConnectIdentity(models.Model):
    """The link between a ProConnect subject (`sub`) and a Betatracker account, made at first sign-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur"),
        on_delete=models.CASCADE,
        related_name="proconnect_identity",
    )
    sub = models.CharField(_("identifiant ProConnect (sub)"), max_length=255, unique=True)
    email = models.EmailField(_("adresse transmise par ProConnect"))
    linked_at = models.DateTimeField(_("lié le"), default=timezone.now)
    last_sign_in_at = models.DateTimeField(_("dernière connexion"), null=True, blank=True)

    class Meta:
        verbose_name = _("identité ProConnect")
        verbose_name_plural = _("identités ProConnect")
        ordering = ["-linked_at"]

    def __str__(self):
        return f"{self.email} ({self.sub})"


# --- API tokens ---------------------------------------------------------------------------------
def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        """Neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def matching(self, raw: str):
        """The active token whose secret is `raw`, looked up by its SHA-256 hash."""
        return self.active().filter(token_hash=hash_token(raw))


class ApiToken(models.Model):
    """A personal token to read the API with its owner's permissions. Only a SHA-256 hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("utilisateur"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nom"), max_length=100)
    token_hash = models.CharField(_("empreinte SHA-256"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("début du jeton"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    startups = models.ManyToManyField(
        "products.Startup",
        verbose_name=_("startups accessibles"),
        blank=True,
        related_name="+",
        help_text=_("Vide : toutes celles que son propriétaire peut lire. Sinon, le jeton ne lit qu'elles."),
    )

    can_write = models.BooleanField(
        _("écriture des mesures d'impact"),
        default=False,
        help_text=_("Sinon, le jeton ne fait que lire. Seules les mesures d'impact s'écrivent par l'API."),
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is None or self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired
