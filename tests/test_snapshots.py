"""The query snapshots (tests/snapshots.py) catch a page that adds a query, and read alike on both databases."""

import pytest
from django.urls import reverse

from tests.products.factories import UserFactory
from tests.snapshots import QuerySnapshot, fingerprint

pytestmark = pytest.mark.django_db


def test_a_query_is_known_by_its_verb_and_its_tables_not_its_values():
    assert fingerprint(
        'SELECT "a"."id" FROM "products_startup" INNER JOIN "products_incubator" ON (…) WHERE id = 3'
    ) == ("SELECT products_startup products_incubator")
    assert fingerprint('DECLARE "_django_curs_1" NO SCROLL CURSOR WITH HOLD FOR SELECT * FROM "products_theme"') == (
        "SELECT products_theme"
    )
    assert fingerprint('SAVEPOINT "s140_x1"') == fingerprint('SAVEPOINT "s9_x7"') == "SAVEPOINT"
    # PostgreSQL inserts many rows FROM UNNEST(...), one row with VALUES: the same statement.
    many = 'INSERT INTO "portfolio_watchflags" ("a") SELECT * FROM UNNEST((%s)::int[]) ON CONFLICT DO UPDATE SET'
    one = 'INSERT INTO "portfolio_watchflags" ("a") VALUES (%s) ON CONFLICT DO UPDATE SET'
    assert fingerprint(many) == fingerprint(one) == "INSERT portfolio_watchflags SET"


def _page(client):
    return client.get(reverse("products:startup_list"))


def test_a_snapshot_fails_when_the_page_makes_one_more_query(client, tmp_path):
    client.force_login(UserFactory())
    QuerySnapshot("module", "test", update=True, directory=tmp_path)(lambda: _page(client))
    QuerySnapshot("module", "test", update=False, directory=tmp_path)(lambda: _page(client))  # unchanged: passes

    def one_more_query():
        UserFactory._meta.model.objects.count()
        return _page(client)

    with pytest.raises(AssertionError, match=r"(?s)pins \d+.*\+SELECT products_user"):
        QuerySnapshot("module", "test", update=False, directory=tmp_path)(one_more_query)


def test_a_test_without_its_snapshot_fails(client, tmp_path):
    client.force_login(UserFactory())
    with pytest.raises(AssertionError, match="No query snapshot for test"):
        QuerySnapshot("module", "test", update=False, directory=tmp_path)(lambda: _page(client))
