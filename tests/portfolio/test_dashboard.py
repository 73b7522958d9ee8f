"""The dashboard: scopes, phase cards, filters, sorting, pagination and the CSV export."""

import csv
import datetime
import html
import io
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.enums import Outcome
from products.enums import MembershipRole
from products.models import Startup
from tests.committees.factories import ConditionFactory, DecisionFactory, closed_review, planned_review
from tests.investigations.factories import InterviewFactory, InvestigationFactory
from tests.products.factories import (
    IncubatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PhaseFactory,
    StartupFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
HOME = reverse("dashboard:home")
EXPORT = reverse("dashboard:export")


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def day(offset):
    return TODAY + datetime.timedelta(days=offset)


def startup_in(phase, *, name=None, incubator=None, start=None):
    startup = StartupFactory(**({"name": name} if name else {}), **({"incubator": incubator} if incubator else {}))
    PhaseFactory(startup=startup, name=phase, start=start or day(-30))
    return Startup.objects.get(pk=startup.pk)


def table_slugs(response) -> list[str]:
    """The startups of the table, in order, as a person reads them."""
    return re.findall(r'<th scope="row"[^>]*><a href="/startups/([^/]+)/chronologie/">', response.content.decode())


def download(client, params=None):
    """The dashboard's CSV export, read to its end (it is streamed: its queries run while it is read)."""
    response = client.get(EXPORT, params or {})
    assert response.streaming, "the export is streamed, so that memory stays flat with 10,000 rows"
    response.csv_text = response.getvalue().decode("utf-8-sig")
    return response


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.csv_text)))


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True))
    return client


# --- Who lands where ----------------------------------------------------------------------------
def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_coach_lands_on_their_own_startups(client):
    coach = UserFactory()
    mine = startup_in("construction", name="Ma startup", start=day(-45))
    MembershipFactory(user=coach, startup=mine, role=MembershipRole.COACH)
    startup_in("acceleration", name="Une autre startup")
    client.force_login(coach)
    response = client.get(HOME)
    page = response.content.decode()
    assert table_slugs(response) == [mine.slug]
    assert 'aria-current="page">Mes startups</a>' in page
    assert "Construction" in page
    assert "45 jours" in page
    assert "depuis le 01/05/2026" in page


def test_coach_reaches_their_incubator_and_the_whole_network_in_one_click(client):
    coach = UserFactory()
    mine = startup_in("construction")
    MembershipFactory(user=coach, startup=mine, role=MembershipRole.COACH)
    neighbour = startup_in("investigation", incubator=mine.incubator)
    co_incubated = startup_in("acceleration")
    co_incubated.co_incubators.add(mine.incubator)
    elsewhere = startup_in("acceleration")
    client.force_login(coach)
    page = client.get(HOME).content.decode()
    assert 'href="?vue=incubateur"' in page
    assert 'href="?vue=reseau"' in page
    assert sorted(table_slugs(client.get(HOME, {"vue": "incubateur"}))) == sorted(
        [mine.slug, neighbour.slug, co_incubated.slug]
    )
    assert sorted(table_slugs(client.get(HOME, {"vue": "reseau"}))) == sorted(
        [mine.slug, neighbour.slug, co_incubated.slug, elsewhere.slug]
    )


def test_incubator_staff_without_memberships_land_on_their_incubator(client):
    staff = UserFactory()
    incubator = IncubatorFactory()
    incubator.staff.add(staff)
    ours = startup_in("construction", incubator=incubator)
    startup_in("construction")
    client.force_login(staff)
    response = client.get(HOME)
    assert table_slugs(response) == [ours.slug]
    assert "Mes startups" not in response.content.decode()


def test_former_membership_no_longer_counts_as_my_startup(client):
    person = UserFactory()
    MembershipFactory(user=person, startup=startup_in("abandon"), start=day(-400), end=day(-10))
    client.force_login(person)
    response = client.get(HOME)
    assert "Mes startups" not in response.content.decode()
    assert 'aria-current="page">Tout le réseau</a>' in response.content.decode()


def test_a_scope_the_person_does_not_have_is_refused_with_a_message(client):
    person = UserFactory()
    client.force_login(person)
    response = client.get(HOME, {"vue": "mes"})
    assert response.status_code == 200
    assert "Périmètre : Sélectionnez un choix valide" in response.content.decode()


# --- Cards --------------------------------------------------------------------------------------
def test_cards_count_startups_by_current_phase_whatever_the_phase_filter(admin_client):
    for phase in ("construction", "construction", "investigation", "abandon"):
        startup_in(phase)
    StartupFactory()  # no phase yet
    response = admin_client.get(HOME, {"phase": "construction"})
    cards = {c.phase: c.count for c in response.context["cards"]}
    assert cards["construction"] == 2
    assert cards["investigation"] == 1
    assert cards["abandon"] == 1
    assert cards["aucune"] == 1
    assert response.context["all_count"] == 5
    assert response.context["total"] == 2
    assert len(table_slugs(response)) == 2


# --- Filters ------------------------------------------------------------------------------------
@pytest.fixture
def portfolio():
    """Five startups, each picked out by exactly one filter."""
    incubator = IncubatorFactory(slug="fabrique")
    coach = UserFactory(full_name="Camille Coach")
    sponsor = OrganisationFactory(slug="dinum")
    theme = ThemeFactory(name="Santé")
    by_incubator = startup_in("construction", name="Par incubateur", incubator=incubator)
    coached = startup_in("construction", name="Coachée")
    MembershipFactory(user=coach, startup=coached, role=MembershipRole.COACH)
    sponsored = startup_in("construction", name="Sponsorisée")
    sponsored.sponsors.add(sponsor)
    themed = startup_in("construction", name="Thématique")
    themed.themes.add(theme)
    watched = startup_in("investigation", name="À surveiller", start=day(-90))
    InvestigationFactory(startup=watched, started_on=day(-90), planned_end=day(-27))
    inaccessible = startup_in("acceleration", name="Non conforme")
    Startup.objects.filter(pk=inaccessible.pk).update(accessibility_status="non conforme")
    return {
        "incubator": (incubator.slug, by_incubator),
        "coach": (str(coach.pk), coached),
        "sponsor": (sponsor.slug, sponsored),
        "thematique": (str(theme.pk), themed),
        "surveiller": ("1", watched),
        "phase": ("investigation", watched),
        "non_conforme_rgaa": ("1", inaccessible),
    }


@pytest.mark.parametrize(
    "name", ["incubator", "coach", "sponsor", "thematique", "surveiller", "phase", "non_conforme_rgaa"]
)
def test_each_filter_keeps_only_its_startups(admin_client, portfolio, name):
    value, expected = portfolio[name]
    param = "incubateur" if name == "incubator" else name
    response = admin_client.get(HOME, {"vue": "reseau", param: value})
    assert table_slugs(response) == [expected.slug]


def test_filters_combine(admin_client, portfolio):
    _value, themed = portfolio["thematique"]
    response = admin_client.get(HOME, {"thematique": portfolio["thematique"][0], "phase": "investigation"})
    assert table_slugs(response) == []
    response = admin_client.get(HOME, {"thematique": portfolio["thematique"][0], "phase": "construction"})
    assert table_slugs(response) == [themed.slug]


def test_rgaa_filter_keeps_non_conforme_startups_past_investigation_only(admin_client):
    expected = []
    for phase, status in [
        ("construction", "non conforme"),
        ("opere", "non conforme"),
        ("investigation", "non conforme"),
        ("abandon", "non conforme"),
        ("acceleration", "partiellement conforme"),
        ("consolidation", ""),
    ]:
        startup = startup_in(phase, name=f"{phase} {status}")
        Startup.objects.filter(pk=startup.pk).update(accessibility_status=status)
        if phase in ("construction", "opere"):
            expected.append(startup.slug)
    response = admin_client.get(HOME, {"vue": "reseau", "non_conforme_rgaa": "1"})
    assert sorted(table_slugs(response)) == sorted(expected)
    assert response.context["total"] == 2
    assert '<input type="checkbox" id="id_non_conforme_rgaa" name="non_conforme_rgaa" value="1" checked>' in (
        response.content.decode()
    )


def test_filter_without_phase_keeps_startups_that_have_none(admin_client):
    unphased = StartupFactory()
    startup_in("construction")
    assert table_slugs(admin_client.get(HOME, {"phase": "aucune"})) == [unphased.slug]


def test_unknown_filter_values_are_reported_and_ignored(admin_client):
    startup = startup_in("construction")
    response = admin_client.get(HOME, {"phase": "lancement", "incubateur": "inconnu", "tri": "hasard", "page": "x"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Certains filtres de l'adresse n'ont pas été compris" in page
    assert "Phase actuelle : Sélectionnez un choix valide. lancement n’en fait pas partie." in page
    assert "Incubateur : Sélectionnez un choix valide. inconnu n’en fait pas partie." in page
    assert table_slugs(response) == [startup.slug]


def test_the_filters_stay_in_the_links_so_a_view_can_be_shared(admin_client, portfolio):
    page = admin_client.get(HOME, {"vue": "reseau", "sponsor": "dinum"}).content.decode()
    assert 'href="/tableau-de-bord/export.csv?vue=reseau&amp;sponsor=dinum"' in page
    assert 'href="?vue=reseau&amp;sponsor=dinum&amp;tri=-startup"' in page
    assert '<option value="dinum" selected>' in page


def test_the_rgaa_filter_stays_in_the_links(admin_client, portfolio):
    page = admin_client.get(HOME, {"vue": "reseau", "non_conforme_rgaa": "1"}).content.decode()
    assert 'href="/tableau-de-bord/export.csv?vue=reseau&amp;non_conforme_rgaa=1"' in page
    assert 'href="?vue=reseau&amp;non_conforme_rgaa=1&amp;tri=-startup"' in page


# --- Columns ------------------------------------------------------------------------------------
def test_row_shows_last_and_next_committee_conditions_and_recent_interviews(admin_client):
    startup = startup_in("construction", start=day(-200))
    decision = DecisionFactory(
        review=closed_review(startup, day(-40)), outcome=Outcome.POURSUITE_AVEC_RESERVES, next_committee_on=day(140)
    )
    ConditionFactory(decision=decision, due_on=day(-3))
    ConditionFactory(decision=decision, due_on=day(30))
    planned_review(startup, day(20))
    investigation = InvestigationFactory(startup=startup, started_on=day(-200), status="concluante")
    InterviewFactory(investigation=investigation, date=day(-29))
    InterviewFactory(investigation=investigation, date=day(-30))
    [row] = admin_client.get(HOME).context["page_obj"].object_list
    assert row.last_decision_date == day(-40)
    assert row.last_decision_outcome_label == "Poursuite avec réserves"
    assert row.next_committee_on == day(20)
    assert row.next_committee_planned is True
    assert (row.open_conditions, row.overdue_conditions) == (2, 1)
    assert row.recent_interviews == 1
    assert [a.code for a in row.alerts] == ["condition_overdue"]


def test_without_a_planned_session_the_next_committee_is_the_one_announced_by_the_decision(admin_client):
    startup = startup_in("construction")
    DecisionFactory(review=closed_review(startup, day(-40)), next_committee_on=day(100))
    page = admin_client.get(HOME)
    [row] = page.context["page_obj"].object_list
    assert (row.next_committee_on, row.next_committee_planned) == (day(100), False)
    assert "annoncé par la décision" in page.content.decode()


# --- Sorting and pagination ---------------------------------------------------------------------
@pytest.fixture
def three():
    a = startup_in("acceleration", name="Alpha", start=day(-10))
    b = startup_in("investigation", name="Bravo", start=day(-300))
    c = startup_in("construction", name="Charlie", start=day(-100))
    DecisionFactory(review=closed_review(a, day(-50)))
    DecisionFactory(review=closed_review(c, day(-5)))
    return a, b, c


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("startup", ["Alpha", "Bravo", "Charlie"]),
        ("-startup", ["Charlie", "Bravo", "Alpha"]),
        ("phase", ["Bravo", "Charlie", "Alpha"]),  # lifecycle order, not alphabetical
        ("duree", ["Alpha", "Charlie", "Bravo"]),
        ("-duree", ["Bravo", "Charlie", "Alpha"]),
        ("dernier_comite", ["Alpha", "Charlie", "Bravo"]),  # no committee: last
        ("-dernier_comite", ["Charlie", "Alpha", "Bravo"]),  # no committee: still last
        ("-alertes", ["Bravo", "Alpha", "Charlie"]),  # Bravo: committee overdue
    ],
)
def test_table_sorts_on_a_column_both_ways(admin_client, three, sort, expected):
    rows = admin_client.get(HOME, {"tri": sort}).context["page_obj"].object_list
    assert [r.name for r in rows] == expected


def test_column_header_link_reverses_the_active_sort_and_says_so(admin_client, three):
    page = admin_client.get(HOME, {"tri": "dernier_comite"}).content.decode()
    assert 'aria-sort="ascending"' in page
    assert 'href="?tri=-dernier_comite">Dernier comité' in page


def test_table_is_paginated_by_fifty(admin_client):
    for n in range(51):
        startup_in("construction", name=f"Startup {n:02d}")
    first = admin_client.get(HOME)
    second = admin_client.get(HOME, {"page": 2})
    assert len(table_slugs(first)) == 50
    assert [r.name for r in second.context["page_obj"].object_list] == ["Startup 50"]
    assert 'aria-current="page" title="Page 2"' in second.content.decode()


# --- CSV export ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"vue": "reseau"},
        {"phase": "construction"},
        {"surveiller": "1"},
        {"tri": "-duree"},
        {"surveiller": "1", "tri": "-alertes", "phase": "investigation"},
        {"coach": "COACH", "tri": "-startup"},
        {"incubateur": "fabrique", "surveiller": "1"},
        {"sponsor": "dinum", "thematique": "THEME"},
        {"non_conforme_rgaa": "1", "tri": "-duree"},
    ],
)
def test_csv_export_holds_exactly_the_rows_of_the_table_in_its_order(admin_client, portfolio, params):
    params = {
        k: (portfolio["coach"][0] if v == "COACH" else portfolio["thematique"][0] if v == "THEME" else v)
        for k, v in params.items()
    }
    for n in range(4):
        startup_in("abandon", name=f"Arrêtée {n}", start=day(-n * 50 - 1))
    table = table_slugs(admin_client.get(HOME, params))
    export = download(admin_client, params)
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    assert [row["identifiant"] for row in csv_rows(export)] == table


def test_csv_export_carries_every_page_and_the_columns(admin_client):
    for n in range(55):
        startup_in("construction", name=f"Startup {n:02d}", start=day(-20))
    rows = csv_rows(download(admin_client))
    assert len(rows) == 55
    assert rows[0]["phase"] == "Construction"
    assert rows[0]["dans la phase depuis"] == "2026-05-26"
    assert rows[0]["jours dans la phase"] == "20"


def test_csv_export_neutralises_formulas(admin_client):
    startup_in("construction", name='=HYPERLINK("http://example.com")')
    [row] = csv_rows(download(admin_client))
    assert row["startup"] == '\'=HYPERLINK("http://example.com")'


def test_csv_export_quotes_every_cell_and_neutralises_formulas_after_a_separator(admin_client):
    startup_in("construction", name="Mairie;=cmd|' /C calc'!A0;")
    response = download(admin_client)
    [row] = csv_rows(response)
    assert row["startup"] == "Mairie;'=cmd|' /C calc'!A0;"
    assert all(line.startswith('"') for line in response.csv_text.splitlines())


# --- Constant number of queries -----------------------------------------------------------------
def busy_startup(incubator, coach, n):
    startup = startup_in("construction", name=f"Occupée {n}", incubator=incubator, start=day(-300))
    Startup.objects.filter(pk=startup.pk).update(accessibility_status="non conforme")
    MembershipFactory(startup=startup, user=coach, role=MembershipRole.COACH)
    MembershipFactory(startup=startup, role=MembershipRole.INTRAPRENEUR, time_share=40)
    decision = DecisionFactory(review=closed_review(startup, day(-200)), budget_period_end=day(10))
    ConditionFactory(decision=decision, due_on=day(-1))
    investigation = InvestigationFactory(startup=startup, started_on=day(-300))
    InterviewFactory(investigation=investigation, date=day(-3))
    planned_review(startup, day(30 + n))
    return startup


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"surveiller": "1", "tri": "-alertes"},
        {"tri": "prochain_comite"},
        {"vue": "incubateur"},
        {"non_conforme_rgaa": "1"},
    ],
)
def test_dashboard_makes_its_pinned_queries_for_one_row_or_many(client, params, snapshot_queries):
    coach = UserFactory()
    incubator = IncubatorFactory()
    busy_startup(incubator, coach, 0)
    client.force_login(coach)
    assert snapshot_queries(lambda: client.get(HOME, params)).status_code == 200
    for n in range(1, 15):
        busy_startup(incubator, coach, n)
    assert snapshot_queries(lambda: client.get(HOME, params)).status_code == 200
    assert len(table_slugs(client.get(HOME, params))) == 15


@pytest.mark.parametrize("params", [{}, {"surveiller": "1", "tri": "-alertes"}])
def test_dashboard_export_makes_its_pinned_queries_for_one_row_or_many(client, params, snapshot_queries):
    coach = UserFactory()
    incubator = IncubatorFactory()
    busy_startup(incubator, coach, 0)
    client.force_login(coach)
    assert snapshot_queries(lambda: download(client, params)).status_code == 200
    for n in range(1, 15):
        busy_startup(incubator, coach, n)
    response = snapshot_queries(lambda: download(client, params))
    assert response.status_code == 200
    assert len(response.csv_text.strip().splitlines()) == 16  # the header and 15 startups


def test_coach_filter_lists_the_coaches_of_the_scope(client):
    coach = UserFactory(full_name="Camille Coach")
    mine = startup_in("construction")
    MembershipFactory(user=coach, startup=mine, role=MembershipRole.COACH)
    other = startup_in("construction", incubator=IncubatorFactory(slug="ailleurs"))
    MembershipFactory(user__full_name="Dominique Ailleurs", startup=other, role=MembershipRole.COACH)
    client.force_login(coach)
    mine_page = client.get(HOME).content.decode()
    assert "Camille Coach</option>" in mine_page
    assert "Dominique Ailleurs" not in mine_page
    incubator_page = client.get(HOME, {"vue": "reseau", "incubateur": "ailleurs"}).content.decode()
    assert "Dominique Ailleurs</option>" in incubator_page
    assert "Camille Coach</option>" not in incubator_page  # (still named in the header)


def test_coach_list_is_kept_until_a_team_changes_then_read_again(client):
    coach = UserFactory(full_name="Camille Coach")
    mine = startup_in("construction")
    MembershipFactory(user=coach, startup=mine, role=MembershipRole.COACH)
    client.force_login(coach)
    assert "Morgane Nouvelle</option>" not in client.get(HOME).content.decode()
    with CaptureQueriesContext(connection) as again:
        client.get(HOME)
    assert not any('ORDER BY "products_user"."full_name"' in q["sql"] for q in again)  # the list kept
    MembershipFactory(user__full_name="Morgane Nouvelle", startup=mine, role=MembershipRole.COACH)
    assert "Morgane Nouvelle</option>" in client.get(HOME).content.decode()


def test_across_the_network_coaches_are_listed_once_an_incubator_is_chosen(client):
    coach = UserFactory(full_name="Camille Coach")
    startup = startup_in("construction")
    MembershipFactory(user=coach, startup=startup, role=MembershipRole.COACH)
    client.force_login(UserFactory(is_superuser=True))
    page = client.get(HOME).content.decode()
    assert "Choisissez d&#x27;abord un incubateur." in page
    assert "Camille Coach" not in page
    shared = client.get(HOME, {"coach": coach.pk})
    assert table_slugs(shared) == [startup.slug]
    assert f'<option value="{coach.pk}" selected>Camille Coach</option>' in shared.content.decode()


def test_csv_export_and_table_raise_the_same_alerts(admin_client):
    coach = UserFactory()
    incubator = IncubatorFactory()
    for n in range(3):
        busy_startup(incubator, coach, n)
    quiet = startup_in("construction", name="Tranquille")
    table = {r.slug: " | ".join(a.label for a in r.alerts) for r in admin_client.get(HOME).context["page_obj"]}
    export = {row["identifiant"]: row["alertes"] for row in csv_rows(download(admin_client))}
    assert export == table
    assert export[quiet.slug] == ""
    busy = Startup.objects.get(name="Occupée 0")
    # Open investigation since day -300, last decision at day -200 (a committee is planned, so the
    # budget is covered), a condition overdue since yesterday, an intrapreneur at 40 %.
    assert export[busy.slug] == "Investigation en retard | Comité attendu | Condition échue | Intrapreneur·e < 60 %"


# --- What an account with no role sees (docs/permissions.md, issue 12 item 10) ---------------------
def test_an_account_with_no_role_sees_committee_metadata_but_never_its_contents(client):
    startup = startup_in("construction", name="Startup voisine")
    decision = DecisionFactory(
        review=closed_review(startup, day(-20)),
        outcome=Outcome.POURSUITE_AVEC_RESERVES,
        rationale="Motivation confidentielle",
        next_committee_on=day(100),
    )
    ConditionFactory(decision=decision, text="Recruter une designer confidentielle", due_on=day(-1))
    client.force_login(UserFactory())
    home = client.get(reverse("dashboard:home")).content.decode()
    [row] = csv_rows(download(client))
    timeline = client.get(reverse("dashboard:timeline", kwargs={"slug": startup.slug})).content.decode()
    # The metadata, as beta.gouv.fr publishes committee dates and outcomes: outcome, next committee, counts.
    assert str(Outcome.POURSUITE_AVEC_RESERVES.label) in home
    assert row["décision"] == str(Outcome.POURSUITE_AVEC_RESERVES.label)
    assert row["prochain comité"] == day(100).isoformat()
    assert (row["conditions ouvertes"], row["conditions échues"]) == ("1", "1")
    # The contents stay behind can_view_synthesis.
    for page in (home, timeline, str(row)):
        assert "Motivation confidentielle" not in page
        assert "Recruter une designer confidentielle" not in page


# --- "What needs me?": the watch list first, then the table -------------------------------------
def page_text(response) -> str:
    """The page's HTML with its entities read (an apostrophe is &#x27; in the source)."""
    return html.unescape(response.content.decode())


def test_the_startups_needing_attention_come_first_with_their_alerts_in_words_and_what_resolves_them(client):
    coach = UserFactory()
    incubator = IncubatorFactory()
    busy = busy_startup(incubator, coach, 0)
    quiet = startup_in("construction", name="Tranquille", incubator=incubator, start=day(-10))
    MembershipFactory(startup=quiet, user=coach, role=MembershipRole.COACH)
    client.force_login(coach)
    page = page_text(client.get(HOME))
    watch = page[page.index('id="a-surveiller"') : page.index('id="tableau-startups"')]
    assert "À surveiller (1)" in watch
    assert "1 startup demande votre attention selon la doctrine." in watch
    assert "Occupée 0" in watch and "Tranquille" not in watch
    assert "Condition échue" in watch and "n'est pas levée alors que son échéance est passée" in watch
    decision = busy.decisions.get()
    review = busy.reviews.get(session__status="planned")
    assert f'href="{reverse("committees:decision_detail", kwargs={"pk": decision.pk})}"' in watch
    assert f'href="{reverse("committees:review_request", kwargs={"pk": review.pk})}"' in watch
    assert f'href="{reverse("products:team", kwargs={"slug": busy.slug})}"' in watch
    # Before the phase tiles, the filters and the table.
    order = [page.index('id="a-surveiller"'), page.index("Startups par phase actuelle"), page.index("tableau-startups")]
    assert order == sorted(order)


def test_an_investigation_without_interviews_points_to_the_interview_form(admin_client):
    startup = startup_in("investigation", name="Muette", start=day(-40))
    investigation = InvestigationFactory(startup=startup, started_on=day(-40))
    watch = page_text(admin_client.get(HOME))
    watch = watch[watch.index('id="a-surveiller"') : watch.index('id="tableau-startups"')]
    assert "Muette" in watch
    assert f'href="{reverse("investigations:interview_new", kwargs={"pk": investigation.pk})}"' in watch
    assert "Saisir un entretien" in watch


def test_without_any_alert_the_watch_list_says_so(admin_client):
    startup_in("construction", start=day(-5))
    page = page_text(admin_client.get(HOME))
    assert "À surveiller (0)" in page
    assert "Aucune startup ne demande d'attention particulière selon la doctrine." in page


def test_the_watch_list_shows_ten_and_leads_to_the_rest_in_the_table(client):
    coach = UserFactory()
    incubator = IncubatorFactory()
    for n in range(12):
        busy_startup(incubator, coach, n)
    client.force_login(coach)
    page = page_text(client.get(HOME))
    watch = page[page.index('id="a-surveiller"') : page.index('id="tableau-startups"')]
    assert "À surveiller (12)" in watch
    assert watch.count('class="dashboard-watch__item"') == 10
    assert "Voir les 12 startups à surveiller dans le tableau" in watch
    assert "surveiller=1" in watch and "tri=-alertes" in watch


def test_the_watch_list_follows_the_scope_and_the_filters(client):
    coach = UserFactory()
    mine = busy_startup(IncubatorFactory(), coach, 0)
    elsewhere = busy_startup(IncubatorFactory(), UserFactory(), 1)
    client.force_login(coach)
    page = page_text(client.get(HOME))
    assert mine.name in page and elsewhere.name not in page
    network = page_text(client.get(HOME, {"vue": "reseau"}))
    assert "À surveiller (2)" in network
    assert "À surveiller (0)" in page_text(client.get(HOME, {"vue": "reseau", "phase": "acceleration"}))


def test_phases_without_startups_collapse_into_one_line(admin_client):
    startup_in("construction")
    page = page_text(admin_client.get(HOME))
    tiles = re.findall(r'class="fr-tile__link" href="[^"]*"[^>]*>([^<]+)</a>', page)
    assert tiles == ["Toutes phases", "Construction"]
    assert "Aucune startup en : Investigation, " in page
    # A phase chosen keeps its tile even with no startup.
    chosen = page_text(admin_client.get(HOME, {"phase": "acceleration"}))
    assert "Accélération" in re.findall(r'class="fr-tile__link" href="[^"]*"[^>]*>([^<]+)</a>', chosen)


def test_the_filters_fold_behind_a_button_that_says_how_many_are_set(admin_client, portfolio):
    page = page_text(admin_client.get(HOME))
    assert '<details class="dashboard-filters' in page
    assert re.search(r"<summary[^>]*>Filtres</summary>", page)
    filtered = page_text(admin_client.get(HOME, {"surveiller": "1", "thematique": portfolio["thematique"][0]}))
    assert re.search(r"<summary[^>]*>Filtres \(2 actifs\)</summary>", filtered)
    # A filter that was not understood opens them, with the message.
    assert '<details class="dashboard-filters fr-mt-3w fr-mb-3w" open>' in page_text(
        admin_client.get(HOME, {"phase": "inconnue"})
    )


def test_the_table_scrolls_in_a_named_region_with_the_alerts_next_to_the_startup(admin_client):
    startup_in("construction")
    page = page_text(admin_client.get(HOME))
    assert '<section class="fr-table__container" tabindex="0" aria-labelledby="tableau-startups-titre">' in page
    assert '<caption id="tableau-startups-titre">Startups du tableau de bord' in page
    headers = [h.strip() for h in re.findall(r"<th scope=\"col\"[^>]*>\s*<a [^>]*>([^<]+)", page)]
    assert headers[:3] == ["Startup", "Alertes", "Incubateur"]


# --- Cost per unit of impact (issue 15) ---------------------------------------------------------
def test_the_cost_per_unit_of_the_north_star_is_a_column_and_a_sort(admin_client):
    from products import services as product_services

    def with_north_star(name, values, spent):
        startup = startup_in("construction", name=name)
        star = product_services.indicator_create(
            startup=startup, name="Usagers", unit="usagers", direction="hausse", kind="stock", is_north_star=True
        )
        for offset, value in enumerate(values):
            product_services.measurement_add(indicator=star, date=day(-60 + 30 * offset), value=value)
        if spent:
            product_services.spending_add(
                startup=startup, period_start=day(-60), period_end=day(-1), amount_eur=spent, nature="equipe"
            )
        return startup

    with_north_star("Alpha", [100, 300], 10_000)  # 10,000 € for +200 → 50 €
    with_north_star("Bravo", [100, 110], 1_000)  # 1,000 € for +10 → 100 €
    with_north_star("Charlie", [100, 90], 1_000)  # no gain: undefined, last
    startup_in("construction", name="Delta")  # no North Star: last
    page = admin_client.get(HOME, {"tri": "cout_impact"})
    assert [r.name for r in page.context["page_obj"].object_list] == ["Alpha", "Bravo", "Charlie", "Delta"]
    text = page.content.decode().replace("\u202f", " ").replace("\xa0", " ")
    assert "50,00 € par usagers" in text and "100,00 € par usagers" in text
    assert "non défini : aucun gain" in text
    descending = admin_client.get(HOME, {"tri": "-cout_impact"}).context["page_obj"].object_list
    assert [r.name for r in descending] == ["Bravo", "Alpha", "Charlie", "Delta"]
