"""products.impact: the cost per unit of impact, hand-checked on small cases, and every undefined case."""

import datetime
from decimal import Decimal

from products.enums import Direction, IndicatorKind
from products.impact import (
    LOWER_FLOW,
    NO_GAIN,
    NO_MEASUREMENT,
    NO_SPENDING,
    SINGLE_MEASUREMENT,
    Outlay,
    Point,
    cost_per_unit,
    cumulated_cost,
    spent_between,
)

D = datetime.date
JAN, FEB, MAR = (D(2026, 1, 1), D(2026, 1, 31)), (D(2026, 2, 1), D(2026, 2, 28)), (D(2026, 3, 1), D(2026, 3, 31))

# Users of a service (a stock): 100 at the end of December, 130 on 31 January, 190 on 28 February.
USERS = [Point(D(2025, 12, 31), Decimal(100)), Point(D(2026, 1, 31), Decimal(130)), Point(D(2026, 2, 28), Decimal(190))]
# 3,100 € spent over January (31 days), 2,800 € over February (28 days).
OUTLAYS = [Outlay(*JAN, Decimal(3100)), Outlay(*FEB, Decimal(2800))]


def stock(points=USERS, outlays=OUTLAYS, start=None, end=None, direction=Direction.HIGHER):
    return cost_per_unit(
        kind=IndicatorKind.STOCK, direction=direction, points=points, outlays=outlays, start=start, end=end
    )


def test_spending_is_prorated_on_the_days_of_the_period():
    # January 1st to 10th: 10 of January's 31 days → 3,100 × 10 / 31 = 1,000 €.
    assert spent_between(OUTLAYS, D(2026, 1, 1), D(2026, 1, 10)) == Decimal("1000.00")
    # January 22 to February 7: 10 days of January (1,000 €) + 7 of February's 28 (700 €).
    assert spent_between(OUTLAYS, D(2026, 1, 22), D(2026, 2, 7)) == Decimal("1700.00")
    assert spent_between(OUTLAYS, None, None) == Decimal("5900.00")
    assert spent_between(OUTLAYS, *MAR) == Decimal("0.00")


def test_stock_cost_per_committee_period_and_cumulated():
    # January: from the level of 31/12 (100) to 130, +30 users for 3,100 € → 103.33 € per user.
    january = stock(start=D(2026, 1, 1), end=D(2026, 1, 31))
    assert (january.spent, january.gain, january.value) == (Decimal("3100.00"), Decimal(30), Decimal("103.33"))
    # February: 130 → 190, +60 for 2,800 € → 46.67 €.
    assert stock(start=D(2026, 2, 1), end=D(2026, 2, 28)).value == Decimal("46.67")
    # Cumulated: 100 → 190, +90 for 5,900 € → 65.56 €.
    cumulated = stock()
    assert (cumulated.gain, cumulated.value, cumulated.reason) == (Decimal(90), Decimal("65.56"), "")


def test_flow_cost_is_spending_over_the_sum_of_the_period():
    handled = [Point(D(2026, 1, 31), Decimal(40)), Point(D(2026, 2, 28), Decimal(60))]
    cost = cost_per_unit(kind=IndicatorKind.FLOW, direction=Direction.HIGHER, points=handled, outlays=OUTLAYS)
    # 5,900 € for 100 files → 59 € per file.
    assert (cost.gain, cost.value) == (Decimal(100), Decimal("59.00"))
    february = cost_per_unit(
        kind=IndicatorKind.FLOW, direction=Direction.HIGHER, points=handled, outlays=OUTLAYS, start=FEB[0], end=FEB[1]
    )
    assert february.value == Decimal("46.67")  # 2,800 / 60


def test_lower_is_better_stock_gains_when_it_falls():
    delays = [Point(D(2026, 1, 1), Decimal(20)), Point(D(2026, 2, 28), Decimal(12))]
    cost = stock(points=delays, direction=Direction.LOWER)
    assert (cost.gain, cost.value) == (Decimal(8), Decimal("737.50"))  # 5,900 / 8 days saved


def test_undefined_cases_say_why_and_never_divide_by_zero():
    assert stock(points=[]).reason == NO_MEASUREMENT
    assert stock(start=MAR[0], end=MAR[1]).reason == NO_MEASUREMENT
    assert stock(points=USERS[:1]).reason == SINGLE_MEASUREMENT
    flat = [Point(D(2026, 1, 1), Decimal(5)), Point(D(2026, 2, 1), Decimal(5))]
    assert stock(points=flat).reason == NO_GAIN
    falling = [Point(D(2026, 1, 1), Decimal(5)), Point(D(2026, 2, 1), Decimal(3))]
    assert stock(points=falling).reason == NO_GAIN
    assert stock(outlays=[]).reason == NO_SPENDING
    assert stock(outlays=[Outlay(*JAN, Decimal(0))]).reason == NO_SPENDING
    lower_flow = cost_per_unit(kind=IndicatorKind.FLOW, direction=Direction.LOWER, points=USERS, outlays=OUTLAYS)
    assert lower_flow.reason == LOWER_FLOW
    for cost in (stock(points=[]), stock(points=flat), stock(outlays=[]), lower_flow):
        assert cost.value is None and cost.reason_label


def test_cumulated_from_aggregates_is_the_unbounded_cost():
    for points, direction in ((USERS, Direction.HIGHER), (USERS[:1], Direction.HIGHER), ([], Direction.LOWER)):
        for kind in IndicatorKind.values:
            expected = cost_per_unit(kind=kind, direction=direction, points=points, outlays=OUTLAYS)
            values = [p.value for p in points]
            assert (
                cumulated_cost(
                    kind=kind,
                    direction=direction,
                    count=len(points),
                    first=values[0] if values else None,
                    last=values[-1] if values else None,
                    total=sum(values) if values else None,
                    spent=Decimal(5900),
                )
                == expected
            )
