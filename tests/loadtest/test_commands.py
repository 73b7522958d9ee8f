"""generate_portfolio writes a consistent synthetic portfolio; bench measures it next to the admin."""

import datetime
import importlib
import io
import json
import sys
from collections import Counter

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import clear_url_caches

from committees.models import CommitteeSession, Condition, Decision, Review
from investigations.models import Interview, Investigation
from loadtest.synthetic import Pools, incubator_of_each, plan_startup
from products.enums import TERMINAL_PHASES, MembershipRole
from products.models import Membership, Phase, Startup

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def generated():
    call_command("generate_portfolio", startups=20, seed=7, today=TODAY, batch_size=8, stdout=io.StringIO())


def test_every_startup_has_a_current_phase_matching_its_last_phase(generated):
    assert Startup.objects.count() == 20
    for startup in Startup.objects.all():
        phases = list(startup.ordered_phases())
        assert phases, startup.slug
        assert (startup.current_phase, startup.current_phase_start) == (phases[-1].name, phases[-1].start)
        assert phases[-1].end is None
        for before, after in zip(phases, phases[1:], strict=False):
            assert before.end == after.start
            assert before.start <= before.end
        assert phases[-1].start <= TODAY


def test_phases_pass_the_model_validation(generated):
    phases = list(Phase.objects.select_related("startup"))
    assert len(phases) >= 20  # one phase at least per startup
    refused = {}
    for phase in phases:
        try:
            phase.full_clean()
        except ValidationError as error:
            refused[f"{phase.startup.slug} {phase.name}"] = error.messages
    assert refused == {}


def test_investigations_follow_their_phases_and_hold_their_interviews(generated):
    assert Investigation.objects.count() == Phase.objects.filter(name="investigation").count()
    for investigation in Investigation.objects.select_related("phase"):
        assert investigation.phase.name == "investigation"
        assert investigation.started_on == investigation.phase.start
        assert investigation.ended_on == investigation.phase.end
        last = investigation.ended_on or TODAY
        dates = list(investigation.interviews.values_list("date", flat=True))
        assert all(investigation.started_on <= d <= last for d in dates)
    assert Interview.objects.count() > 0


def test_everyone_has_a_team_and_committees_sit_in_sessions_of_its_incubator(generated):
    roles = Counter(Membership.objects.values_list("role", flat=True))
    assert roles[MembershipRole.INTRAPRENEUR] == 20
    assert roles[MembershipRole.COACH] == 20
    active = Startup.objects.exclude(current_phase__in=TERMINAL_PHASES)
    assert (
        Membership.objects.current(TODAY).filter(startup__in=active, role=MembershipRole.COACH).count()
        == active.count()
    )
    for review in Review.objects.select_related("session", "startup"):
        assert review.session.incubator_id == review.startup.incubator_id
        assert review.session.date == review.date
    assert not Decision.objects.filter(review__session__status="planned").exists()
    for decision in Decision.objects.select_related("review"):
        assert decision.startup_id == decision.review.startup_id
    assert CommitteeSession.objects.filter(date__gte=TODAY).exclude(status="planned").count() == 0
    assert not Condition.objects.filter(decision__outcome="poursuite").exists()


def test_the_same_seed_gives_the_same_portfolio_and_another_seed_another_one():
    incubators = incubator_of_each(30, 3, seed=1)
    pools = Pools(
        incubators=3,
        organisations=5,
        themes=20,
        coaches_by_incubator={0: [0], 1: [1], 2: [2]},
        team_members=10,
        sponsor_contacts=3,
    )

    def plans(seed):
        return [plan_startup(n, seed=seed, incubator=incubators[n], pools=pools, today=TODAY) for n in range(30)]

    assert plans(1) == plans(1)
    assert plans(1) != plans(2)


def test_generating_the_same_seed_twice_is_refused_clearly(generated):
    with pytest.raises(CommandError, match="graine 7 existe déjà"):
        call_command("generate_portfolio", startups=5, seed=7, stdout=io.StringIO())


@pytest.fixture
def restore_admin():
    """bench registers Startup in the admin when no app has: undo it for the other tests."""
    registered = admin.site.is_registered(Startup)
    yield
    if not registered and admin.site.is_registered(Startup):
        admin.site.unregister(Startup)
        importlib.reload(sys.modules[settings.ROOT_URLCONF])
        clear_url_caches()


def test_bench_measures_each_page_next_to_the_admin_changelist(generated, restore_admin, tmp_path, capsys):
    path = tmp_path / "bench.json"
    call_command("bench", repeat=2, json_path=str(path))
    results = json.loads(path.read_text())
    pages = {p["page"]: p for p in results["pages"]}
    assert results["startups"] == 20
    assert "Admin Django : liste des startups" in pages
    assert "Tableau de bord, par défaut" in pages
    assert "Vue réseau" in pages
    for page in pages.values():
        assert page["queries"] > 0
        assert page["bytes"] > 0
        assert page["median_ms"] <= page["p95_ms"]
    assert pages["Admin Django : liste des startups"]["x_admin"] == 1.0
    network = pages["Vue réseau"]
    assert network["x_admin"] == round(
        network["median_ms"] / pages["Admin Django : liste des startups"]["median_ms"], 2
    )
    # The network-wide export writes one line per startup, its memory measured.
    assert results["export_memory"]["rows"] == 20
    assert results["export_memory"]["python_peak_kib"] > 0
    assert results["export_memory"]["peak_rss_kib"] > 0
    output = capsys.readouterr().out
    assert "médiane ms" in output
    assert "× admin" in output
    assert "Synthèse d'investigation" in output
    assert "Export CSV de tout le réseau (20 lignes)" in output


def test_bench_cold_measures_each_page_after_a_write(generated, restore_admin, capsys):
    call_command("bench", repeat=1, cold=True)
    assert "1 requêtes mesurées par page, chacune après une écriture sur la startup mesurée." in capsys.readouterr().out


def test_bench_profiles_the_dashboard_and_the_startup_page(generated, restore_admin, capsys):
    call_command("bench", repeat=1, profile=True)
    output = capsys.readouterr().out
    assert "Profil : Tableau de bord, par défaut (1 requêtes, temps propre)" in output
    assert "Profil : Fiche startup" in output
    assert "tottime" in output


def test_bench_needs_a_portfolio():
    with pytest.raises(CommandError, match="Aucune startup"):
        call_command("bench", repeat=1)
