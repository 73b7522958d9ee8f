"""`manage.py export_portfolio`: the interchange format other tools and the JSON API rely on."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from products.exports import portfolio_export

from .factories import IncubatorFactory, OrganisationFactory, PhaseFactory, StartupFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
QUALITY_KEYS = ("techno", "accessibility_status", "analyse_risques", "mon_service_securise", "dashlord_url", "stats")
QUALITY_KEYS += ("fast",)
D = datetime.date


def export_command():
    out = io.StringIO()
    call_command("export_portfolio", stdout=out)
    return json.loads(out.getvalue())


def startup_with_history(slug, incubator=None, co_incubators=(), sponsors=()):
    startup = StartupFactory(slug=slug, name=slug.title(), **({"incubator": incubator} if incubator else {}))
    startup.co_incubators.set(co_incubators)
    startup.sponsors.set(sponsors)
    PhaseFactory(startup=startup, name="investigation", start=D(2023, 1, 2), end=D(2023, 3, 6))
    PhaseFactory(startup=startup, name="construction", start=D(2023, 3, 6))
    return startup


def test_export_writes_one_object_per_startup_with_the_interchange_fields():
    main = IncubatorFactory(slug="fabrique")
    startup_with_history(
        "carnet.de.bord",
        incubator=main,
        co_incubators=[IncubatorFactory(slug="zeta"), IncubatorFactory(slug="alpha.lab")],
        sponsors=[OrganisationFactory(slug="mde"), OrganisationFactory(slug="ade")],
    )

    assert export_command() == [
        {
            "slug": "carnet.de.bord",
            "name": "Carnet.De.Bord",
            "incubator": "fabrique",
            "incubators": ["fabrique", "alpha.lab", "zeta"],
            "sponsors": ["ade", "mde"],
            "current_phase": "construction",
            "phases": [
                {"name": "investigation", "start": "2023-01-02", "end": "2023-03-06"},
                {"name": "construction", "start": "2023-03-06", "end": None},
            ],
            "techno": [],
            "accessibility_status": None,
            "analyse_risques": None,
            "mon_service_securise": None,
            "dashlord_url": None,
            "stats": None,
            "fast": None,
        }
    ]


def test_export_carries_quality_and_compliance_as_the_file_says():
    StartupFactory(
        slug="conforme",
        techno=["python", "django"],
        accessibility_status="non conforme",
        analyse_risques=False,
        mon_service_securise=True,
        dashlord_url="https://dashlord.exemples.gouv.fr/url/conforme",
        stats=True,
        fast={"promotion": 16, "montant": 200000},
    )
    row = export_command()[0]
    assert {key: row[key] for key in QUALITY_KEYS} == {
        "techno": ["python", "django"],
        "accessibility_status": "non conforme",
        "analyse_risques": False,
        "mon_service_securise": True,
        "dashlord_url": "https://dashlord.exemples.gouv.fr/url/conforme",
        "stats": True,
        "fast": {"promotion": 16, "montant": 200000},
    }


def test_export_is_sorted_by_slug():
    for slug in ["zinc", "Alpha", "beta.2", "beta-1"]:
        StartupFactory(slug=slug)
    assert [row["slug"] for row in export_command()] == ["Alpha", "beta-1", "beta.2", "zinc"]


def test_export_lists_phases_in_lifecycle_order_with_same_day_ties():
    startup = StartupFactory(slug="desordre")
    PhaseFactory(startup=startup, name="abandon", start=D(2024, 5, 1))
    PhaseFactory(startup=startup, name="construction", start=D(2024, 5, 1), end=D(2024, 5, 1))
    PhaseFactory(startup=startup, name="investigation", start=D(2024, 1, 8), end=D(2024, 5, 1))
    row = export_command()[0]
    assert [p["name"] for p in row["phases"]] == ["investigation", "construction", "abandon"]
    assert row["current_phase"] == "abandon"


def test_a_startup_in_no_phase_is_exported_with_no_current_phase():
    StartupFactory(slug="vide")
    row = export_command()[0]
    assert (row["current_phase"], row["phases"], row["sponsors"]) == (None, [], [])
    assert row["incubators"] == [row["incubator"]]


def test_a_co_incubator_equal_to_the_main_incubator_is_listed_once():
    main = IncubatorFactory(slug="fabrique")
    startup_with_history("double", incubator=main, co_incubators=[main])
    assert export_command()[0]["incubators"] == ["fabrique"]


def test_export_takes_the_same_number_of_queries_for_one_startup_and_for_many(django_assert_num_queries):
    incubator = IncubatorFactory()
    sponsor = OrganisationFactory()
    startup_with_history("premiere", incubator=incubator, co_incubators=[IncubatorFactory()], sponsors=[sponsor])
    with django_assert_num_queries(4) as one:
        assert len(portfolio_export()) == 1

    for n in range(12):
        startup_with_history(f"startup-{n}", co_incubators=[incubator], sponsors=[sponsor, OrganisationFactory()])
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(portfolio_export()) == 13


def test_importing_the_fixture_folder_then_exporting_gives_the_expected_json():
    call_command("import_betagouv", str(FIXTURES / "betagouv"), stdout=io.StringIO(), stderr=io.StringIO())
    expected = json.loads((FIXTURES / "betagouv_expected_export.json").read_text(encoding="utf-8"))
    assert export_command() == expected
