import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from products.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from products.enums import PhaseName
from products.models import Incubator, Membership, Startup

pytestmark = pytest.mark.django_db


def _counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module (each test still runs in its own rolled-back transaction)."""
    with django_db_blocker.unblock():
        output = io.StringIO()
        call_command("demo", stdout=output)
    yield output.getvalue()
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def test_demo_prints_every_login_and_the_password(demo):
    assert DEMO_PASSWORD in demo
    for email, _name, _role in DEMO_ACCOUNTS.values():
        assert email in demo


def test_running_the_demo_twice_changes_nothing(demo):
    before = _counts()
    phases_before = list(Startup.objects.values_list("slug", "current_phase", "current_phase_start"))
    call_command("demo", stdout=io.StringIO())
    assert _counts() == before
    assert list(Startup.objects.values_list("slug", "current_phase", "current_phase_start")) == phases_before


@pytest.mark.parametrize("key", list(DEMO_ACCOUNTS))
def test_each_demo_account_can_sign_in(client, demo, key):
    email = DEMO_ACCOUNTS[key][0]
    response = client.post(reverse("login"), {"username": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("products:startup_list")).status_code == 200


def test_demo_portfolio_covers_every_phase(demo):
    phases = set(Startup.objects.values_list("current_phase", flat=True))
    expected = {name for name in PhaseName.values if name != PhaseName.ALUMNI}
    assert expected <= phases
    assert 10 <= Startup.objects.count() <= 15


def test_demo_phases_are_consistent(demo):
    for startup in Startup.objects.all():
        phases = list(startup.ordered_phases())
        assert phases, startup
        assert [phase for phase in phases if phase.end is None] == [phases[-1]]
        for before, after in zip(phases, phases[1:], strict=False):
            assert before.end <= after.start
        assert startup.current_phase == phases[-1].name


def test_proconnect_follows_its_real_file(demo):
    proconnect = Startup.objects.get(slug="proconnect")
    assert proconnect.name == "ProConnect"
    assert proconnect.mission == "La solution qui vous identifie en tant que professionnel."
    assert proconnect.incubator.slug == "dinum_produits_interministeriels"
    assert proconnect.incubator.title == "Incubateur des produits interministériels de la DINUM"
    assert proconnect.incubator.owner.slug == "dinum"
    assert list(proconnect.sponsors.values_list("slug", flat=True)) == ["dinum"]
    assert [(p.name, p.start, p.end) for p in proconnect.ordered_phases()] == [
        ("investigation", datetime.date(2020, 6, 23), datetime.date(2020, 9, 15)),
        ("construction", datetime.date(2022, 6, 1), datetime.date(2022, 12, 1)),
        ("acceleration", datetime.date(2022, 12, 1), None),
    ]
    assert proconnect.current_phase == "acceleration"
    members = {m.user.email for m in Membership.objects.current().filter(startup=proconnect)}
    assert {DEMO_ACCOUNTS["coach"][0], DEMO_ACCOUNTS["intrapreneur"][0]} <= members


def test_demo_gives_the_committee_member_a_planned_session_and_a_closed_one(demo):
    sessions = apps.get_model("committees.CommitteeSession").objects.filter(
        members__email=DEMO_ACCOUNTS["committee"][0]
    )
    assert set(sessions.values_list("status", flat=True)) == {"planned", "closed"}
    assert sessions.get(status="planned").reviews.count() == 3


def test_demo_coach_coaches_six_startups_of_one_incubator(demo):
    coach = Membership.objects.current().filter(user__email=DEMO_ACCOUNTS["coach"][0], role="coach")
    incubators = set(coach.exclude(startup__slug="proconnect").values_list("startup__incubator", flat=True))
    assert coach.exclude(startup__slug="proconnect").count() == 6
    assert len(incubators) == 1


def test_demo_intrapreneur_leads_two_startups_one_in_investigation(demo):
    led = Membership.objects.current().filter(user__email=DEMO_ACCOUNTS["intrapreneur"][0], role="intrapreneur")
    assert led.count() == 2
    assert set(led.values_list("time_share", flat=True)) == {80}
    assert "investigation" in set(led.values_list("startup__current_phase", flat=True))


def _startups_of(key: str, role: str) -> set[int]:
    memberships = Membership.objects.current().filter(user__email=DEMO_ACCOUNTS[key][0], role=role)
    return set(memberships.values_list("startup", flat=True))


def test_demo_team_member_and_sponsor_contact_share_a_startup_of_the_intrapreneur(demo):
    shared = (
        _startups_of("team", "team_member")
        & _startups_of("sponsor", "sponsor_contact")
        & _startups_of("intrapreneur", "intrapreneur")
    )
    assert len(shared) == 1


def test_demo_incubator_staff_runs_the_coach_incubator(demo):
    staffed = Incubator.objects.filter(staff__email=DEMO_ACCOUNTS["staff"][0])
    assert staffed.count() == 1
    coached = Membership.objects.filter(user__email=DEMO_ACCOUNTS["coach"][0]).exclude(startup__slug="proconnect")
    assert set(coached.values_list("startup__incubator", flat=True)) == {staffed.get().pk}


def test_demo_startups_have_events_themes_and_sponsors(demo):
    assert Startup.objects.filter(events__isnull=False).distinct().count() >= 6
    assert not Startup.objects.filter(themes__isnull=True).exists()
    assert not Startup.objects.filter(sponsors__isnull=True).exists()


def test_demo_pages_render_for_the_coach(client, demo):
    client.post(reverse("login"), {"username": DEMO_ACCOUNTS["coach"][0], "password": DEMO_PASSWORD})
    assert "ProConnect" in client.get(reverse("products:startup_list")).content.decode()
    for startup in Startup.objects.all():
        assert client.get(startup.get_absolute_url()).status_code == 200


def test_demo_shows_quality_and_compliance_on_some_startups(client, demo):
    client.post(reverse("login"), {"username": DEMO_ACCOUNTS["coach"][0], "password": DEMO_PASSWORD})
    page = client.get(Startup.objects.get(slug="dossier-handicap-simplifie").get_absolute_url()).content.decode()
    assert '<p class="fr-badge fr-badge--sm fr-badge--error">Non conforme</p>' in page
    assert "Promotion 14 : 300" in page
    assert (
        "Cent réservations de répit"
        in client.get(reverse("products:startup_detail", args=["repit-aidants"])).content.decode()
    )
    assert Startup.objects.get(slug="proconnect").analyse_risques is True


def test_the_demo_has_impact_indicators_measured_over_two_committee_periods_and_spending(demo):
    from products.impact_report import startup_impact
    from products.models import Startup

    impact = startup_impact(Startup.objects.get(slug="proconnect"))
    star = impact.north_star
    assert star is not None and len(star.points) == 12 and star.cumulated.value is not None
    assert impact.spendings and impact.spent_eur > 0 and impact.granted_eur > 0
    assert impact.periods and all(period.cost.value is not None or period.cost.reason for period in star.periods)
