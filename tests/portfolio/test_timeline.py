"""The startup timeline: one chronological view, and only what each person may read."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from committees.enums import ConditionStatus, Outcome, SessionStatus
from investigations.enums import InvestigationStatus
from portfolio.selectors import startup_timeline
from products.enums import LIFECYCLE_RANK, MembershipRole
from products.models import Phase, Startup
from tests.committees.factories import (
    CommitteeSessionFactory,
    ConditionFactory,
    DecisionFactory,
    ReviewFactory,
    closed_review,
)
from tests.investigations.factories import InterviewFactory, InvestigationFactory
from tests.products.factories import EventFactory, MembershipFactory, StartupFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def startup():
    startup = StartupFactory(slug="mon.service.public", name="Mon service")
    Phase.objects.create(
        startup=startup,
        name="investigation",
        start=D(2025, 1, 6),
        end=D(2025, 4, 2),
        rank=LIFECYCLE_RANK["investigation"],
    )
    Phase.objects.create(startup=startup, name="construction", start=D(2025, 4, 2), rank=LIFECYCLE_RANK["construction"])
    startup.refresh_current_phase()
    investigation = InvestigationFactory(
        startup=startup,
        started_on=D(2025, 1, 6),
        planned_end=D(2025, 3, 10),
        ended_on=D(2025, 4, 2),
        status=InvestigationStatus.CONCLUANTE,
    )
    for date in (D(2025, 1, 7), D(2025, 1, 9), D(2025, 1, 21)):
        InterviewFactory(investigation=investigation, date=date)
    decision = DecisionFactory(
        review=closed_review(startup, D(2025, 4, 2)),
        outcome=Outcome.PASSAGE_EN_CONSTRUCTION,
        rationale="Le problème est réel et partagé.",
        budget_eur=180000,
    )
    ConditionFactory(
        decision=decision, text="Trouver une intrapreneure", due_on=D(2025, 6, 1), status=ConditionStatus.MET
    )
    ConditionFactory(decision=decision, text="Mesurer l'usage", due_on=D(2026, 6, 1))
    EventFactory(startup=startup, kind="product_launch", date=D(2025, 9, 1), comment="Ouverture au public")
    ReviewFactory(
        startup=startup,
        date=D(2026, 7, 2),
        session=CommitteeSessionFactory(incubator=startup.incubator, date=D(2026, 7, 2), status=SessionStatus.PLANNED),
    )
    return Startup.objects.get(pk=startup.pk)


def url(startup):
    return reverse("dashboard:timeline", kwargs={"slug": startup.slug})


def test_timeline_lists_phases_investigations_committees_and_events_in_date_order(startup):
    entries = startup_timeline(startup, with_synthesis=True, today=TODAY)
    assert [(e.date, e.kind) for e in entries] == [
        (D(2025, 1, 6), "phase"),
        (D(2025, 1, 6), "investigation"),
        (D(2025, 4, 2), "phase"),
        (D(2025, 4, 2), "review"),
        (D(2025, 9, 1), "event"),
        (D(2026, 7, 2), "review"),
    ]


def test_investigation_counts_its_interviews_week_by_week(startup):
    investigation = startup_timeline(startup, with_synthesis=True, today=TODAY)[1].item
    assert investigation.interview_count == 3
    weeks = [(w.week, w.count) for w in investigation.weeks]
    assert weeks[:3] == [(D(2025, 1, 6), 2), (D(2025, 1, 13), 0), (D(2025, 1, 20), 1)]
    assert weeks[-1][0] == D(2025, 3, 31)  # the week the investigation ended


def test_the_team_sees_decisions_conditions_and_interviews(client, startup):
    coach = UserFactory()
    MembershipFactory(user=coach, startup=startup, role=MembershipRole.COACH)
    client.force_login(coach)
    page = client.get(url(startup)).content.decode()
    assert "Début de la phase « Construction »" in page
    assert "Décision : Passage en construction" in page
    assert "Le problème est réel et partagé." in page
    assert "Trouver une intrapreneure" in page
    assert "Mesurer l&#x27;usage" in page
    assert "échue" in page
    assert "3 entretiens" in page
    assert 'role="img"' in page
    assert "Lancement du produit" in page
    assert "Ouverture au public" in page
    assert "(planifié)" in page


def test_someone_outside_the_startup_sees_phases_and_events_but_no_decision(client, startup):
    client.force_login(UserFactory())
    response = client.get(url(startup))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Début de la phase « Construction »" in page
    assert "Lancement du produit" in page
    assert "Comité d&#x27;investissement" in page or "Passage en comité" in page
    assert "Passage en construction" not in page
    assert "Le problème est réel" not in page
    assert "Trouver une intrapreneure" not in page
    assert "3 entretiens" not in page
    assert "sont réservés à l'équipe de la startup" in page


def test_a_phase_comment_is_shown_on_its_phase(client, startup):
    Phase.objects.filter(startup=startup, name="construction").update(comment="Go du comité d'investissement")
    client.force_login(UserFactory())
    page = client.get(url(startup)).content.decode()
    construction = page.index("Construction", page.index('<ol class="timeline'))
    assert page.index("Go du comité d&#x27;investissement") > construction


def test_unknown_startup_is_not_found(client):
    client.force_login(UserFactory())
    assert client.get(reverse("dashboard:timeline", kwargs={"slug": "inconnue"})).status_code == 404


def test_timeline_makes_its_pinned_queries_for_a_short_or_a_long_history(client, snapshot_queries):
    person = UserFactory()
    client.force_login(person)
    startup = StartupFactory()
    MembershipFactory(user=person, startup=startup, role=MembershipRole.COACH)
    Phase.objects.create(startup=startup, name="investigation", start=D(2024, 1, 1), rank=0)
    investigation = InvestigationFactory(startup=startup, started_on=D(2024, 1, 1))
    InterviewFactory(investigation=investigation, date=D(2024, 1, 2))
    ConditionFactory(decision=DecisionFactory(review=closed_review(startup, D(2024, 2, 1))))
    EventFactory(startup=startup)

    assert snapshot_queries(lambda: client.get(url(startup))).status_code == 200
    for month in range(3, 12):
        InterviewFactory(investigation=investigation, date=D(2024, month, 2))
        decision = DecisionFactory(review=closed_review(startup, D(2024, month, 15)))
        ConditionFactory(decision=decision)
        ConditionFactory(decision=decision)
        EventFactory(startup=startup, date=D(2024, month, 20))
    investigation.status = "concluante"  # one investigation in progress at a time
    investigation.save()
    InvestigationFactory(startup=startup, started_on=D(2025, 1, 1))
    assert snapshot_queries(lambda: client.get(url(startup))).status_code == 200
