"""python manage.py import_interviews STARTUP_SLUG FILE.csv — into the startup's open investigation."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from investigations.csv_io import ImportFileError, interviews_import
from products.models import Startup


class Command(BaseCommand):
    help = (
        "Importe un CSV d'entretiens dans l'investigation en cours d'une startup. Chaque ligne invalide est "
        "rejetée avec son numéro ; le code de sortie est 1 si une ligne au moins est rejetée."
    )

    def add_arguments(self, parser):
        parser.add_argument("startup_slug")
        parser.add_argument("file", type=Path)

    def handle(self, *args, startup_slug, file, **options):
        startup = Startup.objects.filter(slug=startup_slug).first()
        if startup is None:
            raise CommandError(f"Startup inconnue : « {startup_slug} ».")
        investigation = startup.investigations.open().first()
        if investigation is None:
            raise CommandError(
                f"La startup « {startup_slug} » n'a pas d'investigation en cours : ouvrez-en une avant d'importer."
            )
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Impossible de lire {file} : {error.strerror}.") from error
        try:
            report = interviews_import(investigation=investigation, by=None, content=content)
        except ImportFileError as error:
            raise CommandError(f"{file} : {error}") from error
        for line, reason in report.rejected:
            self.stderr.write(f"ligne {line} : {reason}")
        if report.groups_created:
            self.stdout.write("Groupes cibles créés : " + ", ".join(report.groups_created))
        summary = _("Entretiens importés : %(imported)d ; lignes rejetées : %(rejected)d.") % {
            "imported": report.imported,
            "rejected": report.rejected_count,
        }
        if report.rejected:
            raise CommandError(summary, returncode=1)
        self.stdout.write(self.style.SUCCESS(summary))
