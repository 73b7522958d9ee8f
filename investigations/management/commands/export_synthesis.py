"""python manage.py export_synthesis STARTUP_SLUG — the synthesis of the startup's latest investigation."""

import json

from django.core.management.base import BaseCommand, CommandError

from investigations.synthesis import investigation_synthesis
from products.models import Startup


class Command(BaseCommand):
    help = "Affiche en JSON la synthèse de la dernière investigation d'une startup."

    def add_arguments(self, parser):
        parser.add_argument("startup_slug")

    def handle(self, *args, startup_slug, **options):
        startup = Startup.objects.filter(slug=startup_slug).first()
        if startup is None:
            raise CommandError(f"Startup inconnue : « {startup_slug} ».")
        investigation = startup.investigations.latest_first().first()
        if investigation is None:
            raise CommandError(f"La startup « {startup_slug} » n'a aucune investigation.")
        self.stdout.write(json.dumps(investigation_synthesis(investigation), ensure_ascii=False, indent=2))
