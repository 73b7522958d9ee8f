"""The synthesis of an investigation: the numbers a committee needs, computed in a fixed number of
queries whatever the number of interviews. `investigation_synthesis()` returns exactly the JSON of
`manage.py export_synthesis` (issue "Investigations and user interviews…", item 6);
`synthesis_report()` adds what the synthesis page shows (coverage, weeks, insights, health signals, chart).
"""

import datetime
from collections import defaultdict

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.charts import Chart, Label, Rect, weeks_chart, wrap
from core.durations import humanize_days, short_date

from . import doctrine
from .enums import INTENSITY_SCALE_LABELS, HypothesisStatus, Intensity, RitualKind
from .models import (
    Hypothesis,
    Insight,
    Interview,
    Investigation,
    InvestigationRitual,
    TargetGroup,
)

# The key under which interviews without a target group are counted (stable in the JSON, not translated).
NO_GROUP = "(sans groupe cible)"
TOP_TAGS = 10


def _intensity_counts():
    return {str(level.value): 0 for level in Intensity}


def _empty_synthesis() -> dict:
    return {
        "interviews": 0,
        "no_problem_share": 0.0,
        "by_intensity": _intensity_counts(),
        "by_target_group": {},
        "tags": {},
        "hypotheses": {status.value: 0 for status in HypothesisStatus},
        "rituals": [],
    }


def investigations_synthesis(investigation_ids) -> dict[int, dict]:
    """{investigation id: synthesis} for many investigations in five queries in all, whatever their number
    (the API's startup page keeps a constant query count). Every target group appears, with zero interviews
    if none was logged; interviews without a group count under NO_GROUP; tags by count, then name;
    `no_problem_share` is the share of intensity 0 (aucun), rounded to 3 decimals; `rituals` the rituals held
    (launch workshop, mid-point, restitution) by date, each `{kind, date, notes}`."""
    ids = list(investigation_ids)
    result = {pk: _empty_synthesis() for pk in ids}
    if not ids:
        return result
    groups = TargetGroup.objects.filter(investigation_id__in=ids).order_by("pk").values_list("investigation_id", "name")
    for investigation_id, name in groups:
        result[investigation_id]["by_target_group"][name] = {"interviews": 0, "by_intensity": _intensity_counts()}
    rows = (
        Interview.objects.filter(investigation_id__in=ids)
        .values("investigation_id", "target_group__name", "intensity")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        synthesis, level, n = result[row["investigation_id"]], str(row["intensity"]), row["n"]
        synthesis["interviews"] += n
        synthesis["by_intensity"][level] += n
        group = synthesis["by_target_group"].setdefault(
            row["target_group__name"] or NO_GROUP, {"interviews": 0, "by_intensity": _intensity_counts()}
        )
        group["interviews"] += n
        group["by_intensity"][level] += n
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
    rituals = (
        InvestigationRitual.objects.filter(investigation_id__in=ids)
        .order_by("date", "pk")
        .values_list("investigation_id", "kind", "date", "notes")
    )
    for investigation_id, kind, date, notes in rituals:
        result[investigation_id]["rituals"].append({"kind": kind, "date": date.isoformat(), "notes": notes})
    for synthesis in result.values():
        if synthesis["interviews"]:
            aucun = synthesis["by_intensity"][str(Intensity.AUCUN.value)]
            synthesis["no_problem_share"] = round(aucun / synthesis["interviews"], 3)
    return result


def investigation_synthesis(investigation: Investigation) -> dict:
    """The `export_synthesis` JSON of one investigation."""
    return investigations_synthesis([investigation.pk])[investigation.pk]


# --- Rituals ----------------------------------------------------------------------------------------
def rituals_report(investigation: Investigation) -> dict:
    """The investigation's rituals by the book, in their order: each `(kind, label, ritual or None)`, and the kinds
    still missing. One query."""
    recorded = {
        ritual.kind: ritual
        for ritual in InvestigationRitual.objects.filter(investigation=investigation).select_related("recorded_by")
    }
    rows = [{"kind": kind.value, "label": kind.label, "ritual": recorded.get(kind.value)} for kind in RitualKind]
    return {"rows": rows, "missing": [row["kind"] for row in rows if row["ritual"] is None]}


# --- Insights: support by distinct interviewees ---------------------------------------------------
def insight_support(insights) -> dict[int, int]:
    """For each insight, how many distinct interviewees back it, through its interviews or its quotes'
    interviews (an interviewee is their pseudonym when set, else their interview). Two queries."""
    insights = list(insights)
    ids = [insight.pk for insight in insights]
    people: dict[int, set[str]] = defaultdict(set)
    through = Insight.interviews.through.objects.filter(insight_id__in=ids)
    for insight_id, interview_id, pseudonym in through.values_list(
        "insight_id", "interview_id", "interview__interviewee"
    ):
        people[insight_id].add(_person(interview_id, pseudonym))
    through = Insight.quotes.through.objects.filter(insight_id__in=ids)
    for insight_id, interview_id, pseudonym in through.values_list(
        "insight_id", "quote__interview_id", "quote__interview__interviewee"
    ):
        people[insight_id].add(_person(interview_id, pseudonym))
    return {insight_id: len(people[insight_id]) for insight_id in ids}


def _person(interview_id: int, pseudonym: str) -> str:
    pseudonym = (pseudonym or "").strip().casefold()
    return f"p:{pseudonym}" if pseudonym else f"i:{interview_id}"


# --- The chart: interviews by target group × intensity, drawn on the server -----------------------
CHART_COLOURS = {0: "#f6f6f6", 1: "#cacafb", 2: "#8585f6", 3: "#000091"}
CHART_TEXT = {0: "#161616", 1: "#161616", 2: "#161616", 3: "#ffffff"}
CHART_WIDTH, CHART_LABEL_WIDTH, CHART_BAR_WIDTH = 720, 220, 440
CHART_BAR_HEIGHT, CHART_GAP, CHART_TOP = 28, 14, 48
# A group's name is written in full, on as many lines of at most this many characters as it needs.
CHART_LABEL_CHARACTERS, CHART_LINE_HEIGHT = 28, 15
INK = "#161616"


def intensity_chart(groups: list[dict]) -> Chart:
    """A horizontal stacked bar chart: one bar per group, named in full on the left (a long name on several
    lines), one segment per intensity, the group's total at the end of its bar, the legend above."""
    biggest = max((group["interviews"] for group in groups), default=0) or 1
    rects, labels = [], []
    for i, level in enumerate(Intensity):
        x = CHART_LABEL_WIDTH + i * 120
        rects.append(Rect(x, 10, 14, 14, CHART_COLOURS[level.value], stroke="#666666", stroke_width=1))
        labels.append(Label(x + 20, 22, str(INTENSITY_SCALE_LABELS[level]), "start", size=13, fill=INK))
    top = CHART_TOP
    for group in groups:
        name = wrap(group["name"], CHART_LABEL_CHARACTERS)
        row = max(CHART_BAR_HEIGHT, len(name) * CHART_LINE_HEIGHT + 4)
        y = top + (row - CHART_BAR_HEIGHT) / 2
        middle = y + CHART_BAR_HEIGHT / 2 + 5  # the baseline of a line centred on the bar
        first_line = middle - (len(name) - 1) * CHART_LINE_HEIGHT / 2
        labels.append(
            Label(
                CHART_LABEL_WIDTH - 8,
                first_line,
                str(group["name"]),
                "end",
                size=13,
                fill=INK,
                lines=name if len(name) > 1 else [],
                line_height=CHART_LINE_HEIGHT,
            )
        )
        x = CHART_LABEL_WIDTH
        for level in Intensity:
            n = group["by_intensity"][str(level.value)]
            if not n:
                continue
            width = n / biggest * CHART_BAR_WIDTH
            title = _("%(group)s — %(intensity)s : %(n)d") % {
                "group": group["name"],
                "intensity": INTENSITY_SCALE_LABELS[level],
                "n": n,
            }
            rects.append(Rect(x, y, width, CHART_BAR_HEIGHT, CHART_COLOURS[level.value], title, "#666666", 0.5))
            if width >= 18:
                labels.append(Label(x + width / 2, middle, str(n), size=12, fill=CHART_TEXT[level.value]))
            x += width
        labels.append(Label(x + 6, middle, str(group["interviews"]), "start", size=13, fill=INK, bold=True))
        top += row + CHART_GAP
    return Chart(CHART_WIDTH, max(top, CHART_TOP + CHART_BAR_HEIGHT + CHART_GAP), rects, [], labels, empty=not groups)


# --- The page --------------------------------------------------------------------------------------
def interview_weeks(
    investigation: Investigation, day_counts: dict[datetime.date, int], today: datetime.date
) -> list[tuple[datetime.date, int]]:
    """(Monday, interviews that week) for every week of the investigation: from its start (or an earlier
    interview) to its last interview, and on to today while it is open or to its end once it has ended.
    `day_counts` may count per day or per week (a week is keyed by any of its days)."""
    first = min([investigation.started_on, *day_counts])
    last_day = max(day_counts, default=first)
    if investigation.is_open:
        last_day = max(last_day, today)
    elif investigation.ended_on:
        last_day = max(last_day, investigation.ended_on)
    weekly: dict[datetime.date, int] = defaultdict(int)
    for day, n in day_counts.items():
        weekly[day - datetime.timedelta(days=day.weekday())] += n
    monday, weeks = first - datetime.timedelta(days=first.weekday()), []
    while monday <= last_day:
        weeks.append((monday, weekly.get(monday, 0)))
        monday += datetime.timedelta(weeks=1)
    return weeks


def _weeks(investigation: Investigation, day_counts: dict[datetime.date, int], today: datetime.date) -> list[dict]:
    """The synthesis page's weeks (none before the first interview)."""
    if not day_counts:
        return []
    return [
        {"start": monday, "end": monday + datetime.timedelta(days=6), "n": n}
        for monday, n in interview_weeks(investigation, day_counts, today)
    ]


def _health(investigation, groups, last_interview, today) -> list[str]:
    """The health signals of the synthesis page; the dashboard's alerts apply the same rules to the portfolio
    (`InvestigationQuerySet.overdue` and `.silent`)."""
    signals = []
    if investigation.is_overdue(today):
        days = (today - investigation.planned_end).days
        signals.append(
            _("L'investigation a dépassé sa fin prévue (%(date)s) de %(duration)s.")
            % {"date": short_date(investigation.planned_end), "duration": humanize_days(days)}
        )
    silent = investigation.silent_days(last_interview, today)
    if silent is not None:
        if last_interview:
            signals.append(
                _("Aucun entretien depuis %(duration)s (dernier le %(date)s).")
                % {"duration": humanize_days(silent), "date": short_date(last_interview)}
            )
        else:
            signals.append(
                _("Aucun entretien depuis le début de l'investigation, il y a %(duration)s.")
                % {"duration": humanize_days(silent)}
            )
    for group in groups:
        if group["name"] != NO_GROUP and not group["interviews"]:
            signals.append(
                _("Le groupe « %(group)s » n'a encore aucun entretien (il en faut au moins %(min)s).")
                % {"group": group["name"], "min": doctrine.HEALTH_MIN_PER_GROUP}
            )
        elif group["name"] != NO_GROUP and group["interviews"] < doctrine.HEALTH_MIN_PER_GROUP:
            signals.append(
                ngettext(
                    "Le groupe « %(group)s » ne compte que %(n)s entretien (moins de %(min)s).",
                    "Le groupe « %(group)s » ne compte que %(n)s entretiens (moins de %(min)s).",
                    group["interviews"],
                )
                % {"group": group["name"], "n": group["interviews"], "min": doctrine.HEALTH_MIN_PER_GROUP}
            )
    return signals


def synthesis_report(investigation: Investigation, today: datetime.date | None = None) -> dict:
    """Everything the synthesis page shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    data = investigation_synthesis(investigation)
    total = data["interviews"]
    groups = []
    for name, group in data["by_target_group"].items():
        groups.append(
            {
                "name": name,
                "interviews": group["interviews"],
                "by_intensity": group["by_intensity"],
                "cells": [group["by_intensity"][str(level.value)] for level in Intensity],
                "meets_doctrine": group["interviews"] >= doctrine.MIN_PER_GROUP,
                "missing_for_doctrine": max(doctrine.MIN_PER_GROUP - group["interviews"], 0),
            }
        )
    named_groups = [group for group in groups if group["name"] != NO_GROUP]
    day_counts = dict(
        Interview.objects.filter(investigation=investigation).values_list("date").annotate(n=Count("pk")).order_by()
    )
    last_interview = max(day_counts) if day_counts else None
    insights = list(Insight.objects.filter(investigation=investigation).order_by("pk"))
    support = insight_support(insights)
    for insight in insights:
        insight.support = support[insight.pk]
    insights.sort(key=lambda insight: (-insight.support, insight.pk))
    hypotheses = list(
        Hypothesis.objects.filter(investigation=investigation)
        .annotate(
            supporting_count=Count("supporting_interviews", distinct=True),
            contradicting_count=Count("contradicting_interviews", distinct=True),
        )
        .order_by("pk")
    )
    hypotheses_by_status = [
        {
            "status": status,
            "label": status.label,
            "count": data["hypotheses"][status.value],
            "items": [h for h in hypotheses if h.status == status.value],
        }
        for status in HypothesisStatus
    ]
    goal = investigation.interview_goal
    weeks = _weeks(investigation, day_counts, today)
    return {
        "data": data,
        "total": total,
        "no_problem": data["by_intensity"][str(Intensity.AUCUN.value)],
        "no_problem_percent": round(data["no_problem_share"] * 100, 1),
        "intensity_totals": [data["by_intensity"][str(level.value)] for level in Intensity],
        "intensity_labels": [INTENSITY_SCALE_LABELS[level] for level in Intensity],
        "groups": groups,
        "chart": intensity_chart(groups),
        "goal": goal,
        "goal_percent": round(total * 100 / goal) if goal else None,
        "goal_missing": max(goal - total, 0),
        "doctrine_min": doctrine.MIN_PER_GROUP,
        "groups_meeting_doctrine": sum(1 for group in named_groups if group["meets_doctrine"]),
        "named_group_count": len(named_groups),
        "too_many_groups": len(named_groups) > doctrine.MAX_TARGET_GROUPS,
        "doctrine_max_groups": doctrine.MAX_TARGET_GROUPS,
        "weeks": weeks,
        "week_chart": weeks_chart([(week["start"], week["n"]) for week in weeks]),
        "top_tags": list(data["tags"].items())[:TOP_TAGS],
        "insights": insights,
        "hypotheses_by_status": hypotheses_by_status,
        "last_interview": last_interview,
        "health": _health(investigation, groups, last_interview, today),
    }


def latest_interview_dates(investigations) -> dict[int, datetime.date]:
    """Date of the last interview of each investigation, in one query (for lists and panels)."""
    return dict(
        Interview.objects.filter(investigation__in=investigations)
        .values_list("investigation_id")
        .annotate(last=Max("date"))
        .order_by()
    )
