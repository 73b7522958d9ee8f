"""Plain dicts for the API. Field names follow `export_portfolio` and `export_decisions`."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce

from committees.exports import checklist_export
from committees.models import Condition, Decision, PostMortem
from investigations.models import Investigation
from products.exports import startup_export
from products.models import Event, Startup


def _iso(value):
    return value.isoformat() if value else None


# --- Startups -----------------------------------------------------------------------------------
# A startup's summary is `products.exports.startup_export`, the `export_portfolio` dict itself, on startups
# queried by `startups_for_export`.
def startup_detail(startup: Startup) -> dict:
    """The summary, the file's text sections and the events (query with `startups_for_export`)."""
    return {
        **startup_export(startup),
        "mission": startup.mission,
        "problem": startup.problem,
        "solution": startup.solution,
        "objectives": startup.objectives,
        "strategy": startup.strategy,
        "link": startup.link,
        "repository": startup.repository,
        "analyse_risques_url": startup.analyse_risques_url,
        "contact_dinum": startup.contact_dinum,
        "contact_incubator": startup.contact_incubator,
        "events": [
            {"kind": e.kind, "date": _iso(e.date), "comment": e.comment}
            for e in Event.objects.filter(startup=startup).order_by("date", "pk")
        ],
    }


def investigation_dict(investigation: Investigation, synthesis: dict) -> dict:
    return {
        "started_on": _iso(investigation.started_on),
        "planned_end": _iso(investigation.planned_end),
        "ended_on": _iso(investigation.ended_on),
        "status": investigation.status,
        "problem_statement": investigation.problem_statement,
        "interview_goal": investigation.interview_goal,
        "synthesis": synthesis,
    }


def post_mortem_dict(post_mortem: PostMortem | None) -> dict | None:
    if post_mortem is None:
        return None
    return {
        "kind": post_mortem.kind,
        "why": post_mortem.why,
        "learnt": post_mortem.learnt,
        "reused": post_mortem.reused,
        "code_and_data": post_mortem.code_and_data,
        "decision_id": post_mortem.decision_id,
        "recorded_at": post_mortem.recorded_at.isoformat(),
    }


# --- Decisions ----------------------------------------------------------------------------------
def _count_of(through):
    counted = through.objects.filter(decision_id=OuterRef("pk")).values("decision_id").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), Value(0))


def decisions_for_api():
    """Decisions with their conditions and evidence counts, in a fixed number of queries."""
    return (
        Decision.objects.select_related("startup", "review__session")
        .prefetch_related(Prefetch("conditions", queryset=Condition.objects.order_by("due_on", "pk")))
        .annotate(
            api_evidence_count=_count_of(Decision.cited_insights.through)
            + _count_of(Decision.cited_quotes.through)
            + _count_of(Decision.cited_interviews.through)
        )
        .order_by("date", "startup__slug", "pk")
    )


def decision_dict(decision: Decision) -> dict:
    session = decision.review.session
    return {
        "startup": decision.startup.slug,
        "date": _iso(decision.date),
        "session_kind": session.kind if session else None,
        "outcome": decision.outcome,
        "budget_eur": decision.budget_eur,
        "next_committee": _iso(decision.next_committee_on),
        "conditions": [
            {"text": c.text, "due_on": _iso(c.due_on), "status": c.status} for c in decision.conditions.all()
        ],
        "evidence_count": decision.api_evidence_count,
        "checklist": checklist_export(decision),
    }
