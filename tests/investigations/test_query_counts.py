import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import (
    HypothesisFactory,
    InsightFactory,
    InterviewFactory,
    InvestigationFactory,
    QuoteFactory,
    TagFactory,
    TargetGroupFactory,
    member,
)

pytestmark = pytest.mark.django_db


def _fill(investigation, count):
    groups = [TargetGroupFactory(investigation=investigation, name=name) for name in ("Agents", "Usagers")]
    tags = [TagFactory(name="délais"), TagFactory(name="ressaisie")]
    interviews = [
        InterviewFactory(investigation=investigation, target_group=groups[n % 2], intensity=n % 4, tags=tags[: n % 3])
        for n in range(count)
    ]
    for interview in interviews[::3]:
        QuoteFactory(interview=interview)
    insight = InsightFactory(investigation=investigation)
    insight.interviews.add(*interviews[:5])
    HypothesisFactory(investigation=investigation).supporting_interviews.add(*interviews[:3])


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("name", ["interview_list", "synthesis", "detail"])
def test_investigation_pages_make_the_same_number_of_queries_with_1_and_200_interviews(client, name):
    small, large = InvestigationFactory(), InvestigationFactory()
    _fill(small, 1)
    _fill(large, 200)
    counts = []
    for investigation in (small, large):
        client.force_login(member(investigation.startup))
        counts.append(_queries(client, reverse(f"investigations:{name}", kwargs={"pk": investigation.pk})))
    assert counts[0] == counts[1]


def test_the_investigation_list_makes_the_same_number_of_queries_with_1_and_30_investigations(client):
    person = InvestigationFactory().startup
    reader = member(person)
    client.force_login(reader)
    one = _queries(client, reverse("investigations:list"))
    for _ in range(29):
        investigation = InvestigationFactory()
        member(investigation.startup, user=reader)
        InterviewFactory(investigation=investigation)
    client.force_login(reader)
    assert _queries(client, reverse("investigations:list")) == one
