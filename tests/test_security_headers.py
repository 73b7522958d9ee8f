"""Security headers, cookies, login throttling and session expiry.

`test_every_page_keeps_the_strict_csp_promises` visits every page of the permission matrix as
every role allowed to read it (tests/access.py): a page added with its rule is checked too.
"""

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from betatracker.throttle import MAX_FAILURES, WINDOW, FailedLogin
from tests.access import ALLOWED, ROLES, build_world, client_for, expected_outcome, named_urls, reverse_url, rule_for
from tests.products.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)


def readers(url) -> list[str]:
    """The roles the rule table lets read the page (GET), on the startup they hold a role on."""
    rule = rule_for(url.name)
    if rule is None or rule.get is None:
        return []
    return [
        role for role in ROLES if expected_outcome(rule, "GET", role, "own", url.route) in (ALLOWED, "admin allowed")
    ]


# The pages someone may read: actions (POST only) and addresses that answer 404 to all have no page to check.
PAGES = [url for url in named_urls() if readers(url)]


# --- What a page must not contain under a strict CSP ---------------------------------------------------
class CSPInspector(HTMLParser):
    """Collects what a strict CSP would block: inline handlers, style attributes, scripts without
    the request's nonce, inline <style> and javascript: URLs."""

    def __init__(self, nonce):
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.problems = []

    def handle_starttag(self, tag, attrs):
        where = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attrs)}>"[:160]
        for name, value in attrs:
            if re.fullmatch(r"on\w+", name):
                self.problems.append(f"inline event handler {name}= in {where}")
            elif name == "style":
                self.problems.append(f"style= attribute in {where}")
            elif name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"javascript: URL in {where}")
        if tag == "script" and (self.nonce is None or dict(attrs).get("nonce") != self.nonce):
            self.problems.append(f"<script> without the request's nonce: {where}")
        if tag == "style":
            self.problems.append("inline <style> element")


def csp_directives(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def csp_problems(response) -> list[str]:
    problems = []
    directives = csp_directives(response)
    for directive in ("object-src", "base-uri", "frame-ancestors"):
        if directives.get(directive) != ["'none'"]:
            problems.append(f"CSP {directive} is {directives.get(directive)}, expected 'none'")
    script_src = directives.get("script-src", [])
    if "'unsafe-inline'" in script_src or "'unsafe-eval'" in script_src or not script_src:
        problems.append(f"CSP script-src is {script_src}")
    if "'unsafe-inline'" in directives.get("style-src", ["'unsafe-inline'"]):
        problems.append(f"CSP style-src is {directives.get('style-src')}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if not response.get("Referrer-Policy"):
        problems.append("no Referrer-Policy")
    if response.get("X-Frame-Options") != "DENY":
        problems.append("no X-Frame-Options: DENY")
    if response.get("Content-Type", "").startswith("text/html"):
        nonces = [word[7:-1] for word in script_src if word.startswith("'nonce-")]
        inspector = CSPInspector(nonces[0] if nonces else None)
        inspector.feed(response.content.decode())
        problems.extend(inspector.problems)
    return problems


def test_the_inspector_catches_what_the_csp_would_block():
    inspector = CSPInspector("abc")
    inspector.feed(
        '<button onclick="go()">x</button><p style="color:red">y</p><script>alert(1)</script>'
        '<script nonce="abc" src="/ok.js"></script><a href="javascript:alert(1)">z</a><style>p{}</style>'
        "<p>Le mot onclick= dans un texte n'est pas un attribut.</p>"
    )
    assert len(inspector.problems) == 5
    assert any("onclick" in p for p in inspector.problems)
    assert any("style=" in p for p in inspector.problems)
    assert any("without the request's nonce" in p and "alert" not in p for p in inspector.problems)
    assert any("javascript:" in p for p in inspector.problems)
    assert any("<style>" in p for p in inspector.problems)


def test_only_actions_and_404_addresses_are_left_out_of_the_csp_check():
    left_out = sorted(url.name for url in named_urls() if rule_for(url.name) and not readers(url))
    assert left_out == [
        "admin:logout",  # POST only
        "api:measurement_create",  # POST with a bearer token only
        "api:not_found",  # 404 to everyone
        "committees:document_remove",  # POST only
        "committees:session_close",
        "committees:session_hold",
        "investigations:quote_publishable",  # POST only
        "logout",
        "oidc_authentication_callback",  # 404 while ProConnect is not configured, as in the tests
        "oidc_authentication_init",
        "products:indicator_add",  # POST only
        *("products:invitation_create", "products:invitation_resend", "products:invitation_revoke"),  # POST only
        *("products:measurement_add", "products:measurement_import"),  # POST only
        *("products:membership_add", "products:membership_end", "products:membership_leave"),  # POST only
        *("products:spending_add", "products:target_add"),  # POST only
        "profile_token_create",
        "profile_token_revoke",
        "public:investigation_publish",  # POST only
        "public:investigation_unpublish",
        *("reminders:notification_read", "reminders:notification_read_all", "reminders:preferences"),  # POST only
    ]


@pytest.mark.parametrize("url", PAGES, ids=lambda url: url.name)
def test_every_page_keeps_the_strict_csp_promises(url):
    world = build_world()
    path = reverse_url(url, rule_for(url.name), world, world.own)
    problems = []
    for role in readers(url):
        response = client_for(world, role).get(path)
        problems += [f"{role:16} {path} ({response.status_code}): {p}" for p in csp_problems(response)]
    assert not problems, "\n".join(problems)


def test_the_login_page_script_carries_the_nonce_of_its_own_response():
    first, second = Client().get(reverse("login")), Client().get(reverse("login"))
    nonce = [w for w in csp_directives(first)["script-src"] if w.startswith("'nonce-")][0][7:-1]
    assert f'nonce="{nonce}"' in first.content.decode()
    assert f'nonce="{nonce}"' not in second.content.decode()


# --- Production settings -------------------------------------------------------------------------------
def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="betatracker.settings.production",
        SECRET_KEY="test-" + "k" * 60 + "-production-like-secret-0123456789",
        ALLOWED_HOSTS="betatracker.example.gouv.fr",
        DATABASE_URL="sqlite:///:memory:",
    )
    env.update(extra)
    return env


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_when_a_production_protection_is_switched_off():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(SECURE_SSL_REDIRECT="0"))
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env=production_env(SECRET_KEY=""))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_cookies_and_hsts():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({k: getattr(s, k)"
        " for k in ['SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SESSION_COOKIE_NAME', 'CSRF_COOKIE_NAME',"
        " 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_HTTPONLY',"
        " 'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE', 'SESSION_COOKIE_DOMAIN', 'CSRF_COOKIE_DOMAIN',"
        " 'SESSION_COOKIE_PATH', 'CSRF_COOKIE_PATH', 'SECURE_SSL_REDIRECT', 'DEBUG', 'SESSION_COOKIE_AGE']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=production_env(), capture_output=True, text=True, timeout=60
    )
    values = json.loads(result.stdout)
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["DEBUG"] is False
    for kind in ("SESSION", "CSRF"):
        # A __Host- cookie is only accepted by browsers when Secure, with Path=/ and no Domain.
        assert values[f"{kind}_COOKIE_NAME"].startswith("__Host-")
        assert values[f"{kind}_COOKIE_SECURE"] is True
        assert values[f"{kind}_COOKIE_HTTPONLY"] is True
        assert values[f"{kind}_COOKIE_SAMESITE"] in ("Lax", "Strict")
        assert values[f"{kind}_COOKIE_DOMAIN"] is None
        assert values[f"{kind}_COOKIE_PATH"] == "/"
    assert values["SESSION_COOKIE_AGE"] <= 12 * 3600


def test_the_session_cookie_set_at_login_is_secure_httponly_and_lax(client, settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    UserFactory(email="agent@example.gouv.fr")
    response = client.post(
        reverse("login"), {"username": "agent@example.gouv.fr", "password": "motdepasse-de-test"}, secure=True
    )
    assert response.status_code == 302
    cookie = response.cookies["__Host-sessionid"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert not cookie["domain"]
    assert not cookie["max-age"], "the session ends when the browser closes"


# --- Sessions expire -------------------------------------------------------------------------------------
def test_a_session_expires_after_a_working_day(client):
    client.force_login(UserFactory())
    with time_machine.travel(timezone.now() + timezone.timedelta(hours=9, minutes=50)):
        assert client.get(reverse("products:startup_list")).status_code == 200
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)):
        response = client.get(reverse("products:startup_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- Login throttling ------------------------------------------------------------------------------------
def _login(client, email, password, ip="198.51.100.7"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_login_is_slowed_down_with_a_clear_message_after_five_failures(client):
    UserFactory(email="agent@example.gouv.fr")
    for _ in range(MAX_FAILURES):
        assert _login(client, "agent@example.gouv.fr", "mauvais").status_code == 200
    response = _login(client, "agent@example.gouv.fr", "motdepasse-de-test")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Trop de tentatives de connexion ont échoué" in page
    assert "Réessayez dans 15 secondes." in page
    assert "_auth_user_id" not in client.session


def test_the_throttle_counts_per_email_and_address(client):
    UserFactory(email="agent@example.gouv.fr")
    UserFactory(email="autre@example.gouv.fr")
    for _ in range(MAX_FAILURES):
        _login(client, "Agent@Example.gouv.fr", "mauvais")
    assert _login(client, "agent@example.gouv.fr", "motdepasse-de-test").status_code == 429
    assert _login(Client(), "agent@example.gouv.fr", "motdepasse-de-test", ip="203.0.113.9").status_code == 302
    assert _login(Client(), "autre@example.gouv.fr", "motdepasse-de-test").status_code == 302


def test_the_throttle_is_stored_in_the_database_for_every_worker(client):
    for _ in range(MAX_FAILURES):
        _login(client, "agent@example.gouv.fr", "mauvais")
    assert FailedLogin.objects.filter(email="agent@example.gouv.fr", ip_address="198.51.100.7").count() == MAX_FAILURES
    # Another worker is another client process: it reads the same rows.
    assert _login(Client(), "agent@example.gouv.fr", "mauvais").status_code == 429


def test_login_works_again_once_the_window_has_passed(client):
    UserFactory(email="agent@example.gouv.fr")
    for _ in range(MAX_FAILURES):
        _login(client, "agent@example.gouv.fr", "mauvais")
    with time_machine.travel(timezone.now() + WINDOW + timezone.timedelta(seconds=1)):
        assert _login(client, "agent@example.gouv.fr", "motdepasse-de-test").status_code == 302


def test_a_successful_login_wipes_the_earlier_failures(client):
    UserFactory(email="agent@example.gouv.fr")
    for _ in range(MAX_FAILURES - 1):
        _login(client, "agent@example.gouv.fr", "mauvais")
    assert _login(client, "agent@example.gouv.fr", "motdepasse-de-test").status_code == 302
    assert not FailedLogin.objects.exists()


# --- When the database is down ----------------------------------------------------------------------------
def test_a_database_outage_answers_503_with_retry_after_not_500(client, monkeypatch):
    from django.db import OperationalError

    from products import views

    def unreachable(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr(views.StartupListView, "get_queryset", unreachable)
    client.raise_request_exception = False
    client.force_login(UserFactory())
    response = client.get(reverse("products:startup_list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Service momentanément indisponible" in response.content.decode()


def test_any_other_crash_is_a_plain_500_page_in_french(client, monkeypatch):
    from products import views

    def broken(self):
        raise ValueError("bug")

    monkeypatch.setattr(views.StartupListView, "get_queryset", broken)
    client.raise_request_exception = False
    client.force_login(UserFactory())
    response = client.get(reverse("products:startup_list"))
    assert response.status_code == 500
    assert "Erreur inattendue" in response.content.decode()


@pytest.mark.django_db
def test_the_admin_login_page_shares_the_login_throttle(client):
    from tests.products.factories import UserFactory

    UserFactory(email="admin@example.gouv.fr", is_staff=True, is_superuser=True)
    for _ in range(5):
        response = client.post("/admin/login/", {"username": "admin@example.gouv.fr", "password": "faux"})
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": "admin@example.gouv.fr", "password": "faux"})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    main_login = client.post(reverse("login"), {"username": "admin@example.gouv.fr", "password": "faux"})
    assert main_login.status_code == 429


# --- Issue 12, item 11: static files, pages with notes --------------------------------------------------
def test_static_files_carry_the_security_headers(settings):
    from django.test import Client

    settings.WHITENOISE_USE_FINDERS = True  # serve from static/ without collectstatic
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/css/betatracker.css")
    assert response.status_code == 200
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    # The page the proxy shows when a worker times out (docs/deploy.md) carries them too.
    timeout_page = Client().get("/static/errors/5xx.html")
    assert timeout_page.status_code == 200
    assert "sandbox" in timeout_page["Content-Security-Policy"]


@pytest.mark.django_db
def test_pages_and_exports_carrying_interview_notes_are_never_stored(client):
    from tests.investigations.factories import InsightFactory, InterviewFactory
    from tests.products.factories import UserFactory

    interview = InterviewFactory(notes="Notes confidentielles")
    investigation = interview.investigation
    insight = InsightFactory(investigation=investigation)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    pages = [
        reverse("investigations:interview_list", args=[investigation.pk]),
        reverse("investigations:interview_detail", args=[interview.pk]),
        reverse("investigations:interview_edit", args=[interview.pk]),
        reverse("investigations:interview_export", args=[investigation.pk]),
        reverse("investigations:synthesis", args=[investigation.pk]),
        reverse("investigations:synthesis_json", args=[investigation.pk]),
        reverse("investigations:insight_detail", args=[insight.pk]),
        reverse("dashboard:search") + "?q=confidentielles",
        reverse("investigations:personal_data_log"),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert "no-store" in response.get("Cache-Control", ""), page
