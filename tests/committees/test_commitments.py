"""Commitments carried from one committee to the next (issue 15, item 4): the team's request states success
criteria as indicator targets, and the next review pack holds the team to them."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.commitments import reached_percent
from committees.enums import Outcome
from core.durations import add_months
from products import services as product_services
from products.enums import Direction, IndicatorKind, SpendingNature
from products.models import IndicatorTarget

from .factories import CommitteeSessionFactory, ConditionFactory, DecisionFactory, ReviewFactory
from .utils import page_text

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("target", "measured", "direction", "expected"),
    [
        (2000, 1430, Direction.HIGHER, 72),  # 1 430 / 2 000 = 71,5 % → 72 % (half up)
        (2000, 2500, Direction.HIGHER, 125),
        (10, 8, Direction.LOWER, 125),  # 10 days wanted, 8 reached: 10 / 8 = 125 %
        (10, 40, Direction.LOWER, 25),
        (2000, None, Direction.HIGHER, None),  # nothing measured
        (0, 5, Direction.HIGHER, None),  # a zero target has no share
        (10, 0, Direction.LOWER, None),
    ],
)
def test_the_reached_share_is_computed_by_hand(target, measured, direction, expected):
    value = None if measured is None else Decimal(measured)
    assert reached_percent(target=Decimal(target), measured=value, direction=direction) == expected


@pytest.fixture
def last_period(session, make_startup, today):
    """Alpha: a previous decision 180 days ago granting 100 000 € for its period, a North Star "Usagers" with a
    target of 2 000 for the period, measured 400 at its start and 1 430 ten days ago; 30 000 € spent."""
    startup = make_startup(
        "Alpha",
        accessibility_status="partiellement conforme",
        analyse_risques=True,
        analyse_risques_url="https://example.org/risques",
    )
    start = today - datetime.timedelta(days=180)
    past = CommitteeSessionFactory(incubator=session.incubator, date=start, closed=True)
    previous = DecisionFactory(
        review=ReviewFactory(session=past, startup=startup, date=start),
        outcome=Outcome.POURSUITE_AVEC_RESERVES,
        budget_eur=100_000,
        budget_period_start=start,
        budget_period_end=today + datetime.timedelta(days=5),
    )
    ConditionFactory(
        decision=previous,
        text="Recruter une designer",
        status="met",
        resolved_at=previous.created_at,
        resolution_note="Arrivée en mai",
    )
    users = product_services.indicator_create(
        startup=startup, name="Usagers", unit="usagers", direction=Direction.HIGHER, kind=IndicatorKind.STOCK,
        is_north_star=True,
    )  # fmt: skip
    product_services.indicator_target_add(
        indicator=users, period_start=start, period_end=today - datetime.timedelta(days=1), value=2000
    )
    product_services.measurement_add(indicator=users, date=start, value=400)
    product_services.measurement_add(indicator=users, date=today - datetime.timedelta(days=10), value=1430)
    product_services.spending_add(
        startup=startup,
        period_start=start,
        period_end=start + datetime.timedelta(days=59),
        amount_eur=30_000,
        nature=SpendingNature.TEAM,
    )
    return startup


def pack(client, user, review):
    client.force_login(user)
    return page_text(client.get(reverse("committees:review_detail", args=[review.pk])))


def test_the_pack_shows_last_period_criteria_against_the_measured_values(client, last_period, on_agenda, member):
    (review,) = on_agenda(last_period)
    page = pack(client, member, review)
    assert f"objectif 2{NBSP}000 usagers, atteint 1{NBSP}430 : 72 %" in page


def test_the_pack_shows_the_previous_conditions_and_how_they_were_resolved(client, last_period, on_agenda, member):
    (review,) = on_agenda(last_period)
    section = pack(client, member, review).split("Conditions de la décision précédente", 1)[1]
    assert "Recruter une designer" in section
    assert "Tenue" in section and "Arrivée en mai" in section


def test_the_pack_shows_money_granted_against_spent_and_the_north_star_cost(client, last_period, on_agenda, member):
    (review,) = on_agenda(last_period)
    page = pack(client, member, review)
    assert f"100{NBSP}000 €" in page
    assert f"30{NBSP}000,00 €" in page and "30 % du budget accordé" in page  # 30 000 / 100 000
    # The North Star gained 1 430 − 400 = 1 030 users over the period: 30 000 / 1 030 = 29,126… → 29,13 €.
    assert "29,13 € par usagers" in page


def test_the_pack_shows_the_imported_quality_gates(client, last_period, on_agenda, member):
    (review,) = on_agenda(last_period)
    page = pack(client, member, review)
    section = page.split("Critères de qualité pour le passage à l'échelle", 1)[1]
    assert "Partiellement conforme" in section
    assert 'href="https://example.org/risques"' in section
    assert "Suivi sur MonServiceSécurisé" in section and "non renseigné" in section


def test_a_criterion_without_measurement_says_so_instead_of_a_share(client, last_period, on_agenda, member, today):
    files = product_services.indicator_create(
        startup=last_period, name="Dossiers", unit="dossiers", direction=Direction.HIGHER, kind=IndicatorKind.FLOW
    )
    product_services.indicator_target_add(
        indicator=files, period_start=today - datetime.timedelta(days=170), period_end=today, value=500
    )
    (review,) = on_agenda(last_period)
    page = pack(client, member, review)
    assert "objectif 500 dossiers, aucune mesure à la fin de la période" in page


def test_a_first_review_has_no_criteria_and_no_cost(client, make_startup, on_agenda, member):
    (review,) = on_agenda(make_startup("Bravo"))
    page = pack(client, member, review)
    assert "Aucun critère de succès n'a été fixé pour la période précédente." in page
    assert "pas d'indicateur étoile polaire" in page


def test_the_team_states_its_success_criteria_as_indicator_targets(client, last_period, on_agenda):
    (review,) = on_agenda(last_period)
    indicator = last_period.indicators.get()
    intrapreneur = last_period.memberships.get().user
    client.force_login(intrapreneur)
    url = reverse("committees:review_request", args=[review.pk])
    assert "Objectif pour « Usagers » (usagers)" in page_text(client.get(url))
    response = client.post(url, {"requested_budget_eur": "150000", f"target_{indicator.pk}": "3000"})
    assert response.status_code == 302
    target = IndicatorTarget.objects.get(indicator=indicator, period_start=review.date)
    assert (target.value, target.period_end) == (Decimal(3000), add_months(review.date, 6))  # the next 6 months
    client.post(url, {"requested_budget_eur": "150000", f"target_{indicator.pk}": ""})
    assert not IndicatorTarget.objects.filter(indicator=indicator, period_start=review.date).exists()


def test_a_committee_member_cannot_state_the_team_criteria(client, last_period, on_agenda, member):
    (review,) = on_agenda(last_period)
    indicator = last_period.indicators.get()
    client.force_login(member)
    response = client.post(reverse("committees:review_request", args=[review.pk]), {f"target_{indicator.pk}": "3000"})
    assert response.status_code == 403
    assert not IndicatorTarget.objects.filter(indicator=indicator, period_start=review.date).exists()


def test_the_pack_makes_as_many_queries_with_one_or_several_criteria(
    client, last_period, on_agenda, member, today, django_assert_num_queries
):
    (review,) = on_agenda(last_period)
    client.force_login(member)
    url = reverse("committees:review_detail", args=[review.pk])
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(4):
        indicator = product_services.indicator_create(
            startup=last_period, name=f"Indicateur {n}", unit="u", direction=Direction.HIGHER, kind=IndicatorKind.FLOW
        )
        for month in range(3):
            product_services.measurement_add(
                indicator=indicator, date=today - datetime.timedelta(days=30 * month + 1), value=10
            )
        product_services.indicator_target_add(
            indicator=indicator, period_start=today - datetime.timedelta(days=170), period_end=today, value=50
        )
    product_services.spending_add(
        startup=last_period,
        period_start=today - datetime.timedelta(days=60),
        period_end=today - datetime.timedelta(days=1),
        amount_eur=5_000,
        nature=SpendingNature.HOSTING,
    )
    with django_assert_num_queries(len(one.captured_queries)):
        page = page_text(client.get(url))
    assert page.count("objectif 50 u, atteint 30 : 60 %") == 4


# --- French plurals: 0 and 1 are singular in French --------------------------------------------------
def _met_criterion(startup, today, name):
    indicator = product_services.indicator_create(
        startup=startup, name=name, unit="dossiers", direction=Direction.HIGHER, kind=IndicatorKind.STOCK
    )
    product_services.indicator_target_add(
        indicator=indicator,
        period_start=today - datetime.timedelta(days=180),
        period_end=today - datetime.timedelta(days=1),
        value=100,
    )
    product_services.measurement_add(indicator=indicator, date=today - datetime.timedelta(days=10), value=150)


@pytest.mark.parametrize(
    ("met", "expected"),
    [(0, "0 critère atteint sur 1"), (1, "1 critère atteint sur 2"), (2, "2 critères atteints sur 3")],
)
def test_the_checklist_counts_criteria_met_with_the_french_plural(
    client, last_period, on_agenda, member, today, met, expected
):
    for n in range(met):
        _met_criterion(last_period, today, f"Dossiers {n}")
    (review,) = on_agenda(last_period)
    section = pack(client, member, review).split("Grille go / stop pré-remplie", 1)[1]
    assert expected in section
