"""Login throttling: after repeated failures for one email from one address, refuse for a while.

Failures are rows in the database, so that every gunicorn worker (and every web process behind
the platform's router) sees the same count. The key is the email as typed (lower-cased) and the
client address (REMOTE_ADDR: behind a router that hides it, the key degrades to the email alone,
which is stricter, never weaker).
"""

import datetime

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_FAILURES = 5
WINDOW = datetime.timedelta(minutes=15)


class FailedLoginQuerySet(models.QuerySet):
    def of(self, *, email: str, ip: str | None):
        return self.filter(email=normalise_email(email), ip_address=ip)

    def recent(self, now: datetime.datetime | None = None):
        return self.filter(attempted_at__gt=(now or timezone.now()) - WINDOW)


class FailedLogin(models.Model):
    """One failed sign-in attempt."""

    email = models.CharField(_("adresse saisie"), max_length=254)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    attempted_at = models.DateTimeField(_("le"), default=timezone.now)

    objects = FailedLoginQuerySet.as_manager()

    class Meta:
        app_label = "betatracker"
        verbose_name = _("échec de connexion")
        verbose_name_plural = _("échecs de connexion")
        ordering = ["-attempted_at"]
        indexes = [models.Index(fields=["email", "ip_address", "attempted_at"], name="failed_login_key_time")]

    def __str__(self):
        return f"{self.email} — {self.ip_address} — {self.attempted_at:%d/%m/%Y %H:%M}"


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()[:254]


def login_throttled(*, email: str, ip: str | None) -> bool:
    """Whether sign-in with `email` from `ip` is refused for now."""
    return FailedLogin.objects.of(email=email, ip=ip).recent().count() >= MAX_FAILURES


@transaction.atomic
def failed_login_record(*, email: str, ip: str | None) -> FailedLogin:
    """Count one failure, and forget the failures older than the window."""
    FailedLogin.objects.filter(attempted_at__lte=timezone.now() - WINDOW).delete()
    failure = FailedLogin(email=normalise_email(email), ip_address=ip)
    failure.full_clean()
    failure.save()
    return failure


@transaction.atomic
def failed_login_clear(*, email: str, ip: str | None) -> None:
    """A successful sign-in wipes the failures of its key."""
    FailedLogin.objects.of(email=email, ip=ip).delete()
