"""python manage.py export_impact [--startup SLUG] [--format json|csv] — impact and money per startup."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.csv import CsvWriter
from products.impact_report import impact_export, impact_export_rows
from products.models import Startup


class Command(BaseCommand):
    help = _(
        "Écrit sur la sortie standard, par startup : slug, indicators (name, unit, north_star, measurements "
        "[date, value], cost_per_unit et reason quand il n'est pas défini), granted_eur, spent_eur."
    )

    def add_arguments(self, parser):
        parser.add_argument("--startup", metavar="SLUG", help=_("Seulement cette startup."))
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, **options):
        startups = Startup.objects.order_by("slug")
        if options["startup"]:
            startups = startups.filter(slug=options["startup"])
            if not startups.exists():
                raise CommandError(_("Aucune startup d'identifiant « %(slug)s ».") % {"slug": options["startup"]})
        data = impact_export(startups)
        if options["format"] == "csv":
            CsvWriter(self.stdout, lineterminator="\n").writerows(impact_export_rows(data))
        else:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
