"""python manage.py purge_interviews — anonymise every interview past its retention date (logged)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from investigations.services import interviews_purge


class Command(BaseCommand):
    help = (
        "Anonymise les entretiens dont la date de conservation est passée (notes et organisation effacées, "
        "pseudonyme retiré, verbatims sans détails identifiants) et journalise l'opération."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Date de référence AAAA-MM-JJ (par défaut : aujourd'hui).")

    def handle(self, *args, date=None, **options):
        on = None
        if date:
            try:
                on = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"Date illisible : « {date} » (attendu AAAA-MM-JJ).") from error
        count = interviews_purge(on=on)
        self.stdout.write(self.style.SUCCESS(f"{count} entretien(s) anonymisé(s)."))
