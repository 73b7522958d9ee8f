"""ProConnect sign-in against a fake OpenID provider inside the test process (no network)."""

import html

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.urls import reverse

from betatracker.models import AllowedDomain, ProConnectIdentity
from products.models import User
from tests.products.factories import UserFactory

from . import fake_provider
from .factories import AllowedDomainFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def provider_key():
    return fake_provider.generate_key()


@pytest.fixture
def proconnect(settings, monkeypatch, provider_key):
    """ProConnect configured with an issuer (endpoints from discovery) and answered by the fake."""
    settings.PROCONNECT_CLIENT_ID = fake_provider.CLIENT_ID
    settings.PROCONNECT_CLIENT_SECRET = fake_provider.CLIENT_SECRET
    settings.PROCONNECT_ISSUER = fake_provider.ISSUER
    provider = fake_provider.FakeProConnect(provider_key)
    monkeypatch.setattr(requests, "get", provider.get)
    monkeypatch.setattr(requests, "post", provider.post)
    cache.clear()
    yield provider
    cache.clear()


@pytest.fixture
def proconnect_off(settings):
    settings.PROCONNECT_CLIENT_ID = ""
    settings.PROCONNECT_CLIENT_SECRET = ""
    settings.PROCONNECT_ISSUER = ""


def claims(email="claire.martin@beta.gouv.fr", sub="sub-claire", **extra):
    return {"sub": sub, "email": email, "given_name": "Claire", "usual_name": "Martin", **extra}


def start_sign_in(client, next_url="/startups/"):
    response = client.get(reverse("oidc_authentication_init"), {"next": next_url})
    assert response.status_code == 302
    assert response["Location"].startswith(f"{fake_provider.ISSUER}/authorize?")
    return response["Location"]


def sign_in(client, provider, person_claims, next_url="/startups/"):
    authorization_url = start_sign_in(client, next_url)
    back = provider.authorize(authorization_url, person_claims)
    return client.get(reverse("oidc_authentication_callback"), back)


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


def login_page_after(client, response):
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    return html.unescape(client.get(response["Location"]).content.decode())


def test_first_sign_in_links_the_existing_account_by_verified_email_and_opens_a_session(client, proconnect):
    user = UserFactory(email="claire.martin@beta.gouv.fr")

    response = sign_in(client, proconnect, claims(email="Claire.Martin@Beta.Gouv.FR"))

    assert response.status_code == 302
    assert response["Location"] == "/startups/"
    assert signed_in_user_id(client) == str(user.pk)
    identity = ProConnectIdentity.objects.get()
    assert (identity.user, identity.sub) == (user, "sub-claire")
    assert client.get("/startups/").status_code == 200


def test_a_linked_person_signs_in_by_their_proconnect_subject_even_after_an_email_change(client, proconnect):
    user = UserFactory(email="claire.martin@beta.gouv.fr")
    sign_in(client, proconnect, claims())
    client.logout()

    response = sign_in(client, proconnect, claims(email="claire.martin@numerique.gouv.fr"))

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(user.pk)
    assert ProConnectIdentity.objects.get().email == "claire.martin@numerique.gouv.fr"


def test_a_callback_with_a_state_that_was_never_issued_is_refused(client, proconnect):
    UserFactory(email="claire.martin@beta.gouv.fr")
    authorization_url = start_sign_in(client)
    back = proconnect.authorize(authorization_url, claims())

    response = client.get(reverse("oidc_authentication_callback"), {"code": back["code"], "state": "forged-state"})

    page = login_page_after(client, response)
    assert "La connexion avec ProConnect a échoué" in page
    assert signed_in_user_id(client) is None
    assert proconnect.token_requests == []


def test_a_callback_without_any_sign_in_started_is_refused(client, proconnect):
    response = client.get(reverse("oidc_authentication_callback"), {"code": "abc", "state": "xyz"})

    assert "La connexion avec ProConnect a échoué" in login_page_after(client, response)
    assert signed_in_user_id(client) is None


def test_an_expired_id_token_is_refused(client, proconnect):
    UserFactory(email="claire.martin@beta.gouv.fr")
    proconnect.id_token_lifetime = -120

    response = sign_in(client, proconnect, claims())

    assert "La connexion avec ProConnect a échoué" in login_page_after(client, response)
    assert signed_in_user_id(client) is None
    assert not ProConnectIdentity.objects.exists()


def test_an_id_token_signed_by_another_key_is_refused(client, proconnect):
    UserFactory(email="claire.martin@beta.gouv.fr")
    proconnect.signing_key = fake_provider.generate_key()  # not the key its JWKS publishes

    response = sign_in(client, proconnect, claims())

    assert "La connexion avec ProConnect a échoué" in login_page_after(client, response)
    assert signed_in_user_id(client) is None


def test_unknown_email_outside_allowed_domains_is_refused_and_creates_no_account(client, proconnect):
    AllowedDomainFactory(domain="beta.gouv.fr")

    response = sign_in(client, proconnect, claims(email="agent@ville-inconnue.fr"))

    page = login_page_after(client, response)
    assert "Aucun compte Betatracker n'existe pour l'adresse agent@ville-inconnue.fr" in page
    assert signed_in_user_id(client) is None
    assert not User.objects.filter(email="agent@ville-inconnue.fr").exists()
    assert not ProConnectIdentity.objects.exists()


def test_an_allowed_domain_gets_an_account_created_on_first_sign_in(client, proconnect):
    AllowedDomainFactory(domain="ville-exemple.fr")

    response = sign_in(
        client, proconnect, claims(email="Camille.Dupont@Ville-Exemple.fr", given_name="Camille", usual_name="Dupont")
    )

    assert response.status_code == 302
    user = User.objects.get(email="camille.dupont@ville-exemple.fr")
    assert user.full_name == "Camille Dupont"
    assert not user.has_usable_password()
    assert signed_in_user_id(client) == str(user.pk)


def test_an_email_that_proconnect_marks_unverified_is_refused(client, proconnect):
    UserFactory(email="claire.martin@beta.gouv.fr")

    response = sign_in(client, proconnect, claims(email_verified=False))

    assert "n'est pas vérifiée" in login_page_after(client, response)
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize("flags", [{"is_staff": True}, {"is_superuser": True, "is_staff": True}])
def test_a_staff_or_superuser_account_is_never_linked_by_email(client, proconnect, flags):
    UserFactory(email="claire.martin@beta.gouv.fr", **flags)

    response = sign_in(client, proconnect, claims())

    assert "est un compte d'administration" in login_page_after(client, response)
    assert signed_in_user_id(client) is None
    assert not ProConnectIdentity.objects.exists()


def test_a_deactivated_account_cannot_sign_in_with_proconnect(client, proconnect):
    UserFactory(email="claire.martin@beta.gouv.fr", is_active=False)

    response = sign_in(client, proconnect, claims())

    assert "Votre compte Betatracker est désactivé" in login_page_after(client, response)
    assert signed_in_user_id(client) is None


def test_explicit_endpoints_work_without_reading_the_discovery_document(client, proconnect, settings, monkeypatch):
    settings.PROCONNECT_ISSUER = ""
    settings.PROCONNECT_AUTHORIZATION_ENDPOINT = f"{fake_provider.ISSUER}/authorize"
    settings.PROCONNECT_TOKEN_ENDPOINT = f"{fake_provider.ISSUER}/token"
    settings.PROCONNECT_USERINFO_ENDPOINT = f"{fake_provider.ISSUER}/userinfo"
    settings.PROCONNECT_JWKS_ENDPOINT = f"{fake_provider.ISSUER}/jwks"
    fetched = []

    def get(url, **kwargs):
        fetched.append(url)
        return proconnect.get(url, **kwargs)

    monkeypatch.setattr(requests, "get", get)
    user = UserFactory(email="claire.martin@beta.gouv.fr")

    sign_in(client, proconnect, claims())

    assert signed_in_user_id(client) == str(user.pk)
    assert not any("openid-configuration" in url for url in fetched)
    assert f"{fake_provider.ISSUER}/jwks" in fetched


def test_an_unreachable_proconnect_sends_the_person_back_to_the_login_page_with_a_message(
    client, proconnect, monkeypatch
):
    def unreachable(url, **kwargs):
        raise requests.ConnectionError("no route to host")

    monkeypatch.setattr(requests, "get", unreachable)

    response = client.get(reverse("oidc_authentication_init"))

    assert "ProConnect ne répond pas pour le moment" in login_page_after(client, response)


def test_the_button_shows_on_the_login_page_when_proconnect_is_configured(client, proconnect):
    page = client.get(reverse("login"), {"next": "/startups/"}).content.decode()

    assert 'class="fr-connect fr-connect--pro"' in page
    assert "S’identifier avec" in page
    assert '<span class="fr-connect__brand">ProConnect</span>' in page
    assert f'href="{reverse("oidc_authentication_init")}?next=/startups/"' in page


def test_the_button_is_hidden_and_the_urls_answer_404_when_proconnect_is_not_configured(client, proconnect_off):
    page = client.get(reverse("login")).content.decode()

    assert "fr-connect" not in page
    assert "ProConnect" not in page
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback"), {"code": "a", "state": "b"}).status_code == 404


def test_password_sign_in_still_works_when_proconnect_is_configured(client, proconnect):
    UserFactory(email="claire.martin@beta.gouv.fr")

    response = client.post(
        reverse("login"), {"username": "claire.martin@beta.gouv.fr", "password": "motdepasse-de-test"}
    )

    assert response.status_code == 302
    assert signed_in_user_id(client) is not None


def test_an_administrator_allows_a_domain_in_the_admin_and_it_is_stored_in_lowercase(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:betatracker_alloweddomain_add"), {"domain": " @Ville-Exemple.FR ", "note": "Mairie pilote"}
    )

    assert response.status_code == 302
    allowed = AllowedDomain.objects.get()
    assert (allowed.domain, allowed.created_by) == ("ville-exemple.fr", admin_user)
    assert AllowedDomain.objects.allows("camille@VILLE-EXEMPLE.fr")
    assert not AllowedDomain.objects.allows("camille@sous.ville-exemple.fr")


def test_the_admin_refuses_something_that_is_not_a_domain(admin_client):
    response = admin_client.post(reverse("admin:betatracker_alloweddomain_add"), {"domain": "mairie de Lyon"})

    assert response.status_code == 200
    assert "n'est pas un nom de domaine" in html.unescape(response.content.decode())
    assert not AllowedDomain.objects.exists()


# --- Signing out -----------------------------------------------------------------------------------
def test_signing_out_after_a_proconnect_sign_in_ends_the_proconnect_session_too(client, proconnect):
    from urllib.parse import parse_qs, urlsplit

    UserFactory(email="claire.martin@beta.gouv.fr")
    sign_in(client, proconnect, claims())
    id_token = client.session["oidc_id_token"]

    response = client.post(reverse("logout"))

    assert signed_in_user_id(client) is None
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{fake_provider.ISSUER}/session/end"
    query = parse_qs(location.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver" + reverse("login")]
    assert len(query["state"][0]) >= 32


def test_signing_out_after_a_password_sign_in_stays_on_betatracker(client, proconnect):
    client.force_login(UserFactory())

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert signed_in_user_id(client) is None


def test_signing_out_while_proconnect_is_unreachable_still_ends_the_betatracker_session(
    client, proconnect, monkeypatch
):
    UserFactory(email="claire.martin@beta.gouv.fr")
    sign_in(client, proconnect, claims())
    cache.clear()  # the discovery document must be fetched again…

    def unreachable(url, **kwargs):  # …and ProConnect does not answer
        raise requests.ConnectionError(url)

    monkeypatch.setattr(requests, "get", unreachable)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert signed_in_user_id(client) is None
