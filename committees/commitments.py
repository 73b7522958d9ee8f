"""Commitments carried from one committee to the next: what the review pack shows of the last period.

- The last period runs from the previous decision (its funded period when it set one) to this review.
- Its success criteria are the targets of the startup's indicators (products' IndicatorTarget, set by the
  team's request or on the impact page) whose period starts in it (without a previous decision: before the
  review).
- Each criterion is compared with the value measured by the end of its period (or the review, if earlier):
  a stock's last measurement, a flow's sum over the period. Reached share = measured / target for an
  indicator one wants higher, target / measured for one wants lower, rounded half up to the unit; undefined,
  and said so, when nothing was measured or the target (or the measured value) is zero.
- Money: the budget the previous decision granted against what the team declared spent over the period
  (products.impact.spent_between), and the North Star's cost per unit over the same period.
- Quality gates for "passage à l'échelle": the startup's imported RGAA status, risk analysis,
  MonServiceSécurisé and DashLord.

Four queries, whatever the number of indicators, targets, measurements or spendings."""

import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.durations import add_months, short_date
from products import impact
from products.enums import AccessibilityStatus, Direction, IndicatorKind
from products.models import Indicator, IndicatorTarget, Measurement, Spending, Startup

from . import doctrine

# A line's status: the checklist reads the same words.
YES, NO, UNKNOWN = "oui", "non", "inconnu"


def amount(value) -> str:
    """A number in the reader's language, without trailing zeros: 2 000, 1 430, 12,5."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return number_format(value, decimal_pos=0, force_grouping=True)
    return number_format(value.normalize(), force_grouping=True)


def reached_percent(*, target: Decimal, measured: Decimal | None, direction: str) -> int | None:
    """The share of the target reached, in whole percent (half up); None when it cannot be computed."""
    if measured is None:
        return None
    target, measured = Decimal(target), Decimal(measured)
    numerator, denominator = (measured, target) if direction == Direction.HIGHER else (target, measured)
    if denominator <= 0:
        return None
    return int((numerator * 100 / denominator).quantize(Decimal(1), ROUND_HALF_UP))


def measured_by(indicator: Indicator, points, start: datetime.date, end: datetime.date) -> Decimal | None:
    """The indicator's value at `end`: a stock's last measurement on or before it, a flow's sum in [start, end]."""
    if indicator.kind == IndicatorKind.FLOW:
        inside = [p.value for p in points if start <= p.date <= end]
        return sum(inside, Decimal(0)) if inside else None
    before = [p for p in points if p.date <= end]
    return before[-1].value if before else None


@dataclasses.dataclass
class Criterion:
    indicator: Indicator
    target: IndicatorTarget
    measured: Decimal | None
    percent: int | None

    @property
    def status(self) -> str:
        if self.measured is None:
            return UNKNOWN
        if self.indicator.direction == Direction.HIGHER:
            return YES if self.measured >= self.target.value else NO
        return YES if self.measured <= self.target.value else NO

    @property
    def text(self) -> str:
        """« objectif 2 000 usagers, atteint 1 430 : 72 % », or what is missing."""
        target = amount(self.target.value)
        unit = self.indicator.unit
        if self.measured is None:
            return _("objectif %(target)s %(unit)s, aucune mesure à la fin de la période") % {
                "target": target,
                "unit": unit,
            }
        if self.percent is None:
            return _("objectif %(target)s %(unit)s, atteint %(measured)s : part non calculable") % {
                "target": target,
                "unit": unit,
                "measured": amount(self.measured),
            }
        return _("objectif %(target)s %(unit)s, atteint %(measured)s : %(percent)s %%") % {
            "target": target,
            "unit": unit,
            "measured": amount(self.measured),
            "percent": self.percent,
        }


@dataclasses.dataclass
class Gate:
    key: str
    label: str
    value: str
    status: str
    url: str = ""


@dataclasses.dataclass
class Commitments:
    start: datetime.date | None
    end: datetime.date
    criteria: list[Criterion]
    indicators: list[Indicator]
    requested_eur: int | None
    spent_eur: Decimal
    north_star: Indicator | None
    north_star_cost: impact.Cost | None
    gates: list[Gate]

    @property
    def period_label(self) -> str:
        if self.start is None:
            return _("jusqu'au %(end)s") % {"end": short_date(self.end)}
        return f"{short_date(self.start)} – {short_date(self.end)}"

    @property
    def spent_percent(self) -> int | None:
        if not self.requested_eur:
            return None
        return int((self.spent_eur * 100 / self.requested_eur).quantize(Decimal(1), ROUND_HALF_UP))

    @property
    def objectives_status(self) -> str:
        """YES when every criterion is met, NO when one is missed, UNKNOWN without criteria or measurements."""
        statuses = {criterion.status for criterion in self.criteria}
        if NO in statuses:
            return NO
        if not statuses or UNKNOWN in statuses:
            return UNKNOWN
        return YES

    @property
    def measured_indicators(self) -> list[Indicator]:
        return [indicator for indicator in self.indicators if indicator.points]

    @property
    def gates_status(self) -> str:
        statuses = {gate.status for gate in self.gates}
        if NO in statuses:
            return NO
        return UNKNOWN if UNKNOWN in statuses else YES


def _flag(value: bool | None) -> tuple[str, str]:
    if value is None:
        return _("non renseigné"), UNKNOWN
    return (_("oui"), YES) if value else (_("non"), NO)


def quality_gates(startup: Startup) -> list[Gate]:
    """The imported quality gates for "passage à l'échelle", each with its status."""
    rgaa = {
        AccessibilityStatus.TOTALEMENT_CONFORME: YES,
        AccessibilityStatus.PARTIELLEMENT_CONFORME: NO,
        AccessibilityStatus.NON_CONFORME: NO,
    }.get(startup.accessibility_status, UNKNOWN)
    risks, risks_status = _flag(startup.analyse_risques)
    securise, securise_status = _flag(startup.mon_service_securise)
    return [
        Gate(
            "rgaa",
            _("Accessibilité (RGAA)"),
            str(startup.accessibility_label) if startup.accessibility_status else _("non renseigné"),
            rgaa,
        ),
        Gate("analyse_risques", _("Analyse de risques"), risks, risks_status, startup.analyse_risques_url),
        Gate("mon_service_securise", _("Suivi sur MonServiceSécurisé"), securise, securise_status),
        Gate(
            "dashlord",
            _("DashLord"),
            _("suivi") if startup.dashlord_url else _("non renseigné"),
            YES if startup.dashlord_url else UNKNOWN,
            startup.dashlord_url,
        ),
    ]


def last_period(review, previous_decision) -> tuple[datetime.date | None, datetime.date]:
    if previous_decision is None:
        return None, review.date
    if previous_decision.budget_period_start and previous_decision.budget_period_end:
        return previous_decision.budget_period_start, min(previous_decision.budget_period_end, review.date)
    return previous_decision.date, review.date


def next_period(review) -> tuple[datetime.date, datetime.date]:
    """The period the team's request sets targets for: from the review, the committee cadence."""
    return review.date, add_months(review.date, doctrine.CADENCE_MONTHS)


def request_targets(review) -> tuple[list[Indicator], dict[int, Decimal]]:
    """The startup's indicators and the targets its request already sets for the next period ({indicator pk:
    value}), for the team's request form."""
    start, _end = next_period(review)
    indicators = list(
        Indicator.objects.filter(startup=review.startup_id).prefetch_related(
            Prefetch("targets", queryset=IndicatorTarget.objects.filter(period_start=start), to_attr="next_targets")
        )
    )
    return indicators, {indicator.pk: t.value for indicator in indicators for t in indicator.next_targets}


def review_commitments(review, startup: Startup, previous_decision) -> Commitments:
    start, end = last_period(review, previous_decision)
    indicators = list(
        Indicator.objects.filter(startup=startup).prefetch_related(
            Prefetch("measurements", queryset=Measurement.objects.order_by("date", "pk"), to_attr="points"),
            Prefetch("targets", queryset=IndicatorTarget.objects.order_by("period_start", "pk"), to_attr="target_list"),
        )
    )
    criteria = []
    for indicator in indicators:
        for target in indicator.target_list:
            if target.period_start >= review.date or (start is not None and target.period_start < start):
                continue
            measured = measured_by(indicator, indicator.points, target.period_start, min(target.period_end, end))
            criteria.append(
                Criterion(
                    indicator,
                    target,
                    measured,
                    reached_percent(target=target.value, measured=measured, direction=indicator.direction),
                )
            )
    outlays = [
        impact.Outlay(s.period_start, s.period_end, s.amount_eur)
        for s in Spending.objects.filter(startup=startup).order_by("period_start", "pk")
    ]
    north_star = next((indicator for indicator in indicators if indicator.is_north_star), None)
    north_star_cost = None
    if north_star is not None:
        north_star_cost = impact.cost_per_unit(
            kind=north_star.kind,
            direction=north_star.direction,
            points=[impact.Point(p.date, p.value) for p in north_star.points],
            outlays=outlays,
            start=start,
            end=end,
        )
    return Commitments(
        start=start,
        end=end,
        criteria=criteria,
        indicators=indicators,
        requested_eur=previous_decision.budget_eur if previous_decision is not None else None,
        spent_eur=impact.spent_between(outlays, start, end),
        north_star=north_star,
        north_star_cost=north_star_cost,
        gates=quality_gates(startup),
    )
