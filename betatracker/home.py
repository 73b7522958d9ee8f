"""Where each person lands (issue 14). `/` sends coaches, incubator staff and admins to the dashboard;
everyone else to their own home ("Mon accueil"): an intrapreneur's open investigations, "Nouvel entretien"
first and the synthesis so far; a committee member's next (or today's) session with its agenda and the
pack of each startup on it. An intrapreneur with no open investigation and no session lands on their
startup's page.

Only what the person holds a role on: their own current team memberships, the sessions they sit on.
Read in a fixed number of queries, whatever the number of investigations or agenda items.
"""

import dataclasses
import datetime

from django.db.models import Exists, OuterRef

from committees.enums import SessionStatus
from committees.models import CommitteeSession, Review
from committees.selectors import session_agenda
from investigations.enums import HypothesisStatus
from investigations.models import Investigation
from investigations.synthesis import investigations_synthesis, latest_interview_dates
from products.enums import MembershipRole
from products.models import Incubator, Membership, Startup, User

# The team: who logs interviews and runs the investigation (a coach's home is the dashboard).
TEAM_ROLES = (MembershipRole.INTRAPRENEUR, MembershipRole.TEAM_MEMBER)


def lands_on_dashboard(user: User, today: datetime.date) -> bool:
    """Admins, incubator staff and coaches: their home is the portfolio dashboard (one query, none for an admin)."""
    if user.is_superuser:
        return True
    staffs = Incubator.staff.through.objects.filter(user=OuterRef("pk"))
    coaches = Membership.objects.current(today).with_role(MembershipRole.COACH).filter(user=OuterRef("pk"))
    return User.objects.filter(pk=user.pk).filter(Exists(staffs) | Exists(coaches)).exists()


@dataclasses.dataclass
class InvestigationSummary:
    """One open investigation as its home shows it: the counts of the synthesis so far."""

    investigation: Investigation
    interviews: int
    goal: int
    last_interview: datetime.date | None
    hypotheses: list[tuple[str, int]]  # (status label, count), in the order of HypothesisStatus
    groups: list[tuple[str, int]]  # (target group, interviews)
    top_tags: list[tuple[str, int]]

    @property
    def goal_percent(self) -> int:
        return min(round(self.interviews * 100 / self.goal), 100) if self.goal else 100


@dataclasses.dataclass
class Home:
    investigations: list[InvestigationSummary]
    startups: list[Startup]  # the startups of the person's team (intrapreneur, team member)
    session: CommitteeSession | None  # the next or today's session the person sits on
    agenda: list[Review]
    later_sessions: int  # how many more sessions the person sits on after that one

    @property
    def is_empty(self) -> bool:
        return not (self.investigations or self.startups or self.session)


TOP_TAGS = 5


def _summaries(investigations: list[Investigation]) -> list[InvestigationSummary]:
    syntheses = investigations_synthesis(i.pk for i in investigations)
    last = latest_interview_dates([i.pk for i in investigations]) if investigations else {}
    summaries = []
    for investigation in investigations:
        data = syntheses[investigation.pk]
        summaries.append(
            InvestigationSummary(
                investigation=investigation,
                interviews=data["interviews"],
                goal=investigation.interview_goal,
                last_interview=last.get(investigation.pk),
                hypotheses=[(status.label, data["hypotheses"][status.value]) for status in HypothesisStatus],
                groups=[(name, group["interviews"]) for name, group in data["by_target_group"].items()],
                top_tags=list(data["tags"].items())[:TOP_TAGS],
            )
        )
    return summaries


def personal_home(user: User, today: datetime.date) -> Home:
    team_startups = Membership.objects.current(today).filter(user=user, role__in=TEAM_ROLES).values("startup_id")
    startups = list(Startup.objects.filter(pk__in=team_startups).select_related("incubator").order_by("name"))
    investigations = list(
        Investigation.objects.open()
        .filter(startup__in=[s.pk for s in startups])
        .select_related("startup")
        .order_by("startup__name", "-started_on")
    )
    sessions = (
        CommitteeSession.objects.filter(members=user, date__gte=today)
        .exclude(status=SessionStatus.CLOSED)
        .select_related("incubator")
        .order_by("date", "pk")
    )
    upcoming = list(sessions[:2])
    session = upcoming[0] if upcoming else None
    return Home(
        investigations=_summaries(investigations),
        startups=startups,
        session=session,
        agenda=session_agenda(session, user) if session else [],
        later_sessions=sessions.count() - 1 if len(upcoming) > 1 else 0,
    )
