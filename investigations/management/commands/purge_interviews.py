"""python manage.py purge_interviews — anonymise every interview past its retention date (logged)."""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from core.commands import DATE_HELP, date_option
from investigations.services import interviews_purge


class Command(BaseCommand):
    help = (
        "Anonymise les entretiens dont la date de conservation est passée (notes et organisation effacées, "
        "pseudonyme retiré, verbatims sans détails identifiants) et journalise l'opération."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help=DATE_HELP)

    def handle(self, *args, date=None, **options):
        on = date_option(date)
        count = interviews_purge(on=on)
        self.stdout.write(
            self.style.SUCCESS(
                ngettext("%(count)d entretien anonymisé.", "%(count)d entretiens anonymisés.", count) % {"count": count}
            )
        )
