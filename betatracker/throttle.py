"""Sign-in throttling that slows down, never locks out.

Attempts are rows in the database, so that every gunicorn worker (and every web process behind the
platform's router) sees the same count. Each kind of attempt has its counters:

- sign-in: failures per (account, client address) — after MAX_FAILURES, each new try waits twice as long
  as the previous one (15 s, 30 s, 1 min… 15 min at most) — and, looser, per account from any address
  (after 20 failures, a minute at most), so that a distributed guess slows down without keeping the
  owner out for long;
- password reset requests: per (address typed, client address) and per client address;
- the password-change form: wrong current passwords per (account, client address).

The client address is REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT proxies (Scalingo's router: 1), the
address the outermost trusted proxy saw, read from TRUSTED_PROXY_HEADER (X-Forwarded-For): people behind
one office proxy are told apart, and a forged header cannot pick someone else's counter.
"""

import dataclasses
import datetime
import ipaddress
import math

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.durations import short_datetime

MAX_FAILURES = 5  # failures of one account from one address before the waits begin
WINDOW = datetime.timedelta(hours=1)  # attempts older than this are forgotten


class AttemptKind(models.TextChoices):
    LOGIN = "login", _("connexion")
    PASSWORD_RESET = "reset", _("mot de passe oublié")
    PASSWORD_CHANGE = "change", _("changement de mot de passe")


@dataclasses.dataclass(frozen=True)
class Rule:
    free: int  # attempts before any wait
    base: int  # seconds to wait after the first attempt over `free`, doubled at each further one
    cap: int  # seconds, at most


LOGIN_PAIR = Rule(free=MAX_FAILURES, base=15, cap=15 * 60)
LOGIN_ACCOUNT = Rule(free=20, base=5, cap=60)
RESET_PAIR = Rule(free=3, base=60, cap=15 * 60)
RESET_ADDRESS = Rule(free=10, base=60, cap=15 * 60)
CHANGE_PAIR = Rule(free=MAX_FAILURES, base=15, cap=15 * 60)


class FailedLoginQuerySet(models.QuerySet):
    def of(self, *, email: str, ip: str | None, kind: str = AttemptKind.LOGIN):
        return self.filter(kind=kind, email=normalise_email(email), ip_address=ip)

    def recent(self, now: datetime.datetime | None = None):
        return self.filter(attempted_at__gt=(now or timezone.now()) - WINDOW)


class FailedLogin(models.Model):
    """One failed sign-in (or password-change) attempt, or one password-reset request."""

    kind = models.CharField(_("type"), max_length=10, choices=AttemptKind, default=AttemptKind.LOGIN)
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
        return f"{self.email} — {self.ip_address} — {short_datetime(self.attempted_at)}"


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()[:254]


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the one the outermost of TRUSTED_PROXY_COUNT proxies saw."""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        header = request.META.get(getattr(settings, "TRUSTED_PROXY_HEADER", "HTTP_X_FORWARDED_FOR"), "")
        hops = [hop.strip() for hop in header.split(",") if hop.strip()]
        if len(hops) >= count:
            try:
                return str(ipaddress.ip_address(hops[-count]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None


def _wait(attempts, rule: Rule, now: datetime.datetime) -> int:
    """Seconds still to wait under `rule`, given the recent attempts of one counter."""
    seen = attempts.recent(now).aggregate(count=Count("pk"), last=Max("attempted_at"))
    if seen["count"] < rule.free:
        return 0
    delay = min(rule.cap, rule.base * 2 ** min(seen["count"] - rule.free, 32))
    return max(0, math.ceil((seen["last"] + datetime.timedelta(seconds=delay) - now).total_seconds()))


def login_wait(*, email: str, ip: str | None, now: datetime.datetime | None = None) -> int:
    """Seconds before signing in with `email` from `ip` may be tried again (0: now)."""
    now = now or timezone.now()
    email = normalise_email(email)
    logins = FailedLogin.objects.filter(kind=AttemptKind.LOGIN, email=email)
    return max(_wait(logins.filter(ip_address=ip), LOGIN_PAIR, now), _wait(logins, LOGIN_ACCOUNT, now))


def password_reset_wait(*, email: str, ip: str | None, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    resets = FailedLogin.objects.filter(kind=AttemptKind.PASSWORD_RESET, ip_address=ip)
    return max(_wait(resets.filter(email=normalise_email(email)), RESET_PAIR, now), _wait(resets, RESET_ADDRESS, now))


def password_change_wait(*, email: str, ip: str | None, now: datetime.datetime | None = None) -> int:
    attempts = FailedLogin.objects.of(email=email, ip=ip, kind=AttemptKind.PASSWORD_CHANGE)
    return _wait(attempts, CHANGE_PAIR, now or timezone.now())


def login_throttled(*, email: str, ip: str | None) -> bool:
    """Whether sign-in with `email` from `ip` has to wait for now."""
    return login_wait(email=email, ip=ip) > 0


@transaction.atomic
def failed_login_record(*, email: str, ip: str | None, kind: str = AttemptKind.LOGIN) -> FailedLogin:
    """Count one attempt, and forget the attempts older than the window."""
    FailedLogin.objects.filter(attempted_at__lte=timezone.now() - WINDOW).delete()
    failure = FailedLogin(kind=kind, email=normalise_email(email), ip_address=ip)
    failure.full_clean()
    failure.save()
    return failure


@transaction.atomic
def failed_login_clear(*, email: str, ip: str | None, kind: str = AttemptKind.LOGIN) -> None:
    """A successful sign-in (or password change) wipes the failures of its key."""
    FailedLogin.objects.of(email=email, ip=ip, kind=kind).delete()
