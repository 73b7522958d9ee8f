"""The OpenAPI description is served, valid, and the API keeps to it: schemathesis generates
requests from it (valid and invalid) and checks every answer against it."""

import datetime

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, settings

from betatracker.api.openapi import openapi_schema
from products.enums import MembershipRole
from tests.committees.factories import ConditionFactory, DecisionFactory, ReviewFactory
from tests.investigations.factories import HypothesisFactory, InterviewFactory, InvestigationFactory, TargetGroupFactory
from tests.products.factories import EventFactory, MembershipFactory, PhaseFactory, StartupFactory, UserFactory

from .factories import api_token_for

# The description the app serves, bound to the app itself (WSGI: no server, no network). Loaded at
# collection time: `schemathesis.pytest.from_fixture` (4.32) reads `request.node._nodeid`, which
# pytest 9 no longer has.
schema = schemathesis.openapi.from_dict(openapi_schema())
schema.app = WSGIHandler()
schema.config.generation.update(max_examples=10)


@pytest.fixture
def database_kept_across_requests():
    """The WSGI handler closes the database connection when a request ends (as in production); in a
    test that connection holds the test's transaction. Django's test client disconnects the same
    signal handler for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def coach_token(db):
    """A coach with one startup rich enough to exercise every field (dotted slug, synthesis, decisions)."""
    coach = UserFactory()
    startup = StartupFactory(
        slug="mes.aides.test",
        techno=["python"],
        accessibility_status="non conforme",
        analyse_risques=True,
        stats=False,
        dashlord_url="https://dashlord.exemples.gouv.fr/url/mes-aides",
        fast={"promotion": 16, "montant": 200000},
    )
    MembershipFactory(user=coach, startup=startup, role=MembershipRole.COACH)
    PhaseFactory(startup=startup, name="investigation", start=datetime.date(2024, 1, 8))
    EventFactory(startup=startup)
    investigation = InvestigationFactory(startup=startup, started_on=datetime.date(2024, 1, 8))
    group = TargetGroupFactory(investigation=investigation, name="TPE")
    InterviewFactory(investigation=investigation, target_group=group, intensity=0, tags=["Délais"])
    HypothesisFactory(investigation=investigation)
    review = ReviewFactory(startup=startup, session__date=datetime.date(2024, 6, 3))
    decision = DecisionFactory(review=review, budget_eur=180000, next_committee_on=datetime.date(2024, 12, 2))
    ConditionFactory(decision=decision)
    StartupFactory(slug="autre")
    return api_token_for(coach)[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_openapi_description(case, coach_token, database_kept_across_requests):
    case.call_and_validate(headers={"Authorization": f"Bearer {coach_token}"})


@pytest.mark.django_db
def test_the_openapi_description_is_public_json_describing_every_endpoint(client):
    response = client.get(reverse("api:openapi"))

    assert response.status_code == 200
    document = response.json()
    assert document == openapi_schema()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {"/startups", "/startups/{slug}", "/decisions"}
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
