"""The committee pages render what a person needs, and keep a fixed number of queries however many rows."""

import datetime

import pytest
from django.urls import reverse

from committees import services
from committees.enums import Outcome
from investigations.enums import HypothesisStatus
from tests.investigations.factories import (
    HypothesisFactory,
    InsightFactory,
    InterviewFactory,
    InvestigationFactory,
    QuoteFactory,
    TargetGroupFactory,
)
from tests.products.factories import UserFactory

from .factories import (
    AmendmentFactory,
    CommitteeSessionFactory,
    ConditionFactory,
    DecisionFactory,
    ReviewFactory,
)
from .utils import page_text

pytestmark = pytest.mark.django_db


def decided_review(session, startup_kwargs=None, *, conditions=2, evidence=True):
    review = ReviewFactory(session=session, **(startup_kwargs or {}))
    decision = DecisionFactory(review=review, outcome=Outcome.POURSUITE_AVEC_RESERVES, budget_eur=150_000)
    for _ in range(conditions):
        ConditionFactory(decision=decision, owner=UserFactory(), due_on=session.date - datetime.timedelta(days=1))
    if evidence:
        investigation = InvestigationFactory(startup=review.startup)
        decision.cited_insights.add(InsightFactory(investigation=investigation))
        decision.cited_quotes.add(QuoteFactory(interview=InterviewFactory(investigation=investigation)))
    return review


# --- Session list ---------------------------------------------------------------------------------
def test_the_session_list_makes_its_pinned_queries_with_one_or_many_sessions(
    client, incubator, staff, today, snapshot_queries
):
    client.force_login(staff)
    url = reverse("committees:session_list")
    decided_review(CommitteeSessionFactory(incubator=incubator))
    assert snapshot_queries(lambda: client.get(url)).status_code == 200
    for _ in range(6):
        session = CommitteeSessionFactory(incubator=incubator, date=today - datetime.timedelta(days=30))
        decided_review(session)
        ReviewFactory(session=session)
    assert snapshot_queries(lambda: client.get(url)).status_code == 200
    page = page_text(client.get(url))
    assert page.count("1 / 2") == 6
    assert "Nouvelle séance" in page


# --- Session page ---------------------------------------------------------------------------------
def test_the_session_page_shows_slots_members_and_decisions(client, session, on_agenda, make_startup, member):
    alpha, bravo = on_agenda(make_startup("Alpha"), make_startup("Bravo"))
    DecisionFactory(review=alpha, outcome=Outcome.PIVOT)
    client.force_login(member)
    page = page_text(client.get(reverse("committees:session_detail", args=[session.pk])))
    assert "09h30 – 10h20" in page and "10h20 – 11h10" in page
    assert "15 min présentation, 15 min questions, 20 min délibération" in page
    assert "Claude Comité" in page
    assert "Pivot" in page
    assert reverse("committees:decision_create", args=[bravo.pk]) in page
    assert "il manque la décision de : « Bravo »" in page


def test_the_session_page_makes_its_pinned_queries_with_one_or_many_startups(client, session, member, snapshot_queries):
    client.force_login(member)
    url = reverse("committees:session_detail", args=[session.pk])
    decided_review(session)
    assert snapshot_queries(lambda: client.get(url)).status_code == 200
    for _ in range(5):
        decided_review(session)
        ReviewFactory(session=session)
    session.members.add(UserFactory(), UserFactory())
    assert snapshot_queries(lambda: client.get(url)).status_code == 200


def test_the_session_page_for_a_team_makes_its_pinned_queries(client, session, make_startup, snapshot_queries):
    alpha = make_startup("Alpha")
    ReviewFactory(session=session, startup=alpha)
    team = alpha.memberships.get().user
    client.force_login(team)
    url = reverse("committees:session_detail", args=[session.pk])
    assert snapshot_queries(lambda: client.get(url)).status_code == 200
    for _ in range(5):
        decided_review(session)
    assert snapshot_queries(lambda: client.get(url)).status_code == 200


def test_closing_with_missing_decisions_names_them_on_the_page(client, session, on_agenda, make_startup, member):
    on_agenda(make_startup("Alpha"), make_startup("Bravo"))
    client.force_login(member)
    response = client.post(reverse("committees:session_close", args=[session.pk]), follow=True)
    assert "La séance ne peut pas être close : décision manquante pour « Alpha », « Bravo »." in page_text(response)
    session.refresh_from_db()
    assert not session.is_closed


def test_the_agenda_form_reports_a_duplicate_startup(client, session, make_startup, staff):
    alpha = make_startup("Alpha")
    client.force_login(staff)
    data = {"agenda-TOTAL_FORMS": "2", "agenda-INITIAL_FORMS": "0"}
    for index in range(2):
        data |= {f"agenda-{index}-startup": alpha.pk, f"agenda-{index}-duration_minutes": "50"}
    response = client.post(reverse("committees:session_agenda", args=[session.pk]), data)
    assert response.status_code == 200
    assert "« Alpha » figure deux fois à l'ordre du jour." in page_text(response)
    assert not session.reviews.exists()


def test_the_agenda_form_removes_a_startup_and_reschedules(client, session, on_agenda, make_startup, staff):
    alpha, bravo = make_startup("Alpha"), make_startup("Bravo")
    on_agenda(alpha, bravo)
    client.force_login(staff)
    url = reverse("committees:session_agenda", args=[session.pk])
    assert 'value="1"' in page_text(client.get(url))
    data = {
        "agenda-TOTAL_FORMS": "2",
        "agenda-INITIAL_FORMS": "2",
        "agenda-0-startup": alpha.pk,
        "agenda-0-duration_minutes": "50",
        "agenda-0-ORDER": "1",
        "agenda-0-DELETE": "on",
        "agenda-1-startup": bravo.pk,
        "agenda-1-duration_minutes": "40",
        "agenda-1-ORDER": "2",
    }
    assert client.post(url, data).status_code == 302
    review = session.reviews.get()
    assert (review.startup, review.starts_at, review.duration_minutes) == (bravo, datetime.time(9, 30), 40)


# --- Review pack ----------------------------------------------------------------------------------
def open_conditions_section(page: str) -> str:
    """The pack's "Conditions ouvertes" section (the previous decision's conditions are also listed above it,
    with how each was resolved)."""
    return page.split("<h2>Conditions ouvertes</h2>")[1].split("<h2>")[0]


def test_the_review_pack_holds_the_sheet_the_previous_decision_the_synthesis_and_the_request(
    client, session, on_agenda, make_startup, member, today
):
    startup = make_startup("Alpha", phase="construction", mission="Simplifier les aides agricoles")
    investigation = InvestigationFactory(startup=startup, started_on=today - datetime.timedelta(days=300))
    group = TargetGroupFactory(investigation=investigation, name="Grande entreprise (> 500)")
    quote = QuoteFactory(interview=InterviewFactory(investigation=investigation, target_group=group, intensity=0))
    insight = InsightFactory(investigation=investigation, statement="Un tiers ne voit aucun problème")
    insight.interviews.add(quote.interview)
    insight.quotes.add(quote)
    HypothesisFactory(investigation=investigation, statement="Les PME veulent un compte unique")
    HypothesisFactory(investigation=investigation, status=HypothesisStatus.VALIDEE)
    past = CommitteeSessionFactory(incubator=session.incubator, date=today - datetime.timedelta(days=180))
    previous = DecisionFactory(
        review=ReviewFactory(session=past, startup=startup),
        outcome=Outcome.POURSUITE_AVEC_RESERVES,
        rationale="Réserves sur l'équipe",
    )
    ConditionFactory(decision=previous, text="Recruter une designer", due_on=today - datetime.timedelta(days=10))
    ConditionFactory(decision=previous, text="Condition déjà tenue", status="met", resolved_at=previous.created_at)
    (review,) = on_agenda(startup)
    services.review_request_update(
        review=review,
        by=startup.memberships.get().user,
        requested_team="Deux développeurs",
        requested_budget_eur=180_000,
        hypotheses_to_test="Les agents adoptent le service",
        success_criteria="1 000 dossiers déposés",
    )
    client.force_login(member)
    page = page_text(client.get(reverse("committees:review_detail", args=[review.pk])))
    for text in [
        "Simplifier les aides agricoles",
        "Construction",
        "depuis le",
        "Réserves sur l'équipe",
        "Recruter une designer",
        "En retard",
        "Grande entreprise (> 500)",
        "100 % des personnes interrogées ne voient aucun problème",
        "Un tiers ne voit aucun problème",
        quote.text,
        "Les PME veulent un compte unique",
        "Validée : 1",
        "Deux développeurs",
        "180\xa0000 €",
        "1 000 dossiers déposés",
    ]:
        assert text in page, text
    assert "Condition déjà tenue" not in open_conditions_section(page)
    assert "Condition déjà tenue" in page.split("Conditions de la décision précédente", 1)[1]  # with its follow-up


def test_open_conditions_carry_into_the_next_review_pack_until_resolved(
    client, session, on_agenda, make_startup, member, incubator, today
):
    startup = make_startup("Alpha")
    past = CommitteeSessionFactory(incubator=incubator, date=today - datetime.timedelta(days=200), members=[member])
    (past_review,) = services.agenda_set(session=past, items=[(startup, 50)], by=member)
    decision = services.decision_record(
        no_evidence_reason="Décision sans preuve (test)",
        review=past_review,
        outcome=Outcome.POURSUITE_AVEC_RESERVES,
        by=member,
        rationale="Réserves",
        conditions=[
            {"text": "Recruter une designer", "due_on": today - datetime.timedelta(days=100), "owner": None},
            {"text": "Publier les statistiques", "due_on": today + datetime.timedelta(days=10), "owner": None},
        ],
    )
    services.session_close(session=past, by=member)
    (review,) = on_agenda(startup)
    client.force_login(member)
    url = reverse("committees:review_detail", args=[review.pk])
    page = page_text(client.get(url))
    assert "Recruter une designer" in page and "Publier les statistiques" in page
    services.condition_resolve(
        condition=decision.conditions.get(text="Recruter une designer"), by=member, met=True, note="Arrivée en mai"
    )
    page = open_conditions_section(page_text(client.get(url)))
    assert "Recruter une designer" not in page
    assert "Publier les statistiques" in page


def test_the_review_pack_makes_its_pinned_queries(
    client, session, on_agenda, make_startup, member, today, snapshot_queries
):
    startup = make_startup("Alpha")
    investigation = InvestigationFactory(startup=startup)
    InsightFactory(investigation=investigation).quotes.add(
        QuoteFactory(interview=InterviewFactory(investigation=investigation))
    )
    HypothesisFactory(investigation=investigation)
    (review,) = on_agenda(startup)
    imported = ReviewFactory(session=None, startup=startup, date=today - datetime.timedelta(days=90))
    previous = DecisionFactory(review=imported)
    ConditionFactory(decision=previous)
    client.force_login(member)
    url = reverse("committees:review_detail", args=[review.pk])
    assert snapshot_queries(lambda: client.get(url)).status_code == 200
    for _ in range(5):
        insight = InsightFactory(investigation=investigation)
        group = TargetGroupFactory(investigation=investigation)
        insight.quotes.add(QuoteFactory(interview=InterviewFactory(investigation=investigation, target_group=group)))
        HypothesisFactory(investigation=investigation)
        ConditionFactory(decision=previous)
    assert snapshot_queries(lambda: client.get(url)).status_code == 200


def test_a_review_pack_without_investigation_says_so(client, on_agenda, make_startup, member):
    (review,) = on_agenda(make_startup())
    client.force_login(member)
    page = page_text(client.get(reverse("committees:review_detail", args=[review.pk])))
    assert "Aucune investigation pour cette startup." in page
    assert "Premier passage en comité : aucune décision antérieure." in page
    assert "L'équipe n'a pas encore renseigné sa demande." in page


def test_the_printable_pages_load_the_print_stylesheet(client, session, on_agenda, make_startup, member):
    (review,) = on_agenda(make_startup())
    client.force_login(member)
    for url in (
        reverse("committees:review_detail", args=[review.pk]),
        reverse("committees:session_minutes", args=[session.pk]),
    ):
        assert 'committees-print.css" media="print"' in page_text(client.get(url))


def test_the_agenda_form_makes_its_pinned_queries_with_one_or_many_startups(
    client, session, on_agenda, make_startup, staff, snapshot_queries
):
    alpha = make_startup("Alpha")
    on_agenda(alpha)
    client.force_login(staff)
    url = reverse("committees:session_agenda", args=[session.pk])
    assert snapshot_queries(lambda: client.get(url)).status_code == 200
    on_agenda(alpha, *(make_startup(f"Startup {n}") for n in range(6)))
    response = snapshot_queries(lambda: client.get(url))
    assert response.status_code == 200
    assert 'name="agenda-INITIAL_FORMS" value="7"' in page_text(response)  # the seven startups, one row each


# --- Decision form --------------------------------------------------------------------------------
def test_the_decision_form_prefills_the_next_committee_and_lists_only_this_startups_evidence(
    client, on_agenda, make_startup, member, today
):
    startup = make_startup("Alpha")
    mine = QuoteFactory(interview=InterviewFactory(investigation=InvestigationFactory(startup=startup)), text="Le mien")
    theirs = QuoteFactory(text="Celui d'une autre startup")
    (review,) = on_agenda(startup)
    client.force_login(member)
    url = reverse("committees:decision_create", args=[review.pk])
    page = page_text(client.get(url))
    assert services.add_months(today, 6).isoformat() in page
    assert mine.text in page and theirs.text not in page
    assert "Non renseigné" not in page
    page = page_text(client.get(url + "?outcome=prolongation_provisoire"))
    assert f'value="{services.add_months(today, 2).isoformat()}"' in page


def test_the_decision_form_keeps_what_was_typed_and_names_the_problem(client, on_agenda, make_startup, member):
    startup = make_startup("Alpha")
    theirs = QuoteFactory()
    (review,) = on_agenda(startup)
    client.force_login(member)
    response = client.post(
        reverse("committees:decision_create", args=[review.pk]),
        {
            "outcome": Outcome.POURSUITE_AVEC_RESERVES,
            "rationale": "",
            "budget_eur": "abc",
            "cited_quotes": [theirs.pk],
            "conditions-TOTAL_FORMS": "3",
            "conditions-INITIAL_FORMS": "0",
            "conditions-0-text": "Recruter",
        },
    )
    page = page_text(response)
    assert response.status_code == 200
    assert "La motivation de la décision est obligatoire." in page
    assert "Saisissez un nombre entier." in page
    assert "Sélectionnez un choix valide" in page
    assert "Indiquez l'échéance de cette condition." in page
    assert "Recruter" in page
    assert not review.startup.decisions.exists()


def test_reserves_without_a_condition_is_refused_on_the_form(client, on_agenda, make_startup, member):
    (review,) = on_agenda(make_startup())
    client.force_login(member)
    response = client.post(
        reverse("committees:decision_create", args=[review.pk]),
        {
            "outcome": Outcome.POURSUITE_AVEC_RESERVES,
            "rationale": "Réserves",
            "conditions-TOTAL_FORMS": "3",
            "conditions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Une poursuite avec réserves demande au moins une condition, avec son échéance." in page_text(response)


def test_an_impossible_phase_effect_is_explained_on_the_form(client, on_agenda, make_startup, member):
    (review,) = on_agenda(make_startup("Alpha", phase="construction"))
    client.force_login(member)
    response = client.post(
        reverse("committees:decision_create", args=[review.pk]),
        {
            "outcome": Outcome.PASSAGE_EN_CONSTRUCTION,
            "rationale": "Go",
            "without_evidence": "on",
            "no_evidence_reason": "Décision sans preuve (test)",
            "conditions-TOTAL_FORMS": "0",
            "conditions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    page = page_text(response)
    assert "« Alpha » a déjà eu une phase « Construction » : la décision « Passage en construction »" in page
    assert not review.startup.decisions.exists()


def test_an_open_decision_is_edited_through_the_same_form(client, on_agenda, make_startup, member, today):
    (review,) = on_agenda(make_startup("Alpha"))
    decision = services.decision_record(
        no_evidence_reason="Décision sans preuve (test)",
        review=review,
        outcome=Outcome.POURSUITE_AVEC_RESERVES,
        by=member,
        rationale="Réserves",
        conditions=[{"text": "Recruter", "due_on": today, "owner": None}],
    )
    client.force_login(member)
    url = reverse("committees:decision_update", args=[decision.pk])
    assert "Recruter" in page_text(client.get(url))
    response = client.post(
        url,
        {
            "outcome": Outcome.POURSUITE_AVEC_RESERVES,
            "rationale": "Réserves précisées",
            "without_evidence": "on",
            "no_evidence_reason": "Décision sans preuve (test)",
            "conditions-TOTAL_FORMS": "2",
            "conditions-INITIAL_FORMS": "1",
            "conditions-0-text": "Recruter une designer",
            "conditions-0-due_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.rationale == "Réserves précisées"
    assert list(decision.conditions.values_list("text", flat=True)) == ["Recruter une designer"]


def test_the_decision_form_makes_its_pinned_queries_with_little_or_much_evidence(
    client, on_agenda, make_startup, member, snapshot_queries
):
    startup = make_startup("Alpha", phase=None)
    investigation = InvestigationFactory(startup=startup, open=True)
    InsightFactory(investigation=investigation).quotes.add(
        QuoteFactory(interview=InterviewFactory(investigation=investigation))
    )
    (review,) = on_agenda(startup)
    client.force_login(member)
    url = reverse("committees:decision_create", args=[review.pk])
    assert snapshot_queries(lambda: client.get(url)).status_code == 200
    for _ in range(6):
        InsightFactory(investigation=investigation).quotes.add(
            QuoteFactory(interview=InterviewFactory(investigation=investigation))
        )
    response = snapshot_queries(lambda: client.get(url))
    assert response.status_code == 200
    assert page_text(response).count("La ressaisie coûte vingt minutes par dossier.") == 7


# --- Decision page --------------------------------------------------------------------------------
def test_the_decision_page_lists_the_cited_evidence(client, session, member):
    review = decided_review(session)
    decision = review.decision
    insight, quote = decision.cited_insights.get(), decision.cited_quotes.get()
    client.force_login(member)
    page = page_text(client.get(reverse("committees:decision_detail", args=[decision.pk])))
    assert insight.statement in page
    assert quote.text in page
    assert "Amendement" not in page.split("Historique")[0]


def test_the_decision_page_links_insights_only_when_the_insight_page_exists(client, session, member):
    from django.urls import NoReverseMatch

    review = decided_review(session)
    insight = review.decision.cited_insights.get()
    client.force_login(member)
    page = page_text(client.get(reverse("committees:decision_detail", args=[review.decision.pk])))
    try:
        url = reverse("investigations:insight_detail", args=[insight.pk])
    except NoReverseMatch:
        assert f">{insight.statement}</li>" in page
    else:
        assert f'<a href="{url}">{insight.statement}</a>' in page


def test_a_member_resolves_a_condition_from_the_decision_page(client, session, member):
    review = decided_review(session, conditions=1, evidence=False)
    condition = review.decision.conditions.get()
    client.force_login(member)
    page = page_text(client.get(reverse("committees:decision_detail", args=[review.decision.pk])))
    url = reverse("committees:condition_resolve", args=[condition.pk])
    assert url in page
    response = client.post(url, {"resolve-result": "not_met", "resolve-note": ""})
    assert "Ajoutez une note qui explique si et comment la condition est tenue." in page_text(response)
    client.post(url, {"resolve-result": "not_met", "resolve-note": "Aucun recrutement"})
    page = page_text(client.get(reverse("committees:decision_detail", args=[review.decision.pk])))
    assert "Non tenue" in page and "Aucun recrutement" in page


# --- Minutes --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["session_minutes", "session_minutes_csv"])
def test_the_minutes_make_their_pinned_queries_with_one_or_many_decisions(
    client, session, member, name, snapshot_queries
):
    client.force_login(member)
    url = reverse(f"committees:{name}", args=[session.pk])
    decided_review(session)
    assert snapshot_queries(lambda: client.get(url)).status_code == 200
    for _ in range(5):
        decided_review(session)
    assert snapshot_queries(lambda: client.get(url)).status_code == 200


def test_the_minutes_download_as_csv_and_json(client, session, member):
    review = decided_review(session, conditions=1)
    client.force_login(member)
    response = client.get(reverse("committees:session_minutes_json", args=[session.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="releve-')
    (row,) = response.json()
    assert row["startup"] == review.startup.slug
    assert row["outcome"] == "poursuite_avec_reserves"
    assert row["budget_eur"] == 150_000
    assert row["evidence_count"] == 2
    response = client.get(reverse("committees:session_minutes_csv", args=[session.pk]))
    lines = response.content.decode().splitlines()
    assert lines[0] == (
        '"startup","date","session_kind","outcome","budget_eur","next_committee","conditions","evidence_count",'
        '"no_evidence_reason","checklist"'
    )
    assert lines[1].startswith(f'"{review.startup.slug}","{session.date.isoformat()}","investissement",')


# --- Overdue conditions ---------------------------------------------------------------------------
def test_the_overdue_list_shows_only_overdue_open_conditions_the_person_may_see(client, session, member, today):
    review = decided_review(session, conditions=0, evidence=False)
    ConditionFactory(decision=review.decision, text="En retard visible", due_on=today - datetime.timedelta(days=3))
    ConditionFactory(decision=review.decision, text="Pas encore due", due_on=today + datetime.timedelta(days=3))
    ConditionFactory(
        decision=review.decision,
        text="Tenue en retard",
        due_on=today - datetime.timedelta(days=3),
        status="met",
        resolved_at=review.decision.created_at,
    )
    ConditionFactory(text="En retard ailleurs", due_on=today - datetime.timedelta(days=3))
    client.force_login(member)
    page = page_text(client.get(reverse("committees:condition_overdue_list")))
    assert "En retard visible" in page
    assert "Pas encore due" not in page
    assert "Tenue en retard" not in page
    assert "En retard ailleurs" not in page
    assert "1 condition en retard" in page


@pytest.mark.parametrize("reader", ["member", "staff", "admin"])
def test_the_overdue_list_makes_its_pinned_queries(client, session, member, staff, reader, snapshot_queries):
    decided_review(session, conditions=1, evidence=False)
    url = reverse("committees:condition_overdue_list")
    client.force_login({"member": member, "staff": staff, "admin": UserFactory(is_superuser=True)}[reader])
    assert snapshot_queries(lambda: client.get(url)).status_code == 200
    for _ in range(3):
        decided_review(session, conditions=2, evidence=False)
    assert snapshot_queries(lambda: client.get(url)).status_code == 200


def test_staff_create_a_session_and_land_on_its_agenda(client, incubator, staff, member, today):
    client.force_login(staff)
    page = page_text(client.get(reverse("committees:session_create")))
    assert f'<option value="{incubator.pk}" selected>' in page
    response = client.post(
        reverse("committees:session_create"),
        {"date": "", "kind": "suivi", "incubator": incubator.pk, "first_slot_at": "09:30"},
    )
    assert "Ce champ est obligatoire." in page_text(response)
    assert not incubator.committee_sessions.exists()


def test_marking_the_session_held_freezes_the_teams_request_form(client, session, on_agenda, make_startup, member):
    startup = make_startup("Alpha")
    (review,) = on_agenda(startup)
    client.force_login(member)
    response = client.post(reverse("committees:session_hold", args=[session.pk]), follow=True)
    assert "La séance est marquée comme tenue" in page_text(response)
    client.force_login(startup.memberships.get().user)
    page = page_text(client.get(reverse("committees:review_detail", args=[review.pk])))
    assert reverse("committees:review_request", args=[review.pk]) not in page


def test_the_page_of_an_amended_decision_shows_the_original_text_and_the_correction(client, session, member):
    decision = DecisionFactory(amended=True, review__session__members=[member])
    client.force_login(member)
    page = page_text(client.get(reverse("committees:decision_detail", args=[decision.pk])))
    history = page.split("<h2>Historique</h2>")[1]
    original, amendment = history.split("Amendement n° 1, par ")
    assert "<td>Les objectifs du semestre sont atteints.</td>" in original
    assert "Coquille dans la motivation" in amendment
    assert (
        "<td>Les objectifs du semestre sont atteints.</td><td>Les objectifs du semestre sont atteints. (corrigé)</td>"
        in amendment
    )
    assert "Aucun amendement." not in page


def test_the_decision_page_makes_its_pinned_queries_however_many_conditions_evidence_and_amendments(
    client, member, snapshot_queries
):
    decision = DecisionFactory(amended=True, review__session__members=[member])
    ConditionFactory(decision=decision)
    investigation = InvestigationFactory(startup=decision.startup)
    decision.cited_insights.add(InsightFactory(investigation=investigation))
    decision.cited_quotes.add(QuoteFactory(interview=InterviewFactory(investigation=investigation)))
    client.force_login(member)
    url = reverse("committees:decision_detail", args=[decision.pk])
    assert snapshot_queries(lambda: client.get(url)).status_code == 200
    for _ in range(4):
        ConditionFactory(decision=decision, owner=UserFactory())
        decision.cited_insights.add(InsightFactory(investigation=investigation))
        decision.cited_quotes.add(QuoteFactory(interview=InterviewFactory(investigation=investigation)))
        AmendmentFactory(decision=decision, author=UserFactory())
    response = snapshot_queries(lambda: client.get(url))
    assert response.status_code == 200
    assert "Amendement n° 5, par " in page_text(response)
