import io
import json

import pytest
from django.core.management import call_command

from investigations.enums import InvestigationStatus
from investigations.models import Insight, Interview, Investigation
from products.demo import ensure_accounts
from products.enums import MembershipRole

pytestmark = pytest.mark.django_db


def _export(slug="proconnect"):
    out = io.StringIO()
    call_command("export_synthesis", slug, stdout=out)
    return json.loads(out.getvalue())


def test_the_proconnect_demo_reports_54_interviews_and_a_third_without_problem():
    call_command("demo", stdout=io.StringIO())
    data = _export()
    assert data["interviews"] == 54
    assert data["no_problem_share"] == 0.333
    assert data["by_intensity"]["0"] == 18


def test_the_proconnect_investigation_was_suspended_on_15_september_2020_with_its_note():
    call_command("demo", stdout=io.StringIO())
    investigation = Investigation.objects.get(startup__slug="proconnect")
    assert investigation.started_on.isoformat() == "2020-06-23"
    assert investigation.ended_on.isoformat() == "2020-09-15"
    assert investigation.status == InvestigationStatus.SUSPENDUE
    assert "54 entretiens" in investigation.status_note
    assert investigation.startup.incubator.slug == "dinum_produits_interministeriels"


def test_large_companies_have_common_but_never_critical_difficulties():
    call_command("demo", stdout=io.StringIO())
    large = _export()["by_target_group"]["Grande entreprise (> 500)"]
    assert large["interviews"] > 0
    assert large["by_intensity"]["0"] == 0
    assert large["by_intensity"]["3"] == 0
    headcounts = Interview.objects.filter(target_group__name="Grande entreprise (> 500)").values_list(
        "headcount", flat=True
    )
    assert min(headcounts) > 500


def test_the_demo_has_two_insights_backed_by_interviews_and_quotes():
    call_command("demo", stdout=io.StringIO())
    insights = Insight.objects.filter(investigation__startup__slug="proconnect")
    assert insights.count() == 2
    for insight in insights:
        assert insight.interviews.exists()
        assert insight.quotes.exists()


def test_running_the_demo_twice_changes_nothing():
    call_command("demo", stdout=io.StringIO())
    counts = (Investigation.objects.count(), Interview.objects.count(), Insight.objects.count())
    call_command("demo", stdout=io.StringIO())
    assert (Investigation.objects.count(), Interview.objects.count(), Insight.objects.count()) == counts
    assert _export()["interviews"] == 54


def test_the_demo_intrapreneur_gets_an_open_investigation_with_recent_interviews_on_their_startup():
    accounts = ensure_accounts()
    call_command("demo", stdout=io.StringIO())
    investigation = Investigation.objects.get(
        startup__memberships__user=accounts["intrapreneur"],
        startup__memberships__role=MembershipRole.INTRAPRENEUR,
        startup__current_phase="investigation",
    )
    assert investigation.is_open
    assert investigation.phase == investigation.startup.phases.get(name="investigation")
    assert investigation.interviews.count() == 8


def test_the_demo_investigation_has_its_launch_workshop_and_mid_point_and_a_resumed_one():
    accounts = ensure_accounts()
    call_command("demo", stdout=io.StringIO())
    investigation = Investigation.objects.get(
        startup__memberships__user=accounts["intrapreneur"],
        startup__memberships__role=MembershipRole.INTRAPRENEUR,
        startup__current_phase="investigation",
    )
    assert sorted(investigation.rituals.values_list("kind", flat=True)) == ["lancement", "mi_parcours"]
    resumed = Investigation.objects.filter(resumed_on__isnull=False)
    assert [i.status for i in resumed] == [InvestigationStatus.EN_COURS] * resumed.count()
