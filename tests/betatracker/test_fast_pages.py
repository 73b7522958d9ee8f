"""Fast and steady on a phone (issue 14): HTML compressed, described for search engines, no layout that
the DSFR's script changes once it runs."""

import gzip
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.products.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent.parent


def test_pages_are_sent_compressed_to_browsers_that_accept_it(client):
    response = client.get(reverse("login"), headers={"accept-encoding": "gzip, deflate, br"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "Connexion à Betatracker" in gzip.decompress(response.content).decode()
    assert "Content-Encoding" not in client.get(reverse("login"))  # no Accept-Encoding: plain


def test_robots_txt_opens_the_public_pages_only(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().splitlines() == ["User-agent: *", "Allow: /public/", "Disallow: /"]


def _meta(html: str, name: str) -> str | None:
    found = re.search(rf'<meta name="{name}" content="([^"]*)">', html)
    return found.group(1) if found else None


def test_signed_in_pages_are_not_indexed_and_describe_themselves(client):
    client.force_login(UserFactory())
    dashboard = client.get(reverse("dashboard:home")).content.decode()
    assert _meta(dashboard, "robots") == "noindex, nofollow"
    assert _meta(dashboard, "description").startswith("Le portefeuille de Startups d")
    sign_in = client.get(reverse("accessibility")).content.decode()
    assert _meta(sign_in, "description").startswith("Betatracker suit les Startups d")  # the default


def test_a_public_startup_page_is_indexed_with_its_mission_as_description(client):
    membership = MembershipFactory()
    startup = membership.startup
    html = client.get(reverse("public:startup", args=[startup.slug])).content.decode()
    assert _meta(html, "robots") is None
    assert _meta(html, "description") == startup.mission


def test_the_layout_without_javascript_is_only_for_browsers_without_scripts(client):
    html = client.get(reverse("login")).content.decode()
    assert re.search(r'<noscript><link rel="stylesheet" href="/static/css/nojs\.css"></noscript>', html)
    # The style sheet every browser applies must not depend on the DSFR's script having run: such rules
    # lay the page out one way, then another once the script runs (the header shrank from 614 to 189 px).
    assert "data-fr-js" not in (ROOT / "static" / "css" / "betatracker.css").read_text(encoding="utf-8")
    assert ".fr-header__menu.fr-modal" in (ROOT / "static" / "css" / "nojs.css").read_text(encoding="utf-8")


def test_the_fonts_every_page_shows_are_preloaded(client):
    html = client.get(reverse("login")).content.decode()
    for font in ("Marianne-Regular", "Marianne-Medium", "Marianne-Bold"):
        preload = rf'<link rel="preload" href="[^"]*{font}\.woff2" as="font" type="font/woff2" crossorigin>'
        assert re.search(preload, html), font
