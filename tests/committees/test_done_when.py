"""The "Done when" of the issue, end to end through the pages: the incubator staff composes a session
for three startups, a committee member records a "poursuite avec réserves" with two conditions and cited quotes, a
"passage en construction" that opens the construction phase and an "arrêt" that closes the startup;
closes the session; the minutes show all three; editing a closed decision is refused with a clear
message and an amendment is recorded instead."""

import datetime

import pytest
from django.urls import reverse

from committees.enums import ConditionStatus, Outcome, SessionStatus
from committees.models import Amendment, CommitteeSession, Decision
from investigations.enums import InvestigationStatus
from investigations.services import investigation_open
from tests.investigations.factories import InterviewFactory, InvestigationFactory, QuoteFactory

from .factories import CommitteeSessionFactory

pytestmark = pytest.mark.django_db


def conditions_management(total=3):
    return {"conditions-TOTAL_FORMS": str(total), "conditions-INITIAL_FORMS": "0"}


def test_a_committee_member_runs_a_session_from_agenda_to_amendment(
    client, incubator, staff, member, make_startup, today
):
    alpha = make_startup("Alpha", phase="construction")
    alpha_intrapreneur = alpha.memberships.get().user
    alpha_investigation = InvestigationFactory(startup=alpha, status=InvestigationStatus.CONCLUANTE)
    quotes = [
        QuoteFactory(interview=InterviewFactory(investigation=alpha_investigation), text="Je perds une journée"),
        QuoteFactory(interview=InterviewFactory(investigation=alpha_investigation), text="Personne ne répond"),
    ]
    bravo = make_startup("Bravo", phase=None)
    bravo_investigation = investigation_open(startup=bravo, started_on=today - datetime.timedelta(days=63))
    charlie = make_startup("Charlie", phase="acceleration")

    # The member already sat on one of the incubator's committees: the member picker offers them.
    CommitteeSessionFactory(incubator=incubator, date=today - datetime.timedelta(days=90), members=[member])
    # The incubator's staff creates the session with the member on it, and composes its agenda.
    client.force_login(staff)
    response = client.post(
        reverse("committees:session_create"),
        {
            "date": today.isoformat(),
            "kind": "investissement",
            "incubator": incubator.pk,
            "first_slot_at": "14:00",
            "members": [member.pk],
        },
    )
    session = CommitteeSession.objects.get(date=today)
    assert response["Location"] == reverse("committees:session_agenda", args=[session.pk])

    # The agenda: three startups, 50 minutes each from 14:00.
    agenda = {"agenda-TOTAL_FORMS": "3", "agenda-INITIAL_FORMS": "0"}
    for index, startup in enumerate([alpha, bravo, charlie]):
        agenda |= {
            f"agenda-{index}-startup": startup.pk,
            f"agenda-{index}-duration_minutes": "50",
            f"agenda-{index}-ORDER": str(index + 1),
        }
    response = client.post(reverse("committees:session_agenda", args=[session.pk]), agenda)
    assert response.status_code == 302
    client.force_login(member)  # the member runs the session from here
    page = client.get(reverse("committees:session_detail", args=[session.pk])).content.decode()
    assert "14h00 – 14h50" in page and "14h50 – 15h40" in page and "15h40 – 16h30" in page
    reviews = {review.startup: review for review in session.reviews.all()}

    # Poursuite avec réserves, two conditions, two cited quotes.
    response = client.post(
        reverse("committees:decision_create", args=[reviews[alpha].pk]),
        {
            "outcome": Outcome.POURSUITE_AVEC_RESERVES,
            "rationale": "L'usage progresse, l'équipe reste incomplète.",
            "budget_eur": "180000",
            "budget_period_start": today.isoformat(),
            "budget_period_end": (today + datetime.timedelta(days=182)).isoformat(),
            "next_committee_on": (today + datetime.timedelta(days=183)).isoformat(),
            "cited_quotes": [quote.pk for quote in quotes],
            **conditions_management(),
            "conditions-0-text": "Recruter un intrapreneur à 60 % au moins",
            "conditions-0-due_on": (today + datetime.timedelta(days=60)).isoformat(),
            "conditions-0-owner": alpha_intrapreneur.pk,
            "conditions-1-text": "Mesurer le taux de retour des usagers",
            "conditions-1-due_on": (today + datetime.timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()
    reserves = Decision.objects.get(startup=alpha)
    assert reserves.outcome == Outcome.POURSUITE_AVEC_RESERVES
    assert reserves.conditions.count() == 2
    assert set(reserves.cited_quotes.all()) == set(quotes)

    # Passage en construction opens the construction phase and concludes the investigation.
    response = client.post(
        reverse("committees:decision_create", args=[reviews[bravo].pk]),
        {
            "outcome": Outcome.PASSAGE_EN_CONSTRUCTION,
            "rationale": "Problème majeur confirmé.",
            "without_evidence": "on",
            "no_evidence_reason": "Décision sans preuve (test)",
            **conditions_management(),
        },
    )
    assert response.status_code == 302
    bravo.refresh_from_db()
    bravo_investigation.refresh_from_db()
    assert bravo.current_phase == "construction" and bravo.current_phase_start == today
    assert bravo_investigation.status == InvestigationStatus.CONCLUANTE
    assert Decision.objects.get(startup=bravo).phase == bravo.phases.get(name="construction")

    # Arrêt closes the startup.
    response = client.post(
        reverse("committees:decision_create", args=[reviews[charlie].pk]),
        {
            "outcome": Outcome.ARRET,
            "rationale": "Pas d'usage après un an.",
            "without_evidence": "on",
            "no_evidence_reason": "Aucun usage mesuré.",
            **conditions_management(),
        },
    )
    assert response.status_code == 302
    charlie.refresh_from_db()
    assert charlie.current_phase == "abandon"

    # Closing the session leads to the minutes, which show all three.
    response = client.post(reverse("committees:session_close", args=[session.pk]))
    assert response["Location"] == reverse("committees:session_minutes", args=[session.pk])
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    minutes = client.get(response["Location"]).content.decode()
    for text in ["Alpha", "Poursuite avec réserves", "Bravo", "Passage en construction", "Charlie", "Arrêt"]:
        assert text in minutes
    assert "Recruter un intrapreneur à 60 % au moins" in minutes
    assert "Relevé provisoire" not in minutes

    # Editing the closed decision is refused, with the message and the way to amend.
    edit_url = reverse("committees:decision_update", args=[reserves.pk])
    for response in (client.get(edit_url), client.post(edit_url, {"outcome": "pivot", "rationale": "Autre"})):
        assert response.status_code == 403
        page = response.content.decode()
        assert "Cette séance est close : la décision ne peut plus être modifiée. Enregistrez un amendement." in page
        assert reverse("committees:decision_amend", args=[reserves.pk]) in page
    reserves.refresh_from_db()
    assert reserves.outcome == Outcome.POURSUITE_AVEC_RESERVES

    # The amendment is recorded instead, and the decision page shows the history.
    response = client.post(
        reverse("committees:decision_amend", args=[reserves.pk]),
        {
            "reason": "Le budget voté était de 200 000 €.",
            "outcome": Outcome.POURSUITE_AVEC_RESERVES,
            "rationale": reserves.rationale,
            "budget_eur": "200000",
            "budget_period_start": reserves.budget_period_start.isoformat(),
            "budget_period_end": reserves.budget_period_end.isoformat(),
            "next_committee_on": reserves.next_committee_on.isoformat(),
            "conditions-TOTAL_FORMS": "2",
            "conditions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    amendment = Amendment.objects.get()
    assert amendment.author == member
    assert amendment.changes == {"budget_eur": {"from": 180_000, "to": 200_000}}
    page = client.get(reverse("committees:decision_detail", args=[reserves.pk])).content.decode()
    assert "Le budget voté était de 200 000 €." in page
    assert "180\xa0000 €" in page and "200\xa0000 €" in page
    assert all(c.status == ConditionStatus.OPEN for c in reserves.conditions.all())
