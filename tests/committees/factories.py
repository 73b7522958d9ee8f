import datetime

import factory
from django.utils import timezone

from committees.enums import ConditionStatus, Outcome, SessionKind, SessionStatus
from committees.models import Amendment, CommitteeSession, Condition, Decision, Review
from products.enums import EventKind, Source
from tests.products.factories import EventFactory, IncubatorFactory, StartupFactory, UserFactory


def today():
    return timezone.localdate()


def _aware(date, hour):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour)))


class CommitteeSessionFactory(factory.django.DjangoModelFactory):
    """A session, planned by default. Traits: `held=True` (it sat, its minutes are still open),
    `closed=True` (closed on its evening: its decisions are only changed by amendments)."""

    class Meta:
        model = CommitteeSession
        skip_postgeneration_save = True

    class Params:
        held = factory.Trait(status=SessionStatus.HELD)
        closed = factory.Trait(status=SessionStatus.CLOSED)

    date = factory.LazyFunction(today)
    kind = SessionKind.INVESTISSEMENT
    incubator = factory.SubFactory(IncubatorFactory)
    first_slot_at = datetime.time(9, 30)
    status = SessionStatus.PLANNED
    closed_at = factory.LazyAttribute(lambda o: _aware(o.date, 18) if o.status == SessionStatus.CLOSED else None)

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.set(extracted)


class ReviewFactory(factory.django.DjangoModelFactory):
    """A startup on a session's agenda, on the session's day; the startup is one of the session's incubator unless
    given. `session=None` (with a `date`) is a review imported from beta.gouv.fr."""

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
    source = Source.BETAGOUV


def planned_review(startup, date):
    """A review of `startup` in a planned session of its incubator on `date`."""
    session = CommitteeSessionFactory(incubator=startup.incubator, date=date, status=SessionStatus.PLANNED)
    return ReviewFactory(session=session, startup=startup)


def closed_review(startup=None, date=None):
    """A review of `startup` (a new one by default) in a session of its incubator held and closed on `date` (today
    by default): the way a past decision is on record."""
    startup = startup or StartupFactory()
    session = CommitteeSessionFactory(incubator=startup.incubator, date=date or today(), closed=True)
    return ReviewFactory(session=session, startup=startup)


class AmendmentFactory(factory.django.DjangoModelFactory):
    """A correction of a decision's rationale, with the old and the new text as `decision_amend` records them."""

    class Meta:
        model = Amendment

    decision = factory.SubFactory("tests.committees.factories.DecisionFactory", amended=False)
    reason = "Coquille dans la motivation"
    changes = factory.LazyAttribute(lambda o: {"rationale": {"from": o.decision.rationale, "to": o.decision.rationale}})
    author = factory.SubFactory(UserFactory)


RATIONALE = "Les objectifs du semestre sont atteints."


class DecisionFactory(factory.django.DjangoModelFactory):
    """A decision on its review, of the review's startup on the review's day.

    Trait: `amended=True` puts it in a closed session and records one amendment of its rationale (the
    decision carries the corrected text, the amendment the old and the new one)."""

    class Meta:
        model = Decision
        skip_postgeneration_save = True

    class Params:
        amended = factory.Trait(
            review=factory.SubFactory(ReviewFactory, session__closed=True),
            rationale=f"{RATIONALE} (corrigé)",
            amendment=factory.RelatedFactory(
                AmendmentFactory,
                factory_related_name="decision",
                changes=factory.LazyAttribute(lambda o: {"rationale": {"from": RATIONALE, "to": o.decision.rationale}}),
            ),
        )

    review = factory.SubFactory(ReviewFactory)
    startup = factory.SelfAttribute("review.startup")
    date = factory.SelfAttribute("review.date")
    outcome = Outcome.POURSUITE
    rationale = RATIONALE


class ImportedDecisionFactory(DecisionFactory):
    review = factory.SubFactory(ImportedReviewFactory)
    outcome = Outcome.NON_RENSEIGNE
    rationale = "Poursuite"
    source = Source.BETAGOUV
    event = factory.SubFactory(
        EventFactory,
        source=Source.BETAGOUV,
        startup=factory.SelfAttribute("..review.startup"),
        kind=EventKind.COMMITTEE,
        date=factory.SelfAttribute("..review.date"),
        comment="Poursuite",
    )


class ConditionFactory(factory.django.DjangoModelFactory):
    """A condition, open by default; a met or unmet one was resolved at noon on its due date."""

    class Meta:
        model = Condition

    decision = factory.SubFactory(DecisionFactory)
    text = factory.Sequence(lambda n: f"Recruter un intrapreneur à 60 % au moins (condition {n}).")
    due_on = factory.LazyFunction(lambda: today() + datetime.timedelta(days=30))
    status = ConditionStatus.OPEN
    resolved_at = factory.LazyAttribute(lambda o: None if o.status == ConditionStatus.OPEN else _aware(o.due_on, 12))
