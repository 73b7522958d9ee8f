import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from committees import services
from committees.enums import Outcome
from committees.exports import decision_export
from committees.models import Decision
from tests.investigations.factories import InsightFactory, InterviewFactory, InvestigationFactory, QuoteFactory

from .factories import ConditionFactory, DecisionFactory, ImportedDecisionFactory
from .utils import count_queries

pytestmark = pytest.mark.django_db


def export(*args):
    out = StringIO()
    call_command("export_decisions", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def decisions(session, on_agenda, make_startup, member, today):
    alpha = make_startup("Alpha", slug="alpha")
    investigation = InvestigationFactory(startup=alpha)
    (review,) = on_agenda(alpha)
    recorded = services.decision_record(
        review=review,
        outcome=Outcome.POURSUITE_AVEC_RESERVES,
        by=member,
        rationale="Réserves",
        budget_eur=180_000,
        next_committee_on=datetime.date(2027, 5, 20),
        conditions=[{"text": "=Recruter une designer", "due_on": today, "owner": None}],
        cited_insights=[InsightFactory(investigation=investigation)],
        cited_quotes=[QuoteFactory(interview=InterviewFactory(investigation=investigation))],
    )
    imported = ImportedDecisionFactory(review__startup__slug="dossierfacile", review__date=datetime.date(2019, 4, 2))
    return recorded, imported


def test_each_decision_is_one_object_with_the_interchange_fields(decisions, today):
    assert json.loads(export()) == [
        {
            "startup": "dossierfacile",
            "date": "2019-04-02",
            "session_kind": None,
            "outcome": "non_renseigne",
            "budget_eur": None,
            "next_committee": None,
            "conditions": [],
            "evidence_count": 0,
            "no_evidence_reason": "",
            "checklist": [],
        },
        {
            "startup": "alpha",
            "date": today.isoformat(),
            "session_kind": "investissement",
            "outcome": "poursuite_avec_reserves",
            "budget_eur": 180_000,
            "next_committee": "2027-05-20",
            "conditions": [{"text": "=Recruter une designer", "due_on": today.isoformat(), "status": "open"}],
            "evidence_count": 2,
            "no_evidence_reason": "",
            "checklist": [],
        },
    ]


def test_since_keeps_the_decisions_of_that_day_and_after(decisions, today):
    assert [row["startup"] for row in json.loads(export("--since", today.isoformat()))] == ["alpha"]
    assert [row["startup"] for row in json.loads(export("--since", "2019-04-02"))] == ["dossierfacile", "alpha"]
    assert json.loads(export("--since", (today + datetime.timedelta(days=1)).isoformat())) == []


def test_a_bad_since_date_is_named(decisions):
    with pytest.raises(CommandError, match="Date invalide pour --since : « 02/04/2019 »"):
        export("--since", "02/04/2019")


def test_the_csv_export_has_the_same_fields_and_neutralises_formulas(decisions, today):
    lines = export("--format", "csv").splitlines()
    assert lines[0] == (
        '"startup","date","session_kind","outcome","budget_eur","next_committee","conditions","evidence_count",'
        '"no_evidence_reason","checklist"'
    )
    assert lines[1] == '"dossierfacile","2019-04-02","","non_renseigne","","","","0","",""'
    assert lines[2] == (
        f'"alpha","{today.isoformat()}","investissement","poursuite_avec_reserves","180000","2027-05-20",'
        f'"\'=Recruter une designer ({today.isoformat()}, open)","2","",""'
    )


def test_the_csv_exports_neutralise_formulas_hidden_after_a_separator(session, on_agenda, make_startup, member, client):
    hostile = "Mairie;=cmd|' /C calc'!A0;"
    (review,) = on_agenda(make_startup("Alpha", slug="alpha"))
    services.decision_record(
        no_evidence_reason="Décision sans preuve (test)",
        review=review,
        outcome=Outcome.POURSUITE,
        by=member,
        rationale="Motif",
        conditions=[{"text": hostile, "due_on": session.date, "owner": None}],
    )
    client.force_login(member)
    minutes = client.get(reverse("committees:session_minutes_csv", args=[session.pk])).content.decode()
    for text in (export("--format", "csv"), minutes):
        assert "Mairie;'=cmd|' /C calc'!A0;" in text
        assert ";=cmd" not in text
        assert text.splitlines()[1].startswith('"alpha","')


def test_the_export_keeps_its_query_count_with_many_decisions(decisions):
    one = count_queries(lambda: decision_export(Decision.objects.all()))
    for _ in range(4):
        ConditionFactory(decision=DecisionFactory())
        ImportedDecisionFactory()
    assert count_queries(lambda: decision_export(Decision.objects.all())) == one
    assert len(decision_export(Decision.objects.all())) == 10
