import datetime

import pytest
from django.core.exceptions import ValidationError

from committees import services
from committees.enums import SessionKind, SessionStatus
from tests.products.factories import IncubatorFactory, StartupFactory

from .factories import DecisionFactory

pytestmark = pytest.mark.django_db


def test_a_session_is_created_planned_with_its_members(incubator, staff, member, today):
    session = services.session_create(
        incubator=incubator, date=today, kind=SessionKind.SUIVI, members=[member], by=staff
    )
    assert session.status == SessionStatus.PLANNED
    assert list(session.members.all()) == [member]
    assert session.first_slot_at == datetime.time(9, 30)


def test_agenda_slots_follow_one_another_from_the_first_slot(session, make_startup, member):
    a, b, c = make_startup("Alpha"), make_startup("Bravo"), make_startup("Charlie")
    reviews = services.agenda_set(session=session, items=[(b, 50), (a, 30), (c, 50)], by=member)
    assert [review.startup for review in reviews] == [b, a, c]
    times = [datetime.time(9, 30), datetime.time(10, 20), datetime.time(10, 50)]
    assert [review.starts_at for review in reviews] == times
    assert reviews[0].ends_at == datetime.time(10, 20)


def test_a_default_slot_is_15_minutes_presentation_15_questions_20_deliberation(on_agenda, make_startup):
    (review,) = on_agenda(make_startup())
    assert review.duration_minutes == 50
    assert review.breakdown == {"presentation": 15, "questions": 15, "deliberation": 20}


def test_changing_the_first_slot_time_moves_every_slot(session, on_agenda, make_startup, member):
    on_agenda(make_startup("Alpha"), make_startup("Bravo"))
    services.session_update(
        session=session,
        by=member,
        date=session.date,
        kind=session.kind,
        first_slot_at=datetime.time(14, 0),
        members=[member],
    )
    assert list(session.reviews.order_by("position").values_list("starts_at", flat=True)) == [
        datetime.time(14, 0),
        datetime.time(14, 50),
    ]


def test_reordering_the_agenda_keeps_the_teams_request(session, on_agenda, make_startup, member):
    alpha, bravo = make_startup("Alpha"), make_startup("Bravo")
    first, _second = on_agenda(alpha, bravo)
    services.review_request_update(review=first, by=member, requested_team="Deux développeurs")
    reviews = services.agenda_set(session=session, items=[(bravo, 50), (alpha, 50)], by=member)
    assert reviews[1].pk == first.pk
    assert reviews[1].requested_team == "Deux développeurs"
    assert reviews[1].starts_at == datetime.time(10, 20)


def test_a_startup_of_another_incubator_cannot_be_on_the_agenda(session, member):
    stranger = StartupFactory(name="Ailleurs", incubator=IncubatorFactory())
    with pytest.raises(ValidationError, match="n'est pas suivie par l'incubateur"):
        services.agenda_set(session=session, items=[(stranger, 50)], by=member)
    assert not session.reviews.exists()


def test_a_co_incubated_startup_can_be_on_the_agenda(session, member):
    startup = StartupFactory(incubator=IncubatorFactory())
    startup.co_incubators.add(session.incubator)
    (review,) = services.agenda_set(session=session, items=[(startup, 50)], by=member)
    assert review.startup == startup


def test_a_startup_cannot_be_twice_on_the_agenda(session, make_startup, member):
    startup = make_startup()
    with pytest.raises(ValidationError, match="figure deux fois"):
        services.agenda_set(session=session, items=[(startup, 50), (startup, 30)], by=member)


def test_a_slot_must_last_a_sensible_number_of_minutes(session, make_startup, member):
    with pytest.raises(ValidationError, match="entre 5 et 240 minutes"):
        services.agenda_set(session=session, items=[(make_startup(), 0)], by=member)


def test_a_decided_startup_cannot_leave_the_agenda(session, on_agenda, make_startup, member):
    alpha, bravo = make_startup("Alpha"), make_startup("Bravo")
    first, _ = on_agenda(alpha, bravo)
    DecisionFactory(review=first)
    with pytest.raises(ValidationError, match="Alpha.*ne peut plus quitter"):
        services.agenda_set(session=session, items=[(bravo, 50)], by=member)
    assert session.reviews.count() == 2


def test_holding_a_session_moves_it_from_planned_to_held_once(session, member):
    services.session_hold(session=session, by=member)
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    with pytest.raises(ValidationError, match="Seule une séance planifiée"):
        services.session_hold(session=session, by=member)


def test_closing_names_every_startup_still_missing_a_decision(session, on_agenda, make_startup, member):
    first, _, _ = on_agenda(make_startup("Alpha"), make_startup("Bravo"), make_startup("Charlie"))
    DecisionFactory(review=first)
    with pytest.raises(ValidationError) as error:
        services.session_close(session=session, by=member)
    assert "décision manquante pour « Bravo », « Charlie »" in error.value.messages[0]
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED


def test_an_empty_session_cannot_be_closed(session, member):
    with pytest.raises(ValidationError, match="L'ordre du jour est vide"):
        services.session_close(session=session, by=member)


def test_closing_a_fully_decided_session_records_when_and_who(session, on_agenda, make_startup, member):
    (review,) = on_agenda(make_startup())
    DecisionFactory(review=review)
    services.session_close(session=session, by=member)
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    assert session.closed_at is not None
    assert session.closed_by == member


def test_nobody_changes_a_closed_session(session, on_agenda, make_startup, member):
    (review,) = on_agenda(make_startup())
    DecisionFactory(review=review)
    services.session_close(session=session, by=member)
    with pytest.raises(ValidationError, match="Cette séance est close"):
        services.session_update(
            session=session,
            by=member,
            date=session.date,
            kind=session.kind,
            first_slot_at=session.first_slot_at,
            members=[],
        )
    with pytest.raises(ValidationError, match="Cette séance est close"):
        services.agenda_set(session=session, items=[], by=member)
    with pytest.raises(ValidationError, match="Cette séance est close"):
        services.session_close(session=session, by=member)
    assert session.members.get() == member


def test_the_date_cannot_change_once_decisions_are_recorded(session, on_agenda, make_startup, member, today):
    (review,) = on_agenda(make_startup())
    DecisionFactory(review=review)
    with pytest.raises(ValidationError, match="sa date ne peut plus changer"):
        services.session_update(
            session=session,
            by=member,
            date=today - datetime.timedelta(days=1),
            kind=session.kind,
            first_slot_at=session.first_slot_at,
            members=[member],
        )


def test_the_teams_request_is_locked_once_the_session_is_held(session, on_agenda, make_startup, member):
    (review,) = on_agenda(make_startup())
    services.review_request_update(review=review, by=member, requested_budget_eur=180_000)
    services.session_hold(session=session, by=member)
    with pytest.raises(ValidationError, match="La séance s'est tenue"):
        services.review_request_update(review=review, by=member, requested_budget_eur=900_000)
    review.refresh_from_db()
    assert review.requested_budget_eur == 180_000
    assert review.request_updated_by == member
