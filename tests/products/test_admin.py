import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from products.models import Phase, Startup, User

from .factories import EventFactory, MembershipFactory, PhaseFactory, StartupFactory, UserFactory

pytestmark = pytest.mark.django_db

PRODUCTS_MODELS = [model for model in admin.site._registry if model._meta.app_label == "products"]


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(email="admin@example.gouv.fr", is_staff=True, is_superuser=True))
    return client


def test_every_portfolio_model_is_in_the_admin():
    names = {model.__name__ for model in PRODUCTS_MODELS}
    assert names == {"User", "Organisation", "Incubator", "Theme", "Startup", "Phase", "Event", "Membership"}


@pytest.mark.parametrize("model", PRODUCTS_MODELS, ids=lambda model: model.__name__)
def test_changelist_and_add_page_load_for_a_superuser(superuser_client, model):
    phase = PhaseFactory()
    EventFactory(startup=phase.startup)
    MembershipFactory(startup=phase.startup)
    opts = model._meta
    assert superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    assert superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200


def test_startup_changelist_shows_incubator_and_current_phase_and_searches(superuser_client):
    PhaseFactory(
        startup__name="Répit Aidants", startup__incubator__title="Fabrique des Solidarités", name="construction"
    )
    StartupFactory(name="Autre")
    url = reverse("admin:products_startup_changelist")
    page = superuser_client.get(url, {"q": "répit"}).content.decode()
    assert "Répit Aidants" in page
    assert "Fabrique des Solidarités" in page
    assert "Construction" in page
    filtered = superuser_client.get(url, {"q": "répit", "current_phase__exact": "construction"})
    assert "Autre" not in filtered.content.decode()


def test_startup_change_page_has_phases_events_members_and_history(superuser_client):
    phase = PhaseFactory()
    EventFactory(startup=phase.startup)
    MembershipFactory(startup=phase.startup)
    startup = phase.startup
    page = superuser_client.get(reverse("admin:products_startup_change", args=[startup.pk])).content.decode()
    assert 'id="phases-group"' in page
    assert 'id="events-group"' in page
    assert 'id="memberships-group"' in page
    assert superuser_client.get(reverse("admin:products_startup_history", args=[startup.pk])).status_code == 200
    assert superuser_client.get(reverse("admin:products_phase_history", args=[phase.pk])).status_code == 200


def _startup_form(startup, phases):
    data = {
        "slug": startup.slug,
        "name": startup.name,
        "mission": startup.mission,
        "incubator": startup.incubator_id,
        "usertypes": "[]",
        "phases-TOTAL_FORMS": len(phases),
        "phases-INITIAL_FORMS": 0,
        "events-TOTAL_FORMS": 0,
        "events-INITIAL_FORMS": 0,
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
    }
    for index, (name, start, end) in enumerate(phases):
        data[f"phases-{index}-name"] = name
        data[f"phases-{index}-start"] = start
        data[f"phases-{index}-end"] = end
    return data


def test_phases_added_in_the_admin_update_the_current_phase(superuser_client):
    startup = StartupFactory()
    data = _startup_form(startup, [("investigation", "2024-01-01", "2024-03-01"), ("construction", "2024-03-01", "")])
    response = superuser_client.post(reverse("admin:products_startup_change", args=[startup.pk]), data)
    assert response.status_code == 302
    startup.refresh_from_db()
    assert startup.current_phase == "construction"
    assert startup.current_phase_start == datetime.date(2024, 3, 1)


def test_overlapping_phases_are_refused_in_the_admin(superuser_client):
    startup = StartupFactory()
    data = _startup_form(startup, [("investigation", "2024-01-01", "2024-06-01"), ("construction", "2024-03-01", "")])
    response = superuser_client.post(reverse("admin:products_startup_change", args=[startup.pk]), data)
    assert response.status_code == 200
    assert "se chevauchent" in response.content.decode()
    assert not Phase.objects.filter(startup=startup).exists()


def test_deleting_a_phase_in_the_admin_updates_the_current_phase(superuser_client):
    startup = StartupFactory()
    PhaseFactory(startup=startup, name="investigation", start=datetime.date(2024, 1, 1), end=datetime.date(2024, 3, 1))
    last = PhaseFactory(startup=startup, name="construction", start=datetime.date(2024, 3, 1))
    response = superuser_client.post(reverse("admin:products_phase_delete", args=[last.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert Startup.objects.get(pk=startup.pk).current_phase == "investigation"


def test_admin_creates_a_user_who_signs_in_with_their_email(superuser_client, client):
    response = superuser_client.post(
        reverse("admin:products_user_add"),
        {
            "email": "Nouvelle.Personne@Example.gouv.fr",
            "full_name": "Nouvelle Personne",
            "usable_password": "true",
            "password1": "Un-secret-solide-42",
            "password2": "Un-secret-solide-42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(full_name="Nouvelle Personne")
    assert user.email == "nouvelle.personne@example.gouv.fr"
    assert user.check_password("Un-secret-solide-42")


def test_admin_refuses_an_email_already_taken_whatever_its_case(superuser_client):
    UserFactory(email="deja@example.gouv.fr")
    response = superuser_client.post(
        reverse("admin:products_user_add"),
        {"email": "DEJA@example.gouv.fr", "full_name": "Doublon", "usable_password": "false"},
    )
    assert response.status_code == 200
    assert "Un compte existe déjà avec cette adresse électronique." in response.content.decode()
