"""One cache for every instance of the app: the database's by default (its table made by `migrate`), Redis when
REDIS_URL is set — never a per-process memory that each gunicorn worker would fill and invalidate alone."""

import json
import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection


def settings_caches(**env) -> dict:
    """CACHES as the settings compute them in a fresh process with `env`."""
    code = "import json; from django.conf import settings; print(json.dumps(settings.CACHES))"
    environ = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    environ.update(DJANGO_SETTINGS_MODULE="betatracker.settings.base", **env)
    output = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True)
    return json.loads(output.stdout)


def test_without_redis_the_cache_is_the_database_table_made_by_migrate():
    caches = settings_caches()
    assert caches["default"]["BACKEND"] == "core.cache.DatabaseCache"
    assert caches["default"]["LOCATION"] == settings.CACHE_TABLE


def test_with_redis_url_the_cache_is_redis():
    caches = settings_caches(REDIS_URL="redis://127.0.0.1:6379/3")
    assert caches["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/3",
    }


@pytest.mark.django_db
def test_a_value_cached_by_one_worker_is_in_the_shared_table():
    cache.set("shared-by-every-worker", 42, 60)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(settings.CACHE_TABLE)}")
        assert cursor.fetchone()[0] >= 1
    assert cache.get("shared-by-every-worker") == 42


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_reachable(), reason="no Redis server on 127.0.0.1:6379")
def test_the_redis_backend_stores_and_reads_through_the_installed_client():
    from django.core.cache.backends.redis import RedisCache

    redis_cache = RedisCache("redis://127.0.0.1:6379/3", {})
    redis_cache.set("betatracker-test", {"a": 1}, 30)
    assert redis_cache.get("betatracker-test") == {"a": 1}
    redis_cache.delete("betatracker-test")
