"""Issue 11, item 5: the minutes of a closed session (its decisions and their conditions) and the imported history
are read-only in the admin too, for a superuser as well; only amendments change them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from committees.enums import Outcome
from committees.lifecycle import lifecycle_problems
from committees.models import CommitteeSession, Condition, Decision
from tests.products.factories import StartupFactory, UserFactory

from .factories import (
    CommitteeSessionFactory,
    ConditionFactory,
    DecisionFactory,
    ImportedDecisionFactory,
    ReviewFactory,
    planned_review,
)
from .utils import page_text

pytestmark = pytest.mark.django_db

LAST_MONTH = timezone.localdate() - datetime.timedelta(days=30)


@pytest.fixture
def superuser(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def minutes():
    """A session closed last month with three decisions, one of them with a condition."""
    session = CommitteeSessionFactory(date=LAST_MONTH, closed=True)
    decisions = [
        DecisionFactory(review=ReviewFactory(session=session), outcome=outcome)
        for outcome in (Outcome.POURSUITE, Outcome.PIVOT, Outcome.PROLONGATION_PROVISOIRE)
    ]
    ConditionFactory(decision=decisions[0], due_on=LAST_MONTH + datetime.timedelta(days=60))
    return session, decisions


def change_url(obj):
    return reverse(f"admin:committees_{obj._meta.model_name}_change", args=[obj.pk])


def delete_url(obj):
    return reverse(f"admin:committees_{obj._meta.model_name}_delete", args=[obj.pk])


def decision_form(decision, **changes):
    data = {
        "review": decision.review_id,
        "startup": decision.startup_id,
        "date": decision.date.isoformat(),
        "outcome": decision.outcome,
        "rationale": decision.rationale,
        "conditions-TOTAL_FORMS": "0",
        "conditions-INITIAL_FORMS": "0",
        "conditions-MIN_NUM_FORMS": "0",
        "conditions-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_a_closed_sessions_decision_shows_read_only(superuser, minutes):
    _session, (decision, *_rest) = minutes
    response = superuser.get(change_url(decision))
    page = page_text(response)
    assert response.status_code == 200
    assert 'name="_save"' not in page
    assert 'name="rationale"' not in page
    assert decision.rationale in page


def test_editing_a_closed_sessions_decision_is_refused(superuser, minutes):
    _session, (decision, *_rest) = minutes
    response = superuser.post(change_url(decision), decision_form(decision, outcome=Outcome.ARRET, rationale="Réécrit"))
    assert response.status_code == 403
    decision.refresh_from_db()
    assert (decision.outcome, decision.rationale) == (Outcome.POURSUITE, "Les objectifs du semestre sont atteints.")


def test_reverting_a_closed_sessions_decision_from_its_history_is_refused(superuser, minutes):
    _session, (decision, *_rest) = minutes
    record = decision.history.earliest()
    url = reverse("admin:committees_decision_simple_history", args=[decision.pk, record.history_id])
    response = superuser.post(url, decision_form(decision, rationale="Réécrit"))
    assert response.status_code == 403
    decision.refresh_from_db()
    assert decision.rationale == "Les objectifs du semestre sont atteints."


def test_deleting_a_closed_sessions_decision_is_refused(superuser, minutes):
    _session, (decision, *_rest) = minutes
    assert superuser.get(delete_url(decision)).status_code == 403
    assert superuser.post(delete_url(decision), {"post": "yes"}).status_code == 403
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_the_delete_action_refuses_the_minutes_and_they_keep_their_decisions(superuser, minutes):
    session, decisions = minutes
    url = reverse("admin:committees_decision_changelist")
    selected = {"action": "delete_selected", "_selected_action": [d.pk for d in decisions]}
    confirmation = page_text(superuser.post(url, selected))
    assert "Cannot delete décision" in confirmation or "Impossible de supprimer" in confirmation
    response = superuser.post(url, {**selected, "post": "yes"})
    assert response.status_code == 403
    assert Decision.objects.filter(review__session=session).count() == 3
    assert lifecycle_problems() == []


def test_deleting_the_closed_session_or_the_startup_would_delete_the_minutes_and_is_refused(superuser, minutes):
    session, (decision, *_rest) = minutes
    assert superuser.post(delete_url(session), {"post": "yes"}).status_code == 403
    startup_delete = reverse("admin:products_startup_delete", args=[decision.startup_id])
    assert superuser.post(startup_delete, {"post": "yes"}).status_code == 403
    assert CommitteeSession.objects.filter(pk=session.pk).exists()
    assert Decision.objects.filter(review__session=session).count() == 3


def test_a_closed_sessions_conditions_cannot_be_edited_or_deleted(superuser, minutes):
    _session, (decision, *_rest) = minutes
    condition = decision.conditions.get()
    data = {"decision": decision.pk, "text": "Réécrite", "due_on": condition.due_on.isoformat(), "status": "open"}
    assert superuser.post(change_url(condition), data).status_code == 403
    assert superuser.post(delete_url(condition), {"post": "yes"}).status_code == 403
    assert Condition.objects.get(pk=condition.pk).text == condition.text


def test_no_condition_is_added_to_a_closed_sessions_decision(superuser, minutes):
    _session, (decision, *_rest) = minutes
    data = {"decision": decision.pk, "text": "Ajoutée", "due_on": LAST_MONTH.isoformat(), "status": "open"}
    response = superuser.post(reverse("admin:committees_condition_add"), data)
    assert response.status_code == 403
    assert decision.conditions.count() == 1


def test_an_imported_decision_is_read_only_too(superuser):
    decision = ImportedDecisionFactory()
    assert superuser.post(change_url(decision), decision_form(decision, rationale="Réécrit")).status_code == 403
    assert superuser.post(delete_url(decision), {"post": "yes"}).status_code == 403
    assert Decision.objects.get(pk=decision.pk).rationale == "Poursuite"


def test_an_open_sessions_decision_is_still_editable_in_the_admin(superuser):
    decision = DecisionFactory(review=planned_review(StartupFactory(), timezone.localdate()))
    assert 'name="_save"' in page_text(superuser.get(change_url(decision)))
    response = superuser.post(change_url(decision), decision_form(decision, rationale="Précisée"))
    assert response.status_code == 302
    assert Decision.objects.get(pk=decision.pk).rationale == "Précisée"


def test_the_admin_form_refuses_a_decision_on_another_startup_than_its_reviews(superuser):
    decision = DecisionFactory(review=planned_review(StartupFactory(), timezone.localdate()))
    other = StartupFactory()
    response = superuser.post(change_url(decision), decision_form(decision, startup=other.pk))
    assert response.status_code == 200
    assert "Une décision porte sur la startup de son passage en comité, et sur elle seule." in page_text(response)
    assert Decision.objects.get(pk=decision.pk).startup_id == decision.startup_id
