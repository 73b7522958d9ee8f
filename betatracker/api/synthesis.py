"""The synthesis numbers of investigations, in the shape of `export_synthesis` (issue 3, item 6):

    {"interviews": N, "no_problem_share": 0.333, "by_intensity": {"0": n, "1": n, "2": n, "3": n},
     "by_target_group": {"<name>": {"interviews": n, "by_intensity": {...}}}, "tags": {"<tag>": n},
     "hypotheses": {"a_tester": n, "validee": n, "invalidee": n}}

The same rules as `investigations.synthesis.investigation_synthesis` (written for issue 3 on
another branch; tests/betatracker/test_api.py compares both once they meet): every target group of
the investigation appears, with zero interviews if none was logged; interviews without a target
group are counted under the name ""; `no_problem_share` is the share of interviews of intensity 0
(aucun), rounded to 3 decimals, 0.0 without interviews; tags are ordered by count, then name.

The difference: this one computes many investigations at once, with four aggregate queries in all
whatever the number of investigations (the API's startup page keeps a constant query count).
"""

from collections import defaultdict

from django.db.models import Count

from investigations.enums import HypothesisStatus, Intensity
from investigations.models import Hypothesis, Interview, TargetGroup


def _by_intensity() -> dict[str, int]:
    return {str(value): 0 for value in Intensity.values}


def _empty() -> dict:
    return {
        "interviews": 0,
        "no_problem_share": 0.0,
        "by_intensity": _by_intensity(),
        "by_target_group": {},
        "tags": {},
        "hypotheses": dict.fromkeys(HypothesisStatus.values, 0),
    }


def investigations_synthesis(investigation_ids) -> dict[int, dict]:
    """{investigation id: synthesis} for the given investigations."""
    ids = list(investigation_ids)
    result = {pk: _empty() for pk in ids}
    if not ids:
        return result

    for group in (
        TargetGroup.objects.filter(investigation_id__in=ids).order_by("name").values("investigation_id", "name")
    ):
        result[group["investigation_id"]]["by_target_group"][group["name"]] = {
            "interviews": 0,
            "by_intensity": _by_intensity(),
        }

    rows = (
        Interview.objects.filter(investigation_id__in=ids)
        .values("investigation_id", "target_group__name", "intensity")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        synthesis = result[row["investigation_id"]]
        intensity = str(row["intensity"])
        synthesis["interviews"] += row["n"]
        synthesis["by_intensity"][intensity] += row["n"]
        group = synthesis["by_target_group"].setdefault(
            row["target_group__name"] or "", {"interviews": 0, "by_intensity": _by_intensity()}
        )
        group["interviews"] += row["n"]
        group["by_intensity"][intensity] += row["n"]

    tag_counts = defaultdict(list)
    tag_rows = (
        Interview.tags.through.objects.filter(interview__investigation_id__in=ids)
        .values("interview__investigation_id", "tag__name")
        .annotate(n=Count("interview_id", distinct=True))
        .order_by()
    )
    for row in tag_rows:
        tag_counts[row["interview__investigation_id"]].append((row["tag__name"], row["n"]))
    for pk, counts in tag_counts.items():
        result[pk]["tags"] = dict(sorted(counts, key=lambda item: (-item[1], item[0])))

    hypothesis_rows = (
        Hypothesis.objects.filter(investigation_id__in=ids).values("investigation_id", "status").annotate(n=Count("pk"))
    ).order_by()
    for row in hypothesis_rows:
        result[row["investigation_id"]]["hypotheses"][row["status"]] = row["n"]

    for synthesis in result.values():
        if synthesis["interviews"]:
            synthesis["no_problem_share"] = round(synthesis["by_intensity"]["0"] / synthesis["interviews"], 3)
    return result
