"""A record per reminder sent (what makes sending idempotent), each person's opt-outs, and the in-app
notifications the reminders create."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from products.models import Startup

from .enums import ReminderKind


class SentReminder(models.Model):
    """One reminder sent to one person. The unique constraints are the idempotence: the same reminder (kind,
    startup, recipient, the object and the date it is about) is never recorded, hence never sent, twice."""

    kind = models.CharField(_("type"), max_length=30, choices=ReminderKind)
    startup = models.ForeignKey(
        Startup,
        verbose_name=_("startup"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Vide pour un résumé hebdomadaire, qui porte sur plusieurs startups."),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("destinataire"), on_delete=models.CASCADE, related_name="+"
    )
    # The object the reminder is about (a condition, an investigation; 0 when the date alone says it) and its
    # date (the committee's, the budget's end, the due date, the last interview, the Monday of the digest's week).
    object_id = models.PositiveBigIntegerField(_("objet"), default=0)
    about_date = models.DateField(_("date concernée"))
    # What the message says (dates as ISO strings, names), rendered in the reader's language when shown.
    params = models.JSONField(_("contenu"), default=dict, blank=True)
    path = models.CharField(_("lien"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)

    class Meta:
        verbose_name = _("rappel envoyé")
        verbose_name_plural = _("rappels envoyés")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "startup", "recipient", "object_id", "about_date"],
                condition=Q(startup__isnull=False),
                name="reminder_sent_once",
            ),
            models.UniqueConstraint(
                fields=["kind", "recipient", "object_id", "about_date"],
                condition=Q(startup__isnull=True),
                name="reminder_without_startup_sent_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.startup or '—'} — {self.recipient}"


class ReminderOptOut(models.Model):
    """A person who turned a kind of reminder off: neither e-mail nor notification of that kind."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="reminder_opt_outs"
    )
    kind = models.CharField(_("type"), max_length=30, choices=ReminderKind)

    class Meta:
        verbose_name = _("rappel désactivé")
        verbose_name_plural = _("rappels désactivés")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="reminder_opt_out_once")]

    def __str__(self):
        return f"{self.user} — {self.get_kind_display()}"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A reminder as it appears in the app, on the notifications page, read or not."""

    reminder = models.OneToOneField(
        SentReminder, verbose_name=_("rappel"), on_delete=models.CASCADE, related_name="notification"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return str(self.reminder)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
