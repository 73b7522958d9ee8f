"""Factories for the investigation and committee records the dashboard reads."""

import datetime

import factory
from django.utils import timezone

from committees.enums import ConditionStatus, Outcome, SessionKind, SessionStatus
from committees.models import CommitteeSession, Condition, Decision, Review
from investigations.enums import InvestigationStatus
from investigations.models import Interview, Investigation
from tests.products.factories import IncubatorFactory, StartupFactory


class InvestigationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Investigation

    startup = factory.SubFactory(StartupFactory)
    started_on = datetime.date(2026, 1, 5)
    planned_end = factory.LazyAttribute(lambda o: o.started_on + datetime.timedelta(weeks=9))
    status = InvestigationStatus.EN_COURS


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    investigation = factory.SubFactory(InvestigationFactory)
    date = factory.LazyAttribute(lambda o: o.investigation.started_on)
    interviewee = factory.Sequence(lambda n: f"Personne {n}")
    intensity = 2
    consent = True
    retention_until = factory.LazyAttribute(lambda o: o.investigation.planned_end + datetime.timedelta(days=183))


class CommitteeSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeSession

    date = datetime.date(2026, 1, 15)
    kind = SessionKind.INVESTISSEMENT
    incubator = factory.SubFactory(IncubatorFactory)
    status = SessionStatus.CLOSED
    closed_at = factory.LazyAttribute(
        lambda o: (
            timezone.make_aware(datetime.datetime.combine(o.date, datetime.time(18)))
            if o.status == SessionStatus.CLOSED
            else None
        )
    )


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    startup = factory.SubFactory(StartupFactory)
    session = factory.SubFactory(
        CommitteeSessionFactory,
        incubator=factory.SelfAttribute("..startup.incubator"),
        date=factory.SelfAttribute("..date"),
    )
    date = datetime.date(2026, 1, 15)


class DecisionFactory(factory.django.DjangoModelFactory):
    """A decision and its review, on the same date."""

    class Meta:
        model = Decision

    startup = factory.SubFactory(StartupFactory)
    date = datetime.date(2026, 1, 15)
    review = factory.SubFactory(
        ReviewFactory, startup=factory.SelfAttribute("..startup"), date=factory.SelfAttribute("..date")
    )
    outcome = Outcome.POURSUITE
    rationale = "Les résultats sont au rendez-vous."


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition

    decision = factory.SubFactory(DecisionFactory)
    text = "Recruter un·e développeur·se"
    due_on = datetime.date(2026, 3, 1)
    status = ConditionStatus.OPEN
    resolved_at = factory.LazyAttribute(
        lambda o: (
            None
            if o.status == ConditionStatus.OPEN
            else timezone.make_aware(datetime.datetime.combine(o.due_on, datetime.time(12)))
        )
    )


def planned_review(startup, date):
    """A review of `startup` in a planned session on `date`."""
    return ReviewFactory(
        startup=startup,
        date=date,
        session=CommitteeSessionFactory(incubator=startup.incubator, date=date, status=SessionStatus.PLANNED),
    )
