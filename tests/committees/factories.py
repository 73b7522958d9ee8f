import datetime

import factory
from django.utils import timezone

from committees.enums import Outcome, SessionKind
from committees.models import CommitteeSession, Condition, Decision, Review
from products.enums import EventKind
from tests.products.factories import EventFactory, IncubatorFactory, StartupFactory


def today():
    return timezone.localdate()


class CommitteeSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeSession
        skip_postgeneration_save = True

    date = factory.LazyFunction(today)
    kind = SessionKind.INVESTISSEMENT
    incubator = factory.SubFactory(IncubatorFactory)
    first_slot_at = datetime.time(9, 30)

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.set(extracted)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    session = factory.SubFactory(CommitteeSessionFactory)
    startup = factory.SubFactory(StartupFactory, incubator=factory.SelfAttribute("..session.incubator"))
    date = factory.LazyAttribute(lambda o: o.session.date if o.session else today())
    position = factory.Sequence(lambda n: n)


class ImportedReviewFactory(ReviewFactory):
    """A past review imported from a beta.gouv.fr committee event: no session."""

    session = None
    startup = factory.SubFactory(StartupFactory)
    date = datetime.date(2021, 3, 15)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    review = factory.SubFactory(ReviewFactory)
    startup = factory.SelfAttribute("review.startup")
    date = factory.SelfAttribute("review.date")
    outcome = Outcome.POURSUITE
    rationale = "Les objectifs du semestre sont atteints."


class ImportedDecisionFactory(DecisionFactory):
    review = factory.SubFactory(ImportedReviewFactory)
    outcome = Outcome.NON_RENSEIGNE
    rationale = "Poursuite"
    event = factory.SubFactory(
        EventFactory,
        startup=factory.SelfAttribute("..review.startup"),
        kind=EventKind.COMMITTEE,
        date=factory.SelfAttribute("..review.date"),
        comment="Poursuite",
    )


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition

    decision = factory.SubFactory(DecisionFactory)
    text = factory.Sequence(lambda n: f"Recruter un intrapreneur à 60 % au moins (condition {n}).")
    due_on = factory.LazyFunction(lambda: today() + datetime.timedelta(days=30))
