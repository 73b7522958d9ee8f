import datetime
import html
import re

import pytest
from django.db import connection
from django.template import Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from products.views import StartupDetailView

from .factories import (
    EventFactory,
    IncubatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PhaseFactory,
    StartupFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def signed_in(client):
    client.force_login(UserFactory())
    return client


def _page(client, startup) -> str:
    response = client.get(startup.get_absolute_url())
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_startup_page_shows_its_sheet(signed_in):
    startup = StartupFactory(
        name="Répit Aidants",
        mission="Trouver une solution de répit près de chez soi.",
        problem="Les aidants s'épuisent.",
        solution="Un annuaire des solutions de répit.",
        usertypes=["particulier", "inconnu-du-vocabulaire"],
        link="https://repit.example.gouv.fr",
        repository="https://github.com/example/repit",
        contact="contact@repit.example.gouv.fr",
    )
    startup.themes.add(ThemeFactory(name="Santé"))
    page = _page(signed_in, startup)
    assert "<h1>Répit Aidants</h1>" in page
    assert "Trouver une solution de répit près de chez soi." in page
    assert "Les aidants s'épuisent." in page
    assert "Un annuaire des solutions de répit." in page
    assert "Particuliers" in page
    assert "Inconnu du vocabulaire" in page
    assert "Santé" in page
    assert 'href="https://repit.example.gouv.fr"' in page
    assert 'href="https://github.com/example/repit"' in page
    assert 'href="mailto:contact@repit.example.gouv.fr"' in page


def test_description_is_rendered_from_markdown_and_sanitised(signed_in):
    startup = StartupFactory(description="## Problème\n\nUn **vrai** problème.<script>alert(1)</script>")
    page = _page(signed_in, startup)
    assert "<h3>Problème</h3>" in page
    assert "<strong>vrai</strong>" in page
    assert "alert(1)" not in page


def test_incubators_and_sponsors_are_listed(signed_in):
    owner = OrganisationFactory(name="Ministère des Solidarités", acronym="MSOL")
    startup = StartupFactory(incubator=IncubatorFactory(title="Fabrique des Solidarités", owner=owner))
    startup.co_incubators.add(IncubatorFactory(title="Incubateur des Territoires"))
    startup.sponsors.add(OrganisationFactory(name="Direction interministérielle du numérique", acronym="DINUM"))
    page = _page(signed_in, startup)
    assert "Fabrique des Solidarités (MSOL) — incubateur principal" in page
    assert "Incubateur des Territoires — co-incubateur" in page
    assert "Direction interministérielle du numérique (DINUM)" in page


def test_team_shows_current_members_with_role_and_time_share(signed_in):
    startup = StartupFactory()
    MembershipFactory(
        startup=startup, user__full_name="Inès Martin", role="intrapreneur", time_share=80, start=TODAY.replace(day=1)
    )
    MembershipFactory(startup=startup, user__full_name="Camille Petit", role="coach", time_share=20)
    MembershipFactory(
        startup=startup,
        user__full_name="Ancien Membre",
        start=TODAY - datetime.timedelta(days=400),
        end=TODAY - datetime.timedelta(days=30),
    )
    page = _page(signed_in, startup)
    assert "Inès Martin" in page
    assert "Intrapreneur·e" in page
    assert "80 %" in page
    assert "Camille Petit" in page
    assert "20 %" in page
    assert "Ancien Membre" not in page
    # The intrapreneur comes first, then the coach.
    assert page.index("Inès Martin") < page.index("Camille Petit")


def test_phase_timeline_is_in_lifecycle_order_with_durations(signed_in):
    startup = StartupFactory()
    PhaseFactory(startup=startup, name="construction", start=TODAY - datetime.timedelta(days=160), end=None)
    PhaseFactory(
        startup=startup,
        name="investigation",
        start=TODAY - datetime.timedelta(days=160 + 45),
        end=TODAY - datetime.timedelta(days=160),
    )
    page = _page(signed_in, startup)
    timeline = page[page.index('class="bt-timeline ') :]
    assert timeline.index("Investigation") < timeline.index("Construction")
    assert "1 mois" in timeline  # the investigation: 45 days
    assert "5 mois" in timeline  # construction, still open
    assert "en cours" in timeline
    assert "Construction" in page[: page.index('class="bt-timeline ')]  # the current-phase badge


def test_same_day_phases_follow_the_lifecycle_order(signed_in):
    startup = StartupFactory()
    day = TODAY - datetime.timedelta(days=10)
    PhaseFactory(startup=startup, name="abandon", start=day, end=None)
    PhaseFactory(startup=startup, name="acceleration", start=day, end=day)
    page = _page(signed_in, startup)
    timeline = page[page.index('class="bt-timeline ') :]
    assert timeline.index("Accélération") < timeline.index("Arrêté")


def test_events_are_listed_by_date(signed_in):
    startup = StartupFactory()
    EventFactory(startup=startup, kind="committee", date=datetime.date(2024, 6, 1), comment="Poursuite")
    EventFactory(startup=startup, kind="product_launch", date=datetime.date(2023, 1, 10))
    page = _page(signed_in, startup)
    assert page.index("10 janvier 2023") < page.index("1 juin 2024")
    assert "Passage en comité" in page
    assert "Poursuite" in page
    assert "Lancement du produit" in page


def test_empty_startup_page_says_what_is_missing(signed_in):
    page = _page(signed_in, StartupFactory())
    assert "Aucun membre de l'équipe n'est enregistré." in page
    assert "Aucune phase n'est enregistrée." in page
    assert "Aucun événement n'est enregistré." in page


def test_dotted_identifier_reaches_its_startup(signed_in):
    startup = StartupFactory(slug="1000.premiers.jours.blues", name="1000 premiers jours")
    assert startup.get_absolute_url() == "/startups/1000.premiers.jours.blues/"
    assert "1000 premiers jours" in _page(signed_in, startup)


def test_unknown_startup_is_a_404(signed_in):
    assert signed_in.get(reverse("products:startup_detail", kwargs={"slug": "n-existe-pas"})).status_code == 404


def test_panels_from_other_apps_are_rendered_in_order(signed_in, monkeypatch):
    panel_template = Template('<section class="panneau-test">{{ panel.title }}</section>')
    monkeypatch.setattr(
        StartupDetailView,
        "get_panels",
        lambda self: [
            {"template": panel_template, "title": "Premier"},
            {"template": panel_template, "title": "Second"},
        ],
    )
    page = _page(signed_in, StartupFactory())
    assert re.search(r'panneau-test">Premier</section>.*panneau-test">Second</section>', page, re.S)


def test_the_view_offers_no_panel_by_default(signed_in):
    response = signed_in.get(StartupFactory().get_absolute_url())
    assert response.context["panels"] == []


def _detail_queries(client, startup) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(startup.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


def _fill(startup, size: int):
    phases = ["investigation", "construction", "acceleration", "consolidation", "opere"][:size]
    start = TODAY - datetime.timedelta(days=100 * len(phases))
    for index, name in enumerate(phases):
        end = None if index == len(phases) - 1 else start + datetime.timedelta(days=100)
        PhaseFactory(startup=startup, name=name, start=start, end=end)
        start = start + datetime.timedelta(days=100)
    for _ in range(size):
        MembershipFactory(startup=startup)
        EventFactory(startup=startup)
        startup.themes.add(ThemeFactory())
        startup.sponsors.add(OrganisationFactory())
        startup.co_incubators.add(IncubatorFactory())


def test_query_count_does_not_grow_with_phases_members_and_events(signed_in):
    few, many = StartupFactory(), StartupFactory()
    _fill(few, 1)
    _fill(many, 5)
    assert _detail_queries(signed_in, many) == _detail_queries(signed_in, few)


def test_identifier_with_a_nul_character_is_a_404(signed_in):
    assert signed_in.get("/startups/a%00b/").status_code == 404
