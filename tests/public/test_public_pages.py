"""The public pages: a product sheet and the anonymised results of a published investigation, open to anyone."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils.html import escape

from investigations.models import Interview, Investigation, Quote
from products.models import Startup, User
from public.models import ResultsPublication
from public.services import results_publish, results_unpublish

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module (each test still runs in its own rolled-back transaction)."""
    with django_db_blocker.unblock():
        call_command("demo", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def proconnect(demo):
    return Investigation.objects.get(startup__slug="proconnect")


@pytest.fixture
def coach(demo):
    return User.objects.get(email="coach@demo.beta.gouv.fr")


@pytest.fixture
def published(proconnect, coach):
    """The ProConnect results published by the coach, every quote with consent ticked publishable."""
    Quote.objects.filter(interview__investigation=proconnect).update(publishable=True)
    results_publish(investigation=proconnect, by=coach)
    return proconnect


def _secrets(investigation) -> list[str]:
    """Every pseudonym, organisation and note of the investigation's interviews, and its interviewers."""
    values = set()
    for interview in Interview.objects.filter(investigation=investigation).select_related("interviewer"):
        values.update([interview.interviewee, interview.organisation, interview.notes])
        if interview.interviewer:
            values.update([interview.interviewer.full_name, interview.interviewer.email])
    return sorted(value for value in values if value)


def test_the_published_proconnect_results_show_no_pseudonym_organisation_or_note(published):
    anonymous = Client()
    page = anonymous.get(f"/public/investigations/{published.pk}/").content.decode()
    as_json = anonymous.get(f"/public/investigations/{published.pk}.json").content.decode()
    query_json = anonymous.get(f"/public/investigations/{published.pk}/?format=json").content.decode()
    secrets = _secrets(published)
    pseudonyms = set(Interview.objects.filter(investigation=published).values_list("interviewee", flat=True))
    assert len(pseudonyms) == 54 and pseudonyms <= set(secrets)
    for secret in secrets:
        assert secret not in page and escape(secret) not in page
        assert secret not in as_json
        assert secret not in query_json
    data = json.loads(as_json)
    assert data["interviews"] == 54
    assert data["no_problem_share"] == 0.333
    assert data["period"] == {"start": "2020-06", "end": "2020-09"}
    # Quotes: only those of interviews with consent, and they are shown.
    consented = list(Quote.objects.filter(interview__investigation=published, interview__consent=True))
    assert consented
    assert escape(consented[0].text) in page
    assert len(data["quotes"]) == len(consented)


def test_the_results_page_answers_in_french_and_in_english_and_may_be_cached(published):
    anonymous = Client()
    french = anonymous.get(f"/public/investigations/{published.pk}/?lang=fr")
    english = anonymous.get(f"/public/investigations/{published.pk}/?lang=en")
    assert french.status_code == english.status_code == 200
    assert "Entretiens par groupe cible et intensité du problème" in french.content.decode()
    assert "Interviews by target group and problem intensity" in english.content.decode()
    assert "public" in french["Cache-Control"] and "max-age=" in french["Cache-Control"]
    assert "noindex" not in french.content.decode()
    assert "csrfmiddlewaretoken" not in french.content.decode()


def test_quotes_are_shown_only_once_ticked_publishable(proconnect, coach):
    results_publish(investigation=proconnect, by=coach)
    quote = Quote.objects.filter(interview__investigation=proconnect, interview__consent=True).first()
    page = Client().get(f"/public/investigations/{proconnect.pk}/").content.decode()
    assert quote.text not in page
    Quote.objects.filter(pk=quote.pk).update(publishable=True)
    Interview.objects.filter(pk=quote.interview_id).update(consent=False)
    results_unpublish(investigation=proconnect, by=coach)
    results_publish(investigation=proconnect, by=coach)  # a new publication: fresh content
    page = Client().get(f"/public/investigations/{proconnect.pk}/").content.decode()
    assert quote.text not in page  # ticked, but consent is no longer there


def test_groups_of_fewer_than_five_interviews_are_counted_under_others(proconnect, coach):
    group = proconnect.target_groups.create(name="Collectivités très rares")
    Interview.objects.filter(pk__in=Interview.objects.filter(investigation=proconnect).values("pk")[:3]).update(
        target_group=group
    )
    results_publish(investigation=proconnect, by=coach)
    data = Client().get(f"/public/investigations/{proconnect.pk}.json").json()
    names = [g["name"] for g in data["groups"]]
    assert "Collectivités très rares" not in names
    assert names[-1] == "autres"
    assert data["groups"][-1]["interviews"] >= 3
    assert sum(g["interviews"] for g in data["groups"]) == 54


def test_an_unpublished_investigation_answers_404(proconnect, coach):
    assert Client().get(f"/public/investigations/{proconnect.pk}/").status_code == 404
    results_publish(investigation=proconnect, by=coach)
    assert Client().get(f"/public/investigations/{proconnect.pk}/").status_code == 200
    results_unpublish(investigation=proconnect, by=coach)
    assert Client().get(f"/public/investigations/{proconnect.pk}/").status_code == 404
    assert Client().get(f"/public/investigations/{proconnect.pk}.json").status_code == 404


def test_publishing_records_who_and_when_in_the_history(proconnect, coach):
    results_publish(investigation=proconnect, by=coach)
    results_unpublish(investigation=proconnect, by=coach)
    publication = ResultsPublication.objects.get(investigation=proconnect)
    assert publication.unpublished_by == coach
    history = list(publication.history.order_by("history_date"))
    assert [record.history_user for record in history] == [coach, coach]
    assert history[0].published_by == coach and history[0].published_at is not None


def test_the_team_previews_then_publishes_from_the_app(proconnect, coach):
    client = Client()
    client.force_login(coach)
    preview = client.get(f"/public/investigations/{proconnect.pk}/apercu/")
    assert preview.status_code == 200
    assert "Publier ces résultats" in preview.content.decode()
    response = client.post(f"/public/investigations/{proconnect.pk}/publier/")
    assert response.status_code == 302
    assert ResultsPublication.objects.published().filter(investigation=proconnect).exists()
    client.post(f"/public/investigations/{proconnect.pk}/depublier/")
    assert not ResultsPublication.objects.published().filter(investigation=proconnect).exists()


def test_a_person_outside_the_team_cannot_publish(proconnect):
    outsider = User.objects.create_user(email="curieux@example.org", password="x", full_name="Curieux")
    client = Client()
    client.force_login(outsider)
    assert client.get(f"/public/investigations/{proconnect.pk}/apercu/").status_code == 404
    assert client.post(f"/public/investigations/{proconnect.pk}/publier/").status_code == 404
    assert not ResultsPublication.objects.filter(investigation=proconnect).exists()


def test_the_public_startup_sheet_answers_in_french_and_english(demo):
    anonymous = Client()
    french = anonymous.get("/public/startups/proconnect/")
    english = anonymous.get("/public/startups/proconnect/?lang=en")
    assert french.status_code == english.status_code == 200
    assert "La solution qui vous identifie en tant que professionnel." in french.content.decode()
    assert "Quality and compliance" in english.content.decode()
    assert 'hreflang="en"' in french.content.decode()


def test_a_private_startup_has_no_public_sheet_nor_results(proconnect, coach):
    results_publish(investigation=proconnect, by=coach)
    Startup.objects.filter(slug="proconnect").update(is_private=True)
    assert Client().get("/public/startups/proconnect/").status_code == 404
    assert Client().get(f"/public/investigations/{proconnect.pk}/").status_code == 404
