"""Geometry of the network view's charts, drawn on the server as SVG by the templates.

Nothing here queries the database: each function turns rows the selectors computed into shapes
(rectangles, lines, labels) in a fixed viewBox. Every chart is followed on the page by its data
table, which is its text alternative.
"""

import dataclasses
import math

from django.utils.translation import gettext_lazy as _

from committees.enums import Outcome
from core.durations import short_date

from .selectors import DAYS_PER_MONTH

# DSFR colours (illustrative palette), readable on white.
BLUE = "#000091"
BLUE_LIGHT = "#6a6af4"
GREEN = "#18753c"
RED = "#c9191e"
ORANGE = "#b34000"
PURPLE = "#6e445a"
BROWN = "#7a6200"
GREY = "#666666"
TEAL = "#00746f"

OUTCOME_COLOURS = {
    Outcome.POURSUITE: BLUE,
    Outcome.POURSUITE_AVEC_RESERVES: BLUE_LIGHT,
    Outcome.PROLONGATION_PROVISOIRE: BROWN,
    Outcome.PIVOT: PURPLE,
    Outcome.ARRET: RED,
    Outcome.PASSAGE_EN_CONSTRUCTION: GREEN,
    Outcome.INVESTIGATION_NON_CONCLUANTE: ORANGE,
    Outcome.NON_RENSEIGNE: GREY,
}


@dataclasses.dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str = ""


@dataclasses.dataclass
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = "#3a3a3a"
    width: float = 1


@dataclasses.dataclass
class Label:
    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclasses.dataclass
class Chart:
    width: int
    height: int
    rects: list[Rect]
    lines: list[Line]
    labels: list[Label]
    legend: list[tuple[str, str]]  # (colour, label)
    empty: bool = False
    marks: list[Line] = dataclasses.field(default_factory=list)  # drawn over the bars


def _with_legend(chart: Chart, entries: list[tuple[str, str]]) -> Chart:
    """Draw the legend under the plot, as many entries a row as fit."""
    column = 250
    per_row = max(1, (chart.width - 20) // column)
    top = chart.height + 6
    for i, (colour, text) in enumerate(entries):
        x = 10 + (i % per_row) * column
        y = top + (i // per_row) * 20
        chart.rects.append(Rect(x, y, 12, 12, colour))
        chart.labels.append(Label(x + 18, y + 11, text, "start"))
    rows = math.ceil(len(entries) / per_row) if entries else 0
    chart.height = top + rows * 20 + 4 if entries else chart.height
    chart.legend = entries
    return chart


def _ticks(maximum: float, count: int = 5) -> list[float]:
    if maximum <= 0:
        return [0]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [i * step for i in range(int(math.ceil(maximum / step)) + 1)]


def _fmt(value: float) -> str:
    return f"{value:g}".replace(".", ",")


COHORT_SERIES = [
    ("construction", _("Construction ou au-delà"), BLUE),
    ("acceleration", _("Accélération ou au-delà"), BLUE_LIGHT),
    ("consolidation", _("Consolidation, transférée ou opérée"), GREEN),
    ("stopped", _("Arrêtée"), RED),
]


def cohort_chart(rows) -> Chart:
    """Grouped bars: per cohort, the share (%) that reached each stage or stopped."""
    left, right, top, bottom = 50, 10, 10, 40
    group = 56
    width = left + right + max(len(rows), 1) * group
    height = 260
    plot = height - top - bottom
    rects, lines, labels = [], [], []
    for tick in (0, 25, 50, 75, 100):
        y = top + plot * (1 - tick / 100)
        lines.append(Line(left, y, width - right, y, "#dddddd"))
        labels.append(Label(left - 6, y + 4, f"{tick} %", "end"))
    bar = (group - 12) / len(COHORT_SERIES)
    for i, row in enumerate(rows):
        x0 = left + i * group + 6
        for j, (key, label, colour) in enumerate(COHORT_SERIES):
            share = getattr(row, key)
            h = plot * share.percent / 100
            rects.append(
                Rect(
                    x0 + j * bar,
                    top + plot - h,
                    bar - 1,
                    h,
                    colour,
                    f"{row.year} — {label} : {share.count}/{share.total} ({share.percent:.0f} %)",
                )
            )
        labels.append(Label(x0 + (group - 12) / 2, height - bottom + 16, str(row.year)))
        labels.append(Label(x0 + (group - 12) / 2, height - bottom + 30, f"n={row.startups}"))
    lines.append(Line(left, top + plot, width - right, top + plot))
    chart = Chart(max(width, 520), height, rects, lines, labels, [], empty=not rows)
    return _with_legend(chart, [(c, str(lbl)) for _k, lbl, c in COHORT_SERIES])


def duration_chart(rows) -> Chart:
    """Horizontal box plots in months: whiskers from the 10th to the 90th percentile, the box from the
    first to the third quartile, a thick line at the median."""
    left, right, top, bottom = 150, 20, 10, 40
    lane = 44
    width = 760
    height = top + bottom + lane * max(len(rows), 1)
    plot = width - left - right
    with_data = [r for r in rows if r.median is not None]
    maximum = max((r.p90 / DAYS_PER_MONTH for r in with_data), default=0)
    ticks = _ticks(maximum)
    scale_max = ticks[-1] or 1

    def x(days):
        return left + plot * (days / DAYS_PER_MONTH) / scale_max

    rects, lines, labels, marks = [], [], [], []
    for tick in ticks:
        lines.append(
            Line(left + plot * tick / scale_max, top, left + plot * tick / scale_max, height - bottom, "#dddddd")
        )
        labels.append(Label(left + plot * tick / scale_max, height - bottom + 16, _fmt(tick)))
    labels.append(Label(left + plot / 2, height - 6, str(_("mois"))))
    for i, row in enumerate(rows):
        y = top + i * lane + lane / 2
        labels.append(Label(left - 8, y + 4, str(row.label), "end"))
        if row.median is None:
            labels.append(Label(left + 4, y + 4, str(_("pas de phase terminée")), "start"))
            continue
        lines.append(Line(x(row.p10), y, x(row.q1), y))
        lines.append(Line(x(row.q3), y, x(row.p90), y))
        lines.append(Line(x(row.p10), y - 8, x(row.p10), y + 8))
        lines.append(Line(x(row.p90), y - 8, x(row.p90), y + 8))
        rects.append(
            Rect(
                x(row.q1),
                y - 12,
                max(x(row.q3) - x(row.q1), 1),
                24,
                BLUE_LIGHT,
                str(
                    _("%(phase)s : médiane %(median)s mois, quartiles %(q1)s – %(q3)s mois")
                    % {
                        "phase": row.label,
                        "median": _fmt(round(row.median / DAYS_PER_MONTH, 1)),
                        "q1": _fmt(round(row.q1 / DAYS_PER_MONTH, 1)),
                        "q3": _fmt(round(row.q3 / DAYS_PER_MONTH, 1)),
                    }
                ),
            )
        )
        marks.append(Line(x(row.median), y - 12, x(row.median), y + 12, BLUE, 3))
    lines.append(Line(left, height - bottom, width - right, height - bottom))
    return Chart(width, height, rects, lines, labels, [], empty=not with_data, marks=marks)


def quarter_chart(rows) -> Chart:
    """Stacked bars: decisions per quarter, by outcome."""
    left, right, top, bottom = 40, 10, 10, 30
    slot = 18
    width = max(left + right + len(rows) * slot, 520)
    height = 240
    plot = height - top - bottom
    maximum = max((r.decisions for r in rows), default=0)
    ticks = _ticks(maximum)
    scale_max = ticks[-1] or 1
    rects, lines, labels = [], [], []
    for tick in ticks:
        y = top + plot * (1 - tick / scale_max)
        lines.append(Line(left, y, width - right, y, "#dddddd"))
        labels.append(Label(left - 4, y + 4, _fmt(tick), "end"))
    used = set()
    for i, row in enumerate(rows):
        x = left + i * slot + 2
        y = top + plot
        for outcome in Outcome:
            n = row.outcomes.get(outcome.value, 0)
            if not n:
                continue
            used.add(outcome.value)
            h = plot * n / scale_max
            y -= h
            rects.append(Rect(x, y, slot - 4, h, OUTCOME_COLOURS[outcome], f"{row.label} — {outcome.label} : {n}"))
        if row.quarter == 1 or (i == 0 and row.quarter == 2):
            labels.append(Label(x + (slot - 4) / 2, height - bottom + 16, str(row.year)))
    lines.append(Line(left, top + plot, width - right, top + plot))
    legend = [(OUTCOME_COLOURS[o], str(o.label)) for o in Outcome if o.value in used]
    return _with_legend(Chart(width, height, rects, lines, labels, [], empty=not rows), legend)


def weeks_chart(weeks) -> Chart:
    """Small bars: interviews per week of an investigation."""
    left, top, bottom = 24, 6, 18
    slot = 10
    width = max(left + len(weeks) * slot + 6, 200)
    height = 90
    plot = height - top - bottom
    maximum = max((w.count for w in weeks), default=0)
    scale_max = maximum or 1
    rects, lines, labels = [], [], []
    labels.append(Label(left - 4, top + 8, str(maximum), "end"))
    labels.append(Label(left - 4, top + plot, "0", "end"))
    for i, week in enumerate(weeks):
        h = plot * week.count / scale_max
        rects.append(
            Rect(
                left + i * slot + 1,
                top + plot - h,
                slot - 2,
                h,
                BLUE,
                str(_("Semaine du %(date)s : %(n)d") % {"date": short_date(week.week), "n": week.count}),
            )
        )
    lines.append(Line(left, top + plot, width - 6, top + plot))
    if weeks:
        labels.append(Label(left, height - 4, short_date(weeks[0].week), "start"))
        if len(weeks) > 12:
            labels.append(Label(width - 6, height - 4, short_date(weeks[-1].week), "end"))
    return Chart(width, height, rects, lines, labels, [], empty=not maximum)
