"""The anonymised content of a public results page, in the shape of its JSON.

Never a pseudonym, an organisation, a note, an interviewer or a date finer than the month: only counts,
the team's statements (problem, target groups, insights, hypotheses) and the quotes the team ticked
publishable whose interviewee gave consent. Target groups with fewer than MIN_GROUP_SIZE interviews are
counted together under OTHERS, so that nobody can be singled out."""

from django.core.cache import cache
from django.db.models import Q

from investigations.enums import HypothesisStatus, Intensity
from investigations.models import Hypothesis, Insight, Investigation, Quote, TargetGroup
from investigations.synthesis import NO_GROUP, insight_support, investigation_synthesis

MIN_GROUP_SIZE = 5
OTHERS = "autres"  # the key of merged groups in the JSON (the page shows it translated)
WITHOUT_GROUP = "sans groupe cible"


def _month(day) -> str | None:
    return day.isoformat()[:7] if day else None  # machine: "2026-12", not for reading


def _groups(by_target_group: dict) -> list[dict]:
    """Groups of at least MIN_GROUP_SIZE interviews in their order, then OTHERS if it holds any interview."""
    kept, others = [], {"name": OTHERS, "interviews": 0, "by_intensity": {str(level.value): 0 for level in Intensity}}
    for name, group in by_target_group.items():
        if group["interviews"] >= MIN_GROUP_SIZE:
            kept.append(
                {
                    "name": WITHOUT_GROUP if name == NO_GROUP else name,
                    "interviews": group["interviews"],
                    "by_intensity": dict(group["by_intensity"]),
                }
            )
            continue
        others["interviews"] += group["interviews"]
        for level, n in group["by_intensity"].items():
            others["by_intensity"][level] += n
    return [*kept, others] if others["interviews"] else kept


def publishable_quotes(investigation: Investigation):
    """Quotes the team ticked publishable, from interviews with consent, neither withdrawn nor anonymised."""
    return Quote.objects.filter(
        Q(interview__investigation=investigation)
        & Q(publishable=True, interview__consent=True)
        & Q(withdrawn_at__isnull=True, anonymised_at__isnull=True, interview__anonymised_at__isnull=True)
    )


def public_results(investigation: Investigation) -> dict:
    """The content of the public page and of its JSON, in a fixed number of queries."""
    data = investigation_synthesis(investigation)
    insights = list(Insight.objects.filter(investigation=investigation).order_by("pk"))
    support = insight_support(insights)
    hypotheses = list(Hypothesis.objects.filter(investigation=investigation).order_by("pk"))
    quotes = publishable_quotes(investigation).order_by("interview__date", "pk").values_list("text", "interview__date")
    return {
        "startup": {"slug": investigation.startup.slug, "name": investigation.startup.name},
        "period": {
            "start": _month(investigation.started_on),
            "end": _month(investigation.ended_on),
        },
        "status": investigation.status,
        "problem_statement": investigation.problem_statement,
        "target_groups": list(
            TargetGroup.objects.filter(investigation=investigation).order_by("name").values_list("name", flat=True)
        ),
        "interviews": data["interviews"],
        "by_intensity": data["by_intensity"],
        "no_problem_share": data["no_problem_share"],
        "groups": _groups(data["by_target_group"]),
        "insights": sorted(
            ({"statement": insight.statement, "support": support[insight.pk]} for insight in insights),
            key=lambda insight: -insight["support"],
        ),
        "hypotheses": {
            status.value: [h.statement for h in hypotheses if h.status == status.value] for status in HypothesisStatus
        },
        "quotes": [{"text": text, "month": _month(day)} for text, day in quotes],
    }


RESULTS_CACHE_SECONDS = 5 * 60  # the results' content, kept per publication in Django's cache


def published_results(publication) -> dict:
    """`public_results` of a published investigation, kept in Django's cache per publication: a new
    publication (or an unpublished one, which the page no longer reads) never serves an older content."""
    key = f"public:results:{publication.investigation_id}:{publication.published_at.timestamp()}"
    results = cache.get(key)
    if results is None:
        results = public_results(publication.investigation)
        cache.set(key, results, RESULTS_CACHE_SECONDS)
    return results
