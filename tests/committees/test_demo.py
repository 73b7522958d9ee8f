import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from committees import demo
from committees.enums import ConditionStatus, Outcome, SessionStatus
from committees.models import CommitteeSession, Condition, Decision, Review
from investigations.enums import InvestigationStatus
from products.demo import ensure_accounts
from products.enums import MembershipRole
from products.models import Startup
from tests.investigations.factories import InsightFactory, InterviewFactory, InvestigationFactory, QuoteFactory
from tests.products.factories import IncubatorFactory, MembershipFactory, PhaseFactory, StartupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio():
    """What the products and investigations parts of the demo provide, in small."""
    accounts = ensure_accounts()
    incubator = IncubatorFactory(slug="dinum_produits_interministeriels", title="Produits interministériels")
    incubator.staff.add(accounts["staff"])
    proconnect = StartupFactory(slug="proconnect", name="ProConnect", incubator=incubator)
    for name, start, end in [
        ("investigation", datetime.date(2020, 6, 23), datetime.date(2022, 6, 1)),
        ("construction", datetime.date(2022, 6, 1), datetime.date(2022, 12, 1)),
        ("acceleration", datetime.date(2022, 12, 1), None),
    ]:
        PhaseFactory(startup=proconnect, name=name, start=start, end=end)
    MembershipFactory(startup=proconnect, user=accounts["intrapreneur"], role=MembershipRole.INTRAPRENEUR)
    investigation = InvestigationFactory(
        startup=proconnect,
        started_on=datetime.date(2020, 6, 23),
        planned_end=datetime.date(2020, 8, 25),
        status=InvestigationStatus.SUSPENDUE,
    )
    insight = InsightFactory(investigation=investigation, statement="Un tiers des entreprises ne voit aucun problème")
    quote = QuoteFactory(interview=InterviewFactory(investigation=investigation, date=datetime.date(2020, 7, 2)))
    insight.quotes.add(quote)
    for name, phase in [("Aides simplifiées", "investigation"), ("Carte des services", "construction")]:
        startup = StartupFactory(name=name, incubator=incubator)
        PhaseFactory(startup=startup, name=phase, start=datetime.date(2025, 1, 6))
        if phase == "investigation":
            InvestigationFactory(startup=startup, started_on=datetime.date(2025, 1, 6))
    return accounts


def counts():
    return tuple(model.objects.count() for model in (CommitteeSession, Review, Decision, Condition))


def test_the_demo_has_a_closed_session_with_evidence_and_an_overdue_condition(portfolio):
    demo.populate(portfolio)
    closed = CommitteeSession.objects.get(status=SessionStatus.CLOSED)
    assert portfolio["committee"] in closed.members.all()
    proconnect_decision = Decision.objects.get(review__session=closed, startup__slug="proconnect")
    assert proconnect_decision.outcome == Outcome.POURSUITE_AVEC_RESERVES
    assert proconnect_decision.cited_insights.count() == 1
    assert proconnect_decision.cited_quotes.count() == 1
    assert Condition.objects.overdue().count() == 1
    assert Condition.objects.filter(status=ConditionStatus.MET).count() == 1
    assert Decision.objects.filter(review__session=closed).count() == 2


def test_the_demo_committee_member_has_a_planned_session_of_three_startups_today(portfolio):
    demo.populate(portfolio)
    planned = CommitteeSession.objects.get(status=SessionStatus.PLANNED)
    assert portfolio["committee"] in planned.members.all()
    assert planned.reviews.count() == 3
    proconnect_review = planned.reviews.get(startup__slug="proconnect")
    assert proconnect_review.position == 0
    assert proconnect_review.requested_budget_eur == 420_000
    assert planned.reviews.get(position=1).startup.name == "Aides simplifiées"


def test_the_demo_is_idempotent(portfolio):
    demo.populate(portfolio)
    before = counts()
    demo.populate(portfolio)
    assert counts() == before


def test_the_demo_creates_nothing_without_proconnect():
    demo.populate(ensure_accounts())
    assert counts() == (0, 0, 0, 0)


def test_the_demo_command_runs_the_committees_part():
    # On an empty database: the command refuses one holding startups it did not make.
    call_command("demo", stdout=StringIO())
    # ProConnect's closed and planned sessions, and the staff's closed one (a budget ending, a condition due).
    assert CommitteeSession.objects.count() == 3


def test_the_demo_stops_a_startup_in_construction_with_its_post_mortem(portfolio):
    incubator = Startup.objects.get(slug="proconnect").incubator
    stopped = StartupFactory(name="Zeste", incubator=incubator)
    PhaseFactory(startup=stopped, name="construction", start=datetime.date(2024, 1, 8))
    demo.populate(portfolio)
    decision = Decision.objects.get(startup=stopped)
    assert decision.outcome == Outcome.ARRET
    assert "module de prise de rendez-vous" in decision.post_mortem.reused
    demo.populate(portfolio)
    assert Decision.objects.filter(outcome=Outcome.ARRET).count() == 1


def test_the_demo_packs_show_one_startup_meeting_its_criteria_and_one_missing_them(portfolio, client):
    """Each startup of the closed session set its North Star's target in its request: in today's packs,
    ProConnect met it (target 90 % of what it reached) and the other startup missed it (reached 70 %)."""
    from django.urls import reverse

    from products import services as product_services
    from products.enums import Direction, IndicatorKind

    today = datetime.date.today()
    for slug, value in [("proconnect", 1000), (None, 700)]:
        startup = Startup.objects.get(slug=slug) if slug else Startup.objects.get(name="Carte des services")
        star = product_services.indicator_create(
            startup=startup, name="Usagers", unit="usagers", direction=Direction.HIGHER, kind=IndicatorKind.STOCK,
            is_north_star=True,
        )  # fmt: skip
        product_services.measurement_add(
            indicator=star, date=today - datetime.timedelta(days=demo.PAST_SESSION_DAYS_AGO + 10), value=100
        )
        product_services.measurement_add(indicator=star, date=today - datetime.timedelta(days=3), value=value)
    demo.populate(portfolio)
    client.force_login(portfolio["committee"])
    planned = CommitteeSession.objects.get(status=SessionStatus.PLANNED)
    pages = {}
    for review in planned.reviews.all():
        pages[review.startup.name] = client.get(reverse("committees:review_detail", args=[review.pk])).content.decode()
    # ProConnect: target 1 000 × 0.9 = 900, reached 1 000 → 111 %; the other: target 700 / 0.7 = 1 000 → 70 %.
    assert "objectif 900 usagers, atteint 1\xa0000 : 111 %" in pages["ProConnect"]
    assert "objectif 1\xa0000 usagers, atteint 700 : 70 %" in pages["Carte des services"]


def test_the_demo_transferred_startup_has_its_post_mortem_once(portfolio):
    from committees.models import PostMortem

    transferred = StartupFactory(slug=demo.TRANSFER_SLUG, name="Trajets Ruraux")
    PhaseFactory(startup=transferred, name="transfere", start=datetime.date(2024, 6, 1))
    demo.populate(portfolio)
    demo.populate(portfolio)  # a second run leaves it as it is
    [post_mortem] = PostMortem.objects.filter(startup=transferred)
    assert post_mortem.decision is None
    assert "agence régionale des mobilités" in post_mortem.why
