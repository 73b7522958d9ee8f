"""The site search (header field, /recherche/): startups, investigations, apprentissages, notes and quotes
the person may read, on both databases: French stemming on PostgreSQL, every word with case and accents
ignored on SQLite."""

import pytest
from django.urls import reverse

from portfolio.search import excerpt, search
from tests.investigations.factories import (
    InsightFactory,
    InterviewFactory,
    InvestigationFactory,
    QuoteFactory,
    committee_member,
    member,
)
from tests.products.factories import StartupFactory, UserFactory

pytestmark = pytest.mark.django_db


def found(user, text, kind):
    return next(group for group in search(user, text) if group.kind == kind)


def titles(user, text, kind):
    return [hit.title for hit in found(user, text, kind).hits]


@pytest.fixture
def interview():
    return InterviewFactory(notes="Mot de passe oublié : les agents ressaisissent chaque dossier à l'école.")


def test_cantine_finds_the_startup_whose_description_mentions_it():
    startup = StartupFactory(name="Ma Restauration", description="Les menus de la **cantine** en ligne.")
    StartupFactory(name="Autre", description="Rien à voir.")
    assert titles(UserFactory(), "cantine", "startups") == ["Ma Restauration"]
    assert found(UserFactory(), "cantine", "startups").hits[0].url == startup.get_absolute_url()


def test_every_word_must_match_in_any_order_whatever_the_case(interview):
    reader = member(interview.investigation.startup)
    InterviewFactory(investigation=interview.investigation, notes="Un mot sur le logiciel.")
    assert [hit.url for hit in found(reader, "mot de passe", "notes").hits] == [interview.get_absolute_url()]
    assert found(reader, "PASSE MOT", "notes").count == 1


def test_accents_are_ignored_both_ways(interview):
    reader = member(interview.investigation.startup)
    assert found(reader, "ecole", "notes").count == 1
    assert found(reader, "oublie", "notes").count == 1
    InterviewFactory(investigation=interview.investigation, notes="La cantine de l'ecole.")
    assert found(reader, "école", "notes").count == 2


def test_quotes_insights_and_investigations_are_found(interview):
    startup = interview.investigation.startup
    quote = QuoteFactory(interview=interview, text="Le téléphone sonne toute la journée.")
    InsightFactory(investigation=interview.investigation, statement="Le téléphone coûte une heure par jour.")
    reader = member(startup)
    assert found(reader, "telephone", "verbatims").count == 1
    assert found(reader, "telephone", "verbatims").hits[0].url == interview.get_absolute_url()
    assert found(reader, "telephone", "apprentissages").count == 1
    # « dossier » finds « dossiers »: a substring on SQLite, the same stem on PostgreSQL
    assert found(reader, "agents dossier", "investigations").hits[0].url == interview.investigation.get_absolute_url()
    assert quote.text in found(reader, "telephone", "verbatims").hits[0].title


def test_an_intrapreneur_does_not_find_another_startups_notes_quotes_or_insights(interview):
    QuoteFactory(interview=interview, text="Chaque dossier est perdu.")
    InsightFactory(investigation=interview.investigation, statement="Le dossier se perd.")
    outsider = member(InvestigationFactory().startup)
    counts = {group.kind: group.count for group in search(outsider, "dossier")}
    assert counts["notes"] == 0
    assert counts["verbatims"] == 0
    assert counts["apprentissages"] == 0
    assert counts["investigations"] == 1  # their own investigation, whose problem mentions « dossiers »


def test_a_committee_member_finds_quotes_linked_to_the_synthesis_but_not_raw_notes(client, interview):
    QuoteFactory(interview=interview, text="Chaque dossier est saisi deux fois.")
    client.force_login(committee_member(interview.investigation.startup))
    page = client.get(reverse("dashboard:search"), {"q": "dossier"}).content.decode()
    assert "Chaque dossier est saisi deux fois." in page
    assert reverse("investigations:synthesis", kwargs={"pk": interview.investigation_id}) in page
    assert interview.get_absolute_url() not in page
    assert "ressaisissent" not in page


def test_the_page_groups_results_by_kind_with_counts(client, interview):
    StartupFactory(name="Dossier facile", mission="Un dossier en ligne.")
    client.force_login(member(interview.investigation.startup))
    page = client.get(reverse("dashboard:search"), {"q": "dossier"}).content.decode()
    assert 'href="#startups">Startups (1)</a>' in page
    assert 'href="#notes">Notes d&#x27;entretien (1)</a>' in page
    assert "Verbatims (0)" in page
    assert 'id="verbatims"' not in page
    assert "Dossier facile" in page


def test_an_empty_search_shows_no_results(client, interview):
    client.force_login(member(interview.investigation.startup))
    response = client.get(reverse("dashboard:search"), {"q": "  "})
    assert response.status_code == 200
    assert "résultat" not in response.content.decode()
    assert search(member(interview.investigation.startup), " ,; ") == []


def test_a_too_long_search_is_refused_with_a_message(client):
    client.force_login(UserFactory())
    page = client.get(reverse("dashboard:search"), {"q": "a" * 201}).content.decode()
    assert "La recherche est trop longue : 200 caractères au plus (vous en avez saisi 201)." in page


def test_the_header_has_the_search_field_on_every_page(client):
    client.force_login(UserFactory())
    page = client.get(reverse("dashboard:home")).content.decode()
    assert f'<form method="get" action="{reverse("dashboard:search")}" role="search"' in page
    assert 'name="q"' in page


def test_the_old_notes_search_redirects_with_its_text(client):
    client.force_login(UserFactory())
    response = client.get("/investigations/recherche/", {"q": "mot de passe"})
    assert response.status_code == 301
    assert response["Location"] == reverse("dashboard:search") + "?q=mot+de+passe"


@pytest.mark.parametrize("rows", [1, 6])
def test_the_search_takes_a_fixed_number_of_queries(client, django_assert_num_queries, rows):
    startup = StartupFactory(description="cantine")
    investigation = InvestigationFactory(startup=startup, problem_statement="La cantine déborde.")
    reader = member(startup)
    for _ in range(rows):
        interview = InterviewFactory(investigation=investigation, notes="Cantine pleine.")
        QuoteFactory(interview=interview, text="La cantine est pleine.")
        InsightFactory(investigation=investigation, statement="La cantine déborde.")
        StartupFactory(mission="Une cantine.")
    client.force_login(reader)
    # session, user, the request's savepoint and its release, unread notifications; then a count and a page of
    # results for each of the five kinds
    with django_assert_num_queries(15):
        page = client.get(reverse("dashboard:search"), {"q": "cantine"}).content.decode()
    assert f"Verbatims ({rows})" in page


def test_the_excerpt_centres_on_the_first_word_found_accents_ignored():
    text = "Début. " + "x " * 200 + "La cantine de l'École est pleine. " + "y " * 200
    cut = excerpt(text, ["ecole"], length=60)
    assert "École" in cut
    assert cut.startswith("…") and cut.endswith("…")
    assert excerpt("Court.", ["rien"]) == "Court."
