"""Arbitrary data posted to every form of the app: never a 500, always a redirect or a page that
says what was wrong, and HTML/script payloads never come back unescaped.

The forms are discovered, not listed: every page of the permission matrix (tests/access.py) is
visited as every role allowed to read it, and every `<form method="post">` found is fuzzed with
hypothesis as a person allowed to post it (from the same rule table). A page added with its
rule has its forms fuzzed too. Pages whose rule says `fuzz=False` (Django's admin) are left out.
"""

import dataclasses
import re
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.access import (
    ADMIN,
    ALLOWED,
    ANONYMOUS,
    ROLES,
    build_world,
    client_for,
    expected_outcome,
    named_urls,
    reverse_url,
    rule_for,
)

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "'\"--><b>gras</b>",
    "javascript:alert(1)",
    "=1+1",
    "Ω≈ç√∫˜µ≤≥÷ 田中さん 🏛️ \u202e\u200b",
    "\x00nul",
    "Robert'); DROP TABLE products_startup;--",
]
HUGE = ["x" * 100_000, "é" * 20_000]
# What shows a person that their input was refused (DSFR error styles and Django's defaults).
ERROR_MARKERS = ("fr-error-text", "fr-message--error", "fr-alert--error", "fr-input-group--error", "errorlist")
# A 200 answer that is a success by design: the personal API token is shown once, in the POST's own answer.
SUCCESS_MARKERS = ('id="new-token"',)
EXAMPLES_PER_FORM = 12
# Least privileged first: the form is posted by the first role that may use it.
ROLE_ORDER = [r for r in ROLES if r != ADMIN] + [ADMIN]


@dataclasses.dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, checkbox, radio, hidden, number, date, email, password, file…
    options: list = dataclasses.field(default_factory=list)
    multiple: bool = False


@dataclasses.dataclass
class Form:
    action: str  # path the form posts to
    fields: dict[str, Field]
    found_on: str
    role: str
    cookies: dict[str, str]  # the discovering client's cookies (its session, e.g. a reset token)

    @property
    def key(self):
        return self.action, tuple(sorted(self.fields))


class FormParser(HTMLParser):
    def __init__(self, page_path):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms, self.current, self.select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "form" and attrs.get("method", "get").lower() == "post":
            action = urljoin(self.page_path, attrs.get("action") or self.page_path)
            self.current = {"action": urlsplit(action).path, "fields": {}}
        elif self.current is None or not attrs.get("name"):
            return
        elif tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            field = self.current["fields"].setdefault(attrs["name"], Field(attrs["name"], kind))
            if kind in ("radio", "checkbox") and "value" in attrs:
                field.options.append(attrs["value"])
            if kind == "checkbox" and len(field.options) > 1:
                field.multiple = True
        elif tag == "textarea":
            self.current["fields"][attrs["name"]] = Field(attrs["name"], "textarea")
        elif tag == "select":
            self.select = Field(attrs["name"], "select", multiple="multiple" in attrs)
            self.current["fields"][attrs["name"]] = self.select
        elif tag == "option" and self.select is not None and attrs.get("value"):
            self.select.options.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form" and self.current is not None:
            self.forms.append(self.current)
            self.current = None
        elif tag == "select":
            self.select = None


def value_strategy(field: Field):
    free_text = st.one_of(
        st.sampled_from(PAYLOADS), st.text(max_size=30), st.sampled_from(HUGE), st.just(""), st.just("   ")
    )
    if field.kind == "file":
        return st.none()
    if field.options:
        valid = (
            st.lists(st.sampled_from(field.options), max_size=3, unique=True)
            if field.multiple
            else st.sampled_from(field.options)
        )
        return st.one_of(valid, free_text, st.none())
    if field.kind in ("number", "range"):
        return st.one_of(st.integers(-(10**12), 10**12).map(str), free_text, st.none())
    if field.kind == "date":
        return st.one_of(st.dates().map(str), st.sampled_from(["31/02/2024", "2024-13-45", "demain"]), st.none())
    if field.kind == "email":
        return st.one_of(st.emails(), free_text, st.none())
    return st.one_of(free_text, st.none())


def discover_forms(world) -> list[Form]:
    forms: dict[tuple, Form] = {}
    for url in named_urls():
        rule = rule_for(url.name)
        if rule is None or rule.get is None or not rule.fuzz:
            continue
        path = reverse_url(url, rule, world, world.own)
        for role in ROLE_ORDER:
            if expected_outcome(rule, "GET", role, "own", path) != ALLOWED:
                continue
            client = client_for(world, role)
            response = client.get(path, follow=True)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                continue
            final_path = response.request["PATH_INFO"]
            parser = FormParser(final_path)
            parser.feed(response.content.decode())
            for found in parser.forms:
                cookies = {name: morsel.value for name, morsel in client.cookies.items()}
                form = Form(found["action"], found["fields"], final_path, role, cookies)
                if form.key in forms or not may_post(form.action, role, world):
                    continue
                forms[form.key] = form
    return list(forms.values())


def may_post(action: str, role: str, world) -> bool:
    try:
        match = resolve(action)
    except Resolver404:
        return False
    rule = rule_for(match.view_name)
    return bool(rule and rule.fuzz and expected_outcome(rule, "POST", role, "own", action) == ALLOWED)


class _Rollback(Exception):
    pass


def check_response(response, sent: dict, answer_to_the_post=True) -> list[str]:
    """Problems of the answer to a POST (or, with answer_to_the_post=False, of the page it redirected to)."""
    problems = []
    body = response.content.decode(errors="replace")
    if response.status_code not in ((200, 302, 303, 400, 429) if answer_to_the_post else (200, 302, 303)):
        problems.append(f"status {response.status_code}")
    if (
        answer_to_the_post
        and response.status_code in (200, 400, 429)
        and not any(marker in body for marker in ERROR_MARKERS + SUCCESS_MARKERS)
    ):
        problems.append(f"status {response.status_code} without any validation message on the page")
    for name, value in sent.items():
        for text in value if isinstance(value, list) else [value]:
            # A lone "<" or "'" is everywhere in HTML: only payloads long enough to be markup are looked for.
            if re.search(r"[<>\"']", text) and text in body and 4 <= len(text) < 1000:
                problems.append(f"{name}={text!r} comes back unescaped")
    return problems


def fuzz(form: Form, world):
    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.fixed_dictionaries({name: value_strategy(field) for name, field in form.fields.items()}))
    def post_arbitrary_data(data):
        sent = {name: value for name, value in data.items() if value is not None and name != "csrfmiddlewaretoken"}
        client = Client()
        client.cookies = SimpleCookie(form.cookies)
        problems = []
        try:
            with transaction.atomic():
                response = client.post(form.action, sent)
                problems = check_response(response, sent)
                location = response.get("Location", "")
                if response.status_code in (302, 303) and location.startswith("/"):
                    follow = client.get(location)
                    problems += [f"then GET {location}: {p}" for p in check_response(follow, sent, False)]
                raise _Rollback
        except _Rollback:
            pass
        shown = {
            name: (value[:60] + "…" if isinstance(value, str) and len(value) > 60 else value)
            for name, value in sent.items()
        }
        assert not problems, f"POST {form.action} as {form.role} with {shown}: " + "; ".join(problems)

    post_arbitrary_data()


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def forms(world):
    return discover_forms(world)


def test_forms_are_discovered_on_the_pages(forms):
    actions = {form.action for form in forms}
    assert reverse("login") in actions
    assert reverse("password_reset") in actions
    assert reverse("password_change") in actions
    assert any(form.role == ANONYMOUS for form in forms)


def test_arbitrary_data_in_every_form_gets_a_message_never_an_error(forms, world):
    failures = []
    for form in forms:
        try:
            fuzz(form, world)
        except Exception as error:  # collect every form's failure, then report them all
            failures.append(f"{form.action} (found on {form.found_on}, as {form.role}):\n{error}")
    assert not failures, "\n\n".join(failures)


def test_the_checker_spots_an_unescaped_payload_and_a_silent_refusal():
    class FakeResponse:
        status_code = 200
        content = b"<p>Bonjour <script>alert('xss')</script></p>"

    problems = check_response(FakeResponse(), {"name": "<script>alert('xss')</script>"})
    assert any("unescaped" in p for p in problems)
    assert any("without any validation message" in p for p in problems)


# --- Dates and download names (security review, issue 12, item 8) ------------------------------------
def test_a_session_dated_in_year_9999_does_not_crash_its_decision_page(client):
    import datetime

    from tests.committees.factories import CommitteeSessionFactory, ReviewFactory
    from tests.products.factories import UserFactory

    review = ReviewFactory(session=CommitteeSessionFactory(date=datetime.date(9999, 10, 1)))
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("committees:decision_create", args=[review.pk])).status_code == 200


def test_forms_refuse_a_date_beyond_2100_with_a_message(client):
    from tests.products.factories import IncubatorFactory, UserFactory

    incubator, staff = IncubatorFactory(), UserFactory()
    incubator.staff.add(staff)
    client.force_login(staff)
    data = {"date": "9999-10-01", "kind": "suivi", "incubator": incubator.pk, "first_slot_at": "09:30"}
    response = client.post(reverse("committees:session_create"), data)
    assert response.status_code == 200
    assert "Saisissez une date entre 2000 et 2100." in response.content.decode()
    assert not incubator.committee_sessions.exists()


@pytest.mark.parametrize("slug", ['guillemet"', "retour\rchariot", "ligne\nnouvelle", "accentué"])
def test_a_download_named_after_a_hostile_slug_keeps_its_header_whole(client, slug):
    from tests.investigations.factories import InvestigationFactory
    from tests.products.factories import StartupFactory, UserFactory

    investigation = InvestigationFactory(startup=StartupFactory(slug=slug))
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for name in ("investigations:synthesis_json", "investigations:interview_export"):
        response = client.get(reverse(name, args=[investigation.pk]))
        assert response.status_code == 200
        header = response["Content-Disposition"]
        assert header.startswith("attachment; filename")
        assert "\r" not in header and "\n" not in header
        assert header.count('"') in (0, 2) or '\\"' in header


def test_content_disposition_follows_rfc_6266():
    from core.downloads import content_disposition

    assert content_disposition("releve.csv") == 'attachment; filename="releve.csv"'
    assert content_disposition('a"b.csv') == 'attachment; filename="a\\"b.csv"'
    assert content_disposition("a\r\nb.csv") == 'attachment; filename="ab.csv"'
    assert content_disposition("synthèse.json") == "attachment; filename*=utf-8''synth%C3%A8se.json"
