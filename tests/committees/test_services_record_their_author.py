"""Every committee service that takes `by` records it: the session's and the agenda's history name who
changed them (issue 13, item 4)."""

from committees import services
from committees.enums import SessionKind
from committees.models import CommitteeSession, Review
from tests.products.factories import UserFactory


def _last_author(model, **filters):
    return model.history.filter(**filters).order_by("-history_id").first().history_user


def test_creating_and_changing_a_session_names_its_author(incubator, staff, member, today):
    session = services.session_create(incubator=incubator, date=today, kind=SessionKind.INVESTISSEMENT, by=staff)
    assert _last_author(CommitteeSession, id=session.pk) == staff
    other = UserFactory(full_name="Dominique Staff")
    incubator.staff.add(other)
    services.session_update(
        session=session, by=other, date=today, kind=SessionKind.INVESTISSEMENT, first_slot_at=session.first_slot_at
    )
    assert _last_author(CommitteeSession, id=session.pk) == other


def test_seating_members_is_recorded_with_who_did_it(session, staff, member):
    before = session.history.count()
    services.session_members_set(session=session, members=[member, staff], by=staff)
    assert session.history.count() == before + 1
    assert _last_author(CommitteeSession, id=session.pk) == staff
    assert set(session.members.all()) == {member, staff}


def test_the_agenda_records_who_put_a_startup_on_it_and_who_took_it_off(session, staff, make_startup):
    first, second = make_startup("Alpha"), make_startup("Bravo")
    services.agenda_set(session=session, items=[(first, 50), (second, 30)], by=staff)
    review = Review.objects.get(session=session, startup=second)
    assert review.history.get().history_user == staff
    remover = UserFactory(full_name="Camille Retrait")
    services.agenda_set(session=session, items=[(first, 50)], by=remover)
    deleted = Review.history.get(id=review.pk, history_type="-")
    assert deleted.history_user == remover


def test_holding_a_session_names_who_held_it(session, staff, make_startup):
    services.agenda_set(session=session, items=[(make_startup("Alpha"), 50)], by=staff)
    services.session_hold(session=session, by=staff)
    record = session.history.order_by("-history_id").first()
    assert (record.status, record.history_user) == ("held", staff)
