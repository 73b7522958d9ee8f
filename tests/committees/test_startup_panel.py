import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from committees.enums import Outcome
from committees.selectors import insight_citations, startup_panel
from products.models import User
from tests.investigations.factories import InsightFactory
from tests.products.factories import UserFactory

from .factories import (
    CommitteeSessionFactory,
    ConditionFactory,
    DecisionFactory,
    ImportedDecisionFactory,
    ReviewFactory,
)
from .utils import count_queries

pytestmark = pytest.mark.django_db


def render(panel, user):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(panel["template"], {"panel": panel}, request=request)


@pytest.fixture
def history(make_startup, incubator, today):
    startup = make_startup("Alpha")
    imported = ImportedDecisionFactory(review__startup=startup, rationale="GO", review__date=datetime.date(2020, 9, 15))
    past = CommitteeSessionFactory(incubator=incubator, date=today - datetime.timedelta(days=30))
    recent = DecisionFactory(
        review=ReviewFactory(session=past, startup=startup),
        outcome=Outcome.POURSUITE_AVEC_RESERVES,
        rationale="Réserves sur le déploiement",
    )
    ConditionFactory(decision=recent, text="Signer la convention", due_on=today - datetime.timedelta(days=1))
    planned = CommitteeSessionFactory(incubator=incubator, date=today + datetime.timedelta(days=20))
    upcoming = ReviewFactory(session=planned, startup=startup)
    return {"startup": startup, "imported": imported, "recent": recent, "upcoming": upcoming}


def test_the_team_sees_past_reviews_imported_ones_included_and_open_conditions(history):
    startup = history["startup"]
    team = startup.memberships.get().user
    panel = startup_panel(team, startup)
    assert panel["template"] == "committees/includes/startup_panel.html"
    assert [review.decision for review in panel["past_reviews"]] == [history["recent"], history["imported"]]
    assert panel["upcoming_reviews"] == [history["upcoming"]]
    html = render(panel, team)
    expected = ["Non renseigné", "Historique beta.gouv.fr", "Poursuite avec réserves", "Signer la convention"]
    expected.append("En retard")
    for text in expected:
        assert text in html, text


def test_a_person_unrelated_to_the_startup_gets_no_panel(history):
    assert startup_panel(UserFactory(), history["startup"]) is None


def test_the_panel_keeps_its_query_count(history, today):
    startup = history["startup"]
    team_id = startup.memberships.get().user_id

    def show():
        team = User.objects.get(pk=team_id)  # a fresh request: no roles cached on the user yet
        render(startup_panel(team, startup), team)

    one = count_queries(show)
    for _ in range(4):
        ImportedDecisionFactory(review__startup=startup)
        ConditionFactory(decision=history["recent"])
    assert count_queries(show) == one


def test_the_decisions_citing_an_insight_are_listed_for_its_readers(history):
    insight = InsightFactory(investigation__startup=history["startup"])
    history["recent"].cited_insights.add(insight)
    team = history["startup"].memberships.get().user
    assert insight_citations(insight, team) == [history["recent"]]
    assert insight_citations(insight, UserFactory()) == []
