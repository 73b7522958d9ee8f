"""Every alert rule, on both sides of its threshold, with the clock frozen on 15 June 2026."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from committees.enums import ConditionStatus, Outcome
from investigations.enums import InvestigationStatus
from portfolio.selectors import DashboardFilters, filtered_startups, startup_alerts
from products.enums import MembershipRole
from products.models import Startup
from tests.committees.factories import ConditionFactory, DecisionFactory, closed_review, planned_review
from tests.investigations.factories import InterviewFactory, InvestigationFactory
from tests.products.factories import EventFactory, MembershipFactory, PhaseFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


def codes(startup) -> list[str]:
    return [alert.code for alert in startup_alerts(startup)]


def flagged(startup) -> bool:
    """Whether "à surveiller" on the whole network keeps this startup (the SQL side of the rules)."""
    watched = filtered_startups(user=UserFactory(), filters=DashboardFilters(watch=True), today=TODAY)
    return watched.filter(pk=startup.pk).exists()


def in_phase(name="construction", start=None):
    return PhaseFactory(name=name, start=start or day(-30)).startup


# --- Investigation past its planned end ---------------------------------------------------------
def test_open_investigation_past_its_planned_end_raises_an_alert():
    startup = in_phase("investigation")
    investigation = InvestigationFactory(startup=startup, started_on=day(-70), planned_end=day(-1))
    InterviewFactory(investigation=investigation, date=day(-2))
    assert "investigation_overdue" in codes(startup)
    assert flagged(startup)
    alert = next(a for a in startup_alerts(startup) if a.code == "investigation_overdue")
    assert "devait finir le 14/06/2026" in alert.detail
    assert "6 à 9 semaines" in alert.explanation


def test_investigation_ending_today_is_not_yet_late():
    startup = in_phase("investigation")
    investigation = InvestigationFactory(startup=startup, started_on=day(-63), planned_end=TODAY)
    InterviewFactory(investigation=investigation, date=day(-1))
    assert codes(startup) == []
    assert not flagged(startup)


def test_concluded_investigation_past_its_planned_end_raises_nothing():
    startup = in_phase("construction")
    InvestigationFactory(
        startup=startup, started_on=day(-200), planned_end=day(-137), status=InvestigationStatus.CONCLUANTE
    )
    assert "investigation_overdue" not in codes(startup)


# --- No interview for 14 days -------------------------------------------------------------------
def test_last_interview_fourteen_days_ago_raises_an_alert():
    startup = in_phase("investigation")
    investigation = InvestigationFactory(startup=startup, started_on=day(-40), planned_end=day(20))
    InterviewFactory(investigation=investigation, date=day(-14))
    assert codes(startup) == ["no_recent_interview"]
    assert flagged(startup)
    assert "Dernier entretien le 01/06/2026, il y a 2 semaines." in startup_alerts(startup)[0].detail


def test_interview_thirteen_days_ago_is_recent_enough():
    startup = in_phase("investigation")
    investigation = InvestigationFactory(startup=startup, started_on=day(-40), planned_end=day(20))
    InterviewFactory(investigation=investigation, date=day(-13))
    assert codes(startup) == []


def test_investigation_opened_fourteen_days_ago_without_interview_raises_an_alert():
    startup = in_phase("investigation")
    InvestigationFactory(startup=startup, started_on=day(-14), planned_end=day(49))
    assert codes(startup) == ["no_recent_interview"]
    assert "Aucun entretien saisi depuis l'ouverture" in startup_alerts(startup)[0].detail


def test_investigation_opened_last_week_has_time_for_its_first_interview():
    startup = in_phase("investigation")
    InvestigationFactory(startup=startup, started_on=day(-7), planned_end=day(56))
    assert codes(startup) == []


def test_suspended_investigation_without_interviews_raises_nothing():
    startup = in_phase("investigation")
    InvestigationFactory(startup=startup, started_on=day(-60), planned_end=day(3), status=InvestigationStatus.SUSPENDUE)
    assert codes(startup) == []


# --- More than 6 months since the last committee ------------------------------------------------
def test_last_committee_more_than_six_months_ago_raises_an_alert():
    startup = in_phase("construction", start=day(-400))
    DecisionFactory(review=closed_review(startup, day(-184)))
    assert codes(startup) == ["committee_overdue"]
    assert flagged(startup)
    assert "Dernier comité le 13/12/2025, il y a 6 mois." in startup_alerts(startup)[0].detail


def test_committee_exactly_six_months_ago_is_still_in_time():
    startup = in_phase("construction", start=day(-400))
    DecisionFactory(review=closed_review(startup, day(-183)))
    assert codes(startup) == []


def test_no_committee_since_a_phase_began_more_than_six_months_ago_raises_an_alert():
    startup = in_phase("acceleration", start=day(-200))
    DecisionFactory(review=closed_review(startup, day(-400)))
    assert codes(startup) == ["committee_overdue"]
    assert "Aucun comité depuis le début de la phase « Accélération »" in startup_alerts(startup)[0].detail


def test_a_phase_begun_three_months_ago_needs_no_committee_yet():
    startup = in_phase("construction", start=day(-90))
    DecisionFactory(review=closed_review(startup, day(-400)))
    assert codes(startup) == []


def test_stopped_startups_need_no_committee():
    startup = in_phase("abandon", start=day(-900))
    assert codes(startup) == []
    assert not flagged(startup)


# --- Budget period ends within 45 days with no committee planned -------------------------------
def test_budget_ending_in_45_days_without_a_planned_committee_raises_an_alert():
    startup = in_phase("construction")
    DecisionFactory(review=closed_review(startup, day(-30)), budget_period_start=day(-30), budget_period_end=day(45))
    assert codes(startup) == ["budget_ending"]
    assert flagged(startup)
    assert "se termine le 30/07/2026, dans 6 semaines" in startup_alerts(startup)[0].detail


def test_budget_ending_in_46_days_is_not_yet_a_worry():
    startup = in_phase("construction")
    DecisionFactory(review=closed_review(startup, day(-30)), budget_period_end=day(46))
    assert codes(startup) == []


def test_a_planned_committee_answers_the_end_of_the_budget():
    startup = in_phase("construction")
    DecisionFactory(review=closed_review(startup, day(-30)), budget_period_end=day(10))
    planned_review(startup, day(5))
    assert codes(startup) == []


def test_budget_already_ended_without_a_planned_committee_raises_an_alert():
    startup = in_phase("construction")
    DecisionFactory(review=closed_review(startup, day(-100)), budget_period_end=day(-10))
    alerts = startup_alerts(startup)
    assert [a.code for a in alerts] == ["budget_ending"]
    assert "s'est terminée le 05/06/2026" in alerts[0].detail


def test_the_latest_granted_period_counts_not_an_older_one():
    startup = in_phase("construction")
    DecisionFactory(review=closed_review(startup, day(-150)), budget_period_end=day(10))
    DecisionFactory(review=closed_review(startup, day(-20)), budget_period_end=day(160))
    assert codes(startup) == []


def test_the_budget_in_force_is_the_latest_decisions_even_when_an_older_one_ran_later():
    """Issue 15: a newer decision funding up to 20/12/2026 replaces an older one that ran to 03/01/2027."""
    startup = in_phase("construction", start=datetime.date(2026, 1, 5))
    DecisionFactory(
        review=closed_review(startup, datetime.date(2026, 1, 5)),
        budget_period_start=datetime.date(2026, 1, 5),
        budget_period_end=datetime.date(2027, 1, 3),
    )
    DecisionFactory(
        review=closed_review(startup, datetime.date(2026, 6, 1)),
        budget_period_start=datetime.date(2026, 6, 20),
        budget_period_end=datetime.date(2026, 12, 20),
    )
    # On 10/11/2026 the period in force ends in 40 days (the older one would still have run 54 days).
    with time_machine.travel(datetime.datetime(2026, 11, 10, 10, 0, tzinfo=datetime.UTC), tick=False):
        alerts = startup_alerts(startup)
        assert [a.code for a in alerts] == ["budget_ending"]
        assert "se termine le 20/12/2026, dans 5 semaines" in alerts[0].detail
        assert "03/01/2027" not in alerts[0].detail
        watched = filtered_startups(
            user=UserFactory(), filters=DashboardFilters(watch=True), today=datetime.date(2026, 11, 10)
        )
        assert watched.filter(pk=startup.pk).exists()


def test_budget_of_a_transferred_startup_raises_nothing():
    startup = in_phase("transfere")
    DecisionFactory(review=closed_review(startup, day(-20)), budget_period_end=day(5))
    assert codes(startup) == []


# --- Overdue condition --------------------------------------------------------------------------
def test_open_condition_past_its_due_date_raises_an_alert():
    startup = in_phase("construction")
    decision = DecisionFactory(review=closed_review(startup, day(-20)), outcome=Outcome.POURSUITE_AVEC_RESERVES)
    ConditionFactory(decision=decision, due_on=day(-1))
    assert codes(startup) == ["condition_overdue"]
    assert flagged(startup)
    assert startup_alerts(startup)[0].detail == "1 condition échue depuis le 14/06/2026."


def test_condition_due_today_is_not_overdue():
    startup = in_phase("construction")
    ConditionFactory(decision=DecisionFactory(review=closed_review(startup, day(-20))), due_on=TODAY)
    assert codes(startup) == []


def test_met_condition_past_its_due_date_raises_nothing():
    startup = in_phase("construction")
    ConditionFactory(
        decision=DecisionFactory(review=closed_review(startup, day(-20))), due_on=day(-5), status=ConditionStatus.MET
    )
    assert codes(startup) == []


# --- Intrapreneur below 60 % --------------------------------------------------------------------
def test_intrapreneur_below_sixty_percent_raises_an_alert():
    startup = in_phase("construction")
    MembershipFactory(startup=startup, role=MembershipRole.INTRAPRENEUR, time_share=59, user__full_name="Inès Intra")
    assert codes(startup) == ["intrapreneur_low_share"]
    assert flagged(startup)
    assert startup_alerts(startup)[0].detail == "Inès Intra : 59 % de son temps"


def test_intrapreneur_at_sixty_percent_is_enough():
    startup = in_phase("construction")
    MembershipFactory(startup=startup, role=MembershipRole.INTRAPRENEUR, time_share=60)
    assert codes(startup) == []


def test_former_intrapreneur_and_part_time_coach_raise_nothing():
    startup = in_phase("construction")
    MembershipFactory(startup=startup, role=MembershipRole.INTRAPRENEUR, time_share=20, start=day(-300), end=day(-30))
    MembershipFactory(startup=startup, role=MembershipRole.COACH, time_share=10)
    assert codes(startup) == []


# --- Nothing updated for a year -----------------------------------------------------------------
def stale_startup():
    startup = in_phase("construction", start=day(-500))
    DecisionFactory(review=closed_review(startup, day(-400)))
    Startup.objects.filter(pk=startup.pk).update(updated_at=datetime.datetime(2025, 5, 1, 12, 0, tzinfo=datetime.UTC))
    return Startup.objects.get(pk=startup.pk)


def test_startup_untouched_for_a_year_raises_an_alert():
    startup = stale_startup()
    assert "stale" in codes(startup)
    assert flagged(startup)
    alert = next(a for a in startup_alerts(startup) if a.code == "stale")
    assert alert.detail == "Dernière activité le 11/05/2025, il y a 1 an et 1 mois."  # the last decision


def test_an_event_this_year_shows_the_startup_is_alive():
    startup = stale_startup()
    EventFactory(startup=startup, date=day(-100))
    assert "stale" not in codes(startup)


def test_an_interview_this_year_shows_the_startup_is_alive():
    startup = stale_startup()
    InterviewFactory(investigation__startup=startup, investigation__started_on=day(-500), date=day(-300))
    assert "stale" not in codes(startup)


def test_a_recently_edited_sheet_shows_the_startup_is_alive():
    startup = stale_startup()
    Startup.objects.filter(pk=startup.pk).update(updated_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    assert "stale" not in codes(Startup.objects.get(pk=startup.pk))


def test_a_stopped_startup_is_allowed_to_sleep():
    startup = in_phase("abandon", start=day(-800))
    Startup.objects.filter(pk=startup.pk).update(updated_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    assert codes(Startup.objects.get(pk=startup.pk)) == []


# --- Where alerts are shown ---------------------------------------------------------------------
def test_dashboard_shows_each_alert_with_its_explanation_on_hover_and_in_words(client):
    startup = in_phase("construction")
    ConditionFactory(decision=DecisionFactory(review=closed_review(startup, day(-20))), due_on=day(-1))
    client.force_login(UserFactory(is_superuser=True))
    page = client.get(reverse("dashboard:home")).content.decode()
    assert 'title="Une condition posée par un comité' in page
    assert '<summary class="fr-text--sm">Pourquoi ?</summary>' in page
    assert "Condition échue" in page


def test_timeline_page_carries_the_alerts_panel(client):
    startup = in_phase("construction")
    MembershipFactory(startup=startup, role=MembershipRole.INTRAPRENEUR, time_share=40, user__full_name="Ana")
    client.force_login(UserFactory())
    page = client.get(reverse("dashboard:timeline", kwargs={"slug": startup.slug})).content.decode()
    assert "Intrapreneur·e &lt; 60 %" in page
    assert "Ana : 40 % de son temps" in page
