import pytest
from django.template.loader import render_to_string

from investigations.selectors import startup_panel
from products.enums import MembershipRole
from tests.products.factories import StartupFactory, UserFactory

from .factories import InsightFactory, InterviewFactory, InvestigationFactory, committee_member, member

pytestmark = pytest.mark.django_db


def test_no_panel_for_someone_who_may_not_read_the_investigations():
    investigation = InvestigationFactory()
    assert startup_panel(UserFactory(), investigation.startup) is None


def test_no_panel_for_a_reader_when_there_is_nothing_to_show():
    startup = StartupFactory()
    assert startup_panel(member(startup, MembershipRole.SPONSOR_CONTACT), startup) is None


def test_a_contributor_is_offered_to_open_the_first_investigation():
    startup = StartupFactory()
    panel = startup_panel(member(startup), startup)
    assert panel["can_open"]
    assert "Ouvrir une investigation" in render_to_string(panel["template"], {"panel": panel})


def test_the_panel_lists_investigations_with_status_counts_and_links():
    investigation = InvestigationFactory()
    InterviewFactory.create_batch(3, investigation=investigation)
    InsightFactory(investigation=investigation)
    panel = startup_panel(member(investigation.startup), investigation.startup)
    assert panel["template"] == "investigations/includes/startup_panel.html"
    html = render_to_string(panel["template"], {"panel": panel})
    assert "3 entretiens" in html and "1 apprentissage" in html
    assert f"/investigations/{investigation.pk}/synthese/" in html
    assert "Nouvel entretien" in html
    assert not panel["can_open"]


def test_a_committee_member_sees_the_panel_without_the_new_interview_link():
    investigation = InvestigationFactory()
    panel = startup_panel(committee_member(investigation.startup), investigation.startup)
    html = render_to_string(panel["template"], {"panel": panel})
    assert "Synthèse" in html
    assert "Nouvel entretien" not in html
