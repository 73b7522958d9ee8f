"""Every page that draws a chart, in French and in English, parsed: the SVG's numbers are plain numbers whatever
the locale, counts are counted in whole numbers, labels are readable, ids are valid, and the quarters chart gives
its bars the room there is."""

import datetime
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
import time_machine
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from committees.enums import Outcome
from investigations.enums import InvestigationStatus
from portfolio import charts
from portfolio.selectors import QuarterRow
from products.enums import LIFECYCLE_RANK
from products.models import Phase
from public.services import results_publish
from tests.committees.factories import DecisionFactory, closed_review
from tests.investigations.factories import (
    InterviewFactory,
    InvestigationFactory,
    TargetGroupFactory,
    member,
)
from tests.products.factories import IncubatorFactory, StartupFactory

pytestmark = pytest.mark.django_db

D = datetime.date
SVG = "{http://www.w3.org/2000/svg}"
LONG_GROUP = "Agents d'accueil des mairies de moins de 2 000 habitants"
GROUPS = (LONG_GROUP, "Usagers", "Associations d'aide aux démarches")
NUMBER = r"-?\d+(?:\.\d+)?"
# Attributes holding one number (a length may be a percentage of the page's width).
ONE_NUMBER = {"x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "dx", "dy", "stroke-width", "font-size"}
LENGTHS = {"width", "height"}


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def history(*phases, startup=None):
    """A startup with its phases: (name, start); each phase ends where the next one starts."""
    startup = startup or StartupFactory()
    for i, (name, start) in enumerate(phases):
        end = phases[i + 1][1] if i + 1 < len(phases) else None
        Phase.objects.create(startup=startup, name=name, start=start, end=end, rank=LIFECYCLE_RANK[name])
    startup.refresh_current_phase()
    return startup


@pytest.fixture
def portfolio():
    """Like the demo: a startup investigated in 2020 (three target groups, one with a long name), built and
    accelerated since; a few others for the cohorts; at most two decisions a quarter over six quarters."""
    incubator = IncubatorFactory(slug="fabrique")
    startup = history(
        ("investigation", D(2020, 2, 3)),
        ("construction", D(2020, 7, 1)),
        ("acceleration", D(2021, 9, 1)),
        startup=StartupFactory(slug="mon-service", name="Mon service", incubator=incubator),
    )
    history(("investigation", D(2021, 3, 1)), ("abandon-investigation", D(2021, 7, 1)))
    history(("investigation", D(2022, 2, 1)), ("construction", D(2022, 6, 1)), ("abandon", D(2023, 2, 1)))
    history(("investigation", D(2023, 11, 6)), ("construction", D(2024, 3, 4)))
    investigation = InvestigationFactory(
        startup=startup,
        started_on=D(2020, 2, 3),
        planned_end=D(2020, 5, 4),
        ended_on=D(2020, 6, 29),
        status=InvestigationStatus.CONCLUANTE,
        interview_goal=1500,
    )
    for g, name in enumerate(GROUPS):
        group = TargetGroupFactory(investigation=investigation, name=name)
        for i in range(6 + 2 * g):
            InterviewFactory(
                investigation=investigation,
                target_group=group,
                intensity=(i + g) % 4,
                date=D(2020, 2, 4) + datetime.timedelta(days=5 * i + g),
            )
    for date, outcome in [
        (D(2025, 1, 20), Outcome.POURSUITE),
        (D(2025, 2, 20), Outcome.PIVOT),
        (D(2025, 8, 1), Outcome.ARRET),
        (D(2026, 1, 12), Outcome.POURSUITE_AVEC_RESERVES),
        (D(2026, 5, 4), Outcome.POURSUITE),
    ]:
        DecisionFactory(review=closed_review(date=date), outcome=outcome)
    user = member(startup)
    results_publish(investigation=investigation, by=user)
    return {"startup": startup, "investigation": investigation, "user": user}


def _get(client, portfolio, page, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    investigation = portfolio["investigation"]
    if page != "public":
        client.force_login(portfolio["user"])
    url = {
        "network": reverse("dashboard:network"),
        "timeline": reverse("dashboard:timeline", kwargs={"slug": portfolio["startup"].slug}),
        "synthesis": reverse("investigations:synthesis", kwargs={"pk": investigation.pk}),
        "public": reverse("public:investigation_results", kwargs={"pk": investigation.pk}),
    }[page]
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.references = [], []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id":
                self.ids.append(value or "")
            elif name in ("aria-labelledby", "aria-describedby"):
                self.references.extend((value or "").split())


def _svgs(page: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", page, flags=re.DOTALL)]


def _text(element) -> str:
    return " ".join(" ".join(element.itertext()).split())


def _chart_id(svg) -> str:
    return svg.find(f"{SVG}title").get("id")


def _assert_plain_numbers(svg):
    for element in svg.iter():
        where = f"<{element.tag.removeprefix(SVG)} {element.attrib}> in {_chart_id(svg)}"
        for name, value in element.attrib.items():
            if name in ONE_NUMBER:
                assert re.fullmatch(NUMBER, value), where
            elif name in LENGTHS:
                assert re.fullmatch(NUMBER + "%?", value), where
            elif name == "viewBox":
                assert re.fullmatch(rf"{NUMBER} {NUMBER} {NUMBER} {NUMBER}", value), where
            elif name == "points":
                assert re.fullmatch(rf"{NUMBER},{NUMBER}( {NUMBER},{NUMBER})*", value), where
            elif name == "d":
                assert all(re.fullmatch(NUMBER, n) for n in re.split(r"[\sA-Za-z]+", value) if n), where
            elif name == "transform":
                for arguments in re.findall(r"\(([^)]*)\)", value):
                    assert all(re.fullmatch(NUMBER, n) for n in arguments.split()), where


def _labels(svg) -> list[str]:
    return [_text(text) for text in svg.iter(f"{SVG}text")]


PAGES = {"network": 3, "timeline": 1, "synthesis": 2, "public": 1}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("page", list(PAGES))
def test_every_chart_parses_with_plain_numbers_whole_counts_readable_labels_and_valid_ids(
    client, portfolio, page, language
):
    html = _get(client, portfolio, page, language)
    svgs = _svgs(html)
    assert len(svgs) == PAGES[page]
    for svg in svgs:
        _assert_plain_numbers(svg)
        chart = _chart_id(svg)
        labels = _labels(svg)
        assert labels, chart
        for label in labels:
            assert not (re.search(r"[^\W\d_]", label) and len(label) < 2), f"{label!r} in {chart}"
        texts = labels + [_text(title) for title in svg.iter(f"{SVG}title")]
        decimal = r"\d\.\d" if language == "fr" else r"\d,\d{1,2}(?!\d)"
        assert not [t for t in texts if re.search(decimal, t)], chart
        if language == "en":  # no French punctuation: "Agents: 3", "25%"
            assert not [t for t in texts if re.search(r"\s[:;?!%]", t)], chart
        counts = not chart.startswith(("graphique-cohortes", "graphique-durees"))
        if counts:  # every number in a chart of counts is whole
            numbers = [label for label in labels if re.fullmatch(r"[\d\s.,]+", label)]
            assert numbers, chart
            assert all(re.fullmatch(r"\d+", n) for n in numbers), f"{numbers} in {chart}"
    parser = _Ids()
    parser.feed(html)
    for id_ in parser.ids:
        assert id_ and not re.search(r"\s", id_), repr(id_)
    assert len(parser.ids) == len(set(parser.ids))
    assert set(parser.references) <= set(parser.ids)
    # Other numbers in attributes are not localised either.
    for value in re.findall(r'\b(?:value|max|min)="([^"]*)"', html):
        assert not re.search(r"\d[\s,.\u202f\u00a0]\d{3}", value), value


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("page", ["synthesis", "public"])
def test_target_groups_are_named_in_full_on_the_intensity_chart(client, portfolio, page, language):
    svg = _svgs(_get(client, portfolio, page, language))[0]
    labels = " ".join(_labels(svg))
    for name in GROUPS:
        assert name in labels


@pytest.mark.parametrize("language", ["fr", "en"])
def test_timeline_years_are_plain_years_in_headings_and_ids(client, portfolio, language):
    html = _get(client, portfolio, "timeline", language)
    assert '<h2 class="fr-h3" id="annee-2020">2020</h2>' in html
    assert '<h2 class="fr-h3" id="annee-2021">2021</h2>' in html


@pytest.mark.parametrize(("language", "quarter"), [("fr", "T"), ("en", "Q")])
def test_the_quarters_chart_labels_each_quarter_and_sizes_its_bars(client, portfolio, language, quarter):
    svg = next(
        s for s in _svgs(_get(client, portfolio, "network", language)) if _chart_id(s) == "graphique-comites-title"
    )
    labels = _labels(svg)
    for label in ("1 2025", "2 2025", "3 2025", "4 2025", "1 2026", "2 2026"):
        assert f"{quarter}{label}" in labels
    bars = [rect for rect in svg.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert len(bars) == 5
    width = float(svg.get("viewBox").split()[2])
    for bar in bars:
        assert 24 <= float(bar.get("width")) <= 64
    # Six quarters share the plot: the bars spread over most of the width.
    xs = sorted(float(bar.get("x")) for bar in bars)
    assert xs[-1] - xs[0] > width / 2
    ticks = [label for label in labels if label.isdigit() and len(label) < 4]
    assert ticks == ["0", "1", "2"]
    assert {"fr": "Décisions", "en": "Decisions"}[language] in labels  # the vertical axis says what it counts


def _quarters(first_year, count, decisions):
    rows = []
    for i in range(count):
        year, q = first_year + i // 4, i % 4 + 1
        row = QuarterRow(year=year, quarter=q, sessions=0, outcomes={o.value: 0 for o in Outcome})
        row.outcomes[Outcome.POURSUITE.value] = decisions.get(i, 0)
        rows.append(row)
    return rows


def test_a_long_span_of_quarters_still_labels_each_quarter_and_each_year(settings):
    rows = _quarters(2011, 62, {3: 1, 61: 7})
    chart = charts.quarter_chart(rows)
    texts = [label.text for label in chart.labels]
    assert texts.count("T1") == texts.count("T2") == 16  # 2011 to 2026
    assert texts.count("T3") == texts.count("T4") == 15
    for year in range(2011, 2027):
        assert str(year) in texts
    bars = [rect for rect in chart.rects if rect.title]
    assert all(rect.width >= 14 for rect in bars)
    ticks = [text for text in texts if text.isdigit() and len(text) < 4]
    assert ticks == ["0", "2", "4", "6", "8"]
    # Wider than the page: it scrolls, and its numbers stay plain in French (width="1 756" would not parse).
    assert chart.wide and chart.width > 1000
    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override("fr"):
        html = render_to_string("includes/svg_chart.html", {"chart": chart, "chart_id": "c", "chart_title": "T"})
    (svg,) = _svgs(html)
    _assert_plain_numbers(svg)
    assert 'tabindex="0"' in html  # the scrolling region is reachable with the keyboard
