"""The dashboard's alerts, from the doctrine in GLOSSARY.md.

Each rule is a small function `condition(today)` returning a boolean SQL expression on Startup
(correlated through `OuterRef("pk")`), so that a whole portfolio is flagged — and filtered on
"à surveiller" — in the same query as the dashboard rows. Each rule carries a short French label,
an explanation in words of the doctrine behind it (shown on hover and on the startup page) and a
`detail(startup, today)` that says, for one startup, what exactly raised it.
"""

import dataclasses
import datetime
from collections.abc import Callable

from django.db.models import DateField, Exists, IntegerField, Max, Min, OuterRef, Q, Subquery
from django.db.models.lookups import GreaterThan, IsNull, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from committees import doctrine as committee_doctrine
from committees.enums import ConditionStatus, SessionStatus
from committees.grants import budget_end_in_force, budget_in_force
from committees.models import Condition, Decision, Review
from core.durations import humanize_days, short_date
from investigations.models import Interview, Investigation
from products import doctrine as portfolio_doctrine
from products.enums import TERMINAL_PHASES, MembershipRole, PhaseName
from products.models import Event, Membership, Startup

# The phases a committee follows (GLOSSARY.md); the doctrine's numbers are in each app's `doctrine` module.
ACTIVE_PHASES = (
    PhaseName.INVESTIGATION,
    PhaseName.CONSTRUCTION,
    PhaseName.ACCELERATION,
    PhaseName.CONSOLIDATION,
)


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


class SubqueryCount(Subquery):
    """COUNT(*) of a correlated subquery, as an integer column."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


@dataclasses.dataclass(frozen=True)
class AlertRule:
    code: str
    label: str
    explanation: str
    condition: Callable[[datetime.date], Q]
    detail: Callable[[Startup, datetime.date], str]
    # The same rule written for a handful of rows (a page, one startup), when the database would
    # answer `condition` for them by scanning a whole table: see condition_overdue.
    row_condition: Callable[[datetime.date], Q] | None = None

    @property
    def annotation(self) -> str:
        return f"alert_{self.code}"

    def for_rows(self, today: datetime.date, *, few: bool) -> Q:
        if not few:
            return self.condition(today)
        return probe_per_row((self.row_condition or self.condition)(today))


def probe_per_row(condition: Q) -> Q:
    """The same condition with each EXISTS (...) written (SELECT 1 ... LIMIT 1) IS NOT NULL.

    PostgreSQL plans an EXISTS in a select list twice, per row and hashed over the whole table, and
    picks at run time; for a page of fifty rows the second plan is never the right one and planning
    it cost more than running the query. A scalar subquery is planned once, per row."""
    probed = Q(_connector=condition.connector, _negated=condition.negated)
    for child in condition.children:
        if isinstance(child, Q):
            probed.children.append(probe_per_row(child))
        elif isinstance(child, Exists):
            probed.children.append(IsNull(Subquery(child.query, output_field=IntegerField()), False))
        else:
            probed.children.append(child)
    return probed


@dataclasses.dataclass(frozen=True)
class Alert:
    """One alert raised on one startup: the rule's label and explanation, and what raised it."""

    code: str
    label: str
    explanation: str
    detail: str = ""


RULES: list[AlertRule] = []


def rule(*, code: str, label, explanation, row_condition=None):
    """Register `condition(today)` as an alert rule, once its `detail` is given by `@<rule>.describe`."""

    def register(condition):
        def describe(detail):
            RULES.append(AlertRule(code, label, explanation, condition, detail, row_condition))
            return detail

        condition.describe = describe
        return condition

    return register


# --- 1. Investigation past its planned end ------------------------------------------------------
@rule(
    code="investigation_overdue",
    label=gettext_lazy("Investigation en retard"),
    explanation=gettext_lazy(
        "Une investigation en cours a dépassé sa date de fin prévue. La doctrine la borne à 6 à 9 "
        "semaines : un comité de fin d'investigation doit décider de la suite."
    ),
)
def investigation_overdue(today: datetime.date) -> Q:
    return Q(Exists(Investigation.objects.overdue(today).filter(startup=OuterRef("pk"))))


@investigation_overdue.describe
def _investigation_overdue_detail(startup, today):
    investigation = Investigation.objects.overdue(today).filter(startup=startup).order_by("planned_end").first()
    return _("L'investigation ouverte le %(start)s devait finir le %(end)s : dépassée de %(days)s.") % {
        "start": short_date(investigation.started_on),
        "end": short_date(investigation.planned_end),
        "days": humanize_days((today - investigation.planned_end).days),
    }


# --- 2. No interview for 14 days in an open investigation --------------------------------------
@rule(
    code="no_recent_interview",
    label=gettext_lazy("Pas d'entretien depuis 14 jours"),
    explanation=gettext_lazy(
        "Une investigation est en cours mais aucun entretien utilisateur n'a été saisi depuis 14 jours "
        "ou plus : l'investigation n'apprend plus de ses usagers."
    ),
)
def no_recent_interview(today: datetime.date) -> Q:
    return Q(Exists(Investigation.objects.silent(today).filter(startup=OuterRef("pk"))))


@no_recent_interview.describe
def _no_recent_interview_detail(startup, today):
    investigation = (
        Investigation.objects.silent(today)
        .filter(startup=startup)
        .annotate(last_interview=Max("interviews__date"))
        .order_by("started_on")
        .first()
    )
    if investigation.last_interview is None:
        return _("Aucun entretien saisi depuis l'ouverture de l'investigation le %(start)s (%(days)s).") % {
            "start": short_date(investigation.started_on),
            "days": humanize_days((today - investigation.started_on).days),
        }
    return _("Dernier entretien le %(date)s, il y a %(days)s.") % {
        "date": short_date(investigation.last_interview),
        "days": humanize_days((today - investigation.last_interview).days),
    }


# --- 3. More than 6 months since the last committee --------------------------------------------
@rule(
    code="committee_overdue",
    label=gettext_lazy("Comité attendu"),
    explanation=gettext_lazy(
        "La doctrine prévoit un comité d'investissement au moins tous les 6 mois tant que la startup "
        "est en investigation, construction, accélération ou consolidation. Aucun comité ne s'est tenu "
        "depuis plus de 6 mois, ni depuis le début de la phase actuelle."
    ),
)
def committee_overdue(today: datetime.date) -> Q:
    # The reference is the later of the last decision and the start of the current phase.
    cutoff = today - datetime.timedelta(days=committee_doctrine.CADENCE_DAYS)
    recent_decision = Decision.objects.filter(startup=OuterRef("pk"), date__gte=cutoff)
    return Q(current_phase__in=ACTIVE_PHASES, current_phase_start__lt=cutoff) & ~Q(Exists(recent_decision))


@committee_overdue.describe
def _committee_overdue_detail(startup, today):
    last = Decision.objects.filter(startup=startup).aggregate(last=Max("date"))["last"]
    phase = PhaseName(startup.current_phase).label
    if last is None or last < startup.current_phase_start:
        return _("Aucun comité depuis le début de la phase « %(phase)s » le %(start)s (%(days)s).") % {
            "phase": phase,
            "start": short_date(startup.current_phase_start),
            "days": humanize_days((today - startup.current_phase_start).days),
        }
    return _("Dernier comité le %(date)s, il y a %(days)s.") % {
        "date": short_date(last),
        "days": humanize_days((today - last).days),
    }


# --- 4. The granted budget period ends within 45 days and no committee is planned --------------
def _planned_reviews(today):
    return Review.objects.filter(session__status=SessionStatus.PLANNED, date__gte=today)


@rule(
    code="budget_ending",
    label=gettext_lazy("Fin de budget sans comité"),
    explanation=gettext_lazy(
        "La période financée par le dernier comité se termine dans moins de 45 jours (ou est déjà "
        "terminée) et aucun comité n'est planifié : la doctrine demande de passer en comité 30 à 45 jours "
        "avant que le budget ne s'épuise."
    ),
)
def budget_ending(today: datetime.date) -> Q:
    # The period in force is the one the latest decision funded (committees.grants.budget_in_force).
    limit = today + datetime.timedelta(days=committee_doctrine.BUDGET_WARNING_DAYS)
    granted_until = budget_in_force(OuterRef("pk")).values("budget_period_end")[:1]
    planned = _planned_reviews(today).filter(startup=OuterRef("pk"))
    # No period granted: the subquery is NULL and the comparison is not true.
    return (
        Q(current_phase__in=ACTIVE_PHASES)
        & Q(LessThanOrEqual(Subquery(granted_until, output_field=DateField()), limit))
        & ~Q(Exists(planned))
    )


@budget_ending.describe
def _budget_ending_detail(startup, today):
    end = budget_end_in_force(startup)
    if end < today:
        return _("La période financée s'est terminée le %(date)s, il y a %(days)s ; aucun comité n'est planifié.") % {
            "date": short_date(end),
            "days": humanize_days((today - end).days),
        }
    return _("La période financée se termine le %(date)s, dans %(days)s ; aucun comité n'est planifié.") % {
        "date": short_date(end),
        "days": humanize_days((end - today).days),
    }


# --- 5. An overdue condition --------------------------------------------------------------------
def _overdue_conditions(today):
    return Condition.objects.filter(status=ConditionStatus.OPEN, due_on__lt=today)


def _condition_overdue_per_row(today: datetime.date) -> Q:
    # For a few rows, count through each startup's few decisions by index: as EXISTS, PostgreSQL
    # would hash every decision of the network even for a page of fifty.
    overdue = _overdue_conditions(today).filter(decision__startup=OuterRef("pk"))
    return Q(GreaterThan(SubqueryCount(overdue.values("pk")), 0))


@rule(
    code="condition_overdue",
    label=gettext_lazy("Condition échue"),
    explanation=gettext_lazy(
        "Une condition posée par un comité (poursuite avec réserves) n'est pas levée alors que son échéance est passée."
    ),
    row_condition=_condition_overdue_per_row,
)
def condition_overdue(today: datetime.date) -> Q:
    # For the whole portfolio: the startups with an overdue condition, a set computed once.
    return Q(pk__in=_overdue_conditions(today).values("decision__startup_id"))


@condition_overdue.describe
def _condition_overdue_detail(startup, today):
    found = Condition.objects.filter(decision__startup=startup, status=ConditionStatus.OPEN, due_on__lt=today)
    oldest = found.aggregate(oldest=Min("due_on"))["oldest"]
    count = found.count()
    return ngettext(
        "%(count)d condition échue depuis le %(date)s.",
        "%(count)d conditions échues, la plus ancienne depuis le %(date)s.",
        count,
    ) % {"count": count, "date": short_date(oldest)}


# --- 6. An intrapreneur below 60 % time share ---------------------------------------------------
def _low_share_intrapreneurs(today):
    return (
        Membership.objects.current(today)
        .with_role(MembershipRole.INTRAPRENEUR)
        .filter(time_share__lt=portfolio_doctrine.INTRAPRENEUR_MIN_SHARE)
    )


@rule(
    code="intrapreneur_low_share",
    label=gettext_lazy("Intrapreneur·e < 60 %"),
    explanation=gettext_lazy(
        "Un·e intrapreneur·e de l'équipe consacre moins de 60 % de son temps à la startup, alors que la "
        "doctrine en attend au moins 60 %."
    ),
)
def intrapreneur_low_share(today: datetime.date) -> Q:
    return Q(Exists(_low_share_intrapreneurs(today).filter(startup=OuterRef("pk"))))


@intrapreneur_low_share.describe
def _intrapreneur_low_share_detail(startup, today):
    people = _low_share_intrapreneurs(today).filter(startup=startup).select_related("user").order_by("time_share")
    return ", ".join(
        _("%(person)s : %(share)d %% de son temps") % {"person": m.user, "share": m.time_share} for m in people
    )


# --- 7. Nothing updated for a year --------------------------------------------------------------
@rule(
    code="stale",
    label=gettext_lazy("Rien depuis un an"),
    explanation=gettext_lazy(
        "Depuis plus d'un an, ni la fiche, ni les phases, ni les événements, ni les entretiens, ni les "
        "décisions de cette startup encore suivie n'ont bougé : les informations sont peut-être périmées."
    ),
)
def stale(today: datetime.date) -> Q:
    cutoff = today - datetime.timedelta(days=portfolio_doctrine.STALE_DAYS)
    return (
        ~Q(current_phase__in=TERMINAL_PHASES)
        & Q(updated_at__lt=_start_of(cutoff))
        & (Q(current_phase_start__isnull=True) | Q(current_phase_start__lt=cutoff))
        & ~Q(Exists(Event.objects.filter(startup=OuterRef("pk"), date__gte=cutoff)))
        & ~Q(Exists(Interview.objects.filter(investigation__startup=OuterRef("pk"), date__gte=cutoff)))
        & ~Q(Exists(Decision.objects.filter(startup=OuterRef("pk"), date__gte=cutoff)))
    )


@stale.describe
def _stale_detail(startup, today):
    dates = [
        timezone.localdate(startup.updated_at),
        startup.current_phase_start,
        startup.events.aggregate(d=Max("date"))["d"],
        Interview.objects.filter(investigation__startup=startup).aggregate(d=Max("date"))["d"],
        startup.decisions.aggregate(d=Max("date"))["d"],
    ]
    last = max(d for d in dates if d is not None)
    return _("Dernière activité le %(date)s, il y a %(days)s.") % {
        "date": short_date(last),
        "days": humanize_days((today - last).days),
    }


RULES_BY_CODE = {r.code: r for r in RULES}
