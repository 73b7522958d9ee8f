import pytest
from django.urls import reverse

from committees import services
from committees.enums import Outcome
from products.enums import MembershipRole
from tests.investigations.factories import InvestigationFactory
from tests.products.factories import IncubatorFactory, MembershipFactory, StartupFactory, UserFactory

from .factories import (
    CommitteeSessionFactory,
    ConditionFactory,
    DecisionFactory,
    ImportedReviewFactory,
    ReviewFactory,
)
from .utils import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(session, on_agenda, make_startup, member):
    """Two startups on the session; Alpha's decision recorded with a condition."""
    alpha, bravo = make_startup("Alpha"), make_startup("Bravo")
    alpha_review, bravo_review = on_agenda(alpha, bravo)
    decision = DecisionFactory(review=alpha_review, rationale="Motivation confidentielle d'Alpha")
    ConditionFactory(decision=decision, text="Condition d'Alpha")
    return {
        "alpha": alpha,
        "bravo": bravo,
        "alpha_review": alpha_review,
        "bravo_review": bravo_review,
        "decision": decision,
    }


@pytest.fixture
def other_coach():
    """A coach of a startup of another incubator."""
    startup = StartupFactory(incubator=IncubatorFactory())
    return MembershipFactory(startup=startup, role=MembershipRole.COACH).user


def team_of(startup):
    return startup.memberships.get(role=MembershipRole.INTRAPRENEUR).user


def status(client, user, name, *args, method="get", data=None):
    client.force_login(user)
    url = reverse(f"committees:{name}", args=args)
    return (client.post(url, data or {}) if method == "post" else client.get(url)).status_code


# --- Sessions ------------------------------------------------------------------------------------
def test_only_incubator_staff_and_admins_create_sessions(client, staff, member):
    assert status(client, staff, "session_create") == 200
    assert status(client, UserFactory(is_superuser=True), "session_create") == 200
    assert status(client, member, "session_create") == 403


def test_staff_cannot_create_a_session_for_another_incubator(client, staff, member, today):
    other = IncubatorFactory()
    client.force_login(staff)
    response = client.post(
        reverse("committees:session_create"),
        {"date": today.isoformat(), "kind": "suivi", "incubator": other.pk, "first_slot_at": "09:30"},
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in page_text(response)
    assert not other.committee_sessions.exists()


def test_the_session_is_seen_by_members_staff_and_the_teams_on_its_agenda(client, session, agenda, staff, member):
    assert status(client, member, "session_detail", session.pk) == 200
    assert status(client, staff, "session_detail", session.pk) == 200
    assert status(client, team_of(agenda["bravo"]), "session_detail", session.pk) == 200


def test_a_stranger_and_another_incubators_coach_do_not_know_the_session(client, session, agenda, other_coach):
    for user in (UserFactory(), other_coach):
        assert status(client, user, "session_detail", session.pk) == 404
        assert status(client, user, "session_minutes", session.pk) == 404
        assert status(client, user, "session_minutes_csv", session.pk) == 404


def test_a_team_sees_the_agenda_but_cannot_prepare_the_session(client, session, agenda):
    team = team_of(agenda["alpha"])
    assert status(client, team, "session_update", session.pk) == 403
    assert status(client, team, "session_agenda", session.pk) == 403
    assert status(client, team, "session_members", session.pk) == 403
    assert status(client, team, "session_close", session.pk, method="post") == 403
    assert status(client, team, "session_hold", session.pk, method="post") == 403


def test_the_session_list_shows_only_the_sessions_a_person_may_see(client, session, agenda, other_coach):
    elsewhere = CommitteeSessionFactory(incubator=IncubatorFactory(title="Incubateur lointain"))
    client.force_login(other_coach)
    page = page_text(client.get(reverse("committees:session_list")))
    assert "Aucune séance à afficher" in page
    client.force_login(team_of(agenda["alpha"]))
    page = page_text(client.get(reverse("committees:session_list")))
    assert session.incubator.title in page
    assert elsewhere.incubator.title not in page


# --- Composing a session (issue 12: a member could hand anyone access to any startup) ------------
def agenda_post(*startups):
    data = {"agenda-TOTAL_FORMS": str(len(startups)), "agenda-INITIAL_FORMS": "0"}
    for index, startup in enumerate(startups):
        data |= {f"agenda-{index}-startup": startup.pk, f"agenda-{index}-duration_minutes": "50"}
    return data


def test_a_committee_member_cannot_put_an_unrelated_startup_on_the_agenda(
    client, session, agenda, member, make_startup
):
    unrelated = make_startup("Startup sans rapport")
    data = agenda_post(agenda["alpha"], agenda["bravo"], unrelated)
    assert status(client, member, "session_agenda", session.pk, method="post", data=data) == 403
    assert not session.reviews.filter(startup=unrelated).exists()
    other_decision = DecisionFactory(review=ImportedReviewFactory(startup=unrelated))
    assert status(client, member, "decision_detail", other_decision.pk) == 404


def test_a_committee_member_cannot_seat_a_person_with_no_role(client, session, agenda, member):
    nobody = UserFactory(full_name="Dominique Sansrôle")
    assert status(client, member, "session_members", session.pk) == 403
    data = {"members": [member.pk, nobody.pk]}
    assert status(client, member, "session_members", session.pk, method="post", data=data) == 403
    update = {"date": session.date.isoformat(), "kind": session.kind, "first_slot_at": "09:30", "members": [nobody.pk]}
    assert status(client, member, "session_update", session.pk, method="post", data=update) == 302
    assert list(session.members.all()) == [member]
    # …so that person still reads nothing of the startups on the agenda and records nothing.
    investigation = InvestigationFactory(startup=agenda["bravo"])
    client.force_login(nobody)
    assert client.get(reverse("investigations:synthesis", args=[investigation.pk])).status_code == 404
    assert status(client, nobody, "decision_create", agenda["bravo_review"].pk) == 404
    budget = {"outcome": Outcome.POURSUITE, "rationale": "Pourquoi pas", "budget_eur": "999999"}
    assert status(client, nobody, "decision_create", agenda["bravo_review"].pk, method="post", data=budget) == 404
    assert not hasattr(agenda["bravo_review"], "decision")


def test_staff_seats_only_people_who_may_sit_on_the_incubators_committees(client, session, agenda, staff, member):
    coach = MembershipFactory(startup=agenda["alpha"], role=MembershipRole.COACH, user__full_name="Camille Coach").user
    nobody = UserFactory(full_name="Dominique Sansrôle")
    client.force_login(staff)
    page = page_text(client.get(reverse("committees:session_members", args=[session.pk])))
    assert "Camille Coach" in page and member.full_name in page and staff.full_name in page
    assert "Dominique Sansrôle" not in page
    url = reverse("committees:session_members", args=[session.pk])
    response = client.post(url, {"members": [member.pk, nobody.pk]})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in page_text(response)
    assert client.post(url, {"members": [member.pk, coach.pk]}).status_code == 302
    assert set(session.members.all()) == {member, coach}


def test_staff_composes_the_agenda_of_its_incubators_sessions(client, session, agenda, staff, make_startup):
    charlie = make_startup("Charlie")
    data = agenda_post(agenda["alpha"], agenda["bravo"], charlie)
    assert status(client, staff, "session_agenda", session.pk, method="post", data=data) == 302
    assert session.reviews.filter(startup=charlie).exists()


def test_a_new_session_seats_no_stranger(client, incubator, staff, today):
    nobody = UserFactory(full_name="Dominique Sansrôle")
    client.force_login(staff)
    data = {"date": today.isoformat(), "kind": "suivi", "incubator": incubator.pk, "first_slot_at": "09:30"}
    response = client.post(reverse("committees:session_create"), data | {"members": [nobody.pk]})
    assert response.status_code == 200
    assert not incubator.committee_sessions.exists()


# --- Decisions -----------------------------------------------------------------------------------
def test_only_members_and_staff_record_decisions(client, agenda, staff, member):
    review = agenda["bravo_review"]
    assert status(client, member, "decision_create", review.pk) == 200
    assert status(client, staff, "decision_create", review.pk) == 200
    assert status(client, team_of(agenda["bravo"]), "decision_create", review.pk) == 403


def test_a_member_of_another_session_cannot_record_in_this_one(client, agenda, incubator):
    outsider_member = UserFactory()
    CommitteeSessionFactory(incubator=incubator, members=[outsider_member])
    assert status(client, outsider_member, "decision_create", agenda["bravo_review"].pk) == 404


def test_another_incubators_coach_cannot_reach_a_decision_or_review(client, agenda, other_coach):
    assert status(client, other_coach, "decision_detail", agenda["decision"].pk) == 404
    assert status(client, other_coach, "review_detail", agenda["alpha_review"].pk) == 404
    assert status(client, other_coach, "decision_create", agenda["bravo_review"].pk) == 404


def test_a_team_sees_its_own_decision_and_conditions(client, agenda):
    client.force_login(team_of(agenda["alpha"]))
    response = client.get(reverse("committees:decision_detail", args=[agenda["decision"].pk]))
    assert response.status_code == 200
    page = page_text(response)
    assert "Motivation confidentielle d'Alpha" in page
    assert "Condition d'Alpha" in page
    assert "Marquer tenue ou non tenue" not in page


def test_a_team_does_not_see_another_startups_decision_from_the_same_session(client, session, agenda):
    bravo_team = team_of(agenda["bravo"])
    assert status(client, bravo_team, "decision_detail", agenda["decision"].pk) == 404
    client.force_login(bravo_team)
    minutes = page_text(client.get(reverse("committees:session_minutes", args=[session.pk])))
    assert "Motivation confidentielle d'Alpha" not in minutes
    detail = page_text(client.get(reverse("committees:session_detail", args=[session.pk])))
    assert reverse("committees:decision_detail", args=[agenda["decision"].pk]) not in detail
    assert client.get(reverse("committees:session_minutes_json", args=[session.pk])).json() == []


def test_a_team_does_not_resolve_its_own_conditions(client, agenda, member):
    condition = agenda["decision"].conditions.get()
    data = {"resolve-result": "met", "resolve-note": "Fait"}
    assert status(client, team_of(agenda["alpha"]), "condition_resolve", condition.pk, method="post", data=data) == 403
    assert status(client, member, "condition_resolve", condition.pk, method="post", data=data) == 302
    condition.refresh_from_db()
    assert condition.status == "met"


def test_the_team_fills_its_request_and_others_may_not(client, agenda, member):
    review = agenda["alpha_review"]
    data = {"requested_team": "Deux développeurs", "requested_budget_eur": "180000"}
    assert status(client, member, "review_request", review.pk, method="post", data=data) == 403
    assert status(client, team_of(agenda["alpha"]), "review_request", review.pk, method="post", data=data) == 302
    review.refresh_from_db()
    assert review.requested_budget_eur == 180_000


def test_the_teams_request_form_is_refused_once_the_session_is_held(client, session, agenda, member):
    services.session_hold(session=session, by=member)
    client.force_login(team_of(agenda["alpha"]))
    url = reverse("committees:review_request", args=[agenda["alpha_review"].pk])
    response = client.post(url, {"requested_team": "Dix développeurs"})
    assert response.status_code == 403
    assert "La séance s'est tenue : la demande de l'équipe ne peut plus être modifiée." in page_text(response)
    agenda["alpha_review"].refresh_from_db()
    assert agenda["alpha_review"].requested_team == ""


def test_nobody_edits_a_closed_session_not_even_its_staff(client, session, agenda, staff, member):
    services.decision_record(
        no_evidence_reason="Décision sans preuve (test)",
        review=agenda["bravo_review"],
        outcome=Outcome.PIVOT,
        by=member,
        rationale="Pivot",
    )
    services.session_close(session=session, by=member)
    for user in (staff, member, UserFactory(is_superuser=True)):
        assert status(client, user, "session_update", session.pk) == 403
        assert status(client, user, "session_agenda", session.pk, method="post") == 403
        assert status(client, user, "decision_update", agenda["decision"].pk) == 403


def test_a_team_may_not_amend_its_decision(client, session, agenda, member):
    services.decision_record(
        no_evidence_reason="Décision sans preuve (test)",
        review=agenda["bravo_review"],
        outcome=Outcome.PIVOT,
        by=member,
        rationale="Pivot",
    )
    services.session_close(session=session, by=member)
    assert status(client, team_of(agenda["alpha"]), "decision_amend", agenda["decision"].pk) == 403
    assert status(client, team_of(agenda["alpha"]), "decision_update", agenda["decision"].pk) == 403


def test_imported_decisions_are_amended_by_the_startups_incubator_staff_only(client, staff, member):
    from .factories import ImportedDecisionFactory

    startup = StartupFactory(incubator=staff.staffed_incubators.get())
    decision = ImportedDecisionFactory(review=ReviewFactory(session=None, startup=startup))
    assert status(client, staff, "decision_amend", decision.pk) == 200
    assert status(client, member, "decision_amend", decision.pk) == 404


def test_the_members_page_preselects_who_already_sits(client, session, agenda, staff, member):
    coach = MembershipFactory(startup=agenda["alpha"], role=MembershipRole.COACH, user__full_name="Camille Coach").user
    session.members.set([member])
    client.force_login(staff)
    page = client.get(reverse("committees:session_members", args=[session.pk])).content.decode()
    assert f'<option value="{member.pk}" selected>' in page
    assert f'<option value="{coach.pk}">' in page
