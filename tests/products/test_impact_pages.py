"""The impact page and the startup page's impact section: indicators, measurements (form and CSV), targets,
spending, who may read and write them, and a constant number of queries."""

import datetime
import html
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from products import services
from products.enums import Direction, IndicatorKind, MembershipRole, SpendingNature
from products.models import Indicator, Measurement, Spending
from tests.committees.factories import DecisionFactory

from .factories import MembershipFactory, StartupFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
D = datetime.date


@pytest.fixture
def startup():
    return StartupFactory(name="Aidants Connect", slug="aidants-connect")


@pytest.fixture
def member(startup):
    return MembershipFactory(startup=startup, role=MembershipRole.INTRAPRENEUR).user


@pytest.fixture
def users_indicator(startup):
    return services.indicator_create(
        startup=startup,
        name="Usagers actifs",
        unit="usagers",
        direction=Direction.HIGHER,
        kind=IndicatorKind.STOCK,
        is_north_star=True,
    )


def page(client, startup, name="products:impact"):
    response = client.get(reverse(name, kwargs={"slug": startup.slug}))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def url(name, startup):
    return reverse(f"products:{name}", kwargs={"slug": startup.slug})


def test_the_team_adds_an_indicator_a_measurement_a_target_and_a_spending(client, startup, member):
    client.force_login(member)
    response = client.post(
        url("indicator_add", startup),
        {
            "indicator-name": "Dossiers traités",
            "indicator-unit": "dossiers",
            "indicator-direction": "hausse",
            "indicator-kind": "flux",
            "indicator-is_north_star": "on",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(startup=startup)
    assert indicator.is_north_star and indicator.kind == IndicatorKind.FLOW
    response = client.post(
        url("measurement_add", startup),
        {"measurement-indicator": indicator.pk, "measurement-date": "2026-01-31", "measurement-value": "42,5"},
    )
    # A browser sends the decimal point of <input type=number>; the French comma is refused by the number field.
    assert response.status_code in (302, 400)
    client.post(
        url("measurement_add", startup),
        {"measurement-indicator": indicator.pk, "measurement-date": "2026-01-31", "measurement-value": "42.5"},
    )
    assert Measurement.objects.get(indicator=indicator).value == Decimal("42.5")
    client.post(
        url("target_add", startup),
        {
            "target-indicator": indicator.pk,
            "target-period_start": "2026-01-01",
            "target-period_end": "2026-06-30",
            "target-value": "300",
        },
    )
    assert indicator.targets.get().value == 300
    response = client.post(
        url("spending_add", startup),
        {
            "spending-period_start": "2026-01-01",
            "spending-period_end": "2026-01-31",
            "spending-amount_eur": "8500",
            "spending-nature": SpendingNature.TEAM,
        },
    )
    assert response.status_code == 302
    assert Spending.objects.get(startup=startup).entered_by == member
    text = page(client, startup)
    assert "Dossiers traités" in text and "Étoile polaire" in text
    assert "8 500,00 €" in text or "8\u00a0500,00 €" in text
    # The chart and its table: the SVG's numbers are never localised.
    assert 'role="img"' in text and "42,5" in text
    assert "200,00 € par dossiers" in text  # 8,500 € / 42.5 files


def test_a_second_north_star_is_refused_with_a_message(client, startup, member, users_indicator):
    client.force_login(member)
    response = client.post(
        url("indicator_add", startup),
        {
            "indicator-name": "Démarches",
            "indicator-unit": "démarches",
            "indicator-direction": "hausse",
            "indicator-kind": "stock",
            "indicator-is_north_star": "on",
        },
    )
    assert response.status_code == 400
    assert "« Usagers actifs » est déjà l'étoile polaire" in html.unescape(response.content.decode())
    assert Indicator.objects.filter(startup=startup).count() == 1


def test_a_measurement_in_the_future_or_twice_on_a_date_is_refused(client, startup, member, users_indicator):
    client.force_login(member)
    later = (TODAY + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        url("measurement_add", startup),
        {"measurement-indicator": users_indicator.pk, "measurement-date": later, "measurement-value": "3"},
    )
    assert response.status_code == 400 and "est à venir" in html.unescape(response.content.decode())
    services.measurement_add(indicator=users_indicator, date=D(2026, 1, 1), value=3)
    response = client.post(
        url("measurement_add", startup),
        {"measurement-indicator": users_indicator.pk, "measurement-date": "2026-01-01", "measurement-value": "4"},
    )
    assert response.status_code == 400
    assert "déjà une mesure à cette date" in html.unescape(response.content.decode())


@pytest.mark.parametrize(
    "role, may_write, sees_money",
    [
        (MembershipRole.INTRAPRENEUR, True, True),
        (MembershipRole.TEAM_MEMBER, True, True),
        (MembershipRole.COACH, True, True),
        (MembershipRole.SPONSOR_CONTACT, False, True),
        (None, False, False),
    ],
)
def test_only_the_team_coaches_and_staff_write_and_readers_read(
    client, startup, users_indicator, role, may_write, sees_money
):
    services.spending_add(
        startup=startup,
        period_start=D(2026, 1, 1),
        period_end=D(2026, 1, 31),
        amount_eur=1000,
        nature=SpendingNature.HOSTING,
    )
    user = MembershipFactory(startup=startup, role=role).user if role else UserFactory()
    client.force_login(user)
    text = page(client, startup)
    assert "Usagers actifs" in text
    assert ("Déclarer une dépense" in text) is may_write
    assert ("Dépenses déclarées" in text) is sees_money
    posts = {
        "measurement_add": {
            "measurement-indicator": users_indicator.pk,
            "measurement-date": "2026-01-05",
            "measurement-value": "1",
        },
        "spending_add": {
            "spending-period_start": "2026-01-01",
            "spending-period_end": "2026-01-31",
            "spending-amount_eur": "5",
            "spending-nature": "autre",
        },
        "indicator_add": {
            "indicator-name": "X",
            "indicator-unit": "x",
            "indicator-direction": "hausse",
            "indicator-kind": "stock",
        },
    }
    for name, data in posts.items():
        response = client.post(url(name, startup), data)
        assert response.status_code == (302 if may_write else 403), name
    assert Spending.objects.filter(startup=startup).count() == (2 if may_write else 1)


def test_staff_of_the_incubator_write(client, startup, users_indicator):
    staff = UserFactory()
    startup.incubator.staff.add(staff)
    client.force_login(staff)
    response = client.post(
        url("measurement_add", startup),
        {"measurement-indicator": users_indicator.pk, "measurement-date": "2026-01-05", "measurement-value": "1"},
    )
    assert response.status_code == 302


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, startup):
    assert client.get(url("impact", startup)).status_code == 302


def test_one_may_not_measure_another_startups_indicator(client, startup, member):
    other = StartupFactory()
    foreign = services.indicator_create(startup=other, name="Autre", unit="u", direction="hausse", kind="stock")
    client.force_login(member)
    response = client.post(
        url("measurement_add", startup),
        {"measurement-indicator": foreign.pk, "measurement-date": "2026-01-05", "measurement-value": "1"},
    )
    assert response.status_code == 400
    assert not Measurement.objects.exists()


# --- CSV import ---------------------------------------------------------------------------------
def upload(client, startup, text: str, encoding="utf-8"):
    file = SimpleUploadedFile("mesures.csv", text.encode(encoding), content_type="text/csv")
    return client.post(url("measurement_import", startup), {"import-file": file})


def test_csv_import_keeps_good_rows_and_names_each_bad_one(client, startup, member, users_indicator):
    services.measurement_add(indicator=users_indicator, date=D(2026, 1, 1), value=10)
    client.force_login(member)
    later = (TODAY + datetime.timedelta(days=10)).isoformat()
    text = (
        "date;indicateur;valeur\n"
        "2026-02-01;Usagers actifs;120\n"  # line 2: good
        "01/03/2026;usagers  ACTIFS;1 234,5\n"  # line 3: good (name folded, French number)
        "2026-02-30;Usagers actifs;3\n"  # line 4: no such date
        "2026-03-02;Inconnu;3\n"  # line 5: unknown indicator
        "2026-03-03;Usagers actifs;beaucoup\n"  # line 6: not a number
        "2026-01-01;Usagers actifs;11\n"  # line 7: already measured
        f"{later};Usagers actifs;5\n"  # line 8: to come
        "2026-03-04;Usagers actifs\n"  # line 9: a cell short
        "2026-03-05;Usagers actifs;99999999999999999999\n"  # line 10: too big for the column
    )
    response = upload(client, startup, text)
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert "2 mesures importées" in content and "7 lignes rejetées" in content
    for line, reason in [
        (4, "date « 2026-02-30 » illisible"),
        (5, "indicateur « Inconnu » inconnu"),
        (6, "valeur « beaucoup »"),
        (7, "déjà une mesure à cette date"),
        (8, "est à venir"),
        (9, "2 cellules pour 3 colonnes"),
        (10, "18 chiffres"),
    ]:
        assert f'<th scope="row">{line}</th><td>' in content, line
        assert reason in content, reason
    values = dict(Measurement.objects.filter(indicator=users_indicator).values_list("date", "value"))
    assert values == {D(2026, 1, 1): 10, D(2026, 2, 1): 120, D(2026, 3, 1): Decimal("1234.5")}
    assert Measurement.objects.get(date=D(2026, 2, 1)).via == "csv"


def test_a_csv_refused_as_a_whole_imports_nothing(client, startup, member, users_indicator):
    client.force_login(member)
    response = upload(client, startup, "jour,indicator,value\n2026-01-01,Usagers actifs,3\n")
    assert response.status_code == 400
    content = html.unescape(response.content.decode())
    assert "Colonne obligatoire absente de l'en-tête : date" in content and "Aucune mesure n'a été ajoutée." in content
    response = upload(client, startup, "date,indicator,value\n2026-01-01,Usagers actifs,Générée\n", "latin-1")
    assert response.status_code == 400 and "UTF-8" in html.unescape(response.content.decode())
    assert not Measurement.objects.exists()


# --- The startup page ---------------------------------------------------------------------------
def _fill(startup, indicators: int, points: int):
    for i in range(indicators):
        indicator = services.indicator_create(
            startup=startup, name=f"Indicateur {startup.pk}-{i}", unit="u", direction="hausse", kind="stock"
        )
        for day in range(points):
            services.measurement_add(indicator=indicator, date=D(2025, 1, 1) + datetime.timedelta(days=day), value=day)
        services.indicator_target_add(
            indicator=indicator, period_start=D(2025, 1, 1), period_end=D(2025, 6, 30), value=9
        )
    services.spending_add(
        startup=startup, period_start=D(2025, 1, 1), period_end=D(2025, 3, 31), amount_eur=900, nature="equipe"
    )
    DecisionFactory(
        review__startup=startup, budget_eur=50_000, budget_period_start=D(2025, 1, 1), budget_period_end=D(2025, 6, 30)
    )


def test_the_startup_page_shows_the_impact_in_a_constant_number_of_queries(client):
    staff = UserFactory()
    client.force_login(staff)
    small, big = StartupFactory(), StartupFactory()
    for startup in (small, big):
        startup.incubator.staff.add(staff)
    _fill(small, 1, 2)
    _fill(big, 4, 6)
    client.get(small.get_absolute_url())  # warm the caches (session, content types)
    cache.clear()  # both pages computed afresh (core.versions keeps them once read)
    with CaptureQueriesContext(connection) as one:
        text = html.unescape(client.get(small.get_absolute_url()).content.decode())
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get(big.get_absolute_url())
    assert len(one.captured_queries) == len(many.captured_queries)
    # Read again, unchanged: the impact section comes from the cache, in fewer queries.
    with CaptureQueriesContext(connection) as again:
        client.get(big.get_absolute_url())
    assert len(again.captured_queries) < len(many.captured_queries)
    assert f"Indicateur {small.pk}-0" in text and "50 000 €" in text.replace("\u202f", " ").replace("\xa0", " ")
