import factory

from betatracker.models import AllowedDomain
from betatracker.services import api_token_create
from tests.products.factories import UserFactory


class AllowedDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AllowedDomain
        django_get_or_create = ("domain",)

    domain = factory.Sequence(lambda n: f"administration-{n}.gouv.fr")


def api_token_for(user=None, name="Script de test"):
    """A token and its secret, created the way the profile page does."""
    return api_token_create(user=user or UserFactory(), name=name)
