"""The 400, 403, 404 and CSRF-failure pages: DSFR, in French and in English, saying why, for anyone
(security review, issue 12, item 11)."""

import html

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.committees.factories import CommitteeSessionFactory
from tests.products.factories import UserFactory

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def signed_in(client):
    client.force_login(UserFactory())
    return client


def test_the_404_page_is_dsfr_and_says_why(signed_in):
    response = signed_in.get("/startups/inconnue/")
    assert response.status_code == 404
    assert "fr-header" in page(response) and "Page introuvable" in page(response)
    assert "vous ne pouvez pas connaître le contenu" in page(response)


def test_the_403_page_gives_the_reason_of_the_refusal(client):
    member = UserFactory()
    session = CommitteeSessionFactory(members=[member])
    client.force_login(member)
    response = client.get(reverse("committees:session_agenda", args=[session.pk]))
    assert response.status_code == 403
    assert "Accès refusé" in page(response)
    assert "Seules l'équipe de l'incubateur et les administrateurs composent l'ordre du jour." in page(response)


def test_the_400_page_renders_even_without_a_request_context(client):
    response = client.get("/startups/?q=%00")  # refused by the NUL middleware, before any sign-in
    assert response.status_code == 400
    assert "Requête invalide" in page(response) and "fr-header" in page(response)


def test_the_csrf_failure_page_says_why_in_french_and_in_english():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "a@b.fr", "password": "x"})
    assert response.status_code == 403
    assert "Formulaire expiré" in page(response)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("login"), {"username": "a@b.fr", "password": "x"})
    assert "Form expired" in page(response)
    assert "Formulaire expiré" not in page(response)


def test_the_error_pages_speak_english(signed_in):
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = signed_in.get("/startups/inconnue/")
    assert "Page not found" in page(response)
    assert signed_in.get("/startups/?q=%00").status_code == 400
    assert "Invalid request" in page(signed_in.get("/startups/?q=%00"))


def test_a_nul_in_a_submitted_form_is_refused_before_any_view(client):
    response = client.post(reverse("login"), {"username": "a\x00@b.fr", "password": "x"})
    assert response.status_code == 400
    assert "Requête invalide" in page(response)
