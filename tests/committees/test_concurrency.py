"""Two members recording the same decision at once yield one decision (OneToOne on the review, the
review and session rows locked, the IntegrityError of the loser turned into the winner's decision)."""

import threading

import pytest
from django.contrib.messages import get_messages
from django.db import connection, connections
from django.urls import reverse

from committees import services
from committees.enums import Outcome
from committees.models import Decision
from tests.products.factories import UserFactory

RATIONALE = "Le problème est réel."


@pytest.mark.django_db
def test_recording_a_decision_twice_yields_one_decision_and_returns_the_first(session, on_agenda, make_startup, member):
    startup = make_startup(phase="investigation")
    (review,) = on_agenda(startup)
    other_member = UserFactory()
    session.members.add(other_member)
    first = services.decision_record(
        no_evidence_reason="Décision sans preuve (test)",
        review=review,
        outcome=Outcome.PASSAGE_EN_CONSTRUCTION,
        by=member,
        rationale=RATIONALE,
    )
    with pytest.raises(services.DecisionAlreadyRecorded) as already:
        services.decision_record(
            no_evidence_reason="Décision sans preuve (test)",
            review=review,
            outcome=Outcome.PASSAGE_EN_CONSTRUCTION,
            by=other_member,
            rationale=RATIONALE,
        )
    assert already.value.decision == first
    assert Decision.objects.count() == 1
    assert startup.phases.filter(name="construction").count() == 1


@pytest.mark.django_db
def test_the_second_member_to_submit_is_shown_the_decision_already_recorded(
    client, session, on_agenda, make_startup, member
):
    (review,) = on_agenda(make_startup())
    other_member = UserFactory(full_name="Dominique Second")
    session.members.add(other_member)
    data = {
        "outcome": Outcome.POURSUITE,
        "rationale": RATIONALE,
        "without_evidence": "on",
        "no_evidence_reason": "Décision sans preuve (test)",
        "conditions-TOTAL_FORMS": "0",
        "conditions-INITIAL_FORMS": "0",
    }
    client.force_login(member)
    client.post(reverse("committees:decision_create", args=[review.pk]), data, follow=True)
    client.force_login(other_member)
    response = client.post(reverse("committees:decision_create", args=[review.pk]), {**data, "outcome": "pivot"})
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("committees:decision_detail", args=[decision.pk])
    assert decision.outcome == Outcome.POURSUITE
    assert decision.recorded_by == member
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"{member.full_name} a enregistré la décision de ce passage juste avant vous : la voici."
    ]


@pytest.mark.django_db(transaction=True)
def test_two_members_recording_at_the_same_moment_yield_one_decision(incubator, make_startup, member):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent transactions need PostgreSQL (SQLite serialises every write).")
    from .factories import CommitteeSessionFactory

    other_member = UserFactory()
    session = CommitteeSessionFactory(incubator=incubator, members=[member, other_member])
    startup = make_startup(phase="investigation")
    (review,) = services.agenda_set(session=session, items=[(startup, 50)], by=member)
    barrier = threading.Barrier(2)
    results = []

    def click(user):
        try:
            barrier.wait(timeout=10)
            decision = services.decision_record(
                no_evidence_reason="Décision sans preuve (test)",
                review=review,
                outcome=Outcome.PASSAGE_EN_CONSTRUCTION,
                by=user,
                rationale=RATIONALE,
            )
            results.append(("recorded", decision.pk))
        except services.DecisionAlreadyRecorded as already:
            results.append(("already", already.decision.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(user,)) for user in (member, other_member)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    decision = Decision.objects.get()
    assert sorted(results) == [("already", decision.pk), ("recorded", decision.pk)]
    assert startup.phases.filter(name="construction").count() == 1
