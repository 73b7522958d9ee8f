"""Scheduled with django-crontask (`manage.py crontask`), run by the database worker (`manage.py db_worker`)."""

from crontask import cron
from django.tasks import task
from django.utils import timezone

from . import watch


# Every night, just after midnight: the day's alert flags of every startup, so that no one's first page of the
# day waits for them (portfolio.watch; the first read of the day does it if this did not run).
@cron("5 0 * * *")
@task
def refresh_watch_flags() -> None:
    watch.ensure_fresh(timezone.localdate())
