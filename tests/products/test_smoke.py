import pytest
from django.urls import reverse

from products.models import Startup

from .factories import PhaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("products:startup_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_public_and_in_french(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Connexion à Betatracker" in response.content.decode()


def test_signed_in_person_sees_the_portfolio_with_current_phases(client):
    phase = PhaseFactory(name="construction")
    client.force_login(UserFactory())
    response = client.get(reverse("products:startup_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert phase.startup.name in page
    assert "Construction" in page
    assert Startup.objects.in_phase("construction").get() == phase.startup
