"""Every named URL × every role × GET/POST, checked against the rule table of tests/access.py.

Anonymous visitors are sent to the login page (401 under /api/); people without the right role
get 403 or 404, also on another startup's or another incubator's objects (the sibling and
foreign slices of the world). A URL without a rule fails `test_every_named_url_has_an_access_rule`.
"""

import pytest
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import include, path
from django.views.decorators.http import require_GET

from investigations.models import Interview
from products.models import Startup
from products.perms import can_view_notes
from tests.access import (
    NOTES_READERS,
    RULES,
    Rule,
    build_world,
    check_url,
    named_urls,
    rule_for,
)

pytestmark = pytest.mark.django_db

URLS = named_urls()


def unruled_names(urlconf=None, rules=None) -> list[str]:
    return [url.name for url in named_urls(urlconf) if rule_for(url.name, rules) is None]


def test_every_named_url_has_an_access_rule():
    missing = unruled_names()
    assert not missing, (
        "These URLs have no access rule: add each to RULES in tests/access.py (and to docs/permissions.md):\n  "
        + "\n  ".join(missing)
    )


def test_every_rule_names_an_existing_url():
    names = {url.name for url in URLS}
    namespaces = {name.rsplit(":", 1)[0] for name in names if ":" in name}
    stale = [
        key
        for key in RULES
        if (key.endswith(":*") and key[:-2] not in namespaces) or (not key.endswith(":*") and key not in names)
    ]
    assert not stale, "These rules name no URL any more: remove or rename them in tests/access.py:\n  " + "\n  ".join(
        stale
    )


@pytest.fixture
def world():
    return build_world()


@pytest.mark.parametrize("url", [url for url in URLS if rule_for(url.name)], ids=lambda url: url.name)
def test_each_role_gets_what_the_rule_table_says(url, world):
    failures = check_url(url, rule_for(url.name), world)
    assert not failures, f"{len(failures)} cell(s) of {url.name} differ from the rule table:\n" + "\n".join(
        str(cell) for cell in failures
    )


# --- The mechanism itself: a page that forgets its check is caught ------------------------------------
def _notes_page(startup):
    notes = Interview.objects.filter(investigation__startup=startup).values_list("notes", flat=True)
    return HttpResponse("\n".join(notes))


@require_GET
def notes_with_check(request, slug):
    startup = get_object_or_404(Startup, slug=slug)
    if not can_view_notes(request.user, startup):
        raise Http404
    return _notes_page(startup)


@require_GET
def notes_without_check(request, slug):
    return _notes_page(get_object_or_404(Startup, slug=slug))


def page_nobody_ruled(request):
    return HttpResponse("nouvelle page")


# A throwaway URLconf used by the tests below through @pytest.mark.urls.
urlpatterns = [
    path("notes-verifiees/<slug:slug>/", notes_with_check, name="checked_notes"),
    path("notes-oubliees/<slug:slug>/", notes_without_check, name="unchecked_notes"),
    path("nouveau/", page_nobody_ruled, name="new_page"),
    path("comptes/", include("django.contrib.auth.urls")),
]
THROWAWAY_RULES = {
    "checked_notes": Rule(get=NOTES_READERS, obj="startup"),
    "unchecked_notes": Rule(get=NOTES_READERS, obj="startup"),
}


def _throwaway(name):
    return next(url for url in named_urls("tests.test_permission_matrix") if url.name == name)


@pytest.mark.urls("tests.test_permission_matrix")
def test_a_page_that_checks_its_permission_passes_the_matrix(world):
    assert check_url(_throwaway("checked_notes"), THROWAWAY_RULES["checked_notes"], world) == []


@pytest.mark.urls("tests.test_permission_matrix")
def test_a_page_that_forgets_its_permission_check_fails_the_matrix(world):
    failures = check_url(_throwaway("unchecked_notes"), THROWAWAY_RULES["unchecked_notes"], world)
    failed = {(cell.method, cell.role, cell.slice_kind) for cell in failures}
    # Who may not read the notes but got them: the outsider, the committee member and the sponsor
    # on startup A, and every role holder on the other startups.
    assert ("GET", "outsider", "own") in failed
    assert ("GET", "committee", "own") in failed
    assert ("GET", "sponsor_contact", "own") in failed
    assert ("GET", "coach", "foreign") in failed
    assert ("GET", "staff", "foreign") in failed
    assert ("GET", "intrapreneur", "sibling") in failed
    assert ("GET", "admin", "foreign") not in failed
    assert all(cell.status == 200 for cell in failures)


@pytest.mark.urls("tests.test_permission_matrix")
def test_a_page_without_a_rule_is_listed_by_name():
    rules = {**THROWAWAY_RULES, **{name: rule for name, rule in RULES.items() if ":" not in name}}
    assert unruled_names("tests.test_permission_matrix", rules) == ["new_page"]
