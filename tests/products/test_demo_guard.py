"""`manage.py demo` never runs on real data nor with production settings (security review, issue 12)."""

import io

import pytest
from django.core.management import CommandError, call_command

from products.models import Membership, Startup
from tests.products.factories import StartupFactory
from tests.test_security_headers import production_env, run_manage

pytestmark = pytest.mark.django_db


# --- Never on real data (security review, issue 12) ------------------------------------------------
def test_the_demo_refuses_a_database_holding_a_startup_it_did_not_create():
    StartupFactory(slug="1000.premiers.jours.blues")
    with pytest.raises(CommandError, match=r"Startups de cette base qui ne viennent pas de la démonstration : 1 "):
        call_command("demo", stdout=io.StringIO())
    assert not Membership.objects.exists()


def test_the_demo_refuses_to_run_with_production_settings(settings):
    settings.DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="interdite avec ces réglages"):
        call_command("demo", stdout=io.StringIO())
    assert not Startup.objects.exists()


def test_production_settings_forbid_the_demo():
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEMO_ALLOWED)", env=production_env()
    )
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr
