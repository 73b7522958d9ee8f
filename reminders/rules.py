"""Who is due which reminder on a given day: one function per kind, each returning `Due` items.

The rules read the domain apps through their QuerySets and reuse the dashboard's alert conditions where
a reminder says the same thing as an alert (no interview for 14 days, budget ending without a committee,
nothing updated for a year, the digest's "à surveiller"), so that a reminder and the dashboard never
disagree. Recipients are the startup's team and coaches (current memberships), the digest goes to each
coach. Each rule is a fixed number of queries, whatever the size of the portfolio.
"""

import dataclasses
import datetime
from collections import defaultdict

from django.db.models import F, Max, Min, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from committees.enums import SessionStatus
from committees.grants import budget_in_force
from committees.models import Condition, Decision, Review
from investigations.models import Interview, Investigation
from portfolio import alerts
from portfolio.selectors import watch_condition, with_alert_flags
from products.enums import MembershipRole
from products.models import Event, Membership, Startup, User

from .enums import ReminderKind

TEAM_ROLES = (MembershipRole.COACH, MembershipRole.INTRAPRENEUR, MembershipRole.TEAM_MEMBER)
COMMITTEE_FIRST_NOTICE_DAYS = 45
COMMITTEE_SECOND_NOTICE_DAYS = 30
CONDITION_NOTICE_DAYS = 7


@dataclasses.dataclass(frozen=True)
class Due:
    """A reminder due on one startup (or, for a digest, to one coach): to be sent to each of `recipients`."""

    kind: str
    startup: Startup | None
    about_date: datetime.date
    path: str
    params: dict
    object_id: int = 0
    recipients: tuple[User, ...] = ()


def _iso(day: datetime.date) -> str:
    return day.isoformat()


def team_of(startup_ids, today: datetime.date) -> dict[int, tuple[User, ...]]:
    """The current coaches, intrapreneurs and team members of each startup, active accounts only (one query)."""
    team = defaultdict(list)
    memberships = (
        Membership.objects.current(today)
        .filter(startup_id__in=set(startup_ids), role__in=TEAM_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
    )
    for membership in memberships:
        if membership.user not in team[membership.startup_id]:
            team[membership.startup_id].append(membership.user)
    return {startup_id: tuple(users) for startup_id, users in team.items()}


# --- Committee due in 45 and in 30 days ---------------------------------------------------------
def committee_due(today: datetime.date) -> list[Due]:
    """The startup's next committee: its next review on a planned session's agenda or, with none, the date its
    latest decision set for the next committee. 31 to 45 days ahead: the first notice; 30 days or less: the second
    (so that a day the job did not run, or a session planned late, still gives one)."""
    horizon = today + datetime.timedelta(days=COMMITTEE_FIRST_NOTICE_DAYS)
    planned = {
        row["startup_id"]: (row["day"], row["review"])
        for row in Review.objects.filter(session__status=SessionStatus.PLANNED, date__gte=today)
        .values("startup_id")
        .annotate(day=Min("date"), review=Min("pk"))
    }
    latest = Decision.objects.filter(startup=OuterRef("startup")).order_by("-date", "-pk").values("pk")[:1]
    expected = Decision.objects.filter(next_committee_on__range=(today, horizon), pk=Subquery(latest)).values_list(
        "startup_id", "next_committee_on"
    )
    dates = {startup_id: (day, None) for startup_id, day in expected if startup_id not in planned}
    dates.update({startup_id: found for startup_id, found in planned.items() if found[0] <= horizon})
    startups = Startup.objects.in_bulk(dates)
    due = []
    for startup_id, (day, review_id) in sorted(dates.items()):
        startup = startups[startup_id]
        days = (day - today).days
        kind = ReminderKind.COMMITTEE_30 if days <= COMMITTEE_SECOND_NOTICE_DAYS else ReminderKind.COMMITTEE_45
        # Planned: the review, where the team writes its request. Expected: the startup's page.
        path = reverse("committees:review_detail", args=[review_id]) if review_id else startup.get_absolute_url()
        params = {"date": _iso(day), "planned": review_id is not None}
        due.append(Due(kind, startup, day, path, params))
    return due


# --- Budget ending in 45 days, no committee planned ---------------------------------------------
def budget_ending(today: datetime.date) -> list[Due]:
    """The dashboard's "Fin de budget sans comité", for a period still running (one that ended is the alert's
    business, not a reminder's)."""
    startups = Startup.objects.filter(alerts.budget_ending(today)).in_bulk()
    ends = (
        Startup.objects.filter(pk__in=startups)
        .annotate(end=Subquery(budget_in_force(OuterRef("pk")).values("budget_period_end")[:1]))
        .filter(end__gte=today)
        .order_by("pk")
        .values("end", startup_id=F("pk"))
    )
    return [
        Due(
            ReminderKind.BUDGET_ENDING,
            startups[row["startup_id"]],
            row["end"],
            startups[row["startup_id"]].get_absolute_url(),
            {"date": _iso(row["end"])},
        )
        for row in ends
    ]


# --- Conditions due in 7 days, and overdue ------------------------------------------------------
def _condition_due(kind, conditions) -> list[Due]:
    return [
        Due(
            kind,
            condition.decision.startup,
            condition.due_on,
            reverse("committees:decision_detail", args=[condition.decision_id]),
            {"date": _iso(condition.due_on), "text": condition.text[:300]},
            object_id=condition.pk,
        )
        for condition in conditions.select_related("decision__startup").order_by("due_on", "pk")
    ]


def condition_due(today: datetime.date) -> list[Due]:
    soon = today + datetime.timedelta(days=CONDITION_NOTICE_DAYS)
    return _condition_due(ReminderKind.CONDITION_DUE, Condition.objects.open().filter(due_on__range=(today, soon)))


def condition_overdue(today: datetime.date) -> list[Due]:
    return _condition_due(ReminderKind.CONDITION_OVERDUE, Condition.objects.overdue(today))


# --- No interview for 14 days in an open investigation ------------------------------------------
def no_interview(today: datetime.date) -> list[Due]:
    """The dashboard's "Pas d'entretien depuis 14 jours" (`InvestigationQuerySet.silent`, the rule the alert and
    the synthesis share). About the investigation and its last interview (or its start): a new interview followed
    by 14 more quiet days gives a new reminder."""
    investigations = (
        Investigation.objects.silent(today)
        .annotate(last_interview=Max("interviews__date"))
        .select_related("startup")
        .order_by("startup__name", "pk")
    )
    due = []
    for investigation in investigations:
        quiet_since = investigation.last_interview or investigation.started_on
        due.append(
            Due(
                ReminderKind.NO_INTERVIEW,
                investigation.startup,
                quiet_since,
                reverse("investigations:interview_new", args=[investigation.pk]),
                {"date": _iso(quiet_since), "started": investigation.last_interview is None},
                object_id=investigation.pk,
            )
        )
    return due


# --- Nothing updated for a year -----------------------------------------------------------------
def stale(today: datetime.date) -> list[Due]:
    """The dashboard's "Rien depuis un an". About the date of the last activity: once something moves and then
    stops again for a year, a new reminder."""
    startups = list(Startup.objects.filter(alerts.stale(today)).order_by("name", "pk"))
    ids = [startup.pk for startup in startups]

    def latest(queryset, field):
        return dict(queryset.values_list(field).annotate(last=Max("date")).order_by())

    events = latest(Event.objects.filter(startup_id__in=ids), "startup_id")
    interviews = latest(Interview.objects.filter(investigation__startup_id__in=ids), "investigation__startup_id")
    decisions = latest(Decision.objects.filter(startup_id__in=ids), "startup_id")
    due = []
    for startup in startups:
        dates = [
            timezone.localdate(startup.updated_at),
            startup.current_phase_start,
            events.get(startup.pk),
            interviews.get(startup.pk),
            decisions.get(startup.pk),
        ]
        last = max(day for day in dates if day is not None)
        due.append(Due(ReminderKind.STALE, startup, last, startup.get_absolute_url(), {"date": _iso(last)}))
    return due


# --- The weekly digest of each coach ------------------------------------------------------------
def digest(today: datetime.date) -> list[Due]:
    """To each coach, once a week (about the Monday of the week), their startups that at least one alert of the
    dashboard flags, with the alerts' codes."""
    monday = today - datetime.timedelta(days=today.weekday())
    coached = Membership.objects.current(today).with_role(MembershipRole.COACH).filter(user__is_active=True)
    flagged = with_alert_flags(
        Startup.objects.filter(pk__in=coached.values("startup_id")).filter(watch_condition(today)), today
    ).order_by("name", "pk")
    codes = {startup.pk: [r.code for r in alerts.RULES if getattr(startup, r.annotation)] for startup in flagged}
    names = {startup.pk: (startup.name, startup.slug) for startup in flagged}
    by_coach = defaultdict(list)
    for membership in coached.filter(startup_id__in=codes).select_related("user").order_by("user__email"):
        by_coach[membership.user].append(membership.startup_id)
    path = reverse("dashboard:home") + "?vue=mes&surveiller=on"
    due = []
    for coach, startup_ids in by_coach.items():
        listed = sorted(set(startup_ids), key=lambda pk: names[pk])
        params = {
            "startups": [{"name": names[pk][0], "slug": names[pk][1], "alerts": codes[pk]} for pk in listed],
        }
        due.append(Due(ReminderKind.DIGEST, None, monday, path, params, recipients=(coach,)))
    return due


RULES = [committee_due, budget_ending, condition_due, condition_overdue, no_interview, stale, digest]


def due_on(today: datetime.date) -> list[Due]:
    """Every reminder due on `today`, with its recipients (before opt-outs and what was already sent)."""
    found = [item for rule in RULES for item in rule(today)]
    teams = team_of([item.startup.pk for item in found if item.startup is not None], today)
    return [
        item if item.recipients else dataclasses.replace(item, recipients=teams.get(item.startup.pk, ()))
        for item in found
    ]
