import datetime

import factory

from betatracker.models import AllowedDomain
from betatracker.services import api_token_create
from committees.models import CommitteeSession, Condition, Decision, Review
from investigations.models import Hypothesis, Interview, Investigation, Tag, TargetGroup
from tests.products.factories import IncubatorFactory, StartupFactory, UserFactory


class AllowedDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AllowedDomain
        django_get_or_create = ("domain",)

    domain = factory.Sequence(lambda n: f"administration-{n}.gouv.fr")


def api_token_for(user=None, name="Script de test"):
    """A token and its secret, created the way the profile page does."""
    return api_token_create(user=user or UserFactory(), name=name)


class InvestigationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Investigation

    startup = factory.SubFactory(StartupFactory)
    started_on = datetime.date(2024, 1, 8)
    planned_end = factory.LazyAttribute(lambda o: o.started_on + datetime.timedelta(weeks=9))


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup

    investigation = factory.SubFactory(InvestigationFactory)
    name = factory.Sequence(lambda n: f"Groupe {n}")


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview
        skip_postgeneration_save = True

    investigation = factory.SubFactory(InvestigationFactory)
    date = datetime.date(2024, 1, 15)
    interviewee = factory.Sequence(lambda n: f"Personne {n}")
    intensity = 2
    notes = "Notes brutes de l'entretien, à ne jamais exposer dans l'API."
    consent = True
    retention_until = datetime.date(2030, 1, 1)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        for name in extracted or []:
            tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
            self.tags.add(tag)


class HypothesisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hypothesis

    investigation = factory.SubFactory(InvestigationFactory)
    statement = factory.Sequence(lambda n: f"Hypothèse {n}")


class CommitteeSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeSession

    date = datetime.date(2024, 6, 3)
    kind = "investissement"
    incubator = factory.SubFactory(IncubatorFactory)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    session = factory.SubFactory(CommitteeSessionFactory)
    startup = factory.SubFactory(StartupFactory)
    date = factory.LazyAttribute(lambda o: o.session.date if o.session else datetime.date(2024, 6, 3))


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    review = factory.SubFactory(ReviewFactory)
    startup = factory.LazyAttribute(lambda o: o.review.startup)
    date = factory.LazyAttribute(lambda o: o.review.date)
    outcome = "poursuite"
    rationale = "Les résultats sont au rendez-vous."
    budget_eur = 180000
    next_committee_on = factory.LazyAttribute(lambda o: o.date + datetime.timedelta(days=182))


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition

    decision = factory.SubFactory(DecisionFactory)
    text = "Mesurer l'usage réel"
    due_on = datetime.date(2024, 9, 1)
