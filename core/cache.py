"""Django's database cache, with one statement per write.

Django's `DatabaseCache` writes a value in five round trips: it counts the whole table (to cull it when it holds
more than MAX_ENTRIES), then, in a savepoint, reads the key and updates or inserts it. The app keeps many small
values in it (core.versions: a token per startup, the cached reads of its pages), so that a page computed afresh
paid about five queries per value stored. Here a write is one upsert (`INSERT … ON CONFLICT (cache_key) DO
UPDATE`, which PostgreSQL and SQLite both understand, atomic without a savepoint), `set_many` one statement for
all its values, and the table is counted — and culled as Django does — every `CULL_EVERY` writes of a process
rather than at each one: the table may exceed MAX_ENTRIES by that many rows per process before the next cull.
Reads and everything else are Django's.
"""

import base64
import pickle
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now


class DatabaseCache(DjangoDatabaseCache):
    def __init__(self, table, params):
        super().__init__(table, params)
        options = params.get("OPTIONS", {})
        self._cull_every = max(1, int(options.get("CULL_EVERY", 100)))
        self._writes = 0

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._upsert({self.make_and_validate_key(key, version=version): value}, timeout, replace=True)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if data:
            self._upsert(
                {self.make_and_validate_key(key, version=version): value for key, value in data.items()},
                timeout,
                replace=True,
            )
        return []

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        """Stored unless the key holds a value that has not expired; True when stored."""
        return self._upsert({self.make_and_validate_key(key, version=version): value}, timeout, replace=False)

    def _expiry(self, timeout):
        timeout = self.get_backend_timeout(timeout)
        if timeout is None:
            return datetime.max
        return datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None).replace(microsecond=0)

    def _upsert(self, values: dict, timeout, *, replace: bool) -> bool:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)
        key, value, expires = quote_name("cache_key"), quote_name("value"), quote_name("expires")
        exp = connection.ops.adapt_datetimefield_value(self._expiry(timeout))
        rows, params = [], []
        for cache_key, data in sorted(values.items()):  # one order for every writer: no deadlock between two
            rows.append("(%s, %s, %s)")
            pickled = base64.b64encode(pickle.dumps(data, self.pickle_protocol)).decode("latin1")
            params += [cache_key, pickled, exp]
        # `add` replaces an expired value only (the rows' expiry compared with the time of the write).
        condition = "" if replace else f" WHERE {table}.{expires} < %s"
        sql = (
            f"INSERT INTO {table} ({key}, {value}, {expires}) VALUES {', '.join(rows)} "
            f"ON CONFLICT ({key}) DO UPDATE SET {value} = excluded.{value}, {expires} = excluded.{expires}"
            f"{condition} RETURNING {key}"
        )
        if not replace:
            params.append(connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0)))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            written = cursor.fetchall()
            self._writes += 1
            if self._writes % self._cull_every == 0:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                count = cursor.fetchone()[0]
                if count > self._max_entries:
                    self._cull(db, cursor, tz_now().replace(microsecond=0), count)
        return bool(written)
