"""The investigation's lifecycle is a table (investigations.models.INVESTIGATION_WORKFLOW): what each status allows,
written out by hand, and the health rules the synthesis and the dashboard's alerts share."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from investigations.enums import InvestigationStatus
from investigations.models import INVESTIGATION_WORKFLOW, Investigation
from investigations.services import investigation_conclude, investigation_conclusion_revert, investigation_suspend

from .factories import InterviewFactory, InvestigationFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 20)


@pytest.mark.parametrize(
    ("status", "moves"),
    [
        (InvestigationStatus.EN_COURS, ["suspend", "conclude", "conclude_inconclusive"]),
        (InvestigationStatus.SUSPENDUE, ["resume", "conclude", "conclude_inconclusive"]),
        (InvestigationStatus.CONCLUANTE, ["revert_to_running", "revert_to_suspended"]),
        (InvestigationStatus.NON_CONCLUANTE, ["revert_to_running", "revert_to_suspended"]),
    ],
)
def test_each_investigation_status_allows_exactly_its_moves(status, moves):
    assert INVESTIGATION_WORKFLOW.available(status) == moves


def test_a_suspended_investigation_cannot_be_suspended_again():
    investigation = InvestigationFactory(status=InvestigationStatus.SUSPENDUE, status_note="Plus de temps.")
    with pytest.raises(ValidationError, match="Seule une investigation en cours peut être suspendue"):
        investigation_suspend(investigation=investigation, reason="Encore.")
    investigation.refresh_from_db()
    assert investigation.status_note == "Plus de temps."


def test_a_concluded_investigation_cannot_be_concluded_again():
    investigation = InvestigationFactory(status=InvestigationStatus.CONCLUANTE)
    with pytest.raises(ValidationError, match="Cette investigation est déjà conclue"):
        investigation_conclude(investigation=investigation, conclusive=False)
    investigation.refresh_from_db()
    assert investigation.status == InvestigationStatus.CONCLUANTE


def test_a_running_investigation_has_no_conclusion_to_revert():
    investigation = InvestigationFactory()
    with pytest.raises(ValidationError, match="Cette investigation n'est pas conclue"):
        investigation_conclusion_revert(investigation=investigation)


def test_a_conclusion_reverts_to_suspended_when_a_note_says_why_work_stopped():
    investigation = InvestigationFactory(status=InvestigationStatus.NON_CONCLUANTE, status_note="Plus de temps.")
    investigation_conclusion_revert(investigation=investigation)
    investigation.refresh_from_db()
    assert investigation.status == InvestigationStatus.SUSPENDUE


@pytest.mark.parametrize(
    ("last_interview_days_ago", "silent"),
    [(None, 30), (13, None), (14, 14), (20, 20)],
)
def test_the_synthesis_and_the_alerts_see_the_same_silent_investigations(last_interview_days_ago, silent):
    investigation = InvestigationFactory(
        started_on=TODAY - datetime.timedelta(days=30), planned_end=TODAY + datetime.timedelta(days=30)
    )
    last = None
    if last_interview_days_ago is not None:
        last = TODAY - datetime.timedelta(days=last_interview_days_ago)
        InterviewFactory(investigation=investigation, date=last)
    assert investigation.silent_days(last, TODAY) == silent
    assert Investigation.objects.silent(TODAY).filter(pk=investigation.pk).exists() == (silent is not None)


@pytest.mark.parametrize(
    ("status", "planned_end_days_ago", "overdue"),
    [
        (InvestigationStatus.EN_COURS, 1, True),
        (InvestigationStatus.EN_COURS, 0, False),
        (InvestigationStatus.SUSPENDUE, 10, False),
    ],
)
def test_the_synthesis_and_the_alerts_see_the_same_overdue_investigations(status, planned_end_days_ago, overdue):
    investigation = InvestigationFactory(
        status=status,
        status_note="Suspendue." if status == InvestigationStatus.SUSPENDUE else "",
        started_on=TODAY - datetime.timedelta(days=60),
        planned_end=TODAY - datetime.timedelta(days=planned_end_days_ago),
    )
    assert investigation.is_overdue(TODAY) is overdue
    assert Investigation.objects.overdue(TODAY).filter(pk=investigation.pk).exists() is overdue
