"""An investigation's rituals (launch workshop, mid-point, restitution) as dated milestones, and the resumption of a
suspended investigation: the service rules, who may record them, what the synthesis, the investigation page and the
startup's timeline show."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.durations import short_date
from investigations.enums import InvestigationStatus, RitualKind
from investigations.models import InvestigationRitual
from investigations.services import (
    investigation_conclude,
    investigation_conclusion_revert,
    investigation_resume,
    investigation_suspend,
    ritual_record,
    ritual_update,
)
from products.enums import MembershipRole
from tests.products.factories import UserFactory

from .factories import InvestigationFactory, member

pytestmark = pytest.mark.django_db


def _days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


# --- Rituals: service -------------------------------------------------------------------------------
def test_a_ritual_is_recorded_with_its_date_notes_and_author(investigation, intrapreneur):
    ritual = ritual_record(
        investigation=investigation,
        kind=RitualKind.LANCEMENT,
        date=_days_ago(28),
        notes="Atelier avec le sponsor.",
        by=intrapreneur,
    )
    assert ritual.recorded_by == intrapreneur
    assert ritual.history.get().history_user == intrapreneur
    assert InvestigationRitual.objects.get().notes == "Atelier avec le sponsor."


def test_a_ritual_of_the_same_kind_is_refused_with_a_clear_message(investigation):
    ritual_record(investigation=investigation, kind=RitualKind.MI_PARCOURS, date=_days_ago(10))
    with pytest.raises(ValidationError, match="Ce rituel est déjà enregistré pour cette investigation"):
        ritual_record(investigation=investigation, kind=RitualKind.MI_PARCOURS, date=_days_ago(5))
    assert InvestigationRitual.objects.count() == 1


def test_a_ritual_before_the_investigation_or_in_the_future_is_refused(investigation):
    with pytest.raises(ValidationError, match="ne peut pas précéder le début"):
        ritual_record(investigation=investigation, kind=RitualKind.LANCEMENT, date=_days_ago(60))
    with pytest.raises(ValidationError, match="ne peut pas être future"):
        ritual_record(
            investigation=investigation, kind=RitualKind.RESTITUTION, date=timezone.localdate() + datetime.timedelta(1)
        )
    assert not InvestigationRitual.objects.exists()


# --- Rituals: pages ---------------------------------------------------------------------------------
def test_the_synthesis_shows_rituals_held_with_their_date_and_those_missing(client, investigation, intrapreneur):
    ritual_record(investigation=investigation, kind=RitualKind.LANCEMENT, date=_days_ago(28), notes="Avec la DGFiP.")
    client.force_login(intrapreneur)
    page = client.get(reverse("investigations:synthesis", kwargs={"pk": investigation.pk})).content.decode()
    assert "Atelier de lancement" in page and "Avec la DGFiP." in page
    assert short_date(_days_ago(28)) in page
    assert page.count("pas encore enregistré") == 2
    assert "Enregistrer un rituel tenu" in page


def test_a_contributor_records_a_ritual_from_the_synthesis_page(client, investigation, intrapreneur):
    client.force_login(intrapreneur)
    response = client.post(
        reverse("investigations:ritual_new", kwargs={"pk": investigation.pk}),
        {"kind": RitualKind.RESTITUTION, "date": _days_ago(1).isoformat(), "notes": "Restitution au sponsor."},
        follow=True,
    )
    assert "« Restitution » enregistré." in response.content.decode()
    assert investigation.rituals.get().kind == RitualKind.RESTITUTION


def test_recording_a_ritual_twice_shows_the_message_on_the_form(client, investigation, intrapreneur):
    ritual_record(investigation=investigation, kind=RitualKind.RESTITUTION, date=_days_ago(2))
    client.force_login(intrapreneur)
    response = client.post(
        reverse("investigations:ritual_new", kwargs={"pk": investigation.pk}),
        {"kind": RitualKind.RESTITUTION, "date": _days_ago(1).isoformat()},
    )
    assert response.status_code == 200
    assert "Ce rituel est déjà enregistré pour cette investigation." in response.content.decode()


@pytest.mark.parametrize("who", ["outsider", "other_startup"])
def test_an_outsider_or_a_member_of_another_startup_cannot_record_a_ritual(client, investigation, who):
    user = UserFactory() if who == "outsider" else member(InvestigationFactory().startup)
    client.force_login(user)
    response = client.post(
        reverse("investigations:ritual_new", kwargs={"pk": investigation.pk}),
        {"kind": RitualKind.LANCEMENT, "date": _days_ago(1).isoformat()},
    )
    assert response.status_code in (403, 404)
    assert not InvestigationRitual.objects.exists()


def test_the_timeline_shows_rituals_as_dated_events_with_their_notes_for_the_team(client, investigation, intrapreneur):
    ritual_record(investigation=investigation, kind=RitualKind.MI_PARCOURS, date=_days_ago(3), notes="Point avec X.")
    url = reverse("dashboard:timeline", kwargs={"slug": investigation.startup.slug})
    client.force_login(intrapreneur)
    page = client.get(url).content.decode()
    assert "Point de mi-parcours" in page and "Point avec X." in page
    client.force_login(UserFactory())
    page = client.get(url).content.decode()
    assert "Point de mi-parcours" in page and "Point avec X." not in page


# --- Resumption -------------------------------------------------------------------------------------
@pytest.fixture
def suspended(investigation):
    return investigation_suspend(investigation=investigation, reason="Plus de temps.", on=_days_ago(10))


def test_a_suspended_investigation_resumes_with_its_reason_added_to_the_note(suspended, intrapreneur):
    investigation = investigation_resume(investigation=suspended, reason="Une nouvelle équipe.", by=intrapreneur)
    assert investigation.status == InvestigationStatus.EN_COURS
    assert investigation.ended_on is None
    assert investigation.resumed_on == timezone.localdate()
    assert "Plus de temps." in investigation.status_note and "Une nouvelle équipe." in investigation.status_note
    assert investigation.set_by == intrapreneur


def test_only_a_suspended_investigation_resumes_and_with_a_reason(investigation, suspended):
    with pytest.raises(ValidationError, match="Indiquez la raison de la reprise"):
        investigation_resume(investigation=suspended, reason="  ")
    running = InvestigationFactory()
    with pytest.raises(ValidationError, match="Seule une investigation suspendue peut reprendre"):
        investigation_resume(investigation=running, reason="Pourquoi pas.")


def test_a_suspended_investigation_cannot_resume_while_another_runs(suspended):
    InvestigationFactory(startup=suspended.startup)
    with pytest.raises(ValidationError, match="Une autre investigation est en cours"):
        investigation_resume(investigation=suspended, reason="Reprise.")


def test_a_resumed_then_concluded_investigation_reverts_to_running(suspended):
    investigation = investigation_resume(investigation=suspended, reason="Reprise.")
    investigation_conclude(investigation=investigation, conclusive=True)
    assert investigation_conclusion_revert(investigation=investigation).status == InvestigationStatus.EN_COURS


def test_a_contributor_resumes_from_the_investigation_page(client, suspended, intrapreneur):
    client.force_login(intrapreneur)
    url = reverse("investigations:detail", kwargs={"pk": suspended.pk})
    assert 'action="/investigations/' + str(suspended.pk) + '/reprendre/"' in client.get(url).content.decode()
    response = client.post(
        reverse("investigations:resume", kwargs={"pk": suspended.pk}), {"reason": "Le sponsor relance."}, follow=True
    )
    page = response.content.decode()
    assert "Le sponsor relance." in page and "reprise le" in page
    timeline = client.get(reverse("dashboard:timeline", kwargs={"slug": suspended.startup.slug})).content.decode()
    assert "reprise après suspension le" in timeline


@pytest.mark.parametrize("who", ["outsider", "other_startup"])
def test_an_outsider_or_a_member_of_another_startup_cannot_resume(client, suspended, who):
    user = UserFactory() if who == "outsider" else member(InvestigationFactory().startup)
    client.force_login(user)
    response = client.post(reverse("investigations:resume", kwargs={"pk": suspended.pk}), {"reason": "Moi."})
    assert response.status_code in (403, 404)
    suspended.refresh_from_db()
    assert suspended.status == InvestigationStatus.SUSPENDUE


def test_a_reader_without_contribution_sees_no_resume_form(client, suspended):
    client.force_login(member(suspended.startup, role=MembershipRole.SPONSOR_CONTACT))
    page = client.get(reverse("investigations:detail", kwargs={"pk": suspended.pk})).content.decode()
    assert 'name="reason"' not in page


# --- Rituals: correcting one once recorded (issue 15, item 8) ---------------------------------------
@pytest.fixture
def launch(investigation, intrapreneur):
    return ritual_record(
        investigation=investigation, kind=RitualKind.LANCEMENT, date=_days_ago(28), notes="Atelier.", by=intrapreneur
    )


def test_a_ritual_is_corrected_and_its_previous_version_kept_in_its_history(launch, investigation):
    coach = UserFactory()
    ritual_update(
        ritual=launch, kind=RitualKind.LANCEMENT, date=_days_ago(27), notes=" Atelier avec la DGFiP. ", by=coach
    )
    launch.refresh_from_db()
    assert (launch.date, launch.notes, launch.recorded_by) == (_days_ago(27), "Atelier avec la DGFiP.", coach)
    versions = list(launch.history.order_by("history_id"))
    assert [v.date for v in versions] == [_days_ago(28), _days_ago(27)]
    assert versions[-1].history_user == coach


def test_a_correction_follows_the_rules_of_recording(launch, investigation):
    ritual_record(investigation=investigation, kind=RitualKind.MI_PARCOURS, date=_days_ago(10))
    with pytest.raises(ValidationError, match="ne peut pas être future"):
        ritual_update(ritual=launch, kind=RitualKind.LANCEMENT, date=timezone.localdate() + datetime.timedelta(1))
    with pytest.raises(ValidationError, match="ne peut pas précéder le début"):
        ritual_update(ritual=launch, kind=RitualKind.LANCEMENT, date=_days_ago(60))
    with pytest.raises(ValidationError, match="Ce rituel est déjà enregistré pour cette investigation"):
        ritual_update(ritual=launch, kind=RitualKind.MI_PARCOURS, date=_days_ago(20))
    launch.refresh_from_db()
    assert (launch.kind, launch.date) == (RitualKind.LANCEMENT, _days_ago(28))


def test_a_contributor_corrects_a_ritual_from_the_synthesis_page(client, launch, investigation, intrapreneur):
    client.force_login(intrapreneur)
    synthesis_url = reverse("investigations:synthesis", kwargs={"pk": investigation.pk})
    edit_url = reverse("investigations:ritual_edit", kwargs={"pk": launch.pk})
    assert edit_url in client.get(synthesis_url).content.decode()
    form = client.get(edit_url).content.decode()
    assert "Modifier le rituel « Atelier de lancement »" in form and "Atelier." in form
    response = client.post(
        edit_url,
        {"kind": RitualKind.LANCEMENT, "date": _days_ago(26).isoformat(), "notes": "Avec le sponsor."},
        follow=True,
    )
    page = response.content.decode()
    assert "« Atelier de lancement » modifié." in page and "Avec le sponsor." in page
    assert short_date(_days_ago(26)) in page


def test_a_correction_into_the_future_is_shown_on_the_form(client, launch, intrapreneur):
    client.force_login(intrapreneur)
    response = client.post(
        reverse("investigations:ritual_edit", kwargs={"pk": launch.pk}),
        {"kind": RitualKind.LANCEMENT, "date": (timezone.localdate() + datetime.timedelta(3)).isoformat()},
    )
    assert response.status_code == 200
    launch.refresh_from_db()
    assert launch.date == _days_ago(28)


def test_a_sponsor_contact_sees_the_ritual_but_no_link_to_correct_it(client, launch, investigation):
    client.force_login(member(investigation.startup, MembershipRole.SPONSOR_CONTACT))
    page = client.get(reverse("investigations:synthesis", kwargs={"pk": investigation.pk})).content.decode()
    assert "Atelier." in page
    assert reverse("investigations:ritual_edit", kwargs={"pk": launch.pk}) not in page
    url = reverse("investigations:ritual_edit", kwargs={"pk": launch.pk})
    response = client.post(url, {"kind": RitualKind.LANCEMENT, "date": _days_ago(20).isoformat()})
    assert response.status_code == 403
