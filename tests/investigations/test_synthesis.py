import datetime
import html
import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from investigations.synthesis import investigation_synthesis, synthesis_report

from .factories import (
    HypothesisFactory,
    InsightFactory,
    InterviewFactory,
    InvestigationFactory,
    QuoteFactory,
    TagFactory,
    TargetGroupFactory,
    member,
)

pytestmark = pytest.mark.django_db

START = datetime.date(2024, 1, 1)  # a Monday


def d(day):
    return START + datetime.timedelta(days=day)


@pytest.fixture
def investigation():
    """Nine interviews, hand-counted:
    Agents 5 (intensities 0, 1, 2, 3, 3), Usagers 3 (0, 0, 1), Élus 0, one without group (2)."""
    investigation = InvestigationFactory(started_on=START, planned_end=datetime.date(2024, 3, 4), interview_goal=10)
    agents = TargetGroupFactory(investigation=investigation, name="Agents")
    usagers = TargetGroupFactory(investigation=investigation, name="Usagers")
    TargetGroupFactory(investigation=investigation, name="Élus")
    delais, ressaisie = TagFactory(name="délais"), TagFactory(name="ressaisie")
    for day, group, level, tags in [
        (1, agents, 0, [delais]),
        (4, agents, 2, [delais, ressaisie]),
        (15, agents, 3, [delais, ressaisie]),
        (16, agents, 3, [delais]),
        (17, agents, 1, []),
        (18, usagers, 0, []),
        (22, usagers, 0, []),
        (23, usagers, 1, []),
        (24, None, 2, []),
    ]:
        InterviewFactory(investigation=investigation, date=d(day), target_group=group, intensity=level, tags=tags)
    HypothesisFactory.create_batch(2, investigation=investigation)
    HypothesisFactory(investigation=investigation, status="validee")
    return investigation


# The fixture's figures, counted by hand: 3 of 9 interviews found no problem (intensity 0), 0.333.
HAND_COUNT = {
    "interviews": 9,
    "no_problem_share": 0.333,
    "by_intensity": {"0": 3, "1": 2, "2": 2, "3": 2},
    "by_target_group": {
        "Agents": {"interviews": 5, "by_intensity": {"0": 1, "1": 1, "2": 1, "3": 2}},
        "Usagers": {"interviews": 3, "by_intensity": {"0": 2, "1": 1, "2": 0, "3": 0}},
        "Élus": {"interviews": 0, "by_intensity": {"0": 0, "1": 0, "2": 0, "3": 0}},
        "(sans groupe cible)": {"interviews": 1, "by_intensity": {"0": 0, "1": 0, "2": 1, "3": 0}},
    },
    "tags": {"délais": 4, "ressaisie": 2},
    "hypotheses": {"a_tester": 2, "validee": 1, "invalidee": 0},
    "rituals": [],
}


def test_synthesis_numbers_match_the_hand_count(investigation):
    assert investigation_synthesis(investigation) == HAND_COUNT


def test_an_investigation_without_interviews_has_a_zero_share():
    data = investigation_synthesis(InvestigationFactory())
    assert (data["interviews"], data["no_problem_share"]) == (0, 0.0)


def test_coverage_against_the_goal_and_the_doctrine(investigation):
    report = synthesis_report(investigation, today=datetime.date(2024, 2, 20))
    assert (report["goal_percent"], report["goal_missing"]) == (90, 1)
    assert (report["groups_meeting_doctrine"], report["named_group_count"]) == (0, 3)
    assert {g["name"]: g["missing_for_doctrine"] for g in report["groups"]}["Agents"] == 2


def test_interviews_per_week_start_on_monday_and_include_empty_weeks(investigation):
    report = synthesis_report(investigation, today=datetime.date(2024, 2, 20))
    weeks = [(week["start"], week["n"]) for week in report["weeks"]]
    assert weeks[:5] == [(d(0), 2), (d(7), 0), (d(14), 4), (d(21), 3), (d(28), 0)]
    assert weeks[-1][0] == datetime.date(2024, 2, 19)
    assert sum(n for _start, n in weeks) == 9


def test_health_signals_silence_and_thin_groups(investigation):
    signals = synthesis_report(investigation, today=datetime.date(2024, 2, 20))["health"]
    assert "Aucun entretien depuis 3 semaines (dernier le 25/01/2024)." in signals
    assert "Le groupe « Usagers » ne compte que 3 entretiens (moins de 5)." in signals
    assert "Le groupe « Élus » n'a encore aucun entretien (il en faut au moins 5)." in signals
    assert not any("Agents" in signal for signal in signals)
    assert not any("fin prévue" in signal for signal in signals)


def test_health_signal_past_the_planned_end(investigation):
    signals = synthesis_report(investigation, today=datetime.date(2024, 3, 10))["health"]
    assert "L'investigation a dépassé sa fin prévue (04/03/2024) de 6 jours." in signals


def test_a_suspended_investigation_does_not_raise_time_alerts(investigation):
    investigation.status = "suspendue"
    investigation.ended_on = datetime.date(2024, 2, 1)
    investigation.save()
    signals = synthesis_report(investigation, today=datetime.date(2024, 6, 1))["health"]
    assert not any("fin prévue" in s or "Aucun entretien depuis" in s for s in signals)


def test_insights_are_ranked_by_distinct_interviewees(investigation):
    agents = list(investigation.interviews.filter(target_group__name="Agents").order_by("date"))
    weak = InsightFactory(investigation=investigation, statement="Faible")
    weak.interviews.add(agents[0])
    strong = InsightFactory(investigation=investigation, statement="Fort")
    strong.interviews.add(agents[0], agents[1])
    strong.quotes.add(QuoteFactory(interview=agents[2]), QuoteFactory(interview=agents[0]))
    ranked = [(i.statement, i.support) for i in synthesis_report(investigation)["insights"]]
    assert ranked == [("Fort", 3), ("Faible", 1)]


def test_the_page_shows_an_accessible_chart_with_its_table(client, investigation):
    client.force_login(member(investigation.startup))
    with time_machine.travel(datetime.datetime(2024, 2, 20, 12, tzinfo=datetime.UTC), tick=False):
        response = client.get(reverse("investigations:synthesis", kwargs={"pk": investigation.pk}))
    page = html.unescape(response.content.decode())
    assert 'role="img" aria-labelledby="graphique-title graphique-desc"' in page
    assert '<title id="graphique-title">' in page
    assert "<script" not in page.split("<main")[1].split("</main>")[0]
    row = page.split('<th scope="row">Agents</th>')[1].split("</tr>")[0]
    assert [cell.strip() for cell in row.replace("<td>", "|").replace("</td>", "").split("|")[1:5]] == [
        "1",
        "1",
        "1",
        "2",
    ]
    assert "33,3 %" in page
    assert "Aucun entretien depuis 3 semaines (dernier le 25/01/2024)." in page
    assert "Le groupe « Élus » n'a encore aucun entretien (il en faut au moins 5)." in page


def test_the_page_offers_the_synthesis_as_json(client, investigation):
    client.force_login(member(investigation.startup))
    response = client.get(reverse("investigations:synthesis_json", kwargs={"pk": investigation.pk}))
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content) == HAND_COUNT


def test_export_synthesis_prints_the_latest_investigation_of_the_startup(investigation):
    older = InvestigationFactory(
        startup=investigation.startup, started_on=datetime.date(2022, 1, 1), status="suspendue"
    )
    InterviewFactory(investigation=older, date=datetime.date(2022, 1, 3), intensity=0)
    out = io.StringIO()
    call_command("export_synthesis", investigation.startup.slug, stdout=out)
    data = json.loads(out.getvalue())
    assert data["interviews"] == 9
    assert data["no_problem_share"] == 0.333
    assert data["by_intensity"] == {"0": 3, "1": 2, "2": 2, "3": 2}


def test_export_synthesis_lists_the_rituals_held_with_their_date_and_notes(investigation):
    # Recorded directly: the fixture's investigation started in 2024, its rituals are in the past.
    investigation.rituals.create(kind="mi_parcours", date=datetime.date(2024, 2, 12), notes="Point avec le sponsor.")
    investigation.rituals.create(kind="lancement", date=datetime.date(2024, 1, 2))
    out = io.StringIO()
    call_command("export_synthesis", investigation.startup.slug, stdout=out)
    assert json.loads(out.getvalue())["rituals"] == [
        {"kind": "lancement", "date": "2024-01-02", "notes": ""},
        {"kind": "mi_parcours", "date": "2024-02-12", "notes": "Point avec le sponsor."},
    ]


def test_export_synthesis_names_a_startup_without_investigation():
    from tests.products.factories import StartupFactory

    startup = StartupFactory(slug="sans-investigation")
    with pytest.raises(CommandError, match="sans-investigation"):
        call_command("export_synthesis", startup.slug)
