"""Accessibility in a real browser: axe-core (WCAG 2.1 A and AA) on every page, for every role, and
forms completed with the keyboard alone.

Debian's Chromium (`apt-get install chromium`, never `playwright install`) driven by Playwright.
Without /usr/bin/chromium the tests are skipped with a message; `.ci/run` installs it.

The pages come from the permission matrix (tests/access.py): every page a role may GET on its own
startup, so a page added with its rule is checked too. The person is signed in by handing the
browser the session cookie of `client.force_login` (no typing). axe is injected through the
DevTools protocol, so the page's own strict CSP stays on; any CSP violation the browser reports
while the page loads fails the test as well.
"""

import base64
import hashlib
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.access import ANONYMOUS, OUTSIDER, PUBLIC, ROLES, build_world, readable_pages
from tests.investigations.factories import InterviewFactory
from tests.products.factories import StartupFactory

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_SHA256 = "sha256-KTSJmUUM3yhJqOcLeRL8LahahJ2jnA0NU5T1HUqe2Vw="
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",  # root in CI containers
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Django's own admin: the index, its login, and for each model its list and one object; the
# history and delete pages share their layout.
ADMIN_SAMPLED_SUFFIXES = ("_changelist", "_change")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_context(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    # axe in every document, through DevTools (not subject to the page's CSP), before its scripts.
    context.add_init_script(script=AXE.read_text(encoding="utf-8"))
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return context


class Tab:
    """One browser tab that visits pages in turn, noting the CSP violations reported on each."""

    def __init__(self, context):
        self.page = context.new_page()
        self.csp_violations = []
        self.page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def visit(self, path):
        self.csp_violations = []
        self.page.goto(path, wait_until="load")
        return self.page


def axe_violations(page) -> list[dict]:
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return result["violations"]


def describe(violation) -> str:
    def summary(node):
        lines = [line.strip() for line in node["failureSummary"].splitlines()]
        return " / ".join(line for line in lines if line and not line.startswith("Fix "))[:300]

    nodes = "\n".join(f"      - {' '.join(node['target'])}: {summary(node)}" for node in violation["nodes"][:4])
    more = f"\n      … and {len(violation['nodes']) - 4} more" if len(violation["nodes"]) > 4 else ""
    return f"    [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})\n{nodes}{more}"


NOT_HTML = {"healthz", "set_language", "robots_txt", "committees:document_download"}


def pages_for(world, role):
    """The pages `role` may read. Public pages (sign-in, password reset, statement) look the same to
    every signed-in person: they are visited signed out and as the person without a role."""
    for url, rule, _role, path in readable_pages(world, roles=[role]):
        if url.name.startswith("admin:") and not (
            url.name in ("admin:index", "admin:login") or url.name.endswith(ADMIN_SAMPLED_SUFFIXES)
        ):
            continue
        if rule.get == PUBLIC and role not in (ANONYMOUS, OUTSIDER):
            continue
        if url.name.startswith("api:") or url.name in NOT_HTML or path.endswith((".csv", ".json")):
            continue  # JSON, CSV and plain-text answers: no page for a person to read
        yield url.name, path


def test_the_vendored_axe_is_the_published_one():
    digest = base64.b64encode(hashlib.sha256(AXE.read_bytes()).digest()).decode()
    assert f"sha256-{digest}" == AXE_SHA256
    assert AXE.read_text(encoding="utf-8").startswith("/*! axe v4.14.1")


def test_axe_finds_a_violation_on_a_broken_page(browser):
    page = browser.new_page()
    page.set_content('<html lang="fr"><head><title>t</title></head><body><main><img src="x.png"></main></body></html>')
    page.evaluate(AXE.read_text(encoding="utf-8"))
    assert "image-alt" in {violation["id"] for violation in axe_violations(page)}
    page.close()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_has_no_wcag_violation_for_each_role(role, browser, live_server):
    world = build_world()
    context = signed_in_context(browser, live_server, world.people[role])
    tab, report, visited = Tab(context), [], 0
    for name, path in pages_for(world, role):
        page = tab.visit(path)
        visited += 1
        violations = axe_violations(page)
        if violations or tab.csp_violations:
            lines = [describe(v) for v in violations] + [f"    [csp] {text}" for text in tab.csp_violations]
            report.append(f"  {name} {path} (as {role}, landed on {page.url}):\n" + "\n".join(lines))
    context.close()
    assert visited, f"no page was visited as {role}"
    assert not report, f"Accessibility violations (WCAG 2.1 A/AA) as {role}:\n" + "\n".join(report)


# --- The keyboard alone -----------------------------------------------------------------------------
FOCUSED_NAME = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "";
  const label = (el.labels && el.labels[0] && el.labels[0].innerText) || el.getAttribute("aria-label") || "";
  return (label || el.innerText || el.value || "").trim();
}"""


def tab_to(page, name: str, max_presses: int = 60) -> None:
    """Press Tab until the focused element is the one named `name` (its label or text)."""
    seen = []
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_NAME)
        seen.append(focused)
        if focused == name or focused.startswith(name):
            return
    raise AssertionError(
        f"«{name}» never got the focus with Tab; focus went through: {seen} on {page.url}: {page.title()}"
    )


def keyboard_fill(page, steps) -> None:
    """Complete a form with the keyboard alone. `steps` is a list of (field name, action):
    a string is typed, True presses Space (a checkbox or a radio), ("select", "Option") moves a
    <select> with the arrow keys to that option, "submit" presses Enter on the named button."""
    for name, action in steps:
        tab_to(page, name)
        if action == "submit":
            page.keyboard.press("Enter")
        elif action is True:
            page.keyboard.press("Space")
        elif isinstance(action, tuple) and action[0] == "select":
            for _ in range(50):
                if page.evaluate("() => document.activeElement.selectedOptions[0].innerText.trim()") == action[1]:
                    break
                page.keyboard.press("ArrowDown")
            else:
                raise AssertionError(f"option «{action[1]}» not reached in «{name}»")
        else:
            page.keyboard.type(action)


def test_the_first_tab_reaches_the_skip_link_to_the_content(browser, live_server):
    world = build_world()
    context = signed_in_context(browser, live_server, world.people["coach"])
    page = Tab(context).visit("/startups/")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED_NAME) == "Contenu"
    page.keyboard.press("Enter")
    assert page.url.endswith("#contenu")
    context.close()


def test_a_person_signs_in_with_the_keyboard_alone(browser, live_server):
    world = build_world()
    user = world.people["intrapreneur"]
    context = signed_in_context(browser, live_server, None)
    page = Tab(context).visit(reverse("login"))  # the sign-in page, wherever it lives
    keyboard_fill(
        page,
        [
            ("Adresse électronique", user.email),
            ("Mot de passe", "motdepasse-de-test"),
            ("Se connecter", "submit"),
        ],
    )
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Mon accueil"  # an intrapreneur lands on their own home
    assert user.full_name in page.locator("header").inner_text()
    context.close()


# --- Pages the matrix does not reach as they look with content ---------------------------------------
def test_the_search_results_and_the_api_documentation_have_no_wcag_violation(browser, live_server):
    world = build_world()
    InterviewFactory(investigation=world.own.investigation, notes="Le dossier de cantine est perdu.")
    StartupFactory(name="Cantine en ligne", mission="Les menus de la cantine.")
    report = []
    for user, path in [
        (world.people["coach"], reverse("dashboard:search") + "?q=cantine"),
        (None, reverse("api:docs")),
    ]:
        context = signed_in_context(browser, live_server, user)
        tab = Tab(context)
        page = tab.visit(path)
        report += [describe(v) for v in axe_violations(page)] + tab.csp_violations
        context.close()
    assert not report, "\n".join(report)


@pytest.mark.parametrize("button", ["Menu", "Rechercher"])
def test_the_header_modals_open_on_a_small_screen_named_and_without_violation(browser, live_server, button):
    world = build_world()
    context = signed_in_context(browser, live_server, world.people["coach"])
    tab = Tab(context)
    tab.page.set_viewport_size({"width": 375, "height": 740})
    page = tab.visit("/startups/")
    page.locator(".fr-header__navbar").get_by_role("button", name=button, exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible")
    assert dialog.get_attribute("aria-labelledby") in ("menu-principal-titre", "recherche-en-tete-titre")
    assert [describe(v) for v in axe_violations(page)] == []


def test_a_team_member_records_an_impact_measurement_with_the_keyboard_alone(browser, live_server):
    from products import services as product_services
    from products.models import Measurement

    world = build_world()
    startup = world.own.startup
    product_services.indicator_create(
        startup=startup, name="Usagers actifs", unit="usagers", direction="hausse", kind="stock", is_north_star=True
    )
    context = signed_in_context(browser, live_server, world.people["team_member"])
    page = Tab(context).visit(reverse("products:impact", kwargs={"slug": startup.slug}))
    keyboard_fill(page, [("Valeur", "42"), ("Enregistrer la mesure", "submit")])
    page.wait_for_selector(".fr-alert--success")
    assert "Mesure enregistrée pour « Usagers actifs »." in page.locator(".fr-alert--success").inner_text()
    assert Measurement.objects.get(indicator__startup=startup).value == 42
    context.close()
