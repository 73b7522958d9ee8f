import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from investigations.enums import InvestigationStatus
from investigations.models import Investigation
from investigations.services import (
    investigation_conclude,
    investigation_conclusion_revert,
    investigation_open,
    investigation_suspend,
)
from products.services import phase_advance
from tests.products.factories import PhaseFactory, StartupFactory, UserFactory

from .factories import InterviewFactory, InvestigationFactory, TargetGroupFactory, member

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 3, 4)


def test_opening_an_investigation_on_a_startup_in_no_phase_opens_its_investigation_phase():
    startup = StartupFactory()
    investigation = investigation_open(startup=startup, started_on=DAY)
    startup.refresh_from_db()
    assert startup.current_phase == "investigation"
    assert startup.current_phase_start == DAY
    assert investigation.phase.name == "investigation"
    assert investigation.planned_end == DAY + datetime.timedelta(weeks=9)
    assert investigation.interview_goal == 30


def test_opening_an_investigation_on_a_startup_already_in_construction_leaves_its_phases_alone():
    phase = PhaseFactory(name="construction", start=DAY)
    investigation = investigation_open(startup=phase.startup, started_on=DAY + datetime.timedelta(days=3))
    assert list(phase.startup.phases.values_list("name", flat=True)) == ["construction"]
    assert investigation.phase is None


def test_opening_links_the_open_investigation_phase_no_investigation_follows_yet():
    phase = PhaseFactory(name="investigation", start=DAY)
    investigation = investigation_open(startup=phase.startup, started_on=DAY)
    assert investigation.phase == phase


def test_a_startup_cannot_have_two_investigations_in_progress():
    startup = StartupFactory()
    investigation_open(startup=startup, started_on=DAY)
    with pytest.raises(ValidationError, match="déjà une investigation en cours"):
        investigation_open(startup=startup, started_on=DAY + datetime.timedelta(days=1))


def test_a_startup_may_have_several_investigations_over_time():
    startup = StartupFactory()
    first = investigation_open(startup=startup, started_on=DAY)
    investigation_suspend(investigation=first, reason="Plus de temps.", on=DAY + datetime.timedelta(days=30))
    second = investigation_open(startup=startup, started_on=DAY + datetime.timedelta(days=400))
    assert startup.investigations.count() == 2
    assert second.is_open


def test_a_non_conclusive_investigation_closes_the_startup_into_abandon_investigation():
    startup = StartupFactory()
    investigation = investigation_open(startup=startup, started_on=DAY)
    end = DAY + datetime.timedelta(weeks=8)
    investigation_conclude(investigation=investigation, conclusive=False, on=end)
    startup.refresh_from_db()
    investigation.refresh_from_db()
    assert investigation.status == InvestigationStatus.NON_CONCLUANTE
    assert investigation.ended_on == end
    assert startup.current_phase == "abandon-investigation"
    assert startup.phases.get(name="investigation").end == end


def test_a_conclusive_investigation_leaves_the_phase_for_the_committee_to_decide():
    startup = StartupFactory()
    investigation = investigation_open(startup=startup, started_on=DAY)
    investigation_conclude(investigation=investigation, conclusive=True, on=DAY + datetime.timedelta(weeks=9))
    startup.refresh_from_db()
    assert startup.current_phase == "investigation"
    assert Investigation.objects.get().status == InvestigationStatus.CONCLUANTE


def test_concluding_non_conclusive_after_a_committee_already_moved_the_startup_adds_no_phase():
    startup = StartupFactory()
    investigation = investigation_open(startup=startup, started_on=DAY)
    phase_advance(startup=startup, to="abandon-investigation", on=DAY + datetime.timedelta(days=50))
    investigation_conclude(investigation=investigation, conclusive=False, on=DAY + datetime.timedelta(days=50))
    assert startup.phases.count() == 2


def test_an_investigation_cannot_be_concluded_twice():
    investigation = InvestigationFactory(concluded=True)
    with pytest.raises(ValidationError, match="déjà conclue"):
        investigation_conclude(investigation=investigation, conclusive=False)


def test_suspending_keeps_the_note_the_day_and_the_phase():
    startup = StartupFactory()
    investigation = investigation_open(startup=startup, started_on=DAY)
    investigation_suspend(
        investigation=investigation, reason="## Pourquoi\nPlus de temps.", on=DAY + datetime.timedelta(days=80)
    )
    investigation.refresh_from_db()
    startup.refresh_from_db()
    assert investigation.status == InvestigationStatus.SUSPENDUE
    assert investigation.status_note.startswith("## Pourquoi")
    assert investigation.ended_on == DAY + datetime.timedelta(days=80)
    assert startup.current_phase == "investigation"


def test_suspending_without_a_note_is_refused():
    investigation = InvestigationFactory()
    with pytest.raises(ValidationError, match="raison de la suspension"):
        investigation_suspend(investigation=investigation, reason="   ")


def test_only_an_investigation_in_progress_can_be_suspended():
    investigation = InvestigationFactory(suspended=True)
    with pytest.raises(ValidationError, match="Seule une investigation en cours"):
        investigation_suspend(investigation=investigation, reason="Encore ?")


# --- Pages ----------------------------------------------------------------------------------------
def test_intrapreneur_opens_an_investigation_with_a_default_planned_end_nine_weeks_later(client):
    startup = StartupFactory()
    client.force_login(member(startup))
    response = client.post(
        reverse("investigations:open", kwargs={"slug": startup.slug}),
        {
            "started_on": "2024-03-04",
            "planned_end": "",
            "problem_statement": "Ressaisie.",
            "target_groups": "Agents\nUsagers",
            "interview_goal": "30",
        },
    )
    investigation = Investigation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == investigation.get_absolute_url()
    assert investigation.planned_end == datetime.date(2024, 5, 6)
    assert list(investigation.target_groups.order_by("pk").values_list("name", flat=True)) == ["Agents", "Usagers"]


def test_the_open_form_suggests_today_and_a_goal_of_30(client):
    startup = StartupFactory()
    client.force_login(member(startup))
    page = client.get(reverse("investigations:open", kwargs={"slug": startup.slug})).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in page
    assert 'name="interview_goal" value="30"' in page


def test_more_than_four_target_groups_is_a_warning_not_an_error(client):
    startup = StartupFactory()
    client.force_login(member(startup))
    response = client.post(
        reverse("investigations:open", kwargs={"slug": startup.slug}),
        {"started_on": "2024-03-04", "target_groups": "A\nB\nC\nD\nE", "interview_goal": "30"},
        follow=True,
    )
    page = response.content.decode()
    assert Investigation.objects.get().target_groups.count() == 5
    assert "La doctrine conseille au plus 4 groupes cibles ; cette investigation en compte 5." in page


def test_target_groups_differing_by_case_are_one_group(client):
    startup = StartupFactory()
    client.force_login(member(startup))
    client.post(
        reverse("investigations:open", kwargs={"slug": startup.slug}),
        {"started_on": "2024-03-04", "target_groups": "Agents\nagents\n  \nUsagers", "interview_goal": "30"},
    )
    assert Investigation.objects.get().target_groups.count() == 2


def test_a_planned_end_before_the_start_is_refused_with_the_typed_values_kept(client):
    startup = StartupFactory()
    client.force_login(member(startup))
    response = client.post(
        reverse("investigations:open", kwargs={"slug": startup.slug}),
        {
            "started_on": "2024-03-04",
            "planned_end": "2024-01-01",
            "problem_statement": "Mon problème",
            "interview_goal": "30",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "La fin prévue ne peut pas précéder le début" in page
    assert "Mon problème" in page
    assert not Investigation.objects.exists()


def test_someone_outside_the_team_cannot_open_an_investigation(client):
    startup = StartupFactory()
    client.force_login(UserFactory())
    response = client.get(reverse("investigations:open", kwargs={"slug": startup.slug}))
    assert response.status_code == 403


def test_editing_refuses_to_drop_a_target_group_that_holds_interviews(client):
    group = TargetGroupFactory(name="Agents")
    investigation = group.investigation
    InterviewFactory(investigation=investigation, target_group=group)
    client.force_login(member(investigation.startup))
    response = client.post(
        reverse("investigations:edit", kwargs={"pk": investigation.pk}),
        {
            "started_on": investigation.started_on.isoformat(),
            "planned_end": investigation.planned_end.isoformat(),
            "target_groups": "Usagers",
            "interview_goal": "30",
        },
    )
    assert "Le groupe « Agents » compte 1 entretien :" in response.content.decode()
    assert list(investigation.target_groups.values_list("name", flat=True)) == ["Agents"]


def test_suspending_from_the_page_publishes_the_note_as_sanitised_markdown(client):
    investigation = InvestigationFactory()
    client.force_login(member(investigation.startup))
    response = client.post(
        reverse("investigations:suspend", kwargs={"pk": investigation.pk}),
        {"reason": "**54 entretiens**\n\n<script>alert(1)</script>", "on": timezone.localdate().isoformat()},
        follow=True,
    )
    page = response.content.decode()
    assert "<strong>54 entretiens</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "Suspendue" in page


def test_concluding_non_conclusive_from_the_page_moves_the_startup(client):
    startup = StartupFactory()
    investigation = investigation_open(startup=startup, started_on=DAY)
    client.force_login(member(startup))
    client.post(
        reverse("investigations:conclude", kwargs={"pk": investigation.pk}),
        {"conclusive": "non", "on": "2024-05-02", "note": ""},
    )
    startup.refresh_from_db()
    assert startup.current_phase == "abandon-investigation"
    assert startup.current_phase_start == datetime.date(2024, 5, 2)


def test_reverting_a_conclusion_resumes_the_investigation_or_suspends_it_again():
    running = investigation_open(startup=StartupFactory(), started_on=DAY)
    investigation_conclude(investigation=running, conclusive=True, on=DAY + datetime.timedelta(weeks=9))
    suspended = investigation_open(startup=StartupFactory(), started_on=DAY)
    investigation_suspend(investigation=suspended, reason="Plus de temps.", on=DAY + datetime.timedelta(days=30))
    investigation_conclude(investigation=suspended, conclusive=False, on=DAY + datetime.timedelta(days=40))

    investigation_conclusion_revert(investigation=running)
    investigation_conclusion_revert(investigation=suspended)

    running.refresh_from_db()
    suspended.refresh_from_db()
    assert (running.status, running.ended_on) == (InvestigationStatus.EN_COURS, None)
    assert (suspended.status, suspended.status_note) == (InvestigationStatus.SUSPENDUE, "Plus de temps.")


def test_only_a_concluded_investigation_has_a_conclusion_to_revert():
    with pytest.raises(ValidationError, match="n'est pas conclue"):
        investigation_conclusion_revert(investigation=InvestigationFactory())


def test_a_stopped_startup_opens_no_investigation():
    phase = PhaseFactory(name="abandon", start=DAY)
    with pytest.raises(ValidationError) as error:
        investigation_open(startup=phase.startup, started_on=DAY + datetime.timedelta(days=3))
    assert error.value.messages == [
        f"« {phase.startup.name} » est en phase « Arrêté » : une startup arrêtée n'ouvre plus d'investigation."
    ]
    assert not Investigation.objects.exists()
