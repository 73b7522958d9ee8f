import pytest
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


@pytest.mark.parametrize("name", ["interview_list", "synthesis", "detail"])
def test_investigation_pages_make_their_pinned_queries_with_1_and_200_interviews(client, name, snapshot_queries):
    small, large = InvestigationFactory(open=True), InvestigationFactory(open=True)
    _fill(small, 1)
    _fill(large, 200)
    for investigation in (small, large):
        client.force_login(member(investigation.startup))
        url = reverse(f"investigations:{name}", kwargs={"pk": investigation.pk})
        response = snapshot_queries(lambda url=url: client.get(url))
        assert response.status_code == 200


def test_the_investigation_list_makes_its_pinned_queries_with_1_and_30_investigations(client, snapshot_queries):
    reader = member(InvestigationFactory(open=True).startup)
    client.force_login(reader)
    response = snapshot_queries(lambda: client.get(reverse("investigations:list")))
    assert response.status_code == 200
    for _ in range(29):
        investigation = InvestigationFactory(open=True)
        member(investigation.startup, user=reader)
        InterviewFactory(investigation=investigation)
    client.force_login(reader)
    response = snapshot_queries(lambda: client.get(reverse("investigations:list")))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 30
