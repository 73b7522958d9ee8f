import pytest
from django.db import connection
from django.urls import reverse

from investigations.selectors import search

from .factories import InterviewFactory, InvestigationFactory, QuoteFactory, committee_member, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview():
    return InterviewFactory(notes="Les agents ressaisissent chaque dossier dans deux logiciels différents.")


def test_notes_of_a_readable_investigation_are_found(interview):
    reader = member(interview.investigation.startup)
    assert search(reader, "dossier")["interviews"] == [interview]


def test_quotes_are_found(interview):
    quote = QuoteFactory(interview=interview, text="Le téléphone sonne toute la journée pour des relances.")
    reader = member(interview.investigation.startup)
    assert search(reader, "téléphone")["quotes"] == [quote]


def test_other_startups_notes_and_quotes_are_not_searched(interview):
    QuoteFactory(interview=interview, text="Le dossier est perdu.")
    outsider = member(InvestigationFactory().startup)
    assert search(outsider, "dossier") == {"interviews": [], "quotes": []}


def test_a_committee_member_finds_quotes_but_not_raw_notes(interview):
    quote = QuoteFactory(interview=interview, text="Chaque dossier est saisi deux fois.")
    results = search(committee_member(interview.investigation.startup), "dossier")
    assert results == {"interviews": [], "quotes": [quote]}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="French stemming needs PostgreSQL full-text search")
def test_postgresql_search_uses_french_stemming_and_ranks_results(interview):
    reader = member(interview.investigation.startup)
    weaker = InterviewFactory(investigation=interview.investigation, notes="Un seul logiciel, aucun souci.")
    results = search(reader, "logiciel dossiers")["interviews"]
    assert results == [interview]
    assert weaker not in results
    assert search(reader, "ressaisir")["interviews"] == [interview]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite falls back on a substring search")
def test_sqlite_search_falls_back_on_a_case_insensitive_substring(interview):
    reader = member(interview.investigation.startup)
    assert search(reader, "DEUX LOGICIELS")["interviews"] == [interview]


def test_the_search_page_links_quotes_to_the_synthesis_for_committee_members(client, interview):
    QuoteFactory(interview=interview, text="Chaque dossier est saisi deux fois.")
    client.force_login(committee_member(interview.investigation.startup))
    page = client.get(reverse("investigations:search"), {"q": "dossier"}).content.decode()
    assert "Chaque dossier est saisi deux fois." in page
    assert reverse("investigations:synthesis", kwargs={"pk": interview.investigation_id}) in page
    assert interview.get_absolute_url() not in page
    assert "deux logiciels" not in page


def test_an_empty_search_shows_no_results(client, interview):
    client.force_login(member(interview.investigation.startup))
    response = client.get(reverse("investigations:search"), {"q": "  "})
    assert response.status_code == 200
    assert "correspond" not in response.content.decode()
