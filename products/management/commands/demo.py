"""python manage.py demo — a small fictitious portfolio and one account per role (idempotent)."""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from products.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, ensure_accounts

# Each app contributes its part of the demo through `<app>.demo.populate(accounts)`, in this order.
DEMO_APPS = ["products", "investigations", "committees"]


class Command(BaseCommand):
    help = "Crée (ou met à jour) le portefeuille de démonstration et les comptes de démonstration."

    @transaction.atomic
    def handle(self, *args, **options):
        accounts = ensure_accounts()
        for app in DEMO_APPS:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError:
                continue
            if hasattr(module, "populate"):
                module.populate(accounts)
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for email, _full_name, role_label in DEMO_ACCOUNTS.values():
            self.stdout.write(f"  - {role_label:<22} {email}")
