import datetime

import factory

from products.enums import MembershipRole
from products.models import Event, Incubator, Membership, Organisation, Phase, Startup, Theme, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"personne{n}@example.gouv.fr")
    full_name = factory.Faker("name", locale="fr_FR")
    password = factory.django.Password("motdepasse-de-test")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"organisation-{n}")
    name = factory.Sequence(lambda n: f"Direction de test {n}")
    acronym = factory.Sequence(lambda n: f"DT{n}")


class IncubatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incubator

    slug = factory.Sequence(lambda n: f"incubateur-{n}")
    title = factory.Sequence(lambda n: f"Incubateur {n}")
    owner = factory.SubFactory(OrganisationFactory)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Thème {n}")


class StartupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Startup

    slug = factory.Sequence(lambda n: f"startup-{n}")
    name = factory.Sequence(lambda n: f"Startup {n}")
    mission = "Aider les usagers à faire leurs démarches."
    incubator = factory.SubFactory(IncubatorFactory)


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    startup = factory.SubFactory(StartupFactory)
    name = "investigation"
    start = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    end = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        phase = super()._create(model_class, *args, **kwargs)
        phase.startup.refresh_current_phase()
        return phase


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    startup = factory.SubFactory(StartupFactory)
    kind = "product_launch"
    date = datetime.date(2024, 1, 15)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    startup = factory.SubFactory(StartupFactory)
    role = MembershipRole.TEAM_MEMBER
    time_share = 100
