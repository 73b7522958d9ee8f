"""Issue 11, item 5: a decision's startup is its review's. The database refuses any other write (triggers, on
SQLite and PostgreSQL), and model validation says why."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from committees.models import Decision, Review
from tests.products.factories import StartupFactory

from .factories import DecisionFactory, ReviewFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Une décision porte sur la startup de son passage en comité, et sur elle seule."


def test_the_database_refuses_a_decision_on_another_startup_than_its_reviews():
    review = ReviewFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.bulk_create([DecisionFactory.build(review=review, startup=StartupFactory())])
    assert not Decision.objects.exists()


def test_the_database_refuses_moving_a_decision_to_another_startup():
    decision = DecisionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(startup=StartupFactory())
    assert Decision.objects.get(pk=decision.pk).startup_id == decision.review.startup_id


def test_the_database_refuses_moving_a_decision_to_a_review_of_another_startup():
    decision = DecisionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(review=ReviewFactory())
    assert Decision.objects.get(pk=decision.pk).review_id == decision.review_id


def test_the_database_refuses_moving_a_decided_review_to_another_startup():
    decision = DecisionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.filter(pk=decision.review_id).update(startup=StartupFactory())
    assert Review.objects.get(pk=decision.review_id).startup_id == decision.startup_id


def test_a_review_without_a_decision_may_still_change_its_startup():
    review = ReviewFactory()
    other = StartupFactory()
    Review.objects.filter(pk=review.pk).update(startup=other)
    assert Review.objects.get(pk=review.pk).startup == other


def test_validation_says_a_decision_is_on_its_reviews_startup():
    decision = DecisionFactory.build(review=ReviewFactory(), startup=StartupFactory())
    with pytest.raises(ValidationError) as error:
        decision.full_clean(validate_unique=False)
    assert error.value.message_dict["startup"] == [MESSAGE]
