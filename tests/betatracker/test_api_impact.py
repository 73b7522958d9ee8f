"""Writing through the API: an impact measurement, with a token that has the write scope, by the startup's team."""

import json

import pytest
from django.urls import reverse

from betatracker.services import api_token_create
from products import services
from products.enums import MembershipRole
from products.models import Measurement
from tests.products.factories import MembershipFactory, StartupFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def startup():
    startup = StartupFactory(slug="aidants-connect")
    services.indicator_create(startup=startup, name="Usagers actifs", unit="usagers", direction="hausse", kind="stock")
    return startup


def url(slug="aidants-connect"):
    return reverse("api:measurement_create", kwargs={"slug": slug})


def post(client, raw, body, slug="aidants-connect"):
    return client.post(url(slug), json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")


def token(user, *, can_write=True, startups=()):
    return api_token_create(user=user, name="Script", can_write=can_write, startups=startups)[1]


BODY = {"indicator": "usagers actifs", "date": "2026-01-31", "value": "125.5"}


def test_a_team_member_records_a_measurement_with_a_write_token(client, startup):
    member = MembershipFactory(startup=startup, role=MembershipRole.TEAM_MEMBER).user
    response = post(client, token(member), BODY)
    assert response.status_code == 201, response.content
    assert response.json() == {
        "startup": "aidants-connect",
        "indicator": "Usagers actifs",
        "unit": "usagers",
        "date": "2026-01-31",
        "value": "125.5",
    }
    measurement = Measurement.objects.get()
    assert (measurement.via, measurement.entered_by) == ("api", member)
    again = post(client, token(member), BODY)
    assert again.status_code == 400 and "déjà une mesure" in again.json()["message"]


def test_a_read_only_token_is_refused_403(client, startup):
    member = MembershipFactory(startup=startup, role=MembershipRole.INTRAPRENEUR).user
    response = post(client, token(member, can_write=False), BODY)
    assert response.status_code == 403 and "ne fait que lire" in response.json()["message"]
    assert not Measurement.objects.exists()


def test_someone_outside_the_team_is_refused_403_even_with_a_write_token(client, startup):
    response = post(client, token(UserFactory()), BODY)
    assert response.status_code == 403
    assert not Measurement.objects.exists()


def test_a_token_limited_to_other_startups_does_not_find_this_one(client, startup):
    member = MembershipFactory(startup=startup, role=MembershipRole.TEAM_MEMBER).user
    other = MembershipFactory(startup=StartupFactory(), role=MembershipRole.TEAM_MEMBER, user=member).startup
    response = post(client, token(member, startups=[other]), BODY)
    assert response.status_code == 404


def test_a_browser_session_cannot_write(client, startup):
    member = MembershipFactory(startup=startup, role=MembershipRole.TEAM_MEMBER).user
    client.force_login(member)
    response = client.post(url(), json.dumps(BODY), content_type="application/json")
    assert response.status_code == 401
    assert client.get(url()).status_code == 405


def test_bad_input_is_named(client, startup):
    raw = token(MembershipFactory(startup=startup, role=MembershipRole.TEAM_MEMBER).user)
    response = post(client, raw, {**BODY, "indicator": "Inconnu"})
    assert response.status_code == 400 and "« Inconnu » inconnu" in response.json()["message"]
    response = post(client, raw, {**BODY, "value": "beaucoup"})
    assert response.status_code == 400 and "« value »" in response.json()["message"]
    response = post(client, raw, {"indicator": "Usagers actifs", "date": "2026-01-31"})
    assert response.status_code == 400 and "« value »" in response.json()["message"]
