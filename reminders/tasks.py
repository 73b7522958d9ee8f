"""Scheduled with django-crontask (`manage.py crontask`), run by the database worker (`manage.py db_worker`)."""

from crontask import cron
from django.tasks import task
from django.utils import timezone

from .services import reminders_send


# Every morning; the weekly digest goes out with the first run of the week (Monday). Idempotent: a run
# that finds nothing new sends nothing, and a missed day is caught up by the next one.
@cron("0 7 * * *")
@task
def send_reminders() -> int:
    return len(reminders_send(today=timezone.localdate()))
