"""The API for people: its index at /api/v1/, its documentation page rendered on the server, its addresses
with or without a final slash."""

import pytest
from django.urls import reverse

from tests.products.factories import StartupFactory, UserFactory

from .factories import api_token_for

pytestmark = pytest.mark.django_db


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_api_root_lists_its_endpoints_with_links(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    index = response.json()
    assert index["documentation"] == "http://testserver/api/v1/docs/"
    assert index["openapi"] == "http://testserver/api/v1/openapi.json"
    assert "Authorization: Bearer" in index["authentication"]
    endpoints = {(endpoint["method"], endpoint["path"]): endpoint for endpoint in index["endpoints"]}
    assert set(endpoints) == {
        ("GET", "/api/v1/startups"),
        ("GET", "/api/v1/startups/{slug}"),
        ("GET", "/api/v1/decisions"),
        ("POST", "/api/v1/startups/{slug}/impact/measurements"),
    }
    assert endpoints[("GET", "/api/v1/startups")]["url"] == "http://testserver/api/v1/startups"
    assert endpoints[("GET", "/api/v1/startups")]["documentation"].endswith("/api/v1/docs/#operation-listStartups")


@pytest.mark.parametrize("path", ["/api/v1/startups", "/api/v1/startups/", "/api/v1/decisions", "/api/v1/decisions/"])
def test_every_list_answers_with_or_without_a_final_slash(client, path):
    StartupFactory(slug="cantine-facile")
    response = client.get(path, **bearer(api_token_for()[1]))
    assert response.status_code == 200
    assert "results" in response.json()


@pytest.mark.parametrize("suffix", ["", "/"])
def test_a_startup_answers_with_or_without_a_final_slash(client, suffix):
    StartupFactory(slug="cantine-facile", name="Cantine facile")
    response = client.get(f"/api/v1/startups/cantine-facile{suffix}", **bearer(api_token_for()[1]))
    assert response.status_code == 200
    assert response.json()["name"] == "Cantine facile"


def test_the_named_address_has_no_final_slash(client):
    assert reverse("api:startup_list") == "/api/v1/startups"


def test_the_documentation_page_shows_endpoints_parameters_and_schemas_without_a_script(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Documentation de l'API</h1>" in page
    assert 'id="operation-listStartups"' in page
    assert "<code>/api/v1/startups/{slug}</code>" in page
    assert "<code>page_size</code>" in page
    assert "Résultats par page : 50 par défaut, 100 au plus." in page
    assert "<code>construction</code>" in page  # the phase parameter's values
    assert 'href="#schema-StartupPage"><code>StartupPage</code></a>' in page
    assert 'id="schema-Decision"' in page
    assert 'curl -H "Authorization: Bearer &lt;jeton&gt;" http://testserver/api/v1/startups' in page
    assert "swagger" not in page.lower()
    assert "cdn" not in page.lower()


def test_the_profile_links_to_the_documentation(client):
    client.force_login(UserFactory())
    assert reverse("api:docs") in client.get(reverse("profile")).content.decode()
