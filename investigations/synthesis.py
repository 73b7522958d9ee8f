"""The synthesis of an investigation: the numbers a committee needs, computed in a fixed number of
queries whatever the number of interviews. `investigation_synthesis()` returns exactly the JSON of
`manage.py export_synthesis` (issue "Investigations and user interviews…", item 6)."""

from django.db.models import Count

from .enums import HypothesisStatus, Intensity
from .models import Interview, Investigation, Tag


def _intensity_counts():
    return {str(level.value): 0 for level in Intensity}


def investigation_synthesis(investigation: Investigation) -> dict:
    rows = (
        Interview.objects.filter(investigation=investigation)
        .values("target_group__name", "intensity")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_intensity = _intensity_counts()
    by_group: dict[str, dict] = {
        group.name: {"interviews": 0, "by_intensity": _intensity_counts()}
        for group in investigation.target_groups.all()
    }
    total = 0
    for row in rows:
        level, n = str(row["intensity"]), row["n"]
        name = row["target_group__name"] or ""
        total += n
        by_intensity[level] += n
        group = by_group.setdefault(name, {"interviews": 0, "by_intensity": _intensity_counts()})
        group["interviews"] += n
        group["by_intensity"][level] += n
    tags = (
        Tag.objects.filter(interviews__investigation=investigation)
        .annotate(n=Count("interviews"))
        .order_by("-n", "name")
        .values_list("name", "n")
    )
    hypotheses = {status.value: 0 for status in HypothesisStatus}
    for status, n in investigation.hypotheses.values_list("status").annotate(n=Count("pk")).order_by():
        hypotheses[status] = n
    return {
        "interviews": total,
        "no_problem_share": round(by_intensity[str(Intensity.AUCUN.value)] / total, 3) if total else 0.0,
        "by_intensity": by_intensity,
        "by_target_group": by_group,
        "tags": dict(tags),
        "hypotheses": hypotheses,
    }
