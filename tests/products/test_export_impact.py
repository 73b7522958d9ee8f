"""manage.py export_impact: the figures of the impact page, per startup, in JSON or CSV."""

import csv
import datetime
import html
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.formats import number_format

from products import services
from tests.committees.factories import DecisionFactory

from .factories import StartupFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def startup():
    startup = StartupFactory(slug="aidants-connect", fast={"promotion": 14, "montant": 100_000})
    users = services.indicator_create(
        startup=startup, name="Usagers", unit="usagers", direction="hausse", kind="stock", is_north_star=True
    )
    files = services.indicator_create(
        startup=startup, name="Dossiers", unit="dossiers", direction="hausse", kind="flux"
    )
    services.indicator_create(startup=startup, name="Délai", unit="jours", direction="baisse", kind="stock")
    for date, value in [(D(2025, 12, 31), 100), (D(2026, 1, 31), 130), (D(2026, 2, 28), 190)]:
        services.measurement_add(indicator=users, date=date, value=value)
    services.measurement_add(indicator=files, date=D(2026, 1, 31), value=Decimal("40.5"))
    services.spending_add(
        startup=startup, period_start=D(2026, 1, 1), period_end=D(2026, 1, 31), amount_eur=3100, nature="equipe"
    )
    services.spending_add(
        startup=startup, period_start=D(2026, 2, 1), period_end=D(2026, 2, 28), amount_eur=2800, nature="hebergement"
    )
    DecisionFactory(
        review__startup=startup,
        review__date=D(2026, 1, 1),
        budget_eur=200_000,
        budget_period_start=D(2026, 1, 1),
        budget_period_end=D(2026, 1, 31),
    )
    return startup


def norm(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def export(*args) -> str:
    out = io.StringIO()
    call_command("export_impact", *args, stdout=out)
    return out.getvalue()


def test_export_matches_what_the_impact_page_shows(client, startup):
    StartupFactory(slug="autre")
    data = json.loads(export("--startup", "aidants-connect"))
    assert [s["slug"] for s in data] == ["aidants-connect"]
    (row,) = data
    assert (row["granted_eur"], row["spent_eur"]) == (300_000, 5900)  # the decision + the FAST
    by_name = {i["name"]: i for i in row["indicators"]}
    assert by_name["Usagers"]["north_star"] is True
    assert by_name["Usagers"]["measurements"] == [["2025-12-31", 100], ["2026-01-31", 130], ["2026-02-28", 190]]
    assert (by_name["Usagers"]["cost_per_unit"], by_name["Usagers"]["reason"]) == (65.56, None)  # 5,900 / 90
    assert (by_name["Dossiers"]["cost_per_unit"], by_name["Dossiers"]["measurements"]) == (
        145.68,
        [["2026-01-31", 40.5]],
    )
    assert (by_name["Délai"]["cost_per_unit"], by_name["Délai"]["reason"]) == (None, "aucune_mesure")

    staff = UserFactory()
    startup.incubator.staff.add(staff)
    client.force_login(staff)
    page = html.unescape(client.get(reverse("products:impact", kwargs={"slug": startup.slug})).content.decode())
    page = norm(page)
    assert (
        f"Accordé en tout : <strong>{norm(number_format(row['granted_eur'], 0, force_grouping=True))} €</strong>"
        in page
    )
    spent = norm(number_format(Decimal(row["spent_eur"]), 2, force_grouping=True))
    assert f"Dépensé (déclaré par l'équipe) : <strong>{spent} €" in page
    for indicator in row["indicators"]:
        if indicator["cost_per_unit"] is not None:
            shown = norm(number_format(Decimal(str(indicator["cost_per_unit"])), 2, force_grouping=True))
            assert f"{shown} € par {indicator['unit']}" in page, indicator["name"]
        else:
            assert "non défini : aucune mesure" in page
        for date, _value in indicator["measurements"]:
            assert f'<time datetime="{date}">' in page


def test_csv_has_a_row_per_indicator_and_an_unknown_startup_is_an_error(startup):
    rows = list(csv.DictReader(io.StringIO(export("--format", "csv", "--startup", "aidants-connect"))))
    assert [r["indicator"] for r in rows] == ["Usagers", "Dossiers", "Délai"]
    assert rows[0]["cost_per_unit"] == "65.56" and rows[0]["north_star"] == "true"
    assert rows[2]["reason"] == "aucune_mesure" and rows[2]["cost_per_unit"] == ""
    assert rows[0]["measurements"] == "2025-12-31=100|2026-01-31=130|2026-02-28=190"
    with pytest.raises(CommandError, match="inconnue|Aucune startup"):
        export("--startup", "inconnue")
