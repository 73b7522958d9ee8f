"""python manage.py benchmark_import [--rows 100000] — how long the CSV import of interviews takes.

Generates a file of short rows (as a spreadsheet export would: date, pseudonym, group, intensity, two tags,
consent, a note, one quote in two rows out of three), imports it into a throwaway startup and investigation,
prints the figures, and rolls everything back: nothing stays in the database."""

import csv
import datetime
import io
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from investigations.csv_io import interviews_import
from investigations.models import Investigation
from products.models import Incubator, Startup


class _Rollback(Exception):
    pass


def generated_csv(rows: int, start: datetime.date) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["date", "interviewee", "target_group", "intensity", "tags", "consent", "notes", "quote"])
    for n in range(rows):
        writer.writerow(
            [
                (start + datetime.timedelta(days=n % 60)).isoformat(),
                f"P-{n:06d}",
                ("TPE", "PME", "ETI", "GE")[n % 4],
                n % 4,
                "délais|ressaisie" if n % 2 else "délais",
                "oui" if n % 5 else "non",
                f"Note {n}",
                f"Verbatim {n}" if n % 3 else "",
            ]
        )
    return out.getvalue().encode()


class Command(BaseCommand):
    help = "Mesure la durée de l'import CSV d'entretiens sur un fichier généré (rien n'est conservé)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)

    def handle(self, *args, rows, **options):
        start = datetime.date.today() - datetime.timedelta(days=90)
        content = generated_csv(rows, start)
        try:
            with transaction.atomic():
                incubator = Incubator.objects.create(slug="benchmark-import", title="Benchmark")
                startup = Startup.objects.create(slug="benchmark-import", name="Benchmark", incubator=incubator)
                investigation = Investigation.objects.create(
                    startup=startup, started_on=start, planned_end=start + datetime.timedelta(weeks=9)
                )
                began, cpu = time.perf_counter(), time.process_time()
                report = interviews_import(investigation=investigation, by=None, content=content)
                elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
                raise _Rollback
        except _Rollback:
            pass
        self.stdout.write(
            f"{rows} lignes ({len(content) / 1024 / 1024:.1f} Mo) : {report.imported} importées, "
            f"{report.rejected_count} rejetées en {elapsed:.1f} s ({rows / elapsed:.0f} lignes/s ; "
            f"{cpu:.1f} s de processeur)."
        )
