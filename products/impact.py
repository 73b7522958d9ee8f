"""Impact and money of a startup: what it spent, what its indicators gained, and the cost per unit of impact.

The arithmetic is pure (no query): `cost_per_unit` takes the measurements and spendings as values.

- Spent over a period [start, end] (dates included): each declared spending counts for the share of its own
  period that falls in [start, end], in days (a spending of 3,000 € over March counts 1,000 € from the 1st
  to the 10th). No bound: every spending counts in full.
- Gain of an indicator over [start, end]:
  - a *stock* (a level at a date: active users, a running total) gains its last value in the period minus its
    level at the start — the last measurement on or before `start`, else the first one in the period;
    for a "lower is better" indicator, the other way round;
  - a *flow* (a quantity since the previous measurement: files handled in the month) gains the sum of its
    measurements dated in the period. A flow one wants lower (complaints) has no cost per unit.
- Cost per unit = spent / gain, in euros to the cent, only when there is a measurement, a gain (> 0) and a
  spending (> 0): otherwise it is undefined and says why — never a division by zero, never a made-up figure.

Money granted comes from the committees' decisions, an app above this one: it registers its source with
`grant_source_register` (committees/apps.py); the FAST funding is the startup's own field.
"""

import dataclasses
import datetime
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _

from .enums import Direction, IndicatorKind

CENT = Decimal("0.01")
ZERO = Decimal(0)

# Why a cost per unit is undefined: a stable code (exports, API) and the words of the pages.
NO_MEASUREMENT = "aucune_mesure"
SINGLE_MEASUREMENT = "une_seule_mesure"
NO_GAIN = "aucun_gain"
NO_SPENDING = "aucune_depense"
LOWER_FLOW = "flux_a_la_baisse"
REASONS = {
    NO_MEASUREMENT: _("aucune mesure"),
    SINGLE_MEASUREMENT: _("une seule mesure : pas encore d'évolution"),
    NO_GAIN: _("aucun gain"),
    NO_SPENDING: _("aucune dépense"),
    LOWER_FLOW: _("indicateur de flux à faire baisser : pas de coût par unité"),
}


@dataclasses.dataclass(frozen=True)
class Point:
    date: datetime.date
    value: Decimal


@dataclasses.dataclass(frozen=True)
class Outlay:
    start: datetime.date
    end: datetime.date
    amount: Decimal


@dataclasses.dataclass(frozen=True)
class Cost:
    """A cost per unit of impact: `value` in euros per unit, or None with the `reason` (a code of REASONS)."""

    spent: Decimal
    gain: Decimal | None
    value: Decimal | None
    reason: str = ""

    @property
    def reason_label(self) -> str:
        return str(REASONS[self.reason]) if self.reason else ""


def _days(start: datetime.date, end: datetime.date) -> int:
    return (end - start).days + 1


def spent_between(outlays: Iterable[Outlay], start: datetime.date | None, end: datetime.date | None) -> Decimal:
    """Euros spent in [start, end] (None: unbounded), each spending prorated on its days in the period."""
    total = ZERO
    for outlay in outlays:
        lo = max(outlay.start, start) if start else outlay.start
        hi = min(outlay.end, end) if end else outlay.end
        if hi < lo:
            continue
        total += Decimal(outlay.amount) * _days(lo, hi) / _days(outlay.start, outlay.end)
    return total.quantize(CENT, ROUND_HALF_UP)


def _summary_gain(kind: str, direction: str, baseline: Decimal | None, points: list[Point]) -> tuple:
    """(gain, reason) from the measurements in the period (in date order) and the level before it."""
    if not points:
        return None, NO_MEASUREMENT
    if kind == IndicatorKind.FLOW:
        if direction == Direction.LOWER:
            return None, LOWER_FLOW
        return sum((p.value for p in points), ZERO), ""
    if baseline is None:
        if len(points) == 1:
            return None, SINGLE_MEASUREMENT
        baseline, points = points[0].value, points[1:]
    last = points[-1].value
    return (last - baseline if direction == Direction.HIGHER else baseline - last), ""


def gain_between(
    kind: str, direction: str, points: Iterable[Point], start: datetime.date | None, end: datetime.date | None
) -> tuple[Decimal | None, str]:
    """The indicator's gain over [start, end] (None: unbounded), or None and the reason it has none."""
    points = sorted(points, key=lambda p: p.date)
    inside = [p for p in points if (start is None or p.date >= start) and (end is None or p.date <= end)]
    baseline = None
    if kind == IndicatorKind.STOCK and start is not None:
        before = [p for p in points if p.date <= start]
        if before:
            baseline = before[-1].value
            inside = [p for p in inside if p.date > before[-1].date]
            if not inside:
                return None, SINGLE_MEASUREMENT if before[-1].date == start else NO_MEASUREMENT
    return _summary_gain(kind, direction, baseline, inside)


def cost_of(spent: Decimal, gain: Decimal | None, reason: str = "") -> Cost:
    """Spent / gain when both are positive; else undefined, with the reason."""
    if reason:
        return Cost(spent, gain, None, reason)
    if gain is None or gain <= 0:
        return Cost(spent, gain, None, NO_GAIN)
    if spent <= 0:
        return Cost(spent, gain, None, NO_SPENDING)
    return Cost(spent, gain, (spent / gain).quantize(CENT, ROUND_HALF_UP))


def cost_per_unit(
    *,
    kind: str,
    direction: str,
    points: Iterable[Point],
    outlays: Iterable[Outlay],
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Cost:
    """Euros spent over [start, end] per unit the indicator gained over the same period (None: unbounded)."""
    gain, reason = gain_between(kind, direction, points, start, end)
    return cost_of(spent_between(outlays, start, end), gain, reason)


def cumulated_cost(*, kind: str, direction: str, count: int, first, last, total, spent) -> Cost:
    """The cost per unit over the whole history from aggregates (the dashboard's annotations): the number of
    measurements, the first and last values, their sum, and every euro spent. Same result as `cost_per_unit`
    without bounds."""
    spent = Decimal(spent or 0).quantize(CENT, ROUND_HALF_UP)
    if not count:
        return cost_of(spent, None, NO_MEASUREMENT)
    if kind == IndicatorKind.FLOW:
        if direction == Direction.LOWER:
            return cost_of(spent, None, LOWER_FLOW)
        return cost_of(spent, Decimal(total))
    if count == 1:
        return cost_of(spent, None, SINGLE_MEASUREMENT)
    first, last = Decimal(first), Decimal(last)
    return cost_of(spent, last - first if direction == Direction.HIGHER else first - last)


# --- The North Star, for a whole list of startups in one query ------------------------------------
def north_star_annotations(startup_field: str = "pk") -> dict:
    """Annotations on Startup rows (correlated on `startup_field`) giving what `cumulated_cost` needs for the
    startup's North Star: ns_name, ns_unit, ns_kind, ns_direction, ns_count, ns_first, ns_last, ns_total,
    and ns_spent (every euro declared)."""
    from .models import Indicator, Measurement, Spending

    star = Indicator.objects.filter(startup=OuterRef(startup_field), is_north_star=True)
    points = Measurement.objects.filter(indicator__startup=OuterRef(startup_field), indicator__is_north_star=True)
    number = DecimalField(max_digits=18, decimal_places=4)

    def aggregate(expression):
        return Subquery(
            points.order_by().values("indicator__startup").annotate(v=expression).values("v"), output_field=number
        )

    return {
        "ns_name": Subquery(star.values("name")[:1]),
        "ns_unit": Subquery(star.values("unit")[:1]),
        "ns_kind": Subquery(star.values("kind")[:1]),
        "ns_direction": Subquery(star.values("direction")[:1]),
        "ns_count": Coalesce(
            Subquery(points.order_by().values("indicator__startup").annotate(v=Count("pk")).values("v")), 0
        ),
        "ns_first": Subquery(points.order_by("date", "pk").values("value")[:1], output_field=number),
        "ns_last": Subquery(points.order_by("-date", "-pk").values("value")[:1], output_field=number),
        "ns_total": aggregate(Sum("value")),
        "ns_spent": Subquery(
            Spending.objects.filter(startup=OuterRef(startup_field))
            .order_by()
            .values("startup")
            .annotate(v=Sum("amount_eur"))
            .values("v"),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        ),
    }


def north_star_cost_expression():
    """The cumulated cost per unit of the North Star as an SQL expression over `north_star_annotations`
    (NULL when undefined), for sorting; the pages show `cumulated_cost`, computed in Python with Decimal."""
    number = DecimalField(max_digits=24, decimal_places=4)
    stock = Q(ns_kind=IndicatorKind.STOCK, ns_count__gte=2)
    gain = Case(
        When(Q(ns_kind=IndicatorKind.FLOW, ns_direction=Direction.HIGHER, ns_count__gte=1), then=F("ns_total")),
        When(stock & Q(ns_direction=Direction.HIGHER), then=F("ns_last") - F("ns_first")),
        When(stock & Q(ns_direction=Direction.LOWER), then=F("ns_first") - F("ns_last")),
        default=Value(None),
        output_field=number,
    )
    return Case(
        When(
            Q(GreaterThan(gain, 0)) & Q(ns_spent__gt=0),
            then=ExpressionWrapper(F("ns_spent") / gain, output_field=number),
        ),
        default=Value(None),
        output_field=number,
    )


# --- Money granted -----------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Grant:
    """Money granted to a startup: by a committee decision (with the period it funds) or the FAST."""

    source: str  # "decision" or "fast"
    label: str
    amount_eur: int | None
    date: datetime.date | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    outcome: str = ""

    @property
    def is_period(self) -> bool:
        return self.period_start is not None and self.period_end is not None


# Filled from the granting apps' AppConfig.ready(): each a function (startup ids) -> {startup id: [Grant]}.
GRANT_SOURCES: list[Callable] = []


def grant_source_register(source: Callable) -> None:
    if source not in GRANT_SOURCES:
        GRANT_SOURCES.append(source)


def fast_grant(startup) -> Grant | None:
    fast = startup.fast or {}
    if fast.get("montant") is None:
        return None
    return Grant(
        source="fast",
        label=str(_("Financement FAST (promotion %(promotion)s)") % {"promotion": fast.get("promotion", "?")}),
        amount_eur=fast["montant"],
    )


def grants_of(startups) -> dict[int, list[Grant]]:
    """Every grant of `startups` (a list of Startup), by startup id: decisions in date order, then the FAST.
    One query per registered source."""
    ids = [startup.pk for startup in startups]
    grants: dict[int, list[Grant]] = {pk: [] for pk in ids}
    for source in GRANT_SOURCES:
        for pk, found in source(ids).items():
            grants.setdefault(pk, []).extend(found)
    for startup in startups:
        if grant := fast_grant(startup):
            grants[startup.pk].append(grant)
    return grants


def granted_total(grants: Iterable[Grant]) -> int:
    return sum(grant.amount_eur or 0 for grant in grants)
