"""Every investigation service that takes `by` records it in the history (issue 13, item 4)."""

from investigations import services
from investigations.models import Hypothesis

from .factories import HypothesisFactory, InterviewFactory, member


def test_a_hypothesis_and_an_insight_name_who_wrote_them(investigation, intrapreneur):
    hypothesis = services.hypothesis_save(
        investigation=investigation, by=intrapreneur, statement="Les agents ressaisissent."
    )
    insight = services.insight_save(
        investigation=investigation, by=intrapreneur, statement="Vingt minutes par dossier."
    )
    assert hypothesis.history.get().history_user == intrapreneur
    assert insight.history.get().history_user == intrapreneur
    coach = member(investigation.startup, role="coach")
    services.hypothesis_save(
        investigation=investigation, by=coach, statement="Les agents ressaisissent tout.", hypothesis=hypothesis
    )
    assert hypothesis.history.order_by("-history_id").first().history_user == coach


def test_linking_an_interview_to_hypotheses_records_who_did_it_on_those_hypotheses_only(investigation, intrapreneur):
    supported, contradicted, untouched = HypothesisFactory.create_batch(3, investigation=investigation)
    interview = InterviewFactory(investigation=investigation)
    services.interview_hypotheses_set(
        interview=interview, by=intrapreneur, supports=[supported], contradicts=[contradicted]
    )
    for hypothesis in (supported, contradicted):
        assert hypothesis.history.order_by("-history_id").first().history_user == intrapreneur
    assert untouched.history.filter(history_user=intrapreneur).count() == 0
    assert list(Hypothesis.objects.filter(supporting_interviews=interview)) == [supported]
