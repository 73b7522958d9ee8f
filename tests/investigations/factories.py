import datetime

import factory
from django.utils import timezone

from investigations.enums import InvestigationStatus
from investigations.models import Hypothesis, Insight, Interview, Investigation, Quote, Tag, TargetGroup
from investigations.services import tags_resolve
from products.enums import MembershipRole
from tests.committees.factories import CommitteeSessionFactory, ReviewFactory
from tests.products.factories import MembershipFactory, PhaseFactory, StartupFactory, UserFactory


def _days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


class InvestigationFactory(factory.django.DjangoModelFactory):
    """An investigation in progress, started 30 days ago for nine weeks.

    Traits: `open=True` runs it in its startup's investigation phase (the phase starts with it, as
    `investigation_open` does); `suspended=True` and `concluded=True` end it 20 days after it started.
    """

    class Meta:
        model = Investigation

    class Params:
        open = factory.Trait(
            status=InvestigationStatus.EN_COURS,
            phase=factory.SubFactory(
                PhaseFactory,
                startup=factory.SelfAttribute("..startup"),
                name="investigation",
                start=factory.SelfAttribute("..started_on"),
            ),
        )
        suspended = factory.Trait(
            status=InvestigationStatus.SUSPENDUE,
            ended_on=factory.LazyAttribute(lambda o: o.started_on + datetime.timedelta(days=20)),
        )
        concluded = factory.Trait(
            status=InvestigationStatus.CONCLUANTE,
            ended_on=factory.LazyAttribute(lambda o: o.started_on + datetime.timedelta(days=20)),
        )

    startup = factory.SubFactory(StartupFactory)
    started_on = factory.LazyFunction(lambda: _days_ago(30))
    planned_end = factory.LazyAttribute(lambda o: o.started_on + datetime.timedelta(weeks=9))
    problem_statement = "Les agents perdent du temps à ressaisir les dossiers."
    status = InvestigationStatus.EN_COURS


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup

    investigation = factory.SubFactory(InvestigationFactory)
    name = factory.Sequence(lambda n: f"Groupe {n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"étiquette {n}")


class InterviewFactory(factory.django.DjangoModelFactory):
    """An interview the day after its investigation started, kept as long as the app keeps one by default, counted
    from the interview or from today if later: after the interview, and not yet due for deletion."""

    class Meta:
        model = Interview
        skip_postgeneration_save = True

    investigation = factory.SubFactory(InvestigationFactory)
    date = factory.LazyAttribute(lambda o: o.investigation.started_on + datetime.timedelta(days=1))
    interviewee = factory.Sequence(lambda n: f"Personne-{n}")
    organisation = "Mairie de Villefictive"
    intensity = 1
    notes = "Ressaisit chaque dossier dans deux outils."
    consent = True
    retention_until = factory.LazyAttribute(
        lambda o: o.investigation.default_retention(on=max(o.date, timezone.localdate()))
    )

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        """`tags=[…]`: tags, or tag names matched to the existing tags whatever their case, as the app does."""
        if create and extracted:
            names = [tag for tag in extracted if isinstance(tag, str)]
            self.tags.set([tag for tag in extracted if isinstance(tag, Tag)] + tags_resolve(names))


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    interview = factory.SubFactory(InterviewFactory)
    text = "Je tape tout deux fois."


class HypothesisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hypothesis

    investigation = factory.SubFactory(InvestigationFactory)
    statement = "Les agents ressaisissent les dossiers."


class InsightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Insight

    investigation = factory.SubFactory(InvestigationFactory)
    statement = "La ressaisie coûte vingt minutes par dossier."


def member(startup, role=MembershipRole.INTRAPRENEUR, user=None):
    """A person with a current membership on `startup`."""
    return MembershipFactory(startup=startup, role=role, user=user or UserFactory()).user


def incubator_staff(incubator, user=None):
    user = user or UserFactory()
    incubator.staff.add(user)
    return user


def committee_member(startup, user=None):
    """A person sitting on a committee session that has `startup` on its agenda."""
    user = user or UserFactory()
    session = CommitteeSessionFactory(incubator=startup.incubator, date=_days_ago(-10), members=[user])
    ReviewFactory(session=session, startup=startup)
    return user
