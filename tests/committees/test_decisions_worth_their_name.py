"""Issue 14, item 4: no default outcome, evidence cited or its absence explained, a searchable evidence picker
with sources, quotes shown once in the review pack, earlier conditions followed up from the decision form, and
no budget period without its budget."""

import datetime
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committees import services
from committees.enums import ConditionStatus, Outcome
from committees.models import Condition, Decision
from tests.investigations.factories import (
    InsightFactory,
    InterviewFactory,
    InvestigationFactory,
    QuoteFactory,
    TargetGroupFactory,
)

from .factories import DecisionFactory, ImportedDecisionFactory, closed_review
from .utils import page_text

NO_CONDITIONS = {"conditions-TOTAL_FORMS": "0", "conditions-INITIAL_FORMS": "0"}


def post_decision(client, review, **data):
    return client.post(
        reverse("committees:decision_create", args=[review.pk]),
        {"rationale": "Bonne dynamique.", **NO_CONDITIONS, **data},
    )


# --- A go decision cites its evidence, or says why it has none --------------------------------------------------
def test_a_go_decision_without_evidence_is_refused_by_the_service_unless_its_sans_preuve_reason_is_given(
    on_agenda, make_startup, member
):
    (review,) = on_agenda(make_startup("Alpha"))
    with pytest.raises(ValidationError) as refused:
        services.decision_record(review=review, outcome=Outcome.POURSUITE, by=member, rationale="Bonne dynamique.")
    assert "ne cite aucune preuve" in refused.value.message_dict["no_evidence_reason"][0]
    assert not Decision.objects.exists()
    decision = services.decision_record(
        review=review,
        outcome=Outcome.POURSUITE,
        by=member,
        rationale="Bonne dynamique.",
        no_evidence_reason="  Les chiffres d'usage ont été présentés en séance.  ",
    )
    assert decision.no_evidence_reason == "Les chiffres d'usage ont été présentés en séance."


def test_a_decision_citing_evidence_needs_no_reason_and_keeps_none(on_agenda, make_startup, member):
    startup = make_startup("Alpha")
    insight = InsightFactory(investigation=InvestigationFactory(startup=startup))
    (review,) = on_agenda(startup)
    decision = services.decision_record(
        review=review,
        outcome=Outcome.ARRET,
        by=member,
        rationale="Pas de problème",
        cited_insights=[insight],
        no_evidence_reason="inutile",
    )
    assert decision.no_evidence_reason == ""


def test_update_and_amendment_keep_the_evidence_rule(session, on_agenda, make_startup, member):
    (review,) = on_agenda(make_startup("Alpha"))
    decision = services.decision_record(
        review=review, outcome=Outcome.PIVOT, by=member, rationale="Pivot", no_evidence_reason="Vu en séance"
    )
    with pytest.raises(ValidationError, match="ne cite aucune preuve"):
        services.decision_update(
            decision=decision, by=member, outcome=Outcome.POURSUITE, rationale="Poursuite", no_evidence_reason=""
        )
    services.session_close(session=session, by=member)
    with pytest.raises(ValidationError, match="ne cite aucune preuve"):
        services.decision_amend(decision=decision, by=member, reason="Erreur", no_evidence_reason="")
    imported = ImportedDecisionFactory()
    with pytest.raises(ValidationError, match="ne cite aucune preuve"):
        services.decision_amend(
            decision=imported, by=member, reason="Le compte rendu dit poursuite", outcome="poursuite"
        )


def test_a_go_decision_without_evidence_is_refused_on_the_form_unless_its_reason_is_given(
    client, on_agenda, make_startup, member
):
    (review,) = on_agenda(make_startup("Alpha"))
    client.force_login(member)
    response = post_decision(client, review, outcome=Outcome.POURSUITE)
    assert response.status_code == 200
    assert "La décision « Poursuite » ne cite aucune preuve" in page_text(response)
    response = post_decision(client, review, outcome=Outcome.POURSUITE, without_evidence="on")
    assert "indiquez pourquoi le comité décide sans preuve" in page_text(response)
    assert not Decision.objects.exists()
    response = post_decision(
        client, review, outcome=Outcome.POURSUITE, without_evidence="on", no_evidence_reason="Vu en séance."
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.no_evidence_reason == "Vu en séance."
    page = page_text(client.get(reverse("committees:decision_detail", args=[decision.pk])))
    assert "Décision sans preuve citée" in page and "Vu en séance." in page


def test_the_sans_preuve_reason_is_in_the_minutes_and_their_json(client, session, on_agenda, make_startup, member):
    (review,) = on_agenda(make_startup("Alpha"))
    services.decision_record(
        review=review, outcome=Outcome.PIVOT, by=member, rationale="Pivot", no_evidence_reason="Vu en séance."
    )
    services.session_close(session=session, by=member)
    client.force_login(member)
    assert "Décision sans preuve citée : Vu en séance." in page_text(
        client.get(reverse("committees:session_minutes", args=[session.pk]))
    )
    rows = json.loads(client.get(reverse("committees:session_minutes_json", args=[session.pk])).content)
    assert rows[0]["no_evidence_reason"] == "Vu en séance."


# --- No default outcome ---------------------------------------------------------------------------------------
def test_no_outcome_is_checked_in_advance_and_a_missing_one_is_named(client, on_agenda, make_startup, member):
    (review,) = on_agenda(make_startup("Alpha"))
    client.force_login(member)
    url = reverse("committees:decision_create", args=[review.pk])
    for page in (page_text(client.get(url)), page_text(client.get(url + "?outcome=poursuite"))):
        radios = re.findall(r'<input type="radio"[^>]*name="outcome"[^>]*>', page)
        assert len(radios) == 7
        assert not any("checked" in radio for radio in radios)
    response = post_decision(client, review, without_evidence="on", no_evidence_reason="Vu en séance.")
    assert response.status_code == 200
    assert "Choisissez la décision du comité : aucune n'est cochée d'avance." in page_text(response)
    assert not Decision.objects.exists()


# --- The evidence picker -----------------------------------------------------------------------------------
@pytest.fixture
def evidence(make_startup, on_agenda):
    startup = make_startup("Alpha")
    investigation = InvestigationFactory(startup=startup)
    group = TargetGroupFactory(investigation=investigation, name="Agents d'accueil")
    named = InterviewFactory(investigation=investigation, interviewee="DRH-PME-3", target_group=group)
    anonymous = InterviewFactory(investigation=investigation, interviewee="Secret-7", consent=False)
    quotes = {
        "ressaisie": QuoteFactory(interview=named, text="Je ressaisis chaque dossier."),
        "téléphone": QuoteFactory(interview=anonymous, text="J'appelle la préfecture chaque matin."),
    }
    insight = InsightFactory(investigation=investigation, statement="L'accueil téléphonique déborde.")
    (review,) = on_agenda(startup)
    return {"review": review, "quotes": quotes, "insight": insight, "named": named, "anonymous": anonymous}


def test_the_picker_groups_evidence_with_its_source_and_hides_a_pseudonym_without_consent(client, member, evidence):
    client.force_login(member)
    page = page_text(client.get(reverse("committees:decision_create", args=[evidence["review"].pk])))
    assert page.count("<details") == 3
    for title in ("Apprentissages", "Verbatims", "Entretiens"):
        assert f'<summary class="fr-text--bold">{title}' in page
    assert "DRH-PME-3 — entretien du" in page and "Agents d'accueil" in page
    assert "Secret-7" not in page and "personne anonyme" in page
    assert 'id="id_preuves"' in page and "Filtrer les preuves" in page


def test_the_picker_filters_without_javascript_and_keeps_what_was_entered(client, member, evidence):
    client.force_login(member)
    review, quotes = evidence["review"], evidence["quotes"]
    url = reverse("committees:decision_create", args=[review.pk])
    page = page_text(client.get(url + "?preuves=prefecture"))  # accents and case ignored
    assert quotes["téléphone"].text in page and quotes["ressaisie"].text not in page
    response = client.post(
        url,
        {
            "outcome": Outcome.POURSUITE,
            "rationale": "Motivation en cours de saisie",
            "cited_quotes": [quotes["ressaisie"].pk],
            "preuves": "Téléphonique",
            "_filtrer_preuves": "1",
            **NO_CONDITIONS,
        },
    )
    page = page_text(response)
    assert response.status_code == 200 and not Decision.objects.exists()
    assert "Motivation en cours de saisie" in page
    assert evidence["insight"].statement in page
    assert quotes["ressaisie"].text in page  # ticked, so still shown (and still ticked)
    assert re.search(rf'value="{quotes["ressaisie"].pk}" checked', page)
    assert quotes["téléphone"].text not in page
    assert "ne cite aucune preuve" not in page  # filtering is not submitting


def test_a_decision_cites_what_was_ticked_in_the_picker(client, member, evidence):
    client.force_login(member)
    response = post_decision(
        client,
        evidence["review"],
        outcome=Outcome.POURSUITE,
        cited_quotes=[evidence["quotes"]["ressaisie"].pk],
        cited_interviews=[evidence["anonymous"].pk],
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert list(decision.cited_quotes.all()) == [evidence["quotes"]["ressaisie"]]
    assert decision.no_evidence_reason == ""


# --- The review pack shows each quote once, with its source ---------------------------------------------------
def test_the_review_pack_shows_a_quote_once_with_its_source(client, member, make_startup, on_agenda):
    startup = make_startup("Alpha")
    investigation = InvestigationFactory(startup=startup, started_on=datetime.date(2026, 1, 5))
    interview = InterviewFactory(investigation=investigation, interviewee="DRH-PME-3")
    other = InterviewFactory(investigation=investigation, interviewee="Maire-2")
    insight = InsightFactory(investigation=investigation)
    same = [QuoteFactory(interview=interview, text="Je tape tout deux fois.") for _ in range(3)]
    same.append(QuoteFactory(interview=interview, text="Je  tape tout deux fois. "))
    elsewhere = QuoteFactory(interview=other, text="Je tape tout deux fois.")
    insight.quotes.set([*same, elsewhere])
    insight.interviews.set([interview, other])
    (review,) = on_agenda(startup)
    client.force_login(member)
    page = page_text(client.get(reverse("committees:review_detail", args=[review.pk])))
    assert page.count("« Je tape tout deux fois. »") == 2  # once per interview
    assert "DRH-PME-3 — entretien du" in page and "Maire-2 — entretien du" in page


# --- Earlier open conditions are followed up from the decision form ---------------------------------------
def test_the_decision_form_follows_up_earlier_open_conditions(client, member, make_startup, on_agenda, today):
    startup = make_startup("Alpha")
    earlier = DecisionFactory(review=closed_review(startup, today - datetime.timedelta(days=180)), startup=startup)
    later = Condition.objects.create(
        decision=earlier, text="Mesurer l'usage", due_on=today + datetime.timedelta(days=9)
    )
    overdue = Condition.objects.create(decision=earlier, text="Recruter", due_on=today - datetime.timedelta(days=20))
    missed = Condition.objects.create(decision=earlier, text="Publier", due_on=today + datetime.timedelta(days=20))
    (review,) = on_agenda(startup)
    client.force_login(member)
    url = reverse("committees:decision_create", args=[review.pk])
    page = page_text(client.get(url))
    assert page.index("Recruter") < page.index("Mesurer") < page.index("Publier")
    assert "En retard" in page
    next_committee = today + datetime.timedelta(days=60)
    response = post_decision(
        client,
        review,
        outcome=Outcome.POURSUITE,
        without_evidence="on",
        no_evidence_reason="Vu en séance.",
        next_committee_on=next_committee.isoformat(),
        **{
            f"follow_up_{overdue.pk}": "met",
            f"follow_up_{overdue.pk}_note": "Designer arrivée en mars.",
            f"follow_up_{missed.pk}": "not_met",
            f"follow_up_{later.pk}": "carried_over",
        },
    )
    assert response.status_code == 302, page_text(response)
    for condition in (overdue, missed, later):
        condition.refresh_from_db()
    assert overdue.status == ConditionStatus.MET and overdue.resolution_note == "Designer arrivée en mars."
    assert overdue.resolved_by == member
    assert missed.status == ConditionStatus.NOT_MET and missed.resolution_note.startswith("Constaté par le comité")
    assert later.status == ConditionStatus.OPEN and later.due_on == next_committee
    carried = later.history.first()
    assert carried.history_user == member and carried.history_change_reason.startswith("Reportée par le comité")


def test_a_condition_cannot_be_carried_over_without_a_next_committee(member, make_startup, on_agenda, today):
    startup = make_startup("Alpha")
    earlier = DecisionFactory(review=closed_review(startup, today - datetime.timedelta(days=180)), startup=startup)
    condition = Condition.objects.create(decision=earlier, text="Recruter", due_on=today)
    (review,) = on_agenda(startup)
    with pytest.raises(ValidationError, match="pour la reporter, indiquez la date du prochain comité"):
        services.decision_record(
            review=review,
            outcome=Outcome.ARRET,
            by=member,
            rationale="Arrêt",
            no_evidence_reason="Vu en séance",
            condition_follow_ups=[{"condition": condition, "result": services.CARRIED_OVER, "note": ""}],
        )
    condition.refresh_from_db()
    assert condition.is_open and not Decision.objects.filter(review=review).exists()


# --- A budget period comes with its budget ------------------------------------------------------------------
def test_a_budget_period_without_a_budget_is_refused(client, member, make_startup, on_agenda, today):
    (review,) = on_agenda(make_startup("Alpha"))
    period = {"budget_period_start": today, "budget_period_end": today + datetime.timedelta(days=180)}
    with pytest.raises(ValidationError) as refused:
        services.decision_record(
            review=review, outcome=Outcome.PIVOT, by=member, rationale="Pivot", no_evidence_reason="Vu", **period
        )
    assert "Une période financée est indiquée sans budget" in refused.value.message_dict["budget_eur"][0]
    client.force_login(member)
    response = post_decision(
        client,
        review,
        outcome=Outcome.PIVOT,
        without_evidence="on",
        no_evidence_reason="Vu",
        **{key: value.isoformat() for key, value in period.items()},
    )
    assert response.status_code == 200
    assert "Une période financée est indiquée sans budget" in page_text(response)
    assert not Decision.objects.exists()
