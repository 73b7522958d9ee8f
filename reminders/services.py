"""Writes: sending the reminders due on a day (mail + notification + record, once), a person's reminder
preferences, marking notifications read."""

import dataclasses
import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from products.models import User

from . import rules
from .enums import ReminderKind
from .messages import describe
from .models import Notification, ReminderOptOut, SentReminder

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Outgoing:
    """One reminder to one person."""

    due: rules.Due
    recipient: User

    @property
    def key(self) -> tuple:
        startup_id = self.due.startup.pk if self.due.startup else None
        return (self.due.kind, startup_id, self.recipient.pk, self.due.object_id, self.due.about_date)


def reminders_pending(*, today: datetime.date) -> list[Outgoing]:
    """The reminders due on `today` that were not sent yet, to people who did not turn their kind off."""
    due = rules.due_on(today)
    opted_out = set(ReminderOptOut.objects.values_list("user_id", "kind"))
    sent = set(
        SentReminder.objects.filter(about_date__in={item.about_date for item in due}).values_list(
            "kind", "startup_id", "recipient_id", "object_id", "about_date"
        )
    )
    pending = []
    for item in due:
        for recipient in item.recipients:
            outgoing = Outgoing(item, recipient)
            if (recipient.pk, item.kind) not in opted_out and outgoing.key not in sent:
                sent.add(outgoing.key)
                pending.append(outgoing)
    return pending


def reminders_send(*, today: datetime.date | None = None, dry_run: bool = False) -> list[Outgoing]:
    """Send what `reminders_pending` finds: for each, the record, the notification and the e-mail, in one
    transaction (a mail that fails leaves no record: the next run tries again). A reminder another run recorded
    meanwhile is skipped. Returns what was sent (or, with `dry_run`, what would be)."""
    pending = reminders_pending(today=today or timezone.localdate())
    if dry_run:
        return pending
    sent = []
    for outgoing in pending:
        try:
            with transaction.atomic():
                reminder = SentReminder.objects.create(
                    kind=outgoing.due.kind,
                    startup=outgoing.due.startup,
                    recipient=outgoing.recipient,
                    object_id=outgoing.due.object_id,
                    about_date=outgoing.due.about_date,
                    params=outgoing.due.params,
                    path=outgoing.due.path,
                )
                Notification.objects.create(reminder=reminder, user=outgoing.recipient, created_at=reminder.sent_at)
                reminder_mail(reminder).send()
        except IntegrityError:
            logger.info("Reminder already sent by another run: %s", outgoing.key)
            continue
        sent.append(outgoing)
    return sent


def reminder_mail(reminder: SentReminder) -> EmailMessage:
    """The e-mail of a reminder, in its recipient's language, with the absolute link that resolves it."""
    recipient = reminder.recipient
    with translation.override(recipient.language):
        title, text = describe(reminder.kind, reminder.startup.name if reminder.startup else "", reminder.params)
        body = render_to_string(
            "reminders/email/reminder.txt",
            {
                "recipient": recipient,
                "text": text,
                "url": settings.SITE_URL + reminder.path,
                "profile_url": settings.SITE_URL + reverse("profile"),
            },
        )
    return EmailMessage(subject=f"[Betatracker] {title}", body=body, to=[recipient.email])


@transaction.atomic
def reminder_preferences_save(*, user: User, language: str, kinds: list[str]) -> None:
    """Keep the person's mail language and turn off every kind not in `kinds`."""
    if user.language != language:
        user.language = language
        user.clean_fields(exclude=[field.name for field in User._meta.fields if field.name != "language"])
        user.save(update_fields=["language"])
    wanted = set(kinds)
    ReminderOptOut.objects.filter(user=user, kind__in=wanted).delete()
    off = set(ReminderKind.values) - wanted
    existing = set(ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True))
    ReminderOptOut.objects.bulk_create([ReminderOptOut(user=user, kind=kind) for kind in sorted(off - existing)])


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.unread().filter(user=user).update(read_at=timezone.now())
