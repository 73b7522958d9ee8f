"""python manage.py export_portfolio — the portfolio as a JSON array on standard output."""

import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from products.exports import portfolio_export


class Command(BaseCommand):
    help = _(
        "Écrit le portefeuille en JSON sur la sortie standard : une entrée par startup, triées par "
        "identifiant (slug, name, incubator, incubators, sponsors, current_phase, phases)."
    )

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(portfolio_export(), ensure_ascii=False, indent=2))
