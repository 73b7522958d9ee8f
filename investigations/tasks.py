"""Scheduled with django-crontask (`manage.py crontask`), run by the database worker (`manage.py db_worker`)."""

from crontask import cron
from django.tasks import task

from .csv_io import (
    ImportReport,
    TooManyRowsError,
    interviews_import,
    interviews_import_keep,
    interviews_import_run,
    max_bytes,
    max_rows,
)
from .models import InterviewImport
from .services import interviews_purge


# Every night: the retention period of an interview is kept only if this runs every day. A missed night
# is caught up by the next one (the purge takes everything past its date). Same as `manage.py purge_interviews`.
@cron("15 3 * * *")
@task
def purge_interviews() -> int:
    return interviews_purge()


# A CSV of interviews with more rows than an upload may import within its request (issue 16, item 2).
@task
def interviews_import_task(import_id: int) -> int:
    job = InterviewImport.objects.filter(pk=import_id).first()
    return interviews_import_run(job=job).imported if job is not None else 0


def interviews_import_queue(*, investigation, by, content: bytes, filename: str) -> InterviewImport:
    """Keep the file and queue its import; the worker runs it (the test settings run it at once)."""
    job = interviews_import_keep(investigation=investigation, by=by, content=content, filename=filename)
    interviews_import_task.enqueue(job.pk)
    job.refresh_from_db()
    return job


def interviews_upload(*, investigation, by, content: bytes, filename: str) -> ImportReport | InterviewImport:
    """An uploaded CSV: imported during the request within the upload limits (its report), or, with more rows
    than a request may import, kept and queued for the worker (the InterviewImport whose page follows it).
    ImportFileError when the file is refused as a whole."""
    try:
        return interviews_import(
            investigation=investigation, by=by, content=content, byte_limit=max_bytes(), row_limit=max_rows()
        )
    except TooManyRowsError:
        return interviews_import_queue(investigation=investigation, by=by, content=content, filename=filename)
