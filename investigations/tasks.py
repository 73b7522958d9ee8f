"""Scheduled with django-crontask (`manage.py crontask`), run by the database worker (`manage.py db_worker`)."""

from crontask import cron
from django.tasks import task

from .services import interviews_purge


# Every night: the retention period of an interview is kept only if this runs every day. A missed night
# is caught up by the next one (the purge takes everything past its date). Same as `manage.py purge_interviews`.
@cron("15 3 * * *")
@task
def purge_interviews() -> int:
    return interviews_purge()
