"""The lifecycles of sessions and decisions are tables (committees.models.SESSION_WORKFLOW, DECISION_WORKFLOW):
what each state allows, written out by hand, and the services refusing what the table refuses."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from committees import rules, services
from committees.enums import Outcome, SessionStatus
from committees.models import DECISION_WORKFLOW, SESSION_WORKFLOW, DecisionState

from .factories import CommitteeSessionFactory, DecisionFactory, ImportedDecisionFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "moves"),
    [
        (SessionStatus.PLANNED, ["hold", "close", "edit", "decide", "documents", "edit_request"]),
        (SessionStatus.HELD, ["close", "edit", "decide", "documents"]),
        (SessionStatus.CLOSED, []),
    ],
)
def test_each_session_status_allows_exactly_its_moves(status, moves):
    assert SESSION_WORKFLOW.available(status) == moves


@pytest.mark.parametrize(
    ("state", "moves"),
    [(DecisionState.OPEN, ["update"]), (DecisionState.MINUTED, ["amend"]), (DecisionState.IMPORTED, ["amend"])],
)
def test_a_decision_is_updated_while_its_session_is_open_and_amended_afterwards(state, moves):
    assert DECISION_WORKFLOW.available(state) == moves


def test_a_held_session_cannot_be_held_again(session, member):
    services.session_hold(session=session, by=member)
    with pytest.raises(ValidationError, match="Seule une séance planifiée peut être marquée comme tenue"):
        services.session_hold(session=session, by=member)


def test_a_closed_session_refuses_a_new_date_a_new_agenda_and_a_second_closing(incubator, member, today):
    session = CommitteeSessionFactory(incubator=incubator, date=today, status=SessionStatus.CLOSED)
    closed = "Cette séance est close : elle ne peut plus être modifiée."
    with pytest.raises(ValidationError, match=closed):
        services.session_update(
            session=session, by=member, date=today, kind=session.kind, first_slot_at=datetime.time(10, 0)
        )
    with pytest.raises(ValidationError, match=closed):
        services.agenda_set(session=session, items=[], by=member)
    with pytest.raises(ValidationError, match=closed):
        services.session_close(session=session, by=member)
    session.refresh_from_db()
    assert session.first_slot_at == datetime.time(9, 30)


def test_a_decision_cannot_be_recorded_in_a_closed_session(incubator, make_startup, member, today):
    session = CommitteeSessionFactory(incubator=incubator, date=today, status=SessionStatus.CLOSED)
    review = ReviewFactory(session=session, startup=make_startup())
    with pytest.raises(ValidationError, match="aucune décision ne peut plus y être enregistrée"):
        services.decision_record(
            no_evidence_reason="Décision sans preuve (test)",
            review=review,
            outcome=Outcome.POURSUITE,
            by=member,
            rationale="Objectifs atteints.",
        )
    assert not hasattr(review, "decision")


def test_the_team_request_is_locked_once_the_session_is_held(session, on_agenda, make_startup, member):
    (review,) = on_agenda(make_startup())
    services.session_hold(session=session, by=member)
    with pytest.raises(ValidationError, match="La séance s'est tenue"):
        services.review_request_update(review=review, by=member, requested_team="2 devs")
    review.refresh_from_db()
    assert review.requested_team == ""


def test_an_imported_decision_is_not_updated_but_amended(member):
    decision = ImportedDecisionFactory()
    with pytest.raises(ValidationError, match="historique importé de beta.gouv.fr"):
        services.decision_update(decision=decision, by=member, outcome=Outcome.POURSUITE, rationale="Corrigée.")
    decision.refresh_from_db()
    assert decision.rationale == "Poursuite"


def test_a_decision_of_an_open_session_is_not_amended_but_updated(member):
    decision = DecisionFactory()
    with pytest.raises(ValidationError, match="modifiez directement la décision, sans amendement"):
        services.decision_amend(decision=decision, by=member, reason="Erreur de saisie.", rationale="Corrigée.")
    assert not decision.amendments.exists()


@pytest.mark.parametrize("outcome", [Outcome.POURSUITE, Outcome.PIVOT, Outcome.ARRET])
def test_only_reserves_need_a_condition(outcome):
    rules.reserves_have_a_condition(outcome, has_conditions=False)


def test_reserves_without_a_condition_are_refused_and_with_one_accepted():
    with pytest.raises(ValidationError, match="Une poursuite avec réserves demande au moins une condition"):
        rules.reserves_have_a_condition(Outcome.POURSUITE_AVEC_RESERVES, has_conditions=False)
    rules.reserves_have_a_condition(Outcome.POURSUITE_AVEC_RESERVES, has_conditions=True)


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (None, datetime.date(2027, 2, 28)),
        (Outcome.POURSUITE, datetime.date(2027, 2, 28)),
        (Outcome.PROLONGATION_PROVISOIRE, datetime.date(2026, 10, 31)),
        (Outcome.ARRET, None),
        (Outcome.INVESTIGATION_NON_CONCLUANTE, None),
    ],
)
def test_the_next_committee_follows_the_cadence_from_the_end_of_a_month(outcome, expected):
    assert services.suggested_next_committee(outcome=outcome, on=datetime.date(2026, 8, 31)) == expected
