"""The database cache writes a value in one statement, and still behaves as Django's cache does."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.cache import DatabaseCache

pytestmark = pytest.mark.django_db


def table_cache(**options) -> DatabaseCache:
    return DatabaseCache(settings.CACHE_TABLE, {"OPTIONS": options, "KEY_PREFIX": "test-core-cache"})


def rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(settings.CACHE_TABLE)}")
        return cursor.fetchone()[0]


def test_a_value_is_written_in_one_statement_and_read_back():
    cache = table_cache()
    with CaptureQueriesContext(connection) as queries:
        cache.set("token", {"a": 1}, 60)
    assert len(queries) == 1
    assert "ON CONFLICT" in queries[0]["sql"]
    assert cache.get("token") == {"a": 1}
    cache.set("token", "replaced", 60)
    assert cache.get("token") == "replaced"


def test_many_values_are_written_in_one_statement():
    cache = table_cache()
    with CaptureQueriesContext(connection) as queries:
        assert cache.set_many({"b": 2, "a": 1, "c": None}, None) == []
    assert len(queries) == 1
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2, "c": None}


def test_add_keeps_a_live_value_and_replaces_an_expired_one():
    cache = table_cache()
    assert cache.add("first", "one", 60) is True
    assert cache.add("first", "two", 60) is False
    assert cache.get("first") == "one"
    cache.set("stale", "old", 60)
    with connection.cursor() as cursor:  # the value's time has passed
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(settings.CACHE_TABLE)} SET expires = %s WHERE cache_key = %s",
            [timezone.now() - datetime.timedelta(minutes=1), cache.make_key("stale")],
        )
    assert cache.add("stale", "new", 60) is True
    assert cache.get("stale") == "new"


def test_a_value_without_timeout_never_expires():
    cache = table_cache()
    cache.set("forever", 1, None)
    assert cache.get("forever") == 1
    assert cache.has_key("forever")


def test_the_table_is_culled_every_so_many_writes_not_at_each():
    cache = table_cache(MAX_ENTRIES=5, CULL_FREQUENCY=2, CULL_EVERY=10)
    before = rows()
    for i in range(9):
        cache.set(f"k{i}", i, 60)
    assert rows() == before + 9  # over MAX_ENTRIES, not yet counted
    with CaptureQueriesContext(connection) as queries:
        cache.set("k9", 9, 60)  # the tenth write counts the table and culls it
    assert any("COUNT(*)" in q["sql"] for q in queries)
    assert rows() < before + 10


def test_the_shared_cache_is_this_backend():
    assert settings.CACHES["default"]["BACKEND"] == "core.cache.DatabaseCache"
