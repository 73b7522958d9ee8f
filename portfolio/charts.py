"""Geometry of the network view's charts, drawn on the server as SVG by the templates.

Nothing here queries the database: each function turns rows the selectors computed into shapes
(rectangles, lines, labels) in a fixed viewBox. Every chart is followed on the page by its data
table, which is its text alternative.
"""

import dataclasses

from django.utils.translation import gettext_lazy as _

from committees.enums import Outcome
from core.charts import WIDE, Chart, Label, Line, Rect, count_ticks, label_number, slots, ticks

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


# The network view's charts share one width: the plot gets what is left after the axis labels.
WIDTH = WIDE


def _with_legend(chart: Chart, entries: list[tuple[str, str]]) -> Chart:
    """Draw the legend under the plot, as many entries a row as fit."""
    column = 250
    per_row = max(1, int((chart.width - 20) // column))
    top = chart.height + 6
    for i, (colour, text) in enumerate(entries):
        x = 10 + (i % per_row) * column
        y = top + (i // per_row) * 20
        chart.rects.append(Rect(x, y, 12, 12, colour))
        chart.labels.append(Label(x + 18, y + 11, text, "start"))
    rows = -(-len(entries) // per_row)
    chart.height = top + rows * 20 + 4 if entries else chart.height
    chart.legend = entries
    return chart


COHORT_SERIES = [
    ("construction", _("Construction ou au-delà"), BLUE),
    ("acceleration", _("Accélération ou au-delà"), BLUE_LIGHT),
    ("consolidation", _("Consolidation, transférée ou opérée"), GREEN),
    ("stopped", _("Arrêtée"), RED),
]


def cohort_chart(rows) -> Chart:
    """Grouped bars: per cohort, the share (%) that reached each stage or stopped. The cohorts share the plot's
    width; a few cohorts get wide groups, centred, rather than thin bars in a corner."""
    left, right, top, bottom = 50, 10, 10, 40
    height = 260
    plot_height = height - top - bottom
    group = slots(len(rows), WIDTH - left - right, 4 * 12 + 16, 200)
    bar = min((group - 16) / len(COHORT_SERIES), 32)
    width = max(WIDTH, left + right + len(rows) * group)
    start = left + (width - left - right - len(rows) * group) / 2
    rects, lines, labels = [], [], []
    for tick in (0, 25, 50, 75, 100):
        y = top + plot_height * (1 - tick / 100)
        lines.append(Line(left, y, width - right, y, "#dddddd"))
        labels.append(Label(left - 6, y + 4, str(_("%(n)d %%") % {"n": tick}), "end"))
    for i, row in enumerate(rows):
        centre = start + (i + 0.5) * group
        x0 = centre - bar * len(COHORT_SERIES) / 2
        for j, (key, label, colour) in enumerate(COHORT_SERIES):
            share = getattr(row, key)
            h = plot_height * share.percent / 100
            rects.append(
                Rect(
                    x0 + j * bar,
                    top + plot_height - h,
                    bar - 1,
                    h,
                    colour,
                    str(
                        _("%(year)s — %(series)s : %(count)d/%(total)d (%(percent)d %%)")
                        % {
                            "year": row.year,
                            "series": label,
                            "count": share.count,
                            "total": share.total,
                            "percent": round(share.percent),
                        }
                    ),
                )
            )
        labels.append(Label(centre, height - bottom + 16, str(row.year)))
        labels.append(Label(centre, height - bottom + 30, f"n={row.startups}"))
    lines.append(Line(left, top + plot_height, width - right, top + plot_height))
    chart = Chart(width, height, rects, lines, labels, empty=not rows, wide=width > WIDE)
    return _with_legend(chart, [(c, str(lbl)) for _k, lbl, c in COHORT_SERIES])


def duration_chart(rows) -> Chart:
    """Horizontal box plots in months: whiskers from the 10th to the 90th percentile, the box from the
    first to the third quartile, a thick line at the median."""
    left, right, top, bottom = 150, 20, 10, 40
    lane = 44
    width = WIDTH
    height = top + bottom + lane * max(len(rows), 1)
    plot = width - left - right
    with_data = [r for r in rows if r.median is not None]
    maximum = max((r.p90 / DAYS_PER_MONTH for r in with_data), default=0)
    scale = ticks(maximum)
    scale_max = scale[-1] or 1

    def x(days):
        return left + plot * (days / DAYS_PER_MONTH) / scale_max

    def months(days):
        return label_number(days / DAYS_PER_MONTH)

    rects, lines, labels, marks = [], [], [], []
    for tick in scale:
        lines.append(
            Line(left + plot * tick / scale_max, top, left + plot * tick / scale_max, height - bottom, "#dddddd")
        )
        labels.append(Label(left + plot * tick / scale_max, height - bottom + 16, label_number(tick)))
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
                    % {"phase": row.label, "median": months(row.median), "q1": months(row.q1), "q3": months(row.q3)}
                ),
            )
        )
        marks.append(Line(x(row.median), y - 12, x(row.median), y + 12, BLUE, 3))
    lines.append(Line(left, height - bottom, width - right, height - bottom))
    return Chart(width, height, rects, lines, labels, empty=not with_data, marks=marks)


def quarter_chart(rows, axis: str = "") -> Chart:
    """Stacked bars: decisions per quarter, by outcome, on a scale of whole decisions. The quarters share the
    plot's width (bars at most 56 px wide, centred in their quarter); each quarter is labelled under its bar,
    "T1 2026" when there is room, else "T1" with the year under each year's first quarter; past about 25 quarters
    the chart grows wider than the page and scrolls."""
    left, right, top, bottom = 40, 10, 26, 44
    height = 270
    plot_height = height - top - bottom
    slot = slots(len(rows), WIDTH - left - right, 28, 160)
    bar = min(slot * 0.6, 56)
    width = max(WIDTH, left + right + len(rows) * slot)
    start = left + (width - left - right - len(rows) * slot) / 2
    scale = count_ticks(max((r.decisions for r in rows), default=0))
    scale_max = scale[-1]
    rects, lines, labels = [], [], []
    for tick in scale:
        y = top + plot_height * (1 - tick / scale_max)
        lines.append(Line(left, y, width - right, y, "#dddddd"))
        labels.append(Label(left - 4, y + 4, label_number(tick), "end"))
    labels.append(Label(4, 12, axis or str(_("Décisions")), "start"))  # the axis: decisions, unless told
    used = set()
    full_labels = slot >= 64
    for i, row in enumerate(rows):
        centre = start + (i + 0.5) * slot
        y = top + plot_height
        for outcome in Outcome:
            n = row.outcomes.get(outcome.value, 0)
            if not n:
                continue
            used.add(outcome.value)
            h = plot_height * n / scale_max
            y -= h
            rects.append(
                Rect(
                    centre - bar / 2,
                    y,
                    bar,
                    h,
                    OUTCOME_COLOURS[outcome],
                    str(
                        _("%(quarter)s — %(outcome)s : %(n)d")
                        % {"quarter": row.label, "outcome": outcome.label, "n": n}
                    ),
                )
            )
        if full_labels:
            labels.append(Label(centre, height - bottom + 16, row.label))
        else:
            labels.append(Label(centre, height - bottom + 16, row.short_label, size=11))
            if row.quarter == 1 or i == 0:
                labels.append(Label(centre - slot / 2 + 2, height - bottom + 32, str(row.year), "start"))
    lines.append(Line(left, top + plot_height, width - right, top + plot_height))
    legend = [(OUTCOME_COLOURS[o], str(o.label)) for o in Outcome if o.value in used]
    chart = Chart(width, height, rects, lines, labels, empty=not rows, wide=width > WIDE)
    return _with_legend(chart, legend)


def budget_chart(rows) -> Chart:
    """Stacked bars: thousands of euros granted per quarter, by outcome (selectors.budget_by_quarter; the table
    under the chart gives the euros)."""
    in_thousands = [
        dataclasses.replace(row, outcomes={k: round(v / 1000) for k, v in row.outcomes.items()}) for row in rows
    ]
    return quarter_chart(in_thousands, axis=str(_("milliers d'euros")))
