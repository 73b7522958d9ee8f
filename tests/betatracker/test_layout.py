import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.products.factories import MembershipFactory, PhaseFactory, UserFactory

pytestmark = pytest.mark.django_db


class _Page(HTMLParser):
    """Collects what the layout tests look at: ids, scripts, stylesheets, inline code, aria-current."""

    def __init__(self, html):
        super().__init__()
        self.ids, self.scripts, self.stylesheets, self.inline_code, self.current = set(), [], [], [], []
        self._tag_stack = []
        self._in_inline_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in attrs:
            if name.startswith("on") or name == "style":
                self.inline_code.append(f"<{tag} {name}=…>")
        if tag == "style":
            self.inline_code.append("<style>")
        if tag == "script":
            if attrs.get("src"):
                self.scripts.append(attrs["src"])
            else:
                self.inline_code.append("<script> without src")
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])
        if "aria-current" in attrs:
            self.current.append((attrs.get("href"), attrs["aria-current"]))


def _pages(client):
    user = UserFactory()
    phase = PhaseFactory(startup__slug="1000.premiers.jours.blues")
    MembershipFactory(startup=phase.startup, user=user)
    anonymous = [reverse(name) for name in ("login", "password_reset", "password_reset_done", "accessibility")]
    signed_in = [
        reverse("products:startup_list"),
        reverse("products:startup_list") + "?phase=inconnue&q=x",
        phase.startup.get_absolute_url(),
        reverse("password_change"),
    ]
    return user, anonymous, signed_in


def test_every_page_carries_no_inline_script_style_or_handler(client):
    user, anonymous, signed_in = _pages(client)
    for url in anonymous:
        page = _Page(client.get(url).content.decode())
        assert page.inline_code == [], url
    client.force_login(user)
    for url in signed_in:
        page = _Page(client.get(url).content.decode())
        assert page.inline_code == [], url


def test_dsfr_assets_are_served_by_the_app_itself(client):
    page = _Page(client.get(reverse("login")).content.decode())
    assert "/static/dsfr/dist/dsfr.min.css" in page.stylesheets
    assert "/static/dsfr/dist/dsfr.module.min.js" in page.scripts
    for url in page.stylesheets + page.scripts:
        assert url.startswith("/static/"), url
    for path in ("dsfr/dist/dsfr.min.css", "dsfr/dist/dsfr.module.min.js", "dsfr/dist/utility/icons/icons.min.css"):
        assert finders.find(path), path


def test_skip_links_lead_to_existing_targets(client):
    client.force_login(UserFactory())
    html = client.get(reverse("products:startup_list")).content.decode()
    page = _Page(html)
    assert 'class="fr-skiplinks"' in html
    for target in ("contenu", "navigation", "pied-de-page"):
        assert f'href="#{target}"' in html
        assert target in page.ids


def test_anonymous_pages_have_no_main_menu(client):
    html = client.get(reverse("login")).content.decode()
    assert 'id="navigation"' not in html
    assert 'href="#navigation"' not in html
    assert "Se connecter" in html


def test_main_menu_marks_the_current_page(client):
    client.force_login(UserFactory())
    page = _Page(client.get(reverse("products:startup_list")).content.decode())
    assert (reverse("products:startup_list"), "page") in page.current


def test_main_menu_marks_the_portfolio_section_on_a_startup_page(client):
    client.force_login(UserFactory())
    phase = PhaseFactory()
    page = _Page(client.get(phase.startup.get_absolute_url()).content.decode())
    assert (reverse("products:startup_list"), "true") in page.current


def test_burger_button_controls_the_menu_that_holds_the_navigation(client):
    client.force_login(UserFactory())
    html = client.get(reverse("products:startup_list")).content.decode()
    assert 'aria-controls="menu-principal"' in html
    assert 'id="menu-principal"' in html
    assert html.index('id="menu-principal"') < html.index('id="navigation"')
    # Named in the server's HTML, before DSFR's script runs (and without it): a <section> (which may carry
    # aria-labelledby, unlike a plain div) named by its hidden title; the buttons named too.
    assert (
        '<section class="fr-header__menu fr-modal" id="menu-principal" aria-labelledby="menu-principal-titre">' in html
    )
    assert '<p class="fr-modal__title fr-sr-only" id="menu-principal-titre">Menu</p>' in html
    assert 'aria-controls="menu-principal" aria-haspopup="dialog" id="bouton-menu" aria-label="Menu"' in html
    assert 'aria-controls="menu-principal" aria-label="Fermer le menu"' in html


def test_the_header_search_modal_is_named_before_any_script(client):
    client.force_login(UserFactory())
    html = client.get(reverse("products:startup_list")).content.decode()
    assert (
        '<section class="fr-header__search fr-modal" id="recherche-en-tete" '
        'aria-labelledby="recherche-en-tete-titre">' in html
    )
    assert 'id="recherche-en-tete-titre">Recherche</p>' in html
    assert 'aria-controls="recherche-en-tete" id="bouton-recherche" aria-label="Rechercher"' in html


def test_signed_in_header_offers_account_and_a_post_sign_out(client):
    client.force_login(UserFactory(full_name="Camille Martin"))
    html = client.get(reverse("products:startup_list")).content.decode()
    assert "Mon compte (Camille Martin)" in html
    assert f'<form method="post" action="{reverse("logout")}">' in html


def test_footer_links_to_the_accessibility_statement(client):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("accessibility")}"' in html
    assert "Accessibilité : non conforme" in html


def test_accessibility_statement_is_public_and_honest(client):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Déclaration d&#x27;accessibilité</h1>" in page or "<h1>Déclaration d'accessibilité</h1>" in page
    assert "non conforme" in page
    assert "audit est en cours" in page
    assert "Défenseur des droits" in page
    assert (reverse("accessibility"), "page") in _Page(page).current


def test_accessibility_statement_says_what_is_checked_and_what_is_not(client):
    page = client.get(reverse("accessibility")).content.decode()
    vendored = (Path(__file__).parents[1] / "a11y" / "vendor" / "axe.min.js").read_text(encoding="utf-8")[:40]
    version = re.match(r"/\*! axe v([0-9.]+)", vendored).group(1)  # the statement names the axe the tests run
    assert f"axe-core</strong> (version {version}, règles WCAG 2.1 niveaux A et AA)" in page
    assert "Clavier seul" in page
    assert "seuls le menu et la recherche de l'en-tête, ouverts, sont vérifiés" in page
    assert "ni Lighthouse ni un validateur HTML" in page
    assert "lecteur d&#x27;écran" in page or "lecteur d'écran" in page
