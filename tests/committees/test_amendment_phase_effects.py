"""Issue 11, item 4: an amendment that changes the outcome re-applies the phase effects, so that the decision and
the phases always agree — or it is refused with what to do instead."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committees import services
from committees.enums import Outcome
from committees.lifecycle import lifecycle_problems
from committees.models import Amendment, Decision
from investigations.enums import InvestigationStatus
from investigations.services import investigation_open, investigation_suspend
from tests.betatracker.factories import api_token_for
from tests.products.factories import PhaseFactory, UserFactory

from .factories import ImportedDecisionFactory

pytestmark = pytest.mark.django_db


def phases(startup):
    return [(phase.name, phase.end) for phase in startup.ordered_phases()]


@pytest.fixture
def decide(session, on_agenda, member):
    """Record `outcome` on `startup` in the session, then close it: a decision of the minutes."""

    def record(startup, outcome, **kwargs):
        (review,) = on_agenda(startup)
        kwargs.setdefault("no_evidence_reason", "Décision sans preuve (test)")
        decision = services.decision_record(review=review, outcome=outcome, by=member, rationale="Motif", **kwargs)
        services.session_close(session=session, by=member)
        return Decision.objects.get(pk=decision.pk)

    return record


def test_amending_a_poursuite_into_an_arret_closes_the_startup_into_abandon(decide, make_startup, member, today):
    startup = make_startup("Alpha", phase="construction")
    decision = decide(startup, Outcome.POURSUITE, next_committee_on=today + datetime.timedelta(days=180))

    services.decision_amend(
        no_evidence_reason="Décision sans preuve (test)",
        decision=decision,
        by=member,
        reason="Le comité a décidé l'arrêt",
        outcome=Outcome.ARRET,
    )

    startup.refresh_from_db()
    decision.refresh_from_db()
    assert startup.current_phase == "abandon"
    assert phases(startup) == [("construction", today), ("abandon", None)]
    assert decision.phase == startup.phases.get(name="abandon")
    assert lifecycle_problems() == []


def test_after_the_amendment_the_dashboard_row_and_the_api_agree(decide, make_startup, member, client):
    startup = make_startup("Alpha", phase="construction")
    decision = decide(startup, Outcome.POURSUITE)
    services.decision_amend(
        no_evidence_reason="Décision sans preuve (test)",
        decision=decision,
        by=member,
        reason="Arrêt décidé",
        outcome=Outcome.ARRET,
    )

    admin = UserFactory(is_superuser=True)
    client.force_login(admin)
    [row] = client.get(reverse("dashboard:home"), {"scope": "network"}).context["page_obj"].object_list
    assert (row.current_phase_label, row.last_decision_outcome_label) == ("Arrêté", "Arrêt")

    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_for(admin)[1]}"}
    api_startup = client.get(reverse("api:startup_detail", kwargs={"slug": startup.slug}), **headers).json()
    [api_decision] = client.get(reverse("api:decision_list"), **headers).json()["results"]
    assert (api_startup["current_phase"], api_decision["outcome"]) == ("abandon", "arret")


def test_amending_an_arret_into_a_poursuite_reopens_the_phase_it_closed(decide, make_startup, member):
    startup = make_startup(phase="construction")
    decision = decide(startup, Outcome.ARRET)

    services.decision_amend(
        no_evidence_reason="Décision sans preuve (test)",
        decision=decision,
        by=member,
        reason="Erreur de saisie",
        outcome=Outcome.POURSUITE,
    )

    startup.refresh_from_db()
    assert startup.current_phase == "construction"
    assert phases(startup) == [("construction", None)]
    assert Decision.objects.get(pk=decision.pk).phase is None
    assert lifecycle_problems() == []


def test_amending_a_passage_en_construction_into_a_poursuite_reopens_the_investigation(
    decide, make_startup, member, today
):
    startup = make_startup(phase=None)
    investigation = investigation_open(startup=startup, started_on=today - datetime.timedelta(days=60))
    decision = decide(startup, Outcome.PASSAGE_EN_CONSTRUCTION)
    investigation.refresh_from_db()
    assert investigation.status == InvestigationStatus.CONCLUANTE

    services.decision_amend(
        no_evidence_reason="Décision sans preuve (test)",
        decision=decision,
        by=member,
        reason="Pas encore",
        outcome=Outcome.POURSUITE,
    )

    startup.refresh_from_db()
    investigation.refresh_from_db()
    assert startup.current_phase == "investigation"
    assert phases(startup) == [("investigation", None)]
    assert (investigation.status, investigation.ended_on) == (InvestigationStatus.EN_COURS, None)
    assert lifecycle_problems() == []


def test_amending_a_passage_en_construction_into_an_investigation_non_concluante(decide, make_startup, member, today):
    startup = make_startup(phase=None)
    investigation = investigation_open(startup=startup, started_on=today - datetime.timedelta(days=60))
    decision = decide(startup, Outcome.PASSAGE_EN_CONSTRUCTION)

    services.decision_amend(
        no_evidence_reason="Décision sans preuve (test)",
        decision=decision,
        by=member,
        reason="Le comité a conclu à l'échec",
        outcome=Outcome.INVESTIGATION_NON_CONCLUANTE,
    )

    startup.refresh_from_db()
    investigation.refresh_from_db()
    decision.refresh_from_db()
    assert phases(startup) == [("investigation", today), ("abandon-investigation", None)]
    assert investigation.status == InvestigationStatus.NON_CONCLUANTE
    assert decision.phase == startup.phases.get(name="abandon-investigation")
    assert lifecycle_problems() == []


def test_a_suspended_investigation_the_decision_concluded_is_suspended_again(decide, make_startup, member, today):
    startup = make_startup(phase=None)
    investigation = investigation_open(startup=startup, started_on=today - datetime.timedelta(days=60))
    investigation_suspend(investigation=investigation, reason="Plus de temps.", on=today - datetime.timedelta(days=5))
    decision = decide(startup, Outcome.INVESTIGATION_NON_CONCLUANTE)

    services.decision_amend(
        no_evidence_reason="Décision sans preuve (test)",
        decision=decision,
        by=member,
        reason="Erreur",
        outcome=Outcome.PIVOT,
    )

    investigation.refresh_from_db()
    startup.refresh_from_db()
    assert investigation.status == InvestigationStatus.SUSPENDUE
    assert investigation.status_note == "Plus de temps."
    assert startup.current_phase == "investigation"


def test_an_imported_decision_amended_to_the_outcome_its_phases_already_record_leaves_them_alone(staff):
    decision = ImportedDecisionFactory(review__date=datetime.date(2021, 3, 15))
    startup = decision.startup
    PhaseFactory(
        startup=startup, name="investigation", start=datetime.date(2020, 11, 2), end=datetime.date(2021, 3, 15)
    )
    PhaseFactory(startup=startup, name="construction", start=datetime.date(2021, 3, 15))

    services.decision_amend(
        no_evidence_reason="Décision sans preuve (test)",
        decision=decision,
        by=staff,
        reason="Le GO du comité",
        outcome="passage_en_construction",
    )

    decision.refresh_from_db()
    assert decision.outcome == Outcome.PASSAGE_EN_CONSTRUCTION
    assert decision.phase is None
    assert phases(startup) == [("investigation", datetime.date(2021, 3, 15)), ("construction", None)]
    assert lifecycle_problems() == []


def test_an_old_imported_decision_cannot_be_amended_into_an_arret_of_a_startup_still_running(staff):
    decision = ImportedDecisionFactory(review__date=datetime.date(2021, 3, 15))
    startup = decision.startup
    PhaseFactory(startup=startup, name="construction", start=datetime.date(2022, 1, 3))

    with pytest.raises(ValidationError) as error:
        services.decision_amend(
            no_evidence_reason="Décision sans preuve (test)",
            decision=decision,
            by=staff,
            reason="Relecture",
            outcome=Outcome.ARRET,
        )

    assert "a changé de phase depuis cette décision (phase « Construction » depuis le 03/01/2022)" in str(error.value)
    assert "Enregistrez la nouvelle décision lors d'un prochain comité" in str(error.value)
    assert Decision.objects.get(pk=decision.pk).outcome == Outcome.NON_RENSEIGNE
    assert phases(startup) == [("construction", None)]
    assert not Amendment.objects.exists()


def test_an_amendment_history_record_names_its_amendment(decide, make_startup, member):
    decision = decide(make_startup(phase="construction"), Outcome.POURSUITE)
    amendment = services.decision_amend(
        no_evidence_reason="Décision sans preuve (test)",
        decision=decision,
        by=member,
        reason="Arrêt",
        outcome=Outcome.ARRET,
    )
    reasons = set(decision.history.filter(history_type="~").values_list("history_change_reason", flat=True))
    assert reasons == {f"amendment:{amendment.pk}"}


def test_an_arret_ends_the_investigation_in_progress_and_its_amendment_resumes_it(decide, make_startup, member, today):
    startup = make_startup(phase=None)
    investigation = investigation_open(startup=startup, started_on=today - datetime.timedelta(days=60))
    decision = decide(startup, Outcome.ARRET)
    investigation.refresh_from_db()
    startup.refresh_from_db()
    assert (startup.current_phase, investigation.status) == ("abandon", InvestigationStatus.NON_CONCLUANTE)
    assert lifecycle_problems() == []

    services.decision_amend(
        no_evidence_reason="Décision sans preuve (test)",
        decision=decision,
        by=member,
        reason="Erreur",
        outcome=Outcome.POURSUITE,
    )

    investigation.refresh_from_db()
    startup.refresh_from_db()
    assert (startup.current_phase, investigation.status) == ("investigation", InvestigationStatus.EN_COURS)
    assert lifecycle_problems() == []
