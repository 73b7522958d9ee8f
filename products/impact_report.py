"""What the impact page, the startup page's impact section and `export_impact` show of startups: their
indicators with measurements, targets and chart, the money granted and spent, and the cost per unit of
each indicator per committee period and cumulated. One source for the three, in a fixed number of queries
whatever the number of startups, indicators or measurements."""

import dataclasses
import datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from core import versions
from core.durations import short_date

from . import impact
from .impact_charts import indicator_chart
from .models import Indicator, IndicatorTarget, Measurement, Spending, Startup


@dataclasses.dataclass
class PeriodCost:
    """One committee period (the one a decision funded) or the whole history (`start` and `end` None)."""

    label: str
    start: datetime.date | None
    end: datetime.date | None
    cost: impact.Cost


@dataclasses.dataclass
class IndicatorReport:
    indicator: Indicator
    points: list
    targets: list
    periods: list[PeriodCost]
    cumulated: impact.Cost

    @property
    def chart(self):
        return indicator_chart(self.points, self.targets)

    @property
    def chart_key(self) -> str:
        return f"indicateur-{self.indicator.pk}"


@dataclasses.dataclass
class StartupImpact:
    startup: Startup
    indicators: list[IndicatorReport]
    grants: list[impact.Grant]
    spendings: list[Spending]
    granted_eur: int
    spent_eur: Decimal

    @property
    def north_star(self) -> IndicatorReport | None:
        return next((report for report in self.indicators if report.indicator.is_north_star), None)

    @property
    def periods(self) -> list[impact.Grant]:
        return [grant for grant in self.grants if grant.is_period]


def period_label(grant: impact.Grant) -> str:
    return f"{short_date(grant.period_start)} – {short_date(grant.period_end)}"


def _outlays(spendings) -> list[impact.Outlay]:
    return [impact.Outlay(s.period_start, s.period_end, s.amount_eur) for s in spendings]


def indicator_report(indicator: Indicator, points, targets, outlays, periods) -> IndicatorReport:
    values = [impact.Point(p.date, p.value) for p in points]

    def cost(start, end):
        return impact.cost_per_unit(
            kind=indicator.kind, direction=indicator.direction, points=values, outlays=outlays, start=start, end=end
        )

    return IndicatorReport(
        indicator=indicator,
        points=points,
        targets=targets,
        periods=[
            PeriodCost(
                period_label(grant), grant.period_start, grant.period_end, cost(grant.period_start, grant.period_end)
            )
            for grant in periods
        ],
        cumulated=cost(None, None),
    )


def startups_impact(startups) -> list[StartupImpact]:
    """The impact of each of `startups` (Startup objects), in their order: four queries plus one per grant
    source, whatever their number."""
    startups = list(startups)
    ids = [startup.pk for startup in startups]
    indicators = Indicator.objects.filter(startup_id__in=ids).prefetch_related(
        Prefetch("measurements", queryset=Measurement.objects.order_by("date", "pk"), to_attr="points"),
        Prefetch("targets", queryset=IndicatorTarget.objects.order_by("period_start", "pk"), to_attr="target_list"),
    )
    by_startup: dict[int, list[Indicator]] = {pk: [] for pk in ids}
    for indicator in indicators:
        by_startup[indicator.startup_id].append(indicator)
    spendings: dict[int, list[Spending]] = {pk: [] for pk in ids}
    for spending in (
        Spending.objects.filter(startup_id__in=ids).select_related("entered_by").order_by("period_start", "pk")
    ):
        spendings[spending.startup_id].append(spending)
    grants = impact.grants_of(startups)
    result = []
    for startup in startups:
        outlays = _outlays(spendings[startup.pk])
        periods = [grant for grant in grants[startup.pk] if grant.is_period]
        result.append(
            StartupImpact(
                startup=startup,
                indicators=[
                    indicator_report(indicator, indicator.points, indicator.target_list, outlays, periods)
                    for indicator in by_startup[startup.pk]
                ],
                grants=grants[startup.pk],
                spendings=spendings[startup.pk],
                granted_eur=impact.granted_total(grants[startup.pk]),
                spent_eur=impact.spent_between(outlays, None, None),
            )
        )
    return result


def startup_impact(startup: Startup) -> StartupImpact:
    """One startup's impact, cached until any of its rows changes (core.versions)."""
    found = versions.cached(
        "impact", lambda: startups_impact([startup])[0], startup=startup.pk, vary=[timezone.localdate()]
    )
    return dataclasses.replace(found, startup=startup)


def startup_panel(user, startup: Startup) -> dict | None:
    """The impact section of the startup page (registered in products.views.STARTUP_PANELS by portfolio):
    every indicator with its chart and table, and for those who read the money, budgets and cost per unit."""
    from .perms import can_record_impact, can_view_impact, can_view_money

    if not can_view_impact(user, startup):
        return None
    impact_ = startup_impact(startup)
    money, can_record = can_view_money(user, startup), can_record_impact(user, startup)
    if not (impact_.indicators or can_record or (money and (impact_.grants or impact_.spendings))):
        return None  # nothing to show, nothing this person may add
    return {
        "template": "products/includes/impact_panel.html",
        "startup": startup,
        "impact": impact_,
        "money": money,
        "can_record": can_record,
    }


# --- export_impact ----------------------------------------------------------------------------------
def _number(value: Decimal | None):
    """A Decimal as a JSON number (its digits as stored), None as null."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def impact_export(startups) -> list[dict]:
    """Per startup: slug, indicators (name, unit, north_star, kind, direction, measurements [date, value],
    cost_per_unit — the cumulated one, as the pages show it — and reason when it is null), granted_eur,
    spent_eur."""
    return [
        {
            "slug": impact_.startup.slug,
            "indicators": [
                {
                    "name": report.indicator.name,
                    "unit": report.indicator.unit,
                    "north_star": report.indicator.is_north_star,
                    "kind": report.indicator.kind,
                    "direction": report.indicator.direction,
                    "measurements": [[p.date.isoformat(), _number(p.value)] for p in report.points],
                    "cost_per_unit": _number(report.cumulated.value),
                    "reason": report.cumulated.reason or None,
                }
                for report in impact_.indicators
            ],
            "granted_eur": impact_.granted_eur,
            "spent_eur": _number(impact_.spent_eur),
        }
        for impact_ in startups_impact(startups)
    ]


EXPORT_CSV_COLUMNS = [
    "slug",
    "granted_eur",
    "spent_eur",
    "indicator",
    "unit",
    "north_star",
    "cost_per_unit",
    "reason",
    "measurements",
]


def impact_export_rows(data: list[dict]):
    """The export as CSV rows: one per indicator (a startup without indicator: one row with its money);
    measurements written `date=value` separated by `|`."""
    yield EXPORT_CSV_COLUMNS
    for startup in data:
        money = [startup["slug"], startup["granted_eur"], startup["spent_eur"]]
        if not startup["indicators"]:
            yield [*money, "", "", "", "", "", ""]
        for indicator in startup["indicators"]:
            yield [
                *money,
                indicator["name"],
                indicator["unit"],
                "true" if indicator["north_star"] else "false",
                indicator["cost_per_unit"],
                indicator["reason"],
                "|".join(f"{date}={value}" for date, value in indicator["measurements"]),
            ]
