"""Every URL pattern of the project, each parameter filled with hostile values (NUL, 300 characters, huge
numbers, `..`, unicode, quotes and line breaks), requested by each kind of person (FUZZ_ROLES): never a 5xx
(issue 12, item 8).

The URLs are discovered (tests/access.py walks the URLconf): a page added later is fuzzed without
anyone listing it. The world is built once for the module. Runs on SQLite and on PostgreSQL (which
refuses NUL in text: the case that used to answer 500).
"""

import dataclasses
from urllib.parse import quote, unquote, urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from tests.access import (
    ADMIN,
    ANONYMOUS,
    COMMITTEE,
    INTRAPRENEUR,
    OUTSIDER,
    ROLES,
    STAFF,
    UnfillableURL,
    build_world,
    named_urls,
    rule_for,
    url_kwargs,
)

HOSTILE = [
    "\x00",
    "a\x00b",
    "x" * 300,
    "9" * 40,
    str(2**63),
    "-1",
    "0",
    "..",
    ".",
    "é田🏛️\u202e",
    '"\r\nX-Injected: 1',
    "%",
    "a b;c",
]
# Django's own admin views, many of them: the values that differ in kind.
ADMIN_HOSTILE = ["\x00", "x" * 300, "9" * 40, "..", "é田🏛️\u202e", '"\r\nX-Injected: 1']
# Query parameters the pages read (filters, pagination, search, sign-in redirection).
QUERY_KEYS = ["page", "q", "since", "status", "phase", "incubator", "sort", "next", "date", "startup", "lang", "format"]
SENTINELS = ["987654321", "zzsentinelzz"]
# A NUL anywhere, then every hostile value in some parameter (two rotations of the keys).
QUERIES = [
    urlencode(dict.fromkeys(QUERY_KEYS, "\x00")),
    *(
        urlencode({key: HOSTILE[(index + shift) % len(HOSTILE)] for index, key in enumerate(QUERY_KEYS)})
        for shift in (2, 7)
    ),
]


@dataclasses.dataclass
class Target:
    name: str
    template: str  # a path holding the SENTINEL where one parameter goes


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the whole module, rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def _reverse(name, params):
    if isinstance(params, list):
        return reverse(name, args=params)
    return reverse(name, kwargs=params or None)


def fuzz_targets(world) -> list[Target]:
    """For every named URL and each of its parameters, the URL with that parameter replaced by a marker."""
    targets = []
    for url in named_urls():
        rule = rule_for(url.name)
        if rule is None:
            continue
        try:
            params = url_kwargs(url, rule, world, world.own)
        except UnfillableURL:
            continue
        keys = range(len(params)) if isinstance(params, list) else list(params)
        for key in keys:
            for sentinel in SENTINELS:
                changed = list(params) if isinstance(params, list) else dict(params)
                changed[key] = sentinel
                try:
                    path = _reverse(url.name, changed)
                except NoReverseMatch:
                    continue
                targets.append(Target(url.name, path.replace(sentinel, "{}", 1)))
                break
    return targets


def clients(world) -> dict[str, Client]:
    result = {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        if world.people[role] is not None:
            client.force_login(world.people[role])
        result[role] = client
    return result


# The people whose requests take different paths through the views: anonymous (sent to sign in), no role,
# a startup's team (memberships: the coach, team member and sponsor contact are memberships too, checked by
# the same queries as the intrapreneur), a committee member (sessions), incubator staff, the admin. With a
# hostile value every signed-in role answered alike on every URL when this list was cut from all the roles.
FUZZ_ROLES = [ANONYMOUS, OUTSIDER, INTRAPRENEUR, COMMITTEE, STAFF, ADMIN]


def roles_for(name: str, path: str) -> list[str]:
    """The roles to send, where a view may run. An address the URLconf does not resolve is a 404 before any
    view (or role) is involved: one signed-in person stands for all. Django's admin sends anyone but its staff
    to its login page before its views run: the anonymous visitor stands for the others."""
    try:
        resolve(unquote(path).split("?")[0])
    except Resolver404:
        return [ADMIN]
    if name.startswith("admin:"):
        return [ANONYMOUS, ADMIN]
    return FUZZ_ROLES


@pytest.mark.django_db
def test_hostile_values_in_every_url_parameter_never_answer_5xx(world):
    by_role = clients(world)
    targets = fuzz_targets(world)
    assert len(targets) > 40, "the URLconf walk found too few parametrised URLs"
    failures = []
    for target in targets:
        for value in ADMIN_HOSTILE if target.name.startswith("admin:") else HOSTILE:
            path = target.template.replace("{}", quote(value, safe=""))
            for role in roles_for(target.name, path):
                response = by_role[role].get(path)
                if response.status_code >= 500:
                    failures.append(f"{role:16} {target.name:45} {path[:120]!r}: {response.status_code}")
    assert not failures, f"{len(failures)} request(s) answered 5xx:\n" + "\n".join(failures[:60])


@pytest.mark.django_db
def test_hostile_query_strings_on_every_page_never_answer_5xx(world):
    """The pages' filters, pagination and search, as the person without a role, the staff and the admin."""
    by_role = clients(world)
    failures = []
    for url in named_urls():
        rule = rule_for(url.name)
        if rule is None or url.name.startswith("admin:"):
            continue
        try:
            path = _reverse(url.name, url_kwargs(url, rule, world, world.own))
        except (UnfillableURL, NoReverseMatch):
            continue
        for query in QUERIES:
            for role in (OUTSIDER, STAFF, ADMIN):
                response = by_role[role].get(f"{path}?{query}")
                if response.status_code >= 500:
                    failures.append(f"{role:16} {url.name:45} ?{query[:80]}: {response.status_code}")
    assert not failures, f"{len(failures)} request(s) answered 5xx:\n" + "\n".join(failures[:60])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/startups/%00/chronologie/",
        "/investigations/startup/%00/nouvelle/",
        "/admin/products/startup/%00/history/",
        "/startups/%00/",
        "/comites/seances/99999999999999999999999999/",
    ],
)
def test_the_reported_addresses_answer_4xx(world, path):
    client = Client(raise_request_exception=False)
    client.force_login(world.people[ADMIN])
    assert 400 <= client.get(path).status_code < 500


def test_the_api_refuses_a_nul_in_its_query_in_json(client):
    response = client.get("/api/v1/startups", {"q\x00": "x"})
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"
