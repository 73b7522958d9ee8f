"""The chart of an indicator: its measurements over time, and its targets, as a core.charts.Chart (drawn by
templates/includes/svg_chart.html; the measurements' table follows it on the page as its text
alternative). No query."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from core.charts import Chart, Label, Line, Rect, label_number, ticks
from core.durations import short_date

BLUE = "#000091"
ORANGE = "#b34000"
GRID = "#dddddd"


def indicator_chart(points, targets) -> Chart:
    """Line of the measurements (each a point with its value in a tooltip) and a segment per target.
    `points`: objects with `date` and `value`, in date order; `targets`: with `period_start`, `period_end`, `value`."""
    left, right, top, bottom = 56, 16, 10, 34
    width, height = 640, 220
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [Decimal(p.value) for p in points] + [Decimal(t.value) for t in targets]
    dates = [p.date for p in points] + [d for t in targets for d in (t.period_start, t.period_end)]
    if not points:
        return Chart(width, height, [], [], [Label(width / 2, height / 2, _("Aucune mesure"))], [], empty=True)
    low = min(Decimal(0), min(values))
    scale = ticks(float(max(values) - low))
    span = Decimal(str(scale[-1])) or Decimal(1)
    first, last = min(dates), max(dates)
    days = max((last - first).days, 1)

    def x(day: datetime.date) -> float:
        return left + plot_w * ((day - first).days / days if last != first else 0.5)

    def y(value) -> float:
        return top + plot_h * (1 - float((Decimal(value) - low) / span))

    rects, lines, labels, marks = [], [], [], []
    for tick in scale:
        value = low + Decimal(str(tick))
        lines.append(Line(left, y(value), width - right, y(value), GRID))
        labels.append(Label(left - 6, y(value) + 4, label_number(value, 2), "end"))
    lines.append(Line(left, top + plot_h, width - right, top + plot_h))
    labels.append(Label(left, height - 8, short_date(first), "start"))
    if last != first:
        labels.append(Label(width - right, height - 8, short_date(last), "end"))
    for target in targets:
        marks.append(Line(x(target.period_start), y(target.value), x(target.period_end), y(target.value), ORANGE, 2))
    for before, after in zip(points, points[1:], strict=False):
        marks.append(Line(x(before.date), y(before.value), x(after.date), y(after.value), BLUE, 2))
    for point in points:
        rects.append(
            Rect(
                x(point.date) - 3,
                y(point.value) - 3,
                6,
                6,
                BLUE,
                f"{short_date(point.date)} : {label_number(point.value, 4)}",
            )
        )
    legend = [(BLUE, _("Mesures"))] + ([(ORANGE, _("Cible"))] if targets else [])
    for i, (colour, text) in enumerate(legend):  # under the plot, on one line
        rects.append(Rect(10 + 160 * i, height + 6, 12, 12, colour))
        labels.append(Label(28 + 160 * i, height + 17, text, "start"))
    return Chart(width, height + 24, rects, lines, labels, legend, marks=marks)
