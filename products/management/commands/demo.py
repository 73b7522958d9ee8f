"""python manage.py demo — a small fictitious portfolio and one account per role (idempotent)."""

import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from products.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, STARTUPS, ensure_accounts
from products.models import Startup

# The startups the demo creates; any other one in the database is real (imported from beta.gouv.fr or
# entered by someone), and the demo, with its well-known password, must not be mixed with real data.
DEMO_STARTUP_SLUGS = {spec.slug for spec in STARTUPS} | {"proconnect"}

# Each app contributes its part of the demo through `<app>.demo.populate(accounts)`, in the order of
# INSTALLED_APPS (products, investigations, committees): products names none of the apps above it.


class Command(BaseCommand):
    help = "Crée (ou met à jour) le portefeuille de démonstration et les comptes de démonstration."

    def refuse_on_real_data(self) -> None:
        """Never with production settings (DEMO_ALLOWED = False), never on a database holding a startup
        the demo did not create (security review, issue 12)."""
        if not getattr(settings, "DEMO_ALLOWED", True):
            raise CommandError(
                "La démonstration est interdite avec ces réglages (production) : ses comptes ont un mot de passe "
                "public."
            )
        real = Startup.objects.exclude(slug__in=DEMO_STARTUP_SLUGS)
        if real.exists():
            examples = ", ".join(real.order_by("slug").values_list("slug", flat=True)[:3])
            raise CommandError(
                f"Startups de cette base qui ne viennent pas de la démonstration : {real.count()} "
                f"({examples}…). La démonstration refuse de s'y mêler : utilisez une base vide."
            )

    @transaction.atomic
    def handle(self, *args, **options):
        self.refuse_on_real_data()
        accounts = ensure_accounts()
        for app_config in apps.get_app_configs():
            if not module_has_submodule(app_config.module, "demo"):
                continue
            module = importlib.import_module(f"{app_config.name}.demo")
            if hasattr(module, "populate"):
                module.populate(accounts)
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for email, _full_name, role_label in DEMO_ACCOUNTS.values():
            self.stdout.write(f"  - {role_label:<22} {email}")
