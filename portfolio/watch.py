"""The "à surveiller" aggregate: each startup's alerts (portfolio.alerts.RULES), kept in `WatchFlags`.

Evaluating the seven rules on every startup costs a scan of several tables per page at 10,000 startups; the
flags are instead evaluated once a day for the whole portfolio (`refresh`: the nightly task
portfolio.tasks.refresh_watch_flags, or the first read of the day if it did not run) and again for one startup
whenever one of its rows is written (core.versions calls `startups_changed`), so that the filter, the sort by
alerts and the CSV export read a column.
"""

import datetime

from django.core.cache import cache
from django.db import transaction

from core import versions
from products.models import Startup

from .alerts import RULES
from .models import WatchFlags

FRESH_KEY = "portfolio:watch:day"
BATCH = 2000  # rows read per fetch by the full refresh


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
    if memo is not None and memo.get(FRESH_KEY) == day:
        return
    if cache.get(FRESH_KEY) != day:
        refresh(today)
        cache.set(FRESH_KEY, day, timeout=None)
    if memo is not None:
        memo[FRESH_KEY] = day


def startups_changed(startups, topics) -> None:
    """core.versions' listener: a write about these startups (or about everything, GLOBAL)."""
    if versions.GLOBAL in topics:
        cache.delete(FRESH_KEY)
    if startups:
        today = datetime.date.fromisoformat(cache.get(FRESH_KEY) or "1970-01-01")
        if today.year > 1970:
            refresh(today, startups)
