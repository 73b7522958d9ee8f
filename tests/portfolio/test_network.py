"""The network view: cohorts, phase durations and committees per quarter, on a hand-made portfolio."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from committees.enums import Outcome, SessionStatus
from portfolio import selectors
from products.enums import LIFECYCLE_RANK
from products.models import Phase
from tests.committees.factories import CommitteeSessionFactory, DecisionFactory, closed_review
from tests.products.factories import IncubatorFactory, StartupFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
NETWORK = reverse("dashboard:network")
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def history(*phases, incubator=None):
    """A startup with its phases: (name, start); each phase ends where the next one starts."""
    startup = StartupFactory(**({"incubator": incubator} if incubator else {}))
    for i, (name, start) in enumerate(phases):
        end = phases[i + 1][1] if i + 1 < len(phases) else None
        Phase.objects.create(startup=startup, name=name, start=start, end=end, rank=LIFECYCLE_RANK[name])
    startup.refresh_current_phase()
    return startup


@pytest.fixture
def portfolio():
    incubator = IncubatorFactory(slug="fabrique")
    # Cohort 2021: four startups.
    history(  # reached acceleration, still there
        ("investigation", D(2021, 1, 4)),
        ("construction", D(2021, 5, 3)),
        ("acceleration", D(2022, 9, 1)),
        incubator=incubator,
    )
    history(("investigation", D(2021, 3, 1)), ("abandon-investigation", D(2021, 7, 1)))  # stopped
    history(  # transferred straight from construction
        ("investigation", D(2021, 6, 1)), ("construction", D(2021, 6, 1)), ("transfere", D(2023, 6, 1))
    )
    history(("investigation", D(2021, 11, 1)))  # still investigating
    # Cohort 2022: built then stopped.
    history(("investigation", D(2022, 2, 1)), ("construction", D(2022, 6, 1)), ("abandon", D(2023, 2, 1)))
    # No investigation: in no cohort.
    history(("construction", D(2020, 1, 1)))


def test_cohorts_count_what_each_year_of_investigations_became(portfolio):
    rows, without_investigation = selectors.cohorts(selectors.phase_histories())
    assert without_investigation == 1
    assert [r.year for r in rows] == [2021, 2022]
    y2021, y2022 = rows
    assert y2021.startups == 4
    assert (y2021.construction.count, y2021.acceleration.count, y2021.consolidation.count) == (2, 2, 1)
    assert (y2021.stopped.count, y2021.ongoing.count) == (1, 2)
    assert y2021.construction.percent == 50.0
    assert y2021.consolidation.percent == 25.0
    assert y2022.startups == 1
    assert (y2022.construction.count, y2022.acceleration.count, y2022.stopped.count) == (1, 0, 1)
    assert y2022.stopped.percent == 100.0


def test_phase_durations_count_closed_phases_and_set_open_ones_aside(portfolio):
    rows = {r.phase: r for r in selectors.phase_durations(selectors.phase_histories(), TODAY)}
    investigation = rows["investigation"]
    # Closed investigations: 119, 122, 120 days; the one of 2021-06-01 lasted zero days.
    assert investigation.closed == 3
    assert investigation.zero_day == 1
    assert (investigation.q1, investigation.median, investigation.q3) == (119.5, 120, 121)
    assert investigation.ongoing == 1
    assert investigation.ongoing_median == (TODAY - D(2021, 11, 1)).days
    construction = rows["construction"]
    assert construction.closed == 3  # 486, 730, 245 days
    assert construction.median == 486
    assert rows["acceleration"].closed == 0
    assert rows["acceleration"].median is None
    assert rows["acceleration"].ongoing == 1


def test_percentile_interpolates_between_ranks_like_postgresql():
    assert selectors.percentile([10], 0.5) == 10
    assert selectors.percentile([1, 2, 3, 4], 0.5) == 2.5
    assert selectors.percentile([1, 2, 3, 4], 0.25) == 1.75
    assert selectors.percentile([0, 100], 0.9) == 90


def test_committees_are_counted_per_quarter_and_outcome_with_empty_quarters_kept():
    DecisionFactory(review=closed_review(date=D(2025, 1, 20)), outcome=Outcome.POURSUITE)
    DecisionFactory(review=closed_review(date=D(2025, 2, 20)), outcome=Outcome.POURSUITE)
    DecisionFactory(review=closed_review(date=D(2025, 8, 1)), outcome=Outcome.ARRET)
    DecisionFactory(review=closed_review(date=D(2026, 9, 1)), outcome=Outcome.ARRET)  # after today: not held yet
    CommitteeSessionFactory(date=D(2026, 7, 1), status=SessionStatus.PLANNED)
    rows = selectors.committees_by_quarter(TODAY)
    assert [r.label for r in rows] == ["T1 2025", "T2 2025", "T3 2025"]
    assert rows[0].outcomes["poursuite"] == 2
    assert rows[0].sessions == 2  # each decision's review sat in its own session
    assert rows[1].decisions == 0
    assert rows[2].outcomes == {o.value: (1 if o == Outcome.ARRET else 0) for o in Outcome}


def test_network_page_draws_accessible_charts_each_followed_by_its_table(client, portfolio):
    DecisionFactory(review=closed_review(date=D(2025, 1, 20)))
    client.force_login(UserFactory())
    page = client.get(NETWORK).content.decode()
    assert page.count('role="img"') == 3
    for chart in ("graphique-cohortes", "graphique-durees", "graphique-comites"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in page
        assert f'<title id="{chart}-title">' in page
        svg_end = page.index("</svg>", page.index(f'id="{chart}-title"'))
        assert page.index("<table>", svg_end) < page.index("</section>", svg_end)
    assert "<caption>Cohortes par année de début d'investigation</caption>" in page
    assert '<th scope="row">2021</th>' in page
    assert "<td>2 (50 %)</td>" in page
    assert "style=" not in page
    assert "<script>" not in page


def test_network_view_can_be_narrowed_to_one_incubator(client, portfolio):
    client.force_login(UserFactory())
    response = client.get(NETWORK, {"incubateur": "fabrique"})
    assert response.context["startup_count"] == 1
    assert [r.startups for r in response.context["cohorts"]] == [1]


def test_unknown_incubator_shows_the_whole_network_and_says_so(client, portfolio):
    client.force_login(UserFactory())
    response = client.get(NETWORK, {"incubateur": "inconnu"})
    assert response.status_code == 200
    assert response.context["startup_count"] == 6
    assert "Cet incubateur est inconnu" in response.content.decode()


def test_network_page_makes_its_pinned_queries_for_one_startup_or_many(client, snapshot_queries):
    client.force_login(UserFactory())
    history(("investigation", D(2021, 1, 4)), ("construction", D(2021, 5, 3)))
    DecisionFactory(review=closed_review(date=D(2025, 1, 20)))
    assert snapshot_queries(lambda: client.get(NETWORK)).status_code == 200
    for year in range(2015, 2025):
        history(("investigation", D(year, 1, 4)), ("construction", D(year, 5, 3)), ("abandon", D(year + 1, 1, 1)))
        DecisionFactory(review=closed_review(date=D(year, 6, 1)))
    response = snapshot_queries(lambda: client.get(NETWORK))
    assert response.context["startup_count"] == 11


# --- Budgets granted (issue 15) -----------------------------------------------------------------
def test_budget_granted_per_quarter_by_outcome_and_per_incubator(client):
    from products import services as product_services

    fabrique, other = IncubatorFactory(title="Fabrique"), IncubatorFactory(title="Autre incubateur")
    a = StartupFactory(incubator=fabrique, fast={"promotion": 3, "montant": 50_000})
    b = StartupFactory(incubator=other)
    DecisionFactory(review=closed_review(a, datetime.date(2026, 1, 10)), budget_eur=300_000)
    DecisionFactory(
        review=closed_review(b, datetime.date(2026, 2, 10)), budget_eur=100_000, outcome=Outcome.POURSUITE_AVEC_RESERVES
    )
    DecisionFactory(review=closed_review(b, datetime.date(2026, 4, 10)), budget_eur=80_000)
    DecisionFactory(review=closed_review(a, datetime.date(2026, 5, 10)), outcome=Outcome.ARRET)  # no budget
    product_services.spending_add(
        startup=a,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
        amount_eur=1234.5,
        nature="equipe",
    )
    rows = selectors.budget_by_quarter(datetime.date(2026, 6, 15))
    assert [(r.label, r.decisions) for r in rows] == [("T1 2026", 400_000), ("T2 2026", 80_000)]
    assert (
        rows[0].outcomes[Outcome.POURSUITE] == 300_000 and rows[0].outcomes[Outcome.POURSUITE_AVEC_RESERVES] == 100_000
    )
    money = {m.incubator.title: (m.granted_eur, m.spent_eur) for m in selectors.money_by_incubator()}
    assert money == {"Fabrique": (350_000, 1234.5), "Autre incubateur": (180_000, 0)}
    client.force_login(UserFactory(is_superuser=True))
    page = client.get(NETWORK).content.decode().replace("\u202f", " ").replace("\xa0", " ")
    assert 'id="graphique-budgets-title"' in page
    assert "400 000" in page and "(75 %)" in page  # 300,000 of 400,000 by "Poursuite"
    assert "1 234,50 €" in page


def test_the_figures_are_kept_until_a_phase_changes_and_say_when_they_were_computed(client, portfolio):
    client.force_login(UserFactory())
    page = client.get(NETWORK).content.decode()
    assert "des 6 startups du réseau" in page
    assert "Chiffres calculés le 15 juin 2026 à 12h00" in page
    with time_machine.travel(datetime.datetime(2026, 6, 15, 11, 0, tzinfo=datetime.UTC), tick=False):
        # An hour later, nothing changed: the same figures, computed at noon.
        assert "Chiffres calculés le 15 juin 2026 à 12h00" in client.get(NETWORK).content.decode()
        history(("investigation", D(2023, 1, 2)))  # a new startup and its phase
        page = client.get(NETWORK).content.decode()
    assert "des 7 startups du réseau" in page
    assert "Chiffres calculés le 15 juin 2026 à 13h00" in page
