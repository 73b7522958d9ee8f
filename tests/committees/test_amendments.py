import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committees import selectors, services
from committees.enums import Outcome
from committees.models import Amendment
from products.services import phase_advance

from .factories import ImportedDecisionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_decision(session, on_agenda, make_startup, member, today):
    (review,) = on_agenda(make_startup("Alpha"))
    decision = services.decision_record(
        no_evidence_reason="Décision sans preuve (test)",
        review=review,
        outcome=Outcome.POURSUITE,
        by=member,
        rationale="Objectifs atteints.",
        budget_eur=200_000,
        next_committee_on=today + datetime.timedelta(days=180),
    )
    services.session_close(session=session, by=member)
    decision.refresh_from_db()
    return decision


def test_a_closed_sessions_decision_cannot_be_updated(closed_decision, member):
    with pytest.raises(ValidationError) as error:
        services.decision_update(decision=closed_decision, by=member, outcome=Outcome.PIVOT, rationale="Autre chose")
    assert error.value.messages == [
        "Cette séance est close : la décision ne peut plus être modifiée. Enregistrez un amendement."
    ]
    closed_decision.refresh_from_db()
    assert closed_decision.outcome == Outcome.POURSUITE


def test_an_open_sessions_decision_can_be_corrected_directly(session, on_agenda, make_startup, member):
    (review,) = on_agenda(make_startup())
    decision = services.decision_record(
        no_evidence_reason="Décision sans preuve (test)",
        review=review,
        outcome=Outcome.POURSUITE,
        by=member,
        rationale="Objectifs",
    )
    services.decision_update(decision=decision, by=member, outcome=Outcome.PIVOT, rationale="Changer de cible")
    decision.refresh_from_db()
    assert (decision.outcome, decision.rationale) == (Outcome.PIVOT, "Changer de cible")
    assert not Amendment.objects.exists()


def test_correcting_an_open_arret_into_a_poursuite_reopens_the_phase_it_closed(
    session, on_agenda, make_startup, member
):
    startup = make_startup(phase="construction")
    (review,) = on_agenda(startup)
    decision = services.decision_record(
        no_evidence_reason="Décision sans preuve (test)",
        review=review,
        outcome=Outcome.ARRET,
        by=member,
        rationale="Pas d'usage",
    )
    services.decision_update(decision=decision, by=member, outcome=Outcome.POURSUITE, rationale="Finalement")
    startup.refresh_from_db()
    decision.refresh_from_db()
    assert startup.current_phase == "construction"
    assert [(p.name, p.end) for p in startup.ordered_phases()] == [("construction", None)]
    assert decision.phase is None


def test_an_amendment_records_its_reason_author_and_every_change(closed_decision, member, today):
    amendment = services.decision_amend(
        decision=closed_decision,
        by=member,
        reason="Erreur de saisie du budget",
        budget_eur=250_000,
        next_committee_on=today + datetime.timedelta(days=90),
    )
    closed_decision.refresh_from_db()
    assert closed_decision.budget_eur == 250_000
    assert amendment.author == member
    assert amendment.reason == "Erreur de saisie du budget"
    assert amendment.changes == {
        "budget_eur": {"from": 200_000, "to": 250_000},
        "next_committee_on": {
            "from": (today + datetime.timedelta(days=180)).isoformat(),
            "to": (today + datetime.timedelta(days=90)).isoformat(),
        },
    }


def test_an_amendment_needs_a_reason(closed_decision, member):
    with pytest.raises(ValidationError, match="Indiquez le motif"):
        services.decision_amend(decision=closed_decision, by=member, reason=" ", budget_eur=1)
    assert not Amendment.objects.exists()


def test_an_amendment_that_changes_nothing_is_refused(closed_decision, member):
    with pytest.raises(ValidationError, match="Aucune modification"):
        services.decision_amend(decision=closed_decision, by=member, reason="Relecture", budget_eur=200_000)


def test_an_amendment_cannot_change_the_outcome_once_the_startup_moved_on(
    session, on_agenda, make_startup, member, today
):
    startup = make_startup(phase="construction")
    (review,) = on_agenda(startup)
    decision = services.decision_record(
        no_evidence_reason="Décision sans preuve (test)",
        review=review,
        outcome=Outcome.ARRET,
        by=member,
        rationale="Pas d'usage",
    )
    services.session_close(session=session, by=member)
    phase_advance(startup=startup, to="alumni", on=today)
    with pytest.raises(ValidationError) as error:
        services.decision_amend(
            no_evidence_reason="Décision sans preuve (test)",
            decision=decision,
            by=member,
            reason="Erreur",
            outcome=Outcome.POURSUITE,
        )
    assert error.value.messages == [
        f"« Startup » a changé de phase depuis cette décision (phase « Partenariat terminé » depuis le "
        f"{today:%d/%m/%Y}) : le résultat « Arrêt » ne peut plus s'appliquer à la date de la décision. "
        "Enregistrez la nouvelle décision lors d'un prochain comité, ou corrigez d'abord les phases de la startup."
    ]
    assert [p.name for p in startup.ordered_phases()] == ["construction", "abandon", "alumni"]
    assert not Amendment.objects.exists()


def test_an_amendment_to_poursuite_avec_reserves_brings_its_conditions(closed_decision, member, today):
    with pytest.raises(ValidationError, match="au moins une condition"):
        services.decision_amend(
            no_evidence_reason="Décision sans preuve (test)",
            decision=closed_decision,
            by=member,
            reason="Réserves oubliées",
            outcome=Outcome.POURSUITE_AVEC_RESERVES,
        )
    services.decision_amend(
        no_evidence_reason="Décision sans preuve (test)",
        decision=closed_decision,
        by=member,
        reason="Réserves oubliées",
        outcome=Outcome.POURSUITE_AVEC_RESERVES,
        conditions=[{"text": "Recruter un intrapreneur", "due_on": today, "owner": None}],
    )
    assert closed_decision.conditions.get().text == "Recruter un intrapreneur"
    assert Amendment.objects.get().changes["conditions"]["to"][0]["text"] == "Recruter un intrapreneur"


def test_an_open_sessions_decision_is_not_amended(session, on_agenda, make_startup, member):
    (review,) = on_agenda(make_startup())
    decision = services.decision_record(
        no_evidence_reason="Décision sans preuve (test)",
        review=review,
        outcome=Outcome.POURSUITE,
        by=member,
        rationale="Objectifs",
    )
    with pytest.raises(ValidationError, match="modifiez directement la décision"):
        services.decision_amend(decision=decision, by=member, reason="Erreur", budget_eur=1)


def test_the_history_shows_the_original_then_every_amendment(closed_decision, member, staff):
    services.decision_amend(decision=closed_decision, by=member, reason="Budget faux", budget_eur=250_000)
    services.decision_amend(decision=closed_decision, by=staff, reason="Budget encore faux", budget_eur=260_000)
    history = selectors.decision_history(closed_decision)
    original = dict(history["original"])
    assert original["budget accordé (€)"] == "200\xa0000 €"
    assert original["décision"] == "Poursuite"
    assert [entry["amendment"].author for entry in history["amendments"]] == [member, staff]
    assert history["amendments"][1]["changes"] == [("budget accordé (€)", "250\xa0000 €", "260\xa0000 €")]


def test_the_imported_history_is_amended_to_its_real_outcome(staff):
    decision = ImportedDecisionFactory(rationale="Poursuite")
    with pytest.raises(ValidationError, match="historique importé"):
        services.decision_update(decision=decision, by=staff, outcome=Outcome.POURSUITE, rationale="Poursuite")
    services.decision_amend(
        no_evidence_reason="Décision sans preuve (test)",
        decision=decision,
        by=staff,
        reason="Le compte rendu dit poursuite",
        outcome="poursuite",
    )
    decision.refresh_from_db()
    assert decision.outcome == Outcome.POURSUITE
    assert decision.amendments.get().changes == {
        "outcome": {"from": "non_renseigne", "to": "poursuite"},
        "no_evidence_reason": {"from": "", "to": "Décision sans preuve (test)"},
    }


def test_correcting_an_open_decision_into_an_arret_applies_its_phase_effect(session, on_agenda, make_startup, member):
    startup = make_startup(phase="construction")
    (review,) = on_agenda(startup)
    decision = services.decision_record(
        no_evidence_reason="Décision sans preuve (test)",
        review=review,
        outcome=Outcome.PIVOT,
        by=member,
        rationale="Pivot",
    )
    services.decision_update(decision=decision, by=member, outcome=Outcome.ARRET, rationale="Finalement, arrêt")
    startup.refresh_from_db()
    decision.refresh_from_db()
    assert startup.current_phase == "abandon"
    assert decision.phase == startup.phases.get(name="abandon")


def test_an_amendment_form_with_a_period_ending_before_it_starts_says_so_once_on_the_end_date(
    client, closed_decision, member, today
):
    client.force_login(member)
    response = client.post(
        reverse("committees:decision_amend", args=[closed_decision.pk]),
        {
            "reason": "Relecture du relevé",
            "outcome": Outcome.POURSUITE,
            "rationale": "Objectifs atteints.",
            "budget_eur": "200000",
            "budget_period_start": today.isoformat(),
            "budget_period_end": (today - datetime.timedelta(days=1)).isoformat(),
            "conditions-TOTAL_FORMS": "0",
            "conditions-INITIAL_FORMS": "0",
        },
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert not Amendment.objects.exists()
    message = "La fin de la période financée ne peut pas précéder son début."
    # Once in the error summary, linked to the field, and once under the field.
    assert page.count(message) == 2
    assert f'<a href="#id_budget_period_end">au : {message}</a>' in page
    assert "contrainte" not in page.lower()
