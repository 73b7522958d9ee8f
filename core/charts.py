"""The shapes of a chart drawn on the server as SVG, and the helpers every chart shares.

A chart is rectangles, lines and labels in a fixed viewBox; `templates/includes/svg_chart.html` draws any chart,
and writes each of its numbers through `svg_number` (core.templatetags.charts): in an SVG attribute a number is
never localised (`y="67,5"` or `width="1 200"` would not parse), whatever the language of the page. Labels are
text: they may be localised (`label_number`). Every chart is followed on its page by its data table or a text
alternative.
"""

import dataclasses
import datetime
import math
import re
import textwrap

from django.utils import formats
from django.utils.translation import gettext as _

from .durations import short_date

TEXT = "#3a3a3a"
BLUE = "#000091"
# A chart wider than this keeps its width and scrolls sideways rather than shrink until it cannot be read.
WIDE = 760


@dataclasses.dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str = ""
    stroke: str = ""
    stroke_width: float = 0


@dataclasses.dataclass
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = TEXT
    width: float = 1


@dataclasses.dataclass
class Label:
    """A text; `lines` (when given) are its successive lines, `line_height` apart, the first at `y`."""

    x: float
    y: float
    text: str
    anchor: str = "middle"
    size: int = 12
    fill: str = TEXT
    bold: bool = False
    lines: list[str] = dataclasses.field(default_factory=list)
    line_height: float = 15


@dataclasses.dataclass
class Chart:
    width: float
    height: float
    rects: list[Rect]
    lines: list[Line]
    labels: list[Label]
    legend: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (colour, label)
    empty: bool = False
    marks: list[Line] = dataclasses.field(default_factory=list)  # drawn over the bars
    # Drawn at its own width and scrolled sideways when wider than the page, rather than shrunk until its labels
    # cannot be read (many quarters, many weeks).
    wide: bool = False


def svg_number(value) -> str:
    """A number as an SVG attribute takes it: digits, a point, at most two decimals, no separator ("1200",
    "67.5", "-3"), in every language."""
    number = round(float(value), 2)
    if number == int(number):
        return str(int(number))
    return f"{number:.2f}".rstrip("0")


def label_number(value: float, decimals: int = 1) -> str:
    """A number as a label shows it, in the page's language ("0,5" in French, "0.5" in English); whole numbers
    without decimals."""
    value = round(float(value), decimals)
    if value == int(value):
        return formats.number_format(int(value), use_l10n=True)
    return formats.number_format(value, decimals, use_l10n=True)


def ticks(maximum: float, count: int = 5) -> list[float]:
    """Round ticks from 0 to at least `maximum`, about `count` steps (1, 2, 2.5 or 5 times a power of ten)."""
    if maximum <= 0:
        return [0]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [i * step for i in range(int(math.ceil(maximum / step - 1e-9)) + 1)]


def count_ticks(maximum: int, count: int = 5) -> list[int]:
    """Ticks for counts: whole numbers only (0, 1, 2 rather than 0, 0.5, 1, 1.5, 2), from 0 to at least
    `maximum` (at least 1)."""
    maximum = max(int(math.ceil(maximum)), 1)
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if math.ceil(maximum / step) <= count:
                return list(range(0, step * math.ceil(maximum / step) + 1, step))
        magnitude *= 10


def wrap(text: str, width: int) -> list[str]:
    """`text` on lines of at most `width` characters, cut between words (a longer word keeps its own line) but
    never inside a number ("2 000")."""
    glue = "\ue000"
    text = re.sub(r"(?<=\d) (?=\d)", glue, str(text))
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]
    return [line.replace(glue, " ") for line in lines]


def slots(count: int, plot: float, minimum: float, maximum: float) -> float:
    """The width each of `count` bars (or groups of bars) gets: an equal share of `plot`, never narrower than
    `minimum` (the chart then grows wider than `plot`) nor wider than `maximum`."""
    return min(max(plot / max(count, 1), minimum), maximum)


def weeks_chart(weeks: list[tuple[datetime.date, int]]) -> Chart:
    """Small bars: interviews per week (Monday, count) of an investigation, for its synthesis and its startup's
    timeline. A few weeks get bars up to 24 px wide; past about 45 weeks the chart grows wider and scrolls."""
    left, right, top, bottom = 28, 6, 22, 18
    height = 106
    plot_height = height - top - bottom
    slot = slots(len(weeks), 480 - left - right, 10, 28)
    width = max(left + right + len(weeks) * slot, 200)
    maximum = max((n for _monday, n in weeks), default=0)
    scale_max = maximum or 1
    rects, lines, labels = [], [], []
    labels.append(Label(left - 4, top + 8, label_number(maximum), "end"))
    labels.append(Label(left - 4, top + plot_height, "0", "end"))
    labels.append(Label(4, 12, _("Entretiens"), "start"))  # the axis: interviews
    for i, (monday, n) in enumerate(weeks):
        h = plot_height * n / scale_max
        title = _("Semaine du %(date)s : %(n)d") % {"date": short_date(monday), "n": n}
        rects.append(
            Rect(left + i * slot + 1, top + plot_height - h, slot - 4 if slot > 12 else slot - 2, h, BLUE, title)
        )
    lines.append(Line(left, top + plot_height, width - right, top + plot_height))
    if weeks:
        labels.append(Label(left, height - 4, short_date(weeks[0][0]), "start"))
        if len(weeks) > 12:
            labels.append(Label(width - right, height - 4, short_date(weeks[-1][0]), "end"))
    return Chart(width, height, rects, lines, labels, empty=not maximum, wide=width > WIDE)
