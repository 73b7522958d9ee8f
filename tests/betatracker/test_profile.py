"""The profile page: personal API tokens created (shown once), listed and revoked."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from betatracker.models import ApiToken
from tests.products.factories import UserFactory

from .factories import api_token_for

pytestmark = pytest.mark.django_db

PROFILE = reverse("profile")
CREATE = reverse("profile_token_create")


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def person(client):
    user = UserFactory(email="claire.martin@beta.gouv.fr", full_name="Claire Martin")
    client.force_login(user)
    return user


def test_the_profile_page_needs_a_signed_in_person(client):
    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_profile_page_shows_the_account_and_an_empty_token_list(client, person):
    page = text(client.get(PROFILE))

    assert "Mon profil" in page
    assert "claire.martin@beta.gouv.fr" in page
    assert "Vous n'avez encore aucun jeton." in page


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(client, person):
    response = client.post(CREATE, {"name": "Tableau de bord"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=person)
    page = text(response)
    raw = page.split('id="new-token" readonly value="')[1].split('"')[0]
    assert raw.startswith("bt_") and len(raw) > 40
    assert token.token_hash != raw and raw not in token.token_hash
    assert "il ne sera plus jamais affiché" in page
    assert raw not in text(client.get(PROFILE))
    api = client.get(reverse("api:startup_list"), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.status_code == 200


def test_a_token_needs_a_name(client, person):
    response = client.post(CREATE, {"name": "   "})

    assert response.status_code == 200
    assert "Donnez un nom au jeton." in text(response)
    assert not ApiToken.objects.exists()


def test_a_person_cannot_hold_more_than_twenty_active_tokens(client, person):
    for n in range(20):
        api_token_for(person, name=f"Jeton {n}")

    response = client.post(CREATE, {"name": "Un de trop"})

    assert "révoquez-en un avant d'en créer un autre" in text(response)
    assert ApiToken.objects.filter(user=person).count() == 20


def test_revoking_a_token_cuts_its_access_and_shows_it_revoked(client, person):
    token, raw = api_token_for(person, name="Script nocturne")

    response = client.post(reverse("profile_token_revoke", args=[token.pk]), follow=True)

    page = text(response)
    assert "Le jeton « Script nocturne » est révoqué" in page
    assert "révoqué le" in page
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(reverse("api:startup_list"), HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_nobody_can_revoke_someone_elses_token(client, person):
    token, _ = api_token_for(UserFactory())

    response = client.post(reverse("profile_token_revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_needs_a_post(client, person):
    token, _ = api_token_for(person)

    assert client.get(reverse("profile_token_revoke", args=[token.pk])).status_code == 405


def test_the_token_list_shows_only_ones_own_tokens(client, person):
    api_token_for(person, name="Le mien")
    api_token_for(UserFactory(), name="Celui d'un autre")

    page = text(client.get(PROFILE))

    assert "Le mien" in page
    assert "Celui d" not in page


def test_the_profile_page_makes_the_same_number_of_queries_for_one_or_many_tokens(client, person):
    api_token_for(person)
    with CaptureQueriesContext(connection) as one:
        client.get(PROFILE)
    for n in range(12):
        api_token_for(person, name=f"Jeton {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(PROFILE)

    assert len(one) == len(many)


def test_the_profile_shows_when_each_token_expires_and_offers_to_limit_it_to_readable_startups(client, person):
    from django.utils import timezone
    from django.utils.formats import date_format

    from products.enums import MembershipRole
    from tests.products.factories import MembershipFactory, StartupFactory

    own = MembershipFactory(user=person, role=MembershipRole.COACH, startup=StartupFactory(name="Mon service")).startup
    StartupFactory(name="Service d'ailleurs")
    page = text(client.get(PROFILE))
    assert "Mon service" in page and "Service d'ailleurs" not in page
    assert "Le jeton expire 90 jours après sa création." in page
    client.post(CREATE, {"name": "Limité", "startups": [own.pk]})
    token = ApiToken.objects.get(user=person)
    assert list(token.startups.all()) == [own]
    expiry = date_format(timezone.localtime(token.expires_at), "DATE_FORMAT")
    assert token.expires_at.date() > timezone.localdate()
    page = text(client.get(PROFILE))
    assert expiry in page
