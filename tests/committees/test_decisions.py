import datetime

import pytest
from django.core.exceptions import ValidationError

from committees import services
from committees.enums import ConditionStatus, Outcome, SessionStatus
from committees.models import Condition, Decision
from investigations.enums import InvestigationStatus
from investigations.services import investigation_open
from products.enums import MembershipRole
from tests.investigations.factories import InsightFactory, InterviewFactory, InvestigationFactory, QuoteFactory
from tests.products.factories import MembershipFactory, PhaseFactory, StartupFactory, UserFactory

from .factories import ImportedReviewFactory

pytestmark = pytest.mark.django_db

RATIONALE = "Le problème est réel et majeur pour les grandes entreprises."


def record(review, member, outcome=Outcome.POURSUITE, **kwargs):
    kwargs.setdefault("rationale", RATIONALE)
    if not any(kwargs.get(name) for name in ("cited_insights", "cited_quotes", "cited_interviews")):
        kwargs.setdefault("no_evidence_reason", "Décision sans preuve (test)")
    return services.decision_record(review=review, outcome=outcome, by=member, **kwargs)


def phases(startup):
    return list(startup.phases.order_by("start", "rank").values_list("name", "start", "end"))


# --- Phase effects of each outcome ---------------------------------------------------------------
@pytest.mark.parametrize(
    "outcome",
    [Outcome.POURSUITE, Outcome.POURSUITE_AVEC_RESERVES, Outcome.PROLONGATION_PROVISOIRE, Outcome.PIVOT],
)
def test_outcomes_without_a_phase_effect_leave_the_phases_alone(outcome, on_agenda, make_startup, member, today):
    startup = make_startup(phase="construction")
    (review,) = on_agenda(startup)
    before = phases(startup)
    conditions = [{"text": "Mesurer l'usage", "due_on": today, "owner": None}]
    decision = record(review, member, outcome, conditions=conditions)
    assert phases(startup) == before
    assert decision.phase is None


def test_passage_en_construction_opens_construction_and_concludes_the_investigation(
    on_agenda, make_startup, member, today
):
    startup = make_startup(phase=None)
    investigation = investigation_open(startup=startup, started_on=today - datetime.timedelta(days=70), by=member)
    (review,) = on_agenda(startup)
    decision = record(review, member, Outcome.PASSAGE_EN_CONSTRUCTION)
    startup.refresh_from_db()
    investigation.refresh_from_db()
    assert startup.current_phase == "construction"
    assert phases(startup) == [
        ("investigation", today - datetime.timedelta(days=70), today),
        ("construction", today, None),
    ]
    assert decision.phase == startup.phases.get(name="construction")
    assert investigation.status == InvestigationStatus.CONCLUANTE
    assert investigation.ended_on == today


def test_investigation_non_concluante_concludes_the_open_investigation_into_abandon_investigation(
    on_agenda, make_startup, member, today
):
    startup = make_startup(phase=None)
    investigation = investigation_open(startup=startup, started_on=today - datetime.timedelta(days=70), by=member)
    (review,) = on_agenda(startup)
    decision = record(review, member, Outcome.INVESTIGATION_NON_CONCLUANTE, next_committee_on=today)
    startup.refresh_from_db()
    investigation.refresh_from_db()
    assert startup.current_phase == "abandon-investigation"
    assert investigation.status == InvestigationStatus.NON_CONCLUANTE
    assert decision.phase == startup.phases.get(name="abandon-investigation")
    assert decision.next_committee_on is None


def test_investigation_non_concluante_without_an_investigation_still_moves_the_phase(on_agenda, make_startup, member):
    startup = make_startup(phase="investigation")
    (review,) = on_agenda(startup)
    decision = record(review, member, Outcome.INVESTIGATION_NON_CONCLUANTE)
    startup.refresh_from_db()
    assert startup.current_phase == "abandon-investigation"
    assert decision.phase.name == "abandon-investigation"


def test_arret_closes_the_startup_on_the_decision_date(on_agenda, make_startup, member, today):
    startup = make_startup(phase="acceleration")
    (review,) = on_agenda(startup)
    decision = record(review, member, Outcome.ARRET)
    startup.refresh_from_db()
    assert startup.current_phase == "abandon"
    assert startup.current_phase_start == today
    assert decision.phase.name == "abandon"
    assert startup.phases.get(name="acceleration").end == today


def test_passage_en_construction_on_a_startup_already_in_construction_is_refused_and_nothing_saved(
    session, on_agenda, make_startup, member
):
    startup = make_startup(phase="construction")
    (review,) = on_agenda(startup)
    with pytest.raises(ValidationError) as error:
        record(review, member, Outcome.PASSAGE_EN_CONSTRUCTION)
    assert "a déjà eu une phase « Construction »" in str(error.value)
    assert not Decision.objects.exists()
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED


def test_passage_en_construction_cannot_take_a_startup_back_from_acceleration(on_agenda, make_startup, member):
    startup = make_startup(phase="acceleration")
    (review,) = on_agenda(startup)
    with pytest.raises(ValidationError, match="est en phase « Accélération »"):
        record(review, member, Outcome.PASSAGE_EN_CONSTRUCTION)
    assert not Decision.objects.exists()


def test_arret_of_a_startup_already_stopped_is_refused(on_agenda, make_startup, member):
    startup = make_startup(phase="abandon")
    (review,) = on_agenda(startup)
    with pytest.raises(ValidationError, match="a déjà eu une phase « Arrêté »"):
        record(review, member, Outcome.ARRET)


def test_a_failed_phase_effect_leaves_no_condition_behind(on_agenda, make_startup, member, today):
    startup = make_startup(phase="construction")
    (review,) = on_agenda(startup)
    with pytest.raises(ValidationError):
        record(
            review,
            member,
            Outcome.PASSAGE_EN_CONSTRUCTION,
            conditions=[{"text": "Recruter", "due_on": today, "owner": None}],
        )
    assert not Condition.objects.exists()


# --- What a decision must hold -------------------------------------------------------------------
def test_the_rationale_is_required(on_agenda, make_startup, member):
    (review,) = on_agenda(make_startup())
    with pytest.raises(ValidationError, match="La motivation de la décision est obligatoire"):
        record(review, member, rationale="   ")


def test_poursuite_avec_reserves_requires_a_condition(on_agenda, make_startup, member):
    (review,) = on_agenda(make_startup())
    with pytest.raises(ValidationError, match="au moins une condition"):
        record(review, member, Outcome.POURSUITE_AVEC_RESERVES)
    assert not Decision.objects.exists()


def test_non_renseigne_is_only_for_the_imported_history(on_agenda, make_startup, member):
    (review,) = on_agenda(make_startup())
    with pytest.raises(ValidationError, match="Choisissez une décision"):
        record(review, member, Outcome.NON_RENSEIGNE)
    imported = ImportedReviewFactory()
    assert record(imported, None, Outcome.NON_RENSEIGNE).outcome == Outcome.NON_RENSEIGNE


def test_the_budget_period_cannot_end_before_it_starts(on_agenda, make_startup, member, today):
    (review,) = on_agenda(make_startup())
    with pytest.raises(ValidationError, match="ne peut pas précéder son début"):
        record(
            review,
            member,
            budget_eur=150_000,
            budget_period_start=today,
            budget_period_end=today - datetime.timedelta(days=1),
        )


def test_a_decision_cannot_be_recorded_before_the_session_takes_place(incubator, member, make_startup, today):
    from .factories import CommitteeSessionFactory

    session = CommitteeSessionFactory(incubator=incubator, date=today + datetime.timedelta(days=3), members=[member])
    (review,) = services.agenda_set(session=session, items=[(make_startup(), 50)], by=member)
    with pytest.raises(ValidationError, match="n'a pas encore eu lieu"):
        record(review, member)


def test_recording_the_first_decision_marks_the_session_held(session, on_agenda, make_startup, member):
    (review,) = on_agenda(make_startup())
    record(review, member)
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD


def test_a_condition_has_a_text_a_due_date_and_an_owner_from_the_team(on_agenda, make_startup, member, today):
    startup = make_startup()
    intrapreneur = startup.memberships.get().user
    (review,) = on_agenda(startup)
    decision = record(
        review,
        member,
        Outcome.POURSUITE_AVEC_RESERVES,
        conditions=[
            {"text": "Recruter un intrapreneur", "due_on": today + datetime.timedelta(days=60), "owner": intrapreneur},
            {"text": "Mesurer l'usage", "due_on": today + datetime.timedelta(days=30), "owner": None},
        ],
    )
    assert list(decision.conditions.values_list("text", "owner", "status")) == [
        ("Mesurer l'usage", None, ConditionStatus.OPEN),
        ("Recruter un intrapreneur", intrapreneur.pk, ConditionStatus.OPEN),
    ]


def test_a_condition_owner_outside_the_team_is_refused(on_agenda, make_startup, member, today):
    (review,) = on_agenda(make_startup())
    outsider = UserFactory(full_name="Personne Extérieure")
    with pytest.raises(ValidationError, match="« Personne Extérieure » n'est pas membre de l'équipe"):
        record(
            review,
            member,
            Outcome.POURSUITE_AVEC_RESERVES,
            conditions=[{"text": "Recruter", "due_on": today, "owner": outsider}],
        )


def test_a_condition_cannot_be_due_before_the_decision(on_agenda, make_startup, member, today):
    (review,) = on_agenda(make_startup())
    with pytest.raises(ValidationError, match="Condition n° 1 : l'échéance ne peut pas précéder"):
        record(
            review,
            member,
            Outcome.POURSUITE_AVEC_RESERVES,
            conditions=[{"text": "Recruter", "due_on": today - datetime.timedelta(days=1), "owner": None}],
        )


def test_evidence_is_cited_from_the_startups_own_investigations(on_agenda, make_startup, member):
    startup = make_startup()
    investigation = InvestigationFactory(startup=startup)
    insight = InsightFactory(investigation=investigation)
    quote = QuoteFactory(interview=InterviewFactory(investigation=investigation))
    interview = InterviewFactory(investigation=investigation)
    (review,) = on_agenda(startup)
    decision = record(review, member, cited_insights=[insight], cited_quotes=[quote], cited_interviews=[interview])
    assert list(insight.citing_decisions.all()) == [decision]
    assert list(decision.cited_quotes.all()) == [quote]
    assert list(decision.cited_interviews.all()) == [interview]


def test_evidence_from_another_startup_is_refused(on_agenda, make_startup, member):
    (review,) = on_agenda(make_startup())
    elsewhere = QuoteFactory(interview=InterviewFactory(investigation=InvestigationFactory(startup=StartupFactory())))
    with pytest.raises(ValidationError, match="n'appartiennent pas aux investigations"):
        record(review, member, cited_quotes=[elsewhere])
    assert not Decision.objects.exists()


def test_the_next_committee_is_suggested_six_months_on_or_two_for_a_provisional_extension():
    day = datetime.date(2026, 8, 31)
    assert services.suggested_next_committee(outcome=Outcome.POURSUITE, on=day) == datetime.date(2027, 2, 28)
    assert services.suggested_next_committee(outcome=Outcome.PROLONGATION_PROVISOIRE, on=day) == datetime.date(
        2026, 10, 31
    )
    assert services.suggested_next_committee(outcome=Outcome.ARRET, on=day) is None


# --- Conditions follow-up ------------------------------------------------------------------------
def test_a_condition_is_marked_met_with_a_note(on_agenda, make_startup, member, today):
    (review,) = on_agenda(make_startup())
    decision = record(
        review,
        member,
        Outcome.POURSUITE_AVEC_RESERVES,
        conditions=[{"text": "Recruter", "due_on": today, "owner": None}],
    )
    condition = services.condition_resolve(condition=decision.conditions.get(), by=member, met=False, note="Pas encore")
    assert condition.status == ConditionStatus.NOT_MET
    assert condition.resolution_note == "Pas encore"
    assert condition.resolved_by == member
    with pytest.raises(ValidationError, match="déjà levée"):
        services.condition_resolve(condition=condition, by=member, met=True, note="Finalement oui")


def test_a_condition_cannot_be_resolved_without_a_note(on_agenda, make_startup, member, today):
    (review,) = on_agenda(make_startup())
    decision = record(
        review,
        member,
        Outcome.POURSUITE_AVEC_RESERVES,
        conditions=[{"text": "Recruter", "due_on": today, "owner": None}],
    )
    with pytest.raises(ValidationError, match="Ajoutez une note"):
        services.condition_resolve(condition=decision.conditions.get(), by=member, met=True, note="")
    assert decision.conditions.get().status == ConditionStatus.OPEN


def test_owner_of_a_condition_may_be_a_coach_of_the_startup(on_agenda, make_startup, member, today):
    startup = make_startup()
    coach = MembershipFactory(startup=startup, role=MembershipRole.COACH).user
    (review,) = on_agenda(startup)
    decision = record(
        review,
        member,
        Outcome.POURSUITE_AVEC_RESERVES,
        conditions=[{"text": "Recruter", "due_on": today, "owner": coach}],
    )
    assert decision.conditions.get().owner == coach


def test_a_phase_effect_dated_before_the_current_phase_start_is_refused(session, member, make_startup, today):
    startup = make_startup(phase=None)
    PhaseFactory(startup=startup, name="acceleration", start=today + datetime.timedelta(days=1))
    (review,) = services.agenda_set(session=session, items=[(startup, 50)], by=member)
    with pytest.raises(ValidationError, match="ne peut pas commencer avant le début de la phase en cours"):
        record(review, member, Outcome.ARRET)
    assert not Decision.objects.exists()
