import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from products.models import Startup
from tests.investigations.factories import InterviewFactory, InvestigationFactory

from .factories import IncubatorFactory, PhaseFactory, StartupFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("products:startup_list")


@pytest.fixture
def signed_in(client):
    client.force_login(UserFactory())
    return client


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _names_on_page(response) -> list[str]:
    """The startup names in the table, in order."""
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', response.content.decode())


def _badges(response) -> list[str]:
    """The phase badges of the table, in order."""
    return re.findall(r'<p class="fr-badge [^"]*">([^<]+)</p>', _text(response))


def test_portfolio_lists_each_startup_with_incubator_phase_and_time_in_phase(signed_in):
    incubator = IncubatorFactory(title="Fabrique des Solidarités")
    startup = StartupFactory(name="Répit Aidants", incubator=incubator)
    PhaseFactory(startup=startup, name="construction", start=timezone.localdate() - datetime.timedelta(days=160))
    page = signed_in.get(LIST_URL).content.decode()
    assert "Répit Aidants" in page
    assert "Fabrique des Solidarités" in page
    assert "Construction" in page
    assert "5 mois" in page
    assert f'href="{startup.get_absolute_url()}"' in page


def test_the_dashboard_and_the_portfolio_each_have_their_own_address(signed_in):
    StartupFactory(name="Cantine Claire")
    assert reverse("home") == "/"
    assert reverse("dashboard:home") == "/tableau-de-bord/"
    assert "Cantine Claire" in signed_in.get(reverse("products:startup_list")).content.decode()


def test_startup_without_phase_says_so(signed_in):
    StartupFactory(name="Sans Phase")
    page = signed_in.get(LIST_URL).content.decode()
    assert "Aucune phase" in page


def test_table_is_accessible(signed_in):
    StartupFactory()
    page = signed_in.get(LIST_URL).content.decode()
    assert "<caption>" in page
    assert page.count('<th scope="col">') == 4
    assert '<th scope="row">' in page


def test_startups_are_sorted_by_name(signed_in):
    for name in ("Zeste", "Alpha", "Mistral"):
        StartupFactory(name=name)
    assert _names_on_page(signed_in.get(LIST_URL)) == ["Alpha", "Mistral", "Zeste"]


def test_filter_by_phase(signed_in):
    PhaseFactory(startup__name="En construction", name="construction")
    PhaseFactory(startup__name="En investigation", name="investigation")
    response = signed_in.get(LIST_URL, {"phase": "construction"})
    assert _names_on_page(response) == ["En construction"]
    assert "1 startup d'État correspond à vos filtres" in _text(response)


def test_filter_by_incubator_includes_co_incubated_startups(signed_in):
    incubator = IncubatorFactory(slug="fabrique-solidarites")
    StartupFactory(name="Principale", incubator=incubator)
    StartupFactory(name="Co-incubée").co_incubators.add(incubator)
    StartupFactory(name="Ailleurs")
    response = signed_in.get(LIST_URL, {"incubator": "fabrique-solidarites"})
    assert _names_on_page(response) == ["Co-incubée", "Principale"]


def test_filters_combine_and_stay_in_the_form(signed_in):
    incubator = IncubatorFactory(slug="territoires")
    PhaseFactory(startup__name="Cartes Communales", startup__incubator=incubator, name="construction")
    PhaseFactory(startup__name="Cartes Marines", startup__incubator=incubator, name="acceleration")
    PhaseFactory(startup__name="Cartes Ailleurs", name="construction")
    response = signed_in.get(LIST_URL, {"incubator": "territoires", "phase": "construction", "q": "cartes"})
    assert _names_on_page(response) == ["Cartes Communales"]
    page = response.content.decode()
    assert '<option value="construction" selected>' in page
    assert '<option value="territoires" selected>' in page
    assert 'value="cartes"' in page
    assert "Tout afficher" in page


def test_search_by_name_ignores_case(signed_in):
    StartupFactory(name="Démarches Simplifiées", slug="demarches-simplifiees")
    StartupFactory(name="Autre chose")
    assert _names_on_page(signed_in.get(LIST_URL, {"q": "SIMPLIFI"})) == ["Démarches Simplifiées"]


def test_search_without_accents_finds_a_name_with_accents_through_its_identifier(signed_in):
    StartupFactory(name="Démarches Simplifiées", slug="demarches-simplifiees")
    StartupFactory(name="Aides Jeunes", slug="aides.jeunes")
    assert _names_on_page(signed_in.get(LIST_URL, {"q": "demarches"})) == ["Démarches Simplifiées"]
    assert _names_on_page(signed_in.get(LIST_URL, {"q": "aides jeunes"})) == ["Aides Jeunes"]


def test_search_queryset_method_is_blank_safe():
    StartupFactory(name="Un")
    assert Startup.objects.search("").count() == 1
    assert Startup.objects.search("   ").count() == 1
    assert Startup.objects.search("deux").count() == 0


def test_no_result_says_so_and_offers_to_clear_filters(signed_in):
    StartupFactory(name="Cantine Claire")
    page = _text(signed_in.get(LIST_URL, {"q": "introuvable"}))
    assert "Aucune startup d'État ne correspond à ces filtres." in page
    assert "Aucun résultat" in page


def test_unknown_filter_values_are_reported_in_french_and_ignored(signed_in):
    StartupFactory(name="Cantine Claire")
    response = signed_in.get(LIST_URL, {"phase": "hibernation", "incubator": "nulle-part"})
    assert response.status_code == 200
    page = _text(response)
    assert "hibernation n’en fait pas partie" in page
    assert "Cet incubateur n'existe pas" in page
    assert _names_on_page(response) == ["Cantine Claire"]


def test_result_count_is_shown(signed_in):
    StartupFactory.create_batch(3)
    assert "3 startups d'État" in _text(signed_in.get(LIST_URL))


def test_pagination_splits_the_list_and_keeps_the_filters(signed_in):
    for index in range(55):
        PhaseFactory(startup__name=f"Startup {index:02d}", name="construction")
    response = signed_in.get(LIST_URL, {"phase": "construction"})
    assert len(_names_on_page(response)) == 50
    page = response.content.decode()
    assert 'class="fr-pagination' in page
    assert "55 startups d'État correspondent à vos filtres" in _text(response)
    assert "page 1 sur 2" in page
    assert 'href="?phase=construction&amp;page=2"' in page

    second = signed_in.get(LIST_URL, {"phase": "construction", "page": 2})
    assert _names_on_page(second) == [f"Startup {index:02d}" for index in range(50, 55)]
    assert 'aria-current="page" title="Page 2"' in second.content.decode()


def test_page_number_out_of_range_or_not_a_number_shows_a_page(signed_in):
    StartupFactory(name="Seule")
    assert _names_on_page(signed_in.get(LIST_URL, {"page": 99})) == ["Seule"]
    assert _names_on_page(signed_in.get(LIST_URL, {"page": "abc"})) == ["Seule"]


def test_single_page_has_no_pagination(signed_in):
    StartupFactory()
    assert "fr-pagination" not in signed_in.get(LIST_URL).content.decode()


@pytest.mark.parametrize("params", [{}, {"phase": "construction", "incubator": "suivi", "q": "startup"}])
def test_the_list_makes_its_pinned_queries_with_1_and_50_startups(signed_in, params, snapshot_queries):
    incubator = IncubatorFactory(slug="suivi")

    def add(count):
        for _ in range(count):
            startup = StartupFactory(incubator=incubator if _ % 2 else IncubatorFactory())
            startup.co_incubators.add(incubator)
            PhaseFactory(startup=startup, name="construction")

    add(1)
    assert snapshot_queries(lambda: signed_in.get(LIST_URL, params)).status_code == 200
    add(49)
    assert snapshot_queries(lambda: signed_in.get(LIST_URL, params)).status_code == 200


def test_values_with_nul_characters_are_refused_cleanly(signed_in):
    StartupFactory(name="Cantine Claire")
    response = signed_in.get(LIST_URL, {"incubator": "a\x00b", "q": "x\x00", "phase": "\x00"})
    assert response.status_code == 400  # refused at the door (betatracker.middleware.RefuseNulMiddleware)
    assert signed_in.get(LIST_URL, {"incubator": "ab"}).status_code == 200


def test_the_results_are_kept_through_an_interview_and_renewed_by_a_phase_change(signed_in):
    startup = StartupFactory(name="Répit Aidants")
    PhaseFactory(startup=startup, name="investigation", start=timezone.localdate() - datetime.timedelta(days=10))
    investigation = InvestigationFactory(startup=startup)
    assert _badges(signed_in.get(LIST_URL)) == ["Investigation"]
    InterviewFactory(investigation=investigation)  # what the list does not show: the results are kept
    with CaptureQueriesContext(connection) as kept:
        signed_in.get(LIST_URL)
    assert not any("products_startup" in q["sql"] for q in kept)
    Startup.objects.get(pk=startup.pk).phases.get().delete()
    PhaseFactory(startup=startup, name="construction", start=timezone.localdate())
    assert _badges(signed_in.get(LIST_URL)) == ["Construction"]  # a new phase: read again
