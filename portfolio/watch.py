"""The "à surveiller" aggregate: each startup's alerts (portfolio.alerts.RULES), kept in `WatchFlags`.

Evaluating the seven rules on every startup costs a scan of several tables per page at 10,000 startups; the
flags are instead evaluated once a day for the whole portfolio (`refresh`: the nightly task
portfolio.tasks.refresh_watch_flags, or the first read of the day if it did not run) and again for one startup
whenever one of its rows is written (core.versions calls `startups_changed`), so that the filter, the sort by
alerts, the CSV export and the startup page's alerts read a column.

A write in a transaction marks its startup; the mark is evaluated once when the transaction commits (core.versions
calls again then, outside it), or earlier if the same transaction reads the flags (`ensure_fresh`) — not once per
row saved, twice.
"""

import datetime
import threading

from django.core.cache import cache
from django.db import transaction

from core import versions
from products.models import Startup

from .alerts import RULES
from .models import WatchFlags

FRESH_KEY = "portfolio:watch:day"
BATCH = 2000  # rows read per fetch by the full refresh
# The startups written by this thread's transaction whose flags are not evaluated yet.
_pending = threading.local()


def _marked() -> set:
    if not hasattr(_pending, "startups"):
        _pending.startups = set()
    return _pending.startups


def refresh(today: datetime.date, startup_ids=None) -> int:
    """Evaluate the rules for these startups (every one when None) and store the result; how many rows."""
    from .selectors import with_alert_flags

    startups = Startup.objects.all() if startup_ids is None else Startup.objects.filter(pk__in=list(startup_ids))
    rows = with_alert_flags(startups, today, few=startup_ids is not None).values_list(
        "pk", *(r.annotation for r in RULES)
    )
    flags = []
    for pk, *raised in rows.order_by("pk").iterator(chunk_size=BATCH):
        codes = [r.code for r, on in zip(RULES, raised, strict=True) if on]
        flags.append(WatchFlags(startup_id=pk, day=today, alerts=len(codes), codes=",".join(codes)))
    with transaction.atomic():
        if startup_ids is None:
            WatchFlags.objects.exclude(startup_id__in=[f.startup_id for f in flags]).delete()
        WatchFlags.objects.bulk_create(  # one statement on PostgreSQL whatever the number of startups
            flags,
            update_conflicts=True,
            unique_fields=["startup"],
            update_fields=["day", "alerts", "codes"],
        )
    return len(flags)


def ensure_fresh(today: datetime.date) -> None:
    """Before a network-wide read: the flags of today, every startup's (a full refresh the first time of the day,
    or after a change that concerned no single startup). Asked of the cache once per request."""
    day, memo = today.isoformat(), versions.request_memo()
    if memo is None or memo.get(FRESH_KEY) != day:
        if cache.get(FRESH_KEY) != day:
            _marked().clear()  # every startup evaluated below
            refresh(today)
            cache.set(FRESH_KEY, day, timeout=None)
        if memo is not None:
            memo[FRESH_KEY] = day
    _evaluate_marked(day=today)


def codes_of(startup_id, today: datetime.date) -> list[str]:
    """The codes of the alerts one startup raises today, in the order of the rules. `ensure_fresh` has evaluated
    every startup today, and any written since: each has its row."""
    ensure_fresh(today)
    codes = WatchFlags.objects.filter(startup_id=startup_id, day=today).values_list("codes", flat=True).first()
    return [code for code in (codes or "").split(",") if code]


def _evaluate_marked(more=(), *, day: datetime.date | None = None) -> None:
    """Evaluate the marked startups (and `more`) now, if the flags are those of a day (`day` when known, else the
    one the cache says; none: the next read will)."""
    startups = _marked() | set(more)
    _marked().clear()
    if startups:
        today = day or datetime.date.fromisoformat(cache.get(FRESH_KEY) or "1970-01-01")
        if today.year > 1970:
            refresh(today, startups)


def startups_changed(startups, topics) -> None:
    """core.versions' listener: a write about these startups (or about everything, GLOBAL). In a transaction the
    startups are marked only: evaluated at commit, when core.versions calls again outside it, or before a read of
    the flags in the same transaction."""
    if versions.GLOBAL in topics:
        cache.delete(FRESH_KEY)
    if not startups:
        return
    if transaction.get_connection().in_atomic_block:
        _marked().update(startups)
    else:
        _evaluate_marked(startups)
