"""Issue 11, item 5: at most one investigation in progress per startup, held by the database (a partial unique
index on SQLite and PostgreSQL); suspended and concluded ones are not in progress."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from investigations.enums import InvestigationStatus
from investigations.models import Investigation
from investigations.services import investigation_open
from tests.products.factories import StartupFactory

from .factories import InvestigationFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Cette startup a déjà une investigation en cours."


def test_the_database_refuses_a_second_investigation_in_progress():
    first = InvestigationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Investigation.objects.bulk_create([InvestigationFactory.build(startup=first.startup)])
    assert Investigation.objects.count() == 1


def test_the_database_refuses_resuming_an_investigation_beside_one_in_progress():
    first = InvestigationFactory()
    suspended = InvestigationFactory(startup=first.startup, status=InvestigationStatus.SUSPENDUE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Investigation.objects.filter(pk=suspended.pk).update(status=InvestigationStatus.EN_COURS)
    assert Investigation.objects.get(pk=suspended.pk).status == InvestigationStatus.SUSPENDUE


def test_suspended_and_concluded_investigations_sit_beside_the_one_in_progress():
    startup = StartupFactory()
    for status in (InvestigationStatus.SUSPENDUE, InvestigationStatus.SUSPENDUE, InvestigationStatus.CONCLUANTE):
        InvestigationFactory(startup=startup, status=status)
    InvestigationFactory(startup=startup)
    InvestigationFactory()
    assert Investigation.objects.open().count() == 2


def test_validation_gives_the_constraints_message():
    first = InvestigationFactory()
    with pytest.raises(ValidationError) as error:
        InvestigationFactory.build(startup=first.startup).full_clean()
    assert MESSAGE in error.value.messages


def test_the_service_gives_the_message():
    first = InvestigationFactory()
    with pytest.raises(ValidationError) as error:
        investigation_open(startup=first.startup, started_on=datetime.date(2024, 3, 4))
    assert error.value.messages == [MESSAGE]
