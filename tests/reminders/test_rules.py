"""Each reminder rule on a frozen day (Monday 3 March 2025): who gets what, and when not."""

import datetime

import pytest

from committees.enums import ConditionStatus
from products.models import Startup
from reminders.enums import ReminderKind
from reminders.services import reminders_pending
from tests.committees.factories import ConditionFactory, DecisionFactory, closed_review, planned_review
from tests.investigations.factories import InterviewFactory, InvestigationFactory
from tests.products.factories import EventFactory

from .conftest import TODAY, days

pytestmark = pytest.mark.django_db

TEAM = {"coach@example.org", "intra@example.org"}


def pending(kind=None, today=TODAY):
    """{(kind, startup, recipient)} due on `today`, for one kind or all but the digest."""
    return {
        (o.due.kind, o.due.startup.name if o.due.startup else None, o.recipient.email)
        for o in reminders_pending(today=today)
        if (o.due.kind == kind if kind else o.due.kind != ReminderKind.DIGEST)
    }


def to_team(kind):
    return {(kind, "Répit Aidants", email) for email in TEAM}


def test_a_quiet_startup_gets_no_reminder(team):
    assert pending() == set()


# --- Committee due in 45 and 30 days -----------------------------------------------------------
@pytest.mark.parametrize(
    ("ahead", "kind"),
    [(46, None), (45, ReminderKind.COMMITTEE_45), (31, ReminderKind.COMMITTEE_45), (30, ReminderKind.COMMITTEE_30)],
)
def test_a_planned_committee_is_announced_45_then_30_days_ahead_to_team_and_coach(team, ahead, kind):
    planned_review(team["startup"], days(ahead))
    expected = to_team(kind) if kind else set()
    assert pending(ReminderKind.COMMITTEE_45) | pending(ReminderKind.COMMITTEE_30) == expected


def test_the_committee_the_last_decision_expects_is_announced_when_none_is_planned(team):
    DecisionFactory(review=closed_review(team["startup"], days(-150)), next_committee_on=days(40))
    [outgoing, *_] = [o for o in reminders_pending(today=TODAY) if o.due.kind == ReminderKind.COMMITTEE_45]
    assert pending(ReminderKind.COMMITTEE_45) == to_team(ReminderKind.COMMITTEE_45)
    assert outgoing.due.about_date == days(40)
    assert outgoing.due.params == {"date": "2025-04-12", "planned": False}


def test_a_later_decision_that_expects_no_committee_silences_the_earlier_one(team):
    DecisionFactory(review=closed_review(team["startup"], days(-150)), next_committee_on=days(40))
    DecisionFactory(review=closed_review(team["startup"], days(-20)), next_committee_on=None)
    assert pending(ReminderKind.COMMITTEE_45) == set()


# --- Budget ending in 45 days with no committee planned ----------------------------------------
def _granted_until(startup, end):
    DecisionFactory(review=closed_review(startup, days(-140)), budget_period_start=days(-140), budget_period_end=end)


def test_a_budget_ending_in_45_days_with_no_committee_planned_is_announced(team):
    _granted_until(team["startup"], days(45))
    assert pending(ReminderKind.BUDGET_ENDING) == to_team(ReminderKind.BUDGET_ENDING)


@pytest.mark.parametrize("end", [46, -1])
def test_a_budget_ending_later_or_already_ended_is_not_announced(team, end):
    _granted_until(team["startup"], days(end))
    assert pending(ReminderKind.BUDGET_ENDING) == set()


def test_a_budget_ending_with_a_committee_planned_is_not_announced(team):
    _granted_until(team["startup"], days(20))
    planned_review(team["startup"], days(15))
    assert pending(ReminderKind.BUDGET_ENDING) == set()


# --- Conditions due in 7 days and overdue ------------------------------------------------------
def _condition(startup, due_on, **kwargs):
    return ConditionFactory(decision=DecisionFactory(review=closed_review(startup, days(-60))), due_on=due_on, **kwargs)


@pytest.mark.parametrize(("due", "kind"), [(8, None), (7, ReminderKind.CONDITION_DUE), (0, ReminderKind.CONDITION_DUE)])
def test_a_condition_due_within_7_days_is_announced(team, due, kind):
    _condition(team["startup"], days(due))
    assert pending(ReminderKind.CONDITION_DUE) == (to_team(kind) if kind else set())


def test_an_overdue_condition_is_announced_but_not_a_resolved_one(team):
    overdue = _condition(team["startup"], days(-1))
    _condition(team["startup"], days(-3), status=ConditionStatus.MET)
    [outgoing, _other] = [o for o in reminders_pending(today=TODAY) if o.due.kind == ReminderKind.CONDITION_OVERDUE]
    assert pending(ReminderKind.CONDITION_OVERDUE) == to_team(ReminderKind.CONDITION_OVERDUE)
    assert outgoing.due.object_id == overdue.pk
    assert outgoing.due.path == f"/comites/decisions/{overdue.decision_id}/"


# --- No interview for 14 days in an open investigation -----------------------------------------
@pytest.mark.parametrize(("last", "expected"), [(-14, True), (-13, False)])
def test_an_open_investigation_without_an_interview_for_14_days_is_announced(team, last, expected):
    investigation = InvestigationFactory(startup=team["startup"], started_on=days(-30))
    InterviewFactory(investigation=investigation, date=days(last))
    assert pending(ReminderKind.NO_INTERVIEW) == (to_team(ReminderKind.NO_INTERVIEW) if expected else set())


def test_a_suspended_investigation_is_not_announced(team):
    InvestigationFactory(startup=team["startup"], started_on=days(-60), status="suspendue")
    assert pending(ReminderKind.NO_INTERVIEW) == set()


# --- Data not updated for a year ----------------------------------------------------------------
def _untouched_since(startup, n_days):
    Startup.objects.filter(pk=startup.pk).update(
        updated_at=datetime.datetime(2025, 3, 3, 8, tzinfo=datetime.UTC) - datetime.timedelta(days=n_days),
        current_phase_start=days(-500),
    )


def test_a_startup_untouched_for_a_year_is_announced_about_its_last_activity(team):
    _untouched_since(team["startup"], 400)
    EventFactory(startup=team["startup"], date=days(-380))
    assert pending(ReminderKind.STALE) == to_team(ReminderKind.STALE)
    stale = [o for o in reminders_pending(today=TODAY) if o.due.kind == ReminderKind.STALE]
    assert {o.due.about_date for o in stale} == {days(-380)}


def test_a_recent_event_means_the_startup_is_not_stale(team):
    _untouched_since(team["startup"], 400)
    EventFactory(startup=team["startup"], date=days(-10))
    assert pending(ReminderKind.STALE) == set()


# --- The coaches' weekly digest -----------------------------------------------------------------
def test_each_coach_gets_a_weekly_digest_of_their_startups_needing_attention(team):
    _condition(team["startup"], days(-1))
    [digest] = [o for o in reminders_pending(today=TODAY) if o.due.kind == ReminderKind.DIGEST]
    assert digest.recipient == team["coach"]
    assert digest.due.about_date == TODAY
    assert digest.due.params == {
        "startups": [{"name": "Répit Aidants", "slug": "repit-aidants", "alerts": ["condition_overdue"]}]
    }
    # Later in the same week, it is still about this Monday: one digest a week.
    assert {o.due.about_date for o in reminders_pending(today=days(4)) if o.due.kind == ReminderKind.DIGEST} == {TODAY}


def test_a_coach_whose_startups_need_nothing_gets_no_digest(team):
    assert pending(ReminderKind.DIGEST) == set()
