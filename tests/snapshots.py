"""Query snapshots: the SQL queries a page makes, pinned in a file, so that an added query fails a test.

A test passes the request to the `snapshot_queries` fixture (tests/conftest.py):

    response = snapshot_queries(lambda: client.get(url))  # one row
    ...  # many more rows
    response = snapshot_queries(lambda: client.get(url))  # the same queries, whatever the row count

Every capture of one test is compared with the same entry of tests/snapshots/<module>.json: the number of
queries and, for each, its verb and the tables it reads, in order (the same on SQLite and PostgreSQL).
A page that adds, drops or reorders a query fails with the difference. After an intended change, rewrite the
entries with `pytest --snapshot-update <tests>` (without -n) and commit the JSON with the change.

The first capture of a test sends its request once unrecorded: what a process looks up once and keeps
(the database's features, content types) is then in place whichever tests ran before. Every capture starts
from an empty cache: what is pinned is what the page costs when it computes everything, its cached reads
(core.versions) included — a query added per row inside a cached read fails too.
"""

import difflib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

SNAPSHOT_DIR = Path(__file__).parent / "snapshots"
TABLE = re.compile(r'\b(?:FROM|JOIN|UPDATE|INTO)\s+"?(\w+)"?', re.IGNORECASE)


def fingerprint(sql: str) -> str:
    """'SELECT products_startup products_incubator': what a query does and what it reads, without its values
    (ids, dates and savepoint names change from run to run; the quoting differs between databases)."""
    verb = sql.split(None, 1)[0].upper()
    if verb in ("SAVEPOINT", "RELEASE", "ROLLBACK"):
        return verb
    if verb == "DECLARE":  # PostgreSQL reads .iterator() through a server-side cursor: DECLARE … CURSOR FOR SELECT
        verb = "SELECT"
    # PostgreSQL's bulk insert of many rows reads its values FROM UNNEST(...): a function, not a table.
    tables = [table for table in TABLE.findall(sql) if table.upper() != "UNNEST"]
    return " ".join([verb, *dict.fromkeys(tables)])


class QuerySnapshot:
    def __init__(self, module: str, test: str, update: bool, directory: Path = SNAPSHOT_DIR):
        self.path = directory / f"{module}.json"
        self.test = test
        self.update = update
        self.first: list[str] | None = None

    def _stored(self) -> dict:
        return json.loads(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}

    def _store(self, queries: list[str]) -> None:
        stored = self._stored()
        stored[self.test] = {"count": len(queries), "queries": queries}
        self.path.parent.mkdir(exist_ok=True)
        text = json.dumps(dict(sorted(stored.items())), ensure_ascii=False, indent=2) + "\n"
        self.path.write_text(text, encoding="utf-8")

    def check(self, queries: list[str]) -> None:
        if self.first is not None:  # one row and many: the same queries, even while updating
            assert queries == self.first, (
                f"{self.test}: {len(queries)} queries here, {len(self.first)} in the first capture of this test:\n"
                + "\n".join(difflib.unified_diff(self.first, queries, "first", "here", lineterm=""))
            )
        self.first = queries
        if self.update:
            self._store(queries)
            return
        expected = self._stored().get(self.test)
        assert expected is not None, (
            f"No query snapshot for {self.test} in {self.path.name}: run pytest --snapshot-update on this test"
        )
        assert queries == expected["queries"], (
            f"{self.test}: {len(queries)} queries, {self.path.name} pins {expected['count']} "
            "(if intended, run pytest --snapshot-update on this test and commit the file):\n"
            + "\n".join(difflib.unified_diff(expected["queries"], queries, "pinned", "made", lineterm=""))
        )

    def __call__(self, request: Callable[[], Any]) -> Any:
        if self.first is None:
            request()
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            result = request()
        self.check([fingerprint(query["sql"]) for query in captured.captured_queries])
        return result
