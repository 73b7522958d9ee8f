"""python manage.py export_decisions [--since DATE] [--format json|csv] — every decision, imported
history included, as a JSON array (default) or CSV on standard output."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from committees.exports import decision_export, decision_export_csv
from committees.models import Decision


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Date invalide pour --since : « {value} » (attendu : AAAA-MM-JJ).") from None


class Command(BaseCommand):
    help = "Exporte les décisions de comité (historique importé compris) en JSON ou en CSV."

    def add_arguments(self, parser):
        parser.add_argument("--since", type=str, help="Seulement les décisions de cette date (AAAA-MM-JJ) ou après.")
        parser.add_argument("--format", choices=["json", "csv"], default="json", help="json (par défaut) ou csv.")

    def handle(self, *args, **options):
        decisions = Decision.objects.all()
        if options["since"]:
            decisions = decisions.since(_date(options["since"]))
        rows = decision_export(decisions)
        if options["format"] == "csv":
            self.stdout.write(decision_export_csv(rows), ending="")
        else:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
