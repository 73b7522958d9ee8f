import datetime
import html
import re

import pytest
from django.conf import settings
from django.template import Template
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
    assert "6 semaines" in timeline  # the investigation: 45 days
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


def test_the_page_makes_its_pinned_queries_however_many_phases_members_and_events(signed_in, snapshot_queries):
    few, many = StartupFactory(), StartupFactory()
    _fill(few, 1)
    _fill(many, 5)
    for startup in (few, many):
        url = startup.get_absolute_url()
        assert snapshot_queries(lambda url=url: signed_in.get(url)).status_code == 200


def test_identifier_with_a_nul_character_is_a_404(signed_in):
    assert signed_in.get("/startups/a%00b/").status_code == 404


# --- Quality and compliance, objectives and strategy --------------------------------------------
def _section(page: str, heading_id: str) -> str:
    """The text of one <section> of the page, from its heading to the section's end."""
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


def test_quality_block_shows_what_the_file_says(signed_in):
    startup = StartupFactory(
        accessibility_status="non conforme",
        analyse_risques=True,
        analyse_risques_url="https://exemple.gouv.fr/analyse-de-risques",
        mon_service_securise=False,
        dashlord_url="https://dashlord.exemple.gouv.fr/url/service",
        stats=True,
        techno=["python", "PostgreSQL"],
        fast={"promotion": 16, "montant": 200000},
        contact_dinum="prenom.dinum",
        contact_incubator="prenom.incubateur",
    )
    block = _section(_page(signed_in, startup), "qualite")
    assert re.search(r'<p class="fr-badge fr-badge--sm fr-badge--error">Non conforme</p>', block)
    assert re.search(r"Analyse de risques</th>\s*<td>\s*<p class=\"[^\"]*fr-badge--success\">Réalisée", block)
    assert 'href="https://exemple.gouv.fr/analyse-de-risques"' in block
    assert re.search(r"MonServiceSécurisé</th>\s*<td>\s*<p class=\"[^\"]*fr-badge--error\">Non inscrit", block)
    assert 'href="https://dashlord.exemple.gouv.fr/url/service"' in block
    assert re.search(r"Statistiques publiques</th>\s*<td>Oui</td>", block)
    assert '<p class="fr-tag fr-tag--sm">python</p>' in block
    assert '<p class="fr-tag fr-tag--sm">PostgreSQL</p>' in block
    assert re.search(r"Promotion 16 : 200\s000\s€", block)
    assert "prenom.dinum" in block and "prenom.incubateur" in block


@pytest.mark.parametrize(
    ("status", "badge"),
    [("partiellement conforme", "fr-badge--warning"), ("totalement conforme", "fr-badge--success")],
)
def test_each_rgaa_status_has_its_badge(signed_in, status, badge):
    block = _section(_page(signed_in, StartupFactory(accessibility_status=status)), "qualite")
    assert f'<p class="fr-badge fr-badge--sm {badge}">{status.capitalize()}</p>' in block


def test_what_a_committee_must_know_says_non_renseigne_when_the_file_is_silent(signed_in):
    block = _section(_page(signed_in, StartupFactory()), "qualite")
    for label in ("Accessibilité (RGAA)", "Analyse de risques", "MonServiceSécurisé"):
        assert re.search(
            rf"{re.escape(label)}</th>\s*<td>\s*<p class=\"fr-badge fr-badge--sm ?\">Non renseigné</p>", block
        )
    for hidden in ("DashLord", "Statistiques publiques", "Technologies", "Financement FAST", "Contact DINUM"):
        assert hidden not in block


def test_fast_amount_is_written_as_money_in_english(signed_in):
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    block = _section(_page(signed_in, StartupFactory(fast={"promotion": 12, "montant": 250000})), "qualite")
    assert "Cohort 12: €250,000" in block


def test_objectives_and_strategy_are_shown_with_problem_and_solution(signed_in):
    startup = StartupFactory(
        problem="Les dossiers se perdent.",
        solution="Un carnet partagé.",
        objectives="Cent dossiers suivis.",
        strategy="Commencer par un département.",
    )
    page = _page(signed_in, startup)
    headings = re.findall(r'<h2 id="(probleme|solution|objectifs|strategie|qualite)">([^<]+)</h2>', page)
    assert headings == [
        ("probleme", "Problème"),
        ("solution", "Solution"),
        ("objectifs", "Objectifs à 6 mois"),
        ("strategie", "Stratégie"),
        ("qualite", "Qualité et conformité"),
    ]
    assert "Cent dossiers suivis." in _section(page, "objectifs")
    assert "Commencer par un département." in _section(page, "strategie")


def test_sections_of_the_description_shown_apart_are_printed_once(signed_in):
    body = (
        "## Contexte\n\nLes agents perdent le fil.\n\n## Le problème\n\nLes dossiers se perdent.\n\n"
        "## Notre solution\n\nUn carnet partagé.\n\n## Objectifs à 6 mois\n\nCent dossiers suivis.\n\n"
        "## Stratégie\n\nCommencer petit.\n\n## Résultats\n\nTrois départements."
    )
    startup = StartupFactory(
        description=body,
        problem="Les dossiers se perdent.",
        solution="Un carnet partagé.",
        objectives="Cent dossiers suivis.",
        strategy="Commencer petit.",
    )
    page = _page(signed_in, startup)
    for text in ("Les dossiers se perdent.", "Un carnet partagé.", "Cent dossiers suivis.", "Commencer petit."):
        assert page.count(text) == 1, text
    presentation = _section(page, "presentation")
    assert "Les agents perdent le fil." in presentation
    assert "Trois départements." in presentation
    assert "Le problème" not in presentation


def test_an_incubator_whose_title_names_its_owner_does_not_repeat_it(signed_in):
    owner = OrganisationFactory(name="Ministère de la Transition Écologique", acronym="MTE")
    incubator = IncubatorFactory(title="La Fabrique Numérique de l'Ecologie (MTE)", owner=owner)
    startup = StartupFactory(incubator=incubator)
    startup.sponsors.add(OrganisationFactory(name="Urssaf Caisse nationale", acronym="Urssaf"))
    page = _page(signed_in, startup)
    assert "La Fabrique Numérique de l'Ecologie (MTE) — incubateur principal" in page
    assert "(MTE) (MTE)" not in page
    assert "<li>Urssaf Caisse nationale</li>" in page


def test_phase_comments_are_shown_in_the_phase_history(signed_in):
    startup = StartupFactory()
    PhaseFactory(
        startup=startup, name="construction", start=TODAY - datetime.timedelta(days=30), comment="Go du comité"
    )
    timeline = _page(signed_in, startup)
    assert "Go du comité" in timeline[timeline.index('class="bt-timeline ') :]
