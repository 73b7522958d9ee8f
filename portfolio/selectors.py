"""Reads of the dashboard, the network view and the startup timeline.

A fixed number of queries whatever the number of startups: the dashboard rows carry their last
decision, next committee, condition and interview counts and alert flags as subqueries (a page is
read as its ids in table order, then the columns of those fifty rows; the CSV export reads every row
in one query); the network view reads the whole phase history in one query and does its arithmetic
in Python.

What the dashboard shows of each startup is metadata — dates, outcome labels, counts, alert flags —
to every signed-in person, like the committee dates and outcomes beta.gouv.fr publishes; contents
(rationale, condition texts, interviews week by week) stay behind products.perms.can_view_synthesis
on the timeline.
"""

import dataclasses
import datetime
import functools
import math
from collections import Counter, defaultdict
from decimal import Decimal
from functools import reduce
from operator import or_
from urllib.parse import quote

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear, JSONObject, TruncWeek
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from committees.enums import ConditionStatus, Outcome, SessionStatus
from committees.models import CommitteeSession, Condition, Decision, Review
from core import versions
from core.durations import humanize_days, short_date
from investigations.models import Interview, Investigation, InvestigationRitual
from investigations.synthesis import interview_weeks
from products.enums import LIFECYCLE_ORDER, LIFECYCLE_RANK, MembershipRole, PhaseName
from products.impact import cumulated_cost, north_star_annotations, north_star_cost_expression
from products.models import Incubator, Membership, Phase, Spending, Startup, User
from products.perms import can_view_synthesis

from .alerts import ACTIVE_PHASES, RULES, Alert, SubqueryCount

# --- Scopes: "mes startups", "mon incubateur", "tout le réseau" --------------------------------
SCOPE_MINE = "mes"
SCOPE_INCUBATOR = "incubateur"
SCOPE_NETWORK = "reseau"
SCOPE_LABELS = {
    SCOPE_MINE: _("Mes startups"),
    SCOPE_INCUBATOR: _("Mon incubateur"),
    SCOPE_NETWORK: _("Tout le réseau"),
}
NO_PHASE = "aucune"
URL_SAFE = "!$&'()*+,;=~:@"  # what django.urls.reverse leaves unquoted in a path segment
INTERVIEWS_WINDOW_DAYS = 30

IncubatorLink = Startup.co_incubators.through
IncubatorStaff = Incubator.staff.through
StartupSponsor = Startup.sponsors.through
StartupTheme = Startup.themes.through


@dataclasses.dataclass(frozen=True)
class PersonScopes:
    """Which of the three scopes make sense for a person, read in one query."""

    has_startups: bool
    has_incubators: bool

    @property
    def available(self) -> list[str]:
        scopes = []
        if self.has_startups:
            scopes.append(SCOPE_MINE)
        if self.has_incubators:
            scopes.append(SCOPE_INCUBATOR)
        scopes.append(SCOPE_NETWORK)
        return scopes

    @property
    def default(self) -> str:
        return self.available[0]


def person_scopes(user: User, today: datetime.date) -> PersonScopes:
    memberships = Membership.objects.current(today).filter(user=OuterRef("pk"))
    staffed = IncubatorStaff.objects.filter(user=OuterRef("pk"))
    has_startups, staffs = (
        User.objects.filter(pk=user.pk)
        .annotate(has_startups=Exists(memberships), staffs=Exists(staffed))
        .values_list("has_startups", "staffs")
        .get()
    )
    return PersonScopes(has_startups=has_startups, has_incubators=has_startups or staffs)


def _my_startup_ids(user, today):
    return Membership.objects.current(today).filter(user=user).values("startup_id")


def my_incubator_ids(user, today):
    """Incubators a person staffs, and the incubators (main or co-) of the startups they are on."""
    member_startups = _my_startup_ids(user, today)
    return Incubator.objects.filter(
        Q(pk__in=IncubatorStaff.objects.filter(user=user).values("incubator_id"))
        | Q(pk__in=Startup.objects.filter(pk__in=member_startups).values("incubator_id"))
        | Q(pk__in=IncubatorLink.objects.filter(startup_id__in=member_startups).values("incubator_id"))
    ).values("pk")


def in_incubators(incubator_ids) -> Q:
    """Startups incubated (main or co-incubation) by one of these incubators."""
    return Q(incubator_id__in=incubator_ids) | Q(
        pk__in=IncubatorLink.objects.filter(incubator_id__in=incubator_ids).values("startup_id")
    )


def startups_in_scope(user: User, scope: str, today: datetime.date) -> QuerySet:
    startups = Startup.objects.all()
    if scope == SCOPE_MINE:
        return startups.filter(pk__in=_my_startup_ids(user, today))
    if scope == SCOPE_INCUBATOR:
        return startups.filter(in_incubators(my_incubator_ids(user, today)))
    return startups


# --- Filters ------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class DashboardFilters:
    scope: str = SCOPE_NETWORK
    incubator: int | None = None
    phase: str | None = None  # a PhaseName value, NO_PHASE, or None for every phase
    coach: int | None = None
    sponsor: int | None = None
    theme: int | None = None
    watch: bool = False  # "à surveiller" only: at least one alert
    rgaa_non_conforme: bool = False  # past investigation and « non conforme » to the RGAA only
    sort: str = "startup"


@functools.lru_cache(maxsize=4)
def watch_condition(today: datetime.date) -> Q:
    """A startup is "à surveiller" when at least one alert rule holds (built once a day: every query
    that uses it resolves its own copy)."""
    return reduce(or_, (r.condition(today) for r in RULES))


def _fresh_flags(today: datetime.date) -> None:
    """Today's alert flags for every startup (portfolio.watch), before a query reads them."""
    from . import watch  # watch reads with_alert_flags from here

    watch.ensure_fresh(today)


def watched(today: datetime.date) -> Q:
    """The startups with at least one alert, read from the flags kept up to date (portfolio.watch) rather than by
    evaluating every rule on every startup."""
    _fresh_flags(today)
    return Q(watch_flags__alerts__gt=0)


def _stored_alert_count():
    return Coalesce(F("watch_flags__alerts"), Value(0))


def filtered_startups(
    *, user: User, filters: DashboardFilters, today: datetime.date, with_phase: bool = True
) -> QuerySet:
    """The startups of the scope that pass the filters, not yet annotated."""
    startups = startups_in_scope(user, filters.scope, today)
    if filters.incubator:
        startups = startups.filter(in_incubators([filters.incubator]))
    if filters.coach:
        coached = Membership.objects.current(today).with_role(MembershipRole.COACH).filter(user_id=filters.coach)
        startups = startups.filter(pk__in=coached.values("startup_id"))
    if filters.sponsor:
        startups = startups.filter(
            pk__in=StartupSponsor.objects.filter(organisation_id=filters.sponsor).values("startup_id")
        )
    if filters.theme:
        startups = startups.filter(pk__in=StartupTheme.objects.filter(theme_id=filters.theme).values("startup_id"))
    if filters.watch:
        startups = startups.filter(watched(today))
    if filters.rgaa_non_conforme:
        startups = startups.rgaa_non_conformes()
    if with_phase and filters.phase:
        startups = startups.filter(current_phase="" if filters.phase == NO_PHASE else filters.phase)
    return startups


# --- Dashboard rows -----------------------------------------------------------------------------
def _last_decisions():
    return Decision.objects.filter(startup=OuterRef("pk")).order_by("-date", "-pk")


def _next_planned_review(today):
    return (
        Review.objects.filter(startup=OuterRef("pk"), session__status=SessionStatus.PLANNED, date__gte=today)
        .order_by("date")
        .values("date")[:1]
    )


def _recent_interviews(today):
    window_start = today - datetime.timedelta(days=INTERVIEWS_WINDOW_DAYS)
    return Interview.objects.filter(investigation__startup=OuterRef("pk"), date__gt=window_start, date__lte=today)


def with_alert_flags(startups: QuerySet, today: datetime.date, *, few: bool = False) -> QuerySet:
    """One boolean column per alert rule; `few` when the rows are a page or a single startup."""
    return startups.annotate(
        **{r.annotation: ExpressionWrapper(r.for_rows(today, few=few), output_field=BooleanField()) for r in RULES}
    )


def with_dashboard_columns(
    startups: QuerySet, today: datetime.date, *, few: bool = False, stored_alerts: bool = False
) -> QuerySet:
    """The columns of the dashboard table, each a subquery evaluated by the database; the alerts evaluated for
    these rows, or, `stored_alerts`, read from the flags kept up to date (portfolio.watch: the whole portfolio)."""
    # Several values from one subquery, as a JSON object: fewer subqueries to plan and run.
    last_decision = _last_decisions().values(
        json=JSONObject(date="date", outcome="outcome", next_committee_on="next_committee_on")
    )[:1]
    conditions = (
        Condition.objects.filter(decision__startup=OuterRef("pk"), status=ConditionStatus.OPEN)
        .order_by()
        .values("decision__startup")
        .values(json=JSONObject(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today))))
    )
    columns = (
        startups.select_related("incubator")
        .only("slug", "name", "current_phase", "current_phase_start", "incubator__title")
        .annotate(
            last_decision=Subquery(last_decision, output_field=JSONField()),
            next_planned_review_on=Subquery(_next_planned_review(today)),
            conditions=Subquery(conditions, output_field=JSONField()),
            recent_interviews=SubqueryCount(_recent_interviews(today).values("pk")),
            **north_star_annotations(),
        )
    )
    if stored_alerts:
        _fresh_flags(today)
        return columns.annotate(alert_codes=Coalesce(F("watch_flags__codes"), Value("")))
    return with_alert_flags(columns, today, few=few)


def _unpack_columns(startup: Startup) -> None:
    """Spread the JSON objects of `with_dashboard_columns` into attributes."""
    last = startup.last_decision or {}
    startup.last_decision_date = _as_date(last.get("date"))
    startup.last_decision_outcome = last.get("outcome") or ""
    startup.last_decision_next_committee_on = _as_date(last.get("next_committee_on"))
    conditions = startup.conditions or {}
    startup.open_conditions = conditions.get("open") or 0
    startup.overdue_conditions = conditions.get("overdue") or 0


def _as_date(value) -> datetime.date | None:
    return datetime.date.fromisoformat(value[:10]) if value else None


# In the order of the table's columns: the alerts next to the startup, both kept in view when it scrolls.
SORTS = {
    "startup": _("Startup"),
    "alertes": _("Alertes"),
    "incubateur": _("Incubateur"),
    "phase": _("Phase"),
    "duree": _("Temps dans la phase"),
    "dernier_comite": _("Dernier comité"),
    "prochain_comite": _("Prochain comité"),
    "conditions": _("Conditions ouvertes"),
    "echues": _("Conditions échues"),
    "entretiens": _("Entretiens (30 j)"),
    "cout_impact": _("Coût par unité d'impact"),
}


def _phase_rank():
    return Case(
        *(When(current_phase=name, then=Value(rank)) for name, rank in LIFECYCLE_RANK.items()),
        default=Value(len(LIFECYCLE_RANK)),
        output_field=IntegerField(),
    )


def _sort_expression(startups: QuerySet, sort: str, today: datetime.date) -> tuple[QuerySet, object]:
    """The queryset (with only what the sort needs annotated) and its ORDER BY, ties broken by name."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        key, descending = "startup", False
    last_decision = Subquery(_last_decisions().values("date")[:1])
    if key == "startup":
        expression = F("name")
    elif key == "incubateur":
        expression = F("incubator__title")
    elif key == "phase":
        startups = startups.annotate(phase_rank=_phase_rank())
        expression = F("phase_rank")
    elif key == "duree":
        # More time in the phase is an earlier start: reverse the direction.
        expression = F("current_phase_start")
        descending = not descending
    elif key == "dernier_comite":
        startups = startups.annotate(sort_last_decision=last_decision)
        expression = F("sort_last_decision")
    elif key == "prochain_comite":
        startups = startups.annotate(
            sort_next_committee=Coalesce(
                Subquery(_next_planned_review(today)),
                Subquery(_last_decisions().values("next_committee_on")[:1]),
            )
        )
        expression = F("sort_next_committee")
    elif key in ("conditions", "echues"):
        conditions = Condition.objects.filter(decision__startup=OuterRef("pk"), status=ConditionStatus.OPEN)
        if key == "echues":
            conditions = conditions.filter(due_on__lt=today)
        startups = startups.annotate(sort_conditions=SubqueryCount(conditions.values("pk")))
        expression = F("sort_conditions")
    elif key == "entretiens":
        startups = startups.annotate(sort_interviews=SubqueryCount(_recent_interviews(today).values("pk")))
        expression = F("sort_interviews")
    elif key == "cout_impact":
        # The North Star's cumulated cost per unit; startups where it is undefined come last.
        startups = startups.annotate(**north_star_annotations()).annotate(sort_cost=north_star_cost_expression())
        expression = F("sort_cost")
    else:
        _fresh_flags(today)
        startups = startups.annotate(sort_alerts=_stored_alert_count())
        expression = F("sort_alerts")
    # Empty cells (no phase, no committee…) always come last.
    ordering = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    return startups, [ordering, "name", "pk"]


def ordered_startups(*, user: User, filters: DashboardFilters, today: datetime.date) -> QuerySet:
    """The filtered startups in the order of the table, annotated only with the sort key."""
    startups, ordering = _sort_expression(
        filtered_startups(user=user, filters=filters, today=today), filters.sort, today
    )
    return startups.order_by(*ordering)


def dashboard_rows(*, user: User, filters: DashboardFilters, today: datetime.date) -> QuerySet:
    """Every filtered row with its columns, sorted: what the CSV export writes, in one query."""
    startups, ordering = _sort_expression(
        with_dashboard_columns(filtered_startups(user=user, filters=filters, today=today), today, stored_alerts=True),
        filters.sort,
        today,
    )
    return startups.order_by(*ordering)


@functools.lru_cache(maxsize=4)
def _all_with_columns(today: datetime.date) -> QuerySet:
    """Building the subqueries costs more than running them for fifty rows: build them once a day per process;
    each page filters a clone. The alerts are read from the flags kept up to date (portfolio.watch), like the
    watch list and the export, rather than evaluated again for each row."""
    return with_dashboard_columns(Startup.objects.all(), today, few=True, stored_alerts=True)


def dashboard_page(ids: list[int], today: datetime.date) -> list[Startup]:
    """The columns of one page of rows, in the order of `ids`: the page is read in two queries
    (its ids in table order, then their columns) so that the database computes the subqueries for
    the fifty rows shown only, with index lookups, instead of for the whole portfolio."""
    _fresh_flags(today)  # the queryset is built once a day: the flags' freshness is checked per page
    rows = {s.pk: s for s in _all_with_columns(today).filter(pk__in=ids)}
    # Once per page rather than once per cell: the translated alert texts and the timeline link.
    alerts = {r.code: Alert(code=r.code, label=str(r.label), explanation=str(r.explanation)) for r in RULES}
    timeline = reverse("dashboard:timeline", kwargs={"slug": "-slug-"})
    page = []
    for pk in ids:
        if pk in rows:
            startup = decorate_row(rows[pk], today)
            startup.alerts = [alerts[r.code] for r in startup.alerts]
            startup.timeline_url = timeline.replace("-slug-", quote(startup.slug, safe=URL_SAFE))
            page.append(startup)
    return page


# --- "À surveiller": the startups with alerts, first on the dashboard, with what resolves each alert ---
WATCH_LIMIT = 10


@dataclasses.dataclass(frozen=True)
class WatchRefs:
    """What the links resolving a startup's alerts point to, read with the watch list."""

    pk: int
    investigation: int | None  # the investigation in progress
    review: int | None  # the next planned passage in committee
    decision: int | None  # the decision carrying the oldest overdue condition


def watch_list(*, user: User, filters: DashboardFilters, today: datetime.date, limit: int = WATCH_LIMIT):
    """(how many filtered startups raise at least one alert, the first `limit` of them), the most alerts
    first, then by name; one query whatever the portfolio (the total is a window count over the rows)."""
    startups = filtered_startups(user=user, filters=filters, today=today).filter(watched(today))
    open_investigation = Investigation.objects.open().filter(startup=OuterRef("pk")).order_by("-started_on")
    planned = Review.objects.filter(
        startup=OuterRef("pk"), session__status=SessionStatus.PLANNED, date__gte=today
    ).order_by("date", "pk")
    overdue = Condition.objects.filter(
        decision__startup=OuterRef("pk"), status=ConditionStatus.OPEN, due_on__lt=today
    ).order_by("due_on", "pk")
    rows = list(
        startups.annotate(
            watch_total=Window(Count("*")),
            watch_alerts=_stored_alert_count(),
            watch_investigation=Subquery(open_investigation.values("pk")[:1]),
            watch_review=Subquery(planned.values("pk")[:1]),
            watch_decision=Subquery(overdue.values("decision_id")[:1]),
        )
        .order_by("-watch_alerts", "name", "pk")
        .values_list("pk", "watch_total", "watch_investigation", "watch_review", "watch_decision")[:limit]
    )
    total = rows[0][1] if rows else 0
    return total, [WatchRefs(pk, investigation, review, decision) for pk, _t, investigation, review, decision in rows]


def alert_actions(startup: Startup, refs: WatchRefs) -> list[dict]:
    """Each alert of a decorated row (`dashboard_page`) in words, with the link that resolves it."""
    actions = []
    for alert in startup.alerts:
        url, text = _alert_action(alert.code, startup, refs)
        actions.append({"label": alert.label, "explanation": alert.explanation, "url": url, "action": text})
    return actions


def _alert_action(code: str, startup: Startup, refs: WatchRefs) -> tuple[str, str]:
    if code == "investigation_overdue" and refs.investigation:
        return reverse("investigations:detail", kwargs={"pk": refs.investigation}), gettext(
            "Conclure ou prolonger l'investigation"
        )
    if code == "no_recent_interview" and refs.investigation:
        return reverse("investigations:interview_new", kwargs={"pk": refs.investigation}), gettext(
            "Saisir un entretien"
        )
    if code in ("committee_overdue", "budget_ending"):
        if refs.review:
            return reverse("committees:review_request", kwargs={"pk": refs.review}), gettext(
                "Préparer la demande de passage en comité"
            )
        return reverse("committees:session_list"), gettext("Inscrire la startup à une séance de comité")
    if code == "condition_overdue" and refs.decision:
        return reverse("committees:decision_detail", kwargs={"pk": refs.decision}), gettext(
            "Voir la condition échue et sa décision"
        )
    if code == "intrapreneur_low_share":
        return reverse("products:team", kwargs={"slug": startup.slug}), gettext("Revoir l'équipe")
    return reverse("products:startup_detail", kwargs={"slug": startup.slug}), gettext("Mettre la fiche à jour")


def time_in_phase_text(days: int, start: datetime.date) -> str:
    if days < 0:
        return gettext("à partir du %(date)s") % {"date": short_date(start)}
    return humanize_days(days)


def decorate_row(startup: Startup, today: datetime.date) -> Startup:
    """Values computed from the annotations, for the template and the CSV (formatted in Python:
    fifty rows of template tags would cost more than the query)."""
    _unpack_columns(startup)
    startup.phase_label = PhaseName(startup.current_phase).label if startup.current_phase else gettext("Sans phase")
    if startup.current_phase_start:
        startup.days_in_phase = (today - startup.current_phase_start).days
        startup.time_in_phase = time_in_phase_text(startup.days_in_phase, startup.current_phase_start)
        startup.phase_since = gettext("depuis le %(date)s") % {"date": short_date(startup.current_phase_start)}
    else:
        startup.days_in_phase = None
    startup.last_decision_outcome_label = (
        Outcome(startup.last_decision_outcome).label if startup.last_decision_outcome else ""
    )
    if startup.last_decision_date:
        startup.last_decision_text = short_date(startup.last_decision_date)
    if startup.next_planned_review_on:
        startup.next_committee_on, startup.next_committee_planned = startup.next_planned_review_on, True
        startup.next_committee_source = gettext("planifié")
    else:
        startup.next_committee_on, startup.next_committee_planned = startup.last_decision_next_committee_on, False
        late = bool(startup.next_committee_on and startup.next_committee_on < today)
        startup.next_committee_source = gettext("annoncé, dépassé") if late else gettext("annoncé par la décision")
    if startup.next_committee_on:
        startup.next_committee_text = short_date(startup.next_committee_on)
    _north_star_cost(startup)
    if hasattr(startup, "alert_codes"):  # stored flags (portfolio.watch)
        raised = set(startup.alert_codes.split(","))
        startup.alerts = [r for r in RULES if r.code in raised]
    else:
        startup.alerts = [r for r in RULES if getattr(startup, r.annotation)]
    return startup


def _north_star_cost(startup: Startup) -> None:
    """`north_star_cost` (products.impact.Cost, None without a North Star) and its text for the table."""
    if not startup.ns_kind:
        startup.north_star_cost, startup.north_star_cost_text = None, ""
        return
    cost = cumulated_cost(
        kind=startup.ns_kind,
        direction=startup.ns_direction,
        count=startup.ns_count,
        first=startup.ns_first,
        last=startup.ns_last,
        total=startup.ns_total,
        spent=startup.ns_spent,
    )
    startup.north_star_cost = cost
    if cost.value is None:
        startup.north_star_cost_text = gettext("non défini : %(reason)s") % {"reason": cost.reason_label}
    else:
        startup.north_star_cost_text = gettext("%(value)s € par %(unit)s") % {
            "value": number_format(cost.value, 2, force_grouping=True),
            "unit": startup.ns_unit,
        }


@dataclasses.dataclass(frozen=True)
class PhaseCard:
    phase: str
    label: str
    count: int


def phase_cards(*, user: User, filters: DashboardFilters, today: datetime.date) -> list[PhaseCard]:
    """Counts by current phase of the filtered startups, every phase filter aside (one query)."""
    startups = filtered_startups(user=user, filters=filters, today=today, with_phase=False)
    # COUNT(*) rather than COUNT(id): PostgreSQL then counts from the index on current_phase alone.
    counts = dict(startups.order_by().values_list("current_phase").annotate(n=Count("*")))
    cards = [PhaseCard(name, str(PhaseName(name).label), counts.get(name, 0)) for name in LIFECYCLE_ORDER]
    if counts.get(""):
        cards.append(PhaseCard(NO_PHASE, gettext("Sans phase"), counts[""]))
    return cards


def startup_alerts(startup: Startup, today: datetime.date | None = None) -> list[Alert]:
    """The alerts raised on one startup, each with the doctrine in words and what raised it."""
    today = today or timezone.localdate()

    def compute():
        from . import watch  # watch reads with_alert_flags from here

        # The flags kept up to date for every write (portfolio.watch), rather than the rules evaluated again.
        codes = watch.codes_of(startup.pk, today)
        return [
            Alert(code=r.code, label=str(r.label), explanation=str(r.explanation), detail=r.detail(startup, today))
            for r in RULES
            if r.code in codes
        ]

    # Cached until any of the startup's rows changes, or the day (core.versions).
    return versions.cached("alerts", compute, startup=startup.pk, vary=[today])


# --- Network view -------------------------------------------------------------------------------
REACHED_GROUPS = {
    "construction": {
        PhaseName.CONSTRUCTION,
        PhaseName.ACCELERATION,
        PhaseName.CONSOLIDATION,
        PhaseName.TRANSFERE,
        PhaseName.OPERE,
    },
    "acceleration": {PhaseName.ACCELERATION, PhaseName.CONSOLIDATION, PhaseName.TRANSFERE, PhaseName.OPERE},
    "consolidation": {PhaseName.CONSOLIDATION, PhaseName.TRANSFERE, PhaseName.OPERE},
}
STOPPED_PHASES = {PhaseName.ABANDON, PhaseName.ABANDON_INVESTIGATION, PhaseName.ALUMNI}


def phase_histories(incubator: Incubator | None = None) -> dict[int, list[tuple[str, datetime.date, datetime.date]]]:
    """Every startup's phases in lifecycle order, from one query: {startup_id: [(name, start, end)]}."""
    phases = Phase.objects.order_by("startup_id", "start", "rank")
    if incubator is not None:
        phases = phases.filter(startup__in=Startup.objects.filter(in_incubators([incubator.pk])).values("pk"))
    histories = defaultdict(list)
    for startup_id, name, start, end in phases.values_list("startup_id", "name", "start", "end"):
        histories[startup_id].append((name, start, end))
    return histories


@dataclasses.dataclass
class Share:
    count: int
    total: int

    @property
    def percent(self) -> float:
        return 100 * self.count / self.total if self.total else 0.0


@dataclasses.dataclass
class CohortRow:
    year: int
    startups: int
    construction: Share
    acceleration: Share
    consolidation: Share
    stopped: Share
    ongoing: Share


def cohorts(histories) -> tuple[list[CohortRow], int]:
    """Per year the investigation phase started: how many startups, and the share that reached at
    least construction, acceleration, consolidation/transféré/opéré; the share that stopped (last phase
    abandon, abandon-investigation or alumni) and the share still in an active phase.
    Returns the rows and the number of startups left out because they had no investigation phase."""
    by_year = defaultdict(Counter)
    without_investigation = 0
    for phases in histories.values():
        starts = [start for name, start, _end in phases if name == PhaseName.INVESTIGATION]
        if not starts:
            without_investigation += 1
            continue
        counter = by_year[starts[0].year]
        counter["startups"] += 1
        names = {name for name, _start, _end in phases}
        for group, members in REACHED_GROUPS.items():
            if names & members:
                counter[group] += 1
        last = phases[-1][0]
        if last in STOPPED_PHASES:
            counter["stopped"] += 1
        elif last in ACTIVE_PHASES:
            counter["ongoing"] += 1
    rows = []
    for year in sorted(by_year):
        c = by_year[year]
        n = c["startups"]
        rows.append(
            CohortRow(
                year=year,
                startups=n,
                construction=Share(c["construction"], n),
                acceleration=Share(c["acceleration"], n),
                consolidation=Share(c["consolidation"], n),
                stopped=Share(c["stopped"], n),
                ongoing=Share(c["ongoing"], n),
            )
        )
    return rows, without_investigation


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (PostgreSQL's percentile_cont)."""
    if not sorted_values:
        raise ValueError("no values")
    position = (len(sorted_values) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


DAYS_PER_MONTH = 365.25 / 12


@dataclasses.dataclass
class DurationRow:
    phase: str
    label: str
    closed: int  # phases with an end and lasting at least a day: the distribution below
    zero_day: int  # closed phases of zero days, left out
    p10: float | None
    q1: float | None
    median: float | None
    q3: float | None
    p90: float | None
    ongoing: int  # still open today
    ongoing_median: float | None  # how long the open ones have lasted so far

    @property
    def median_months(self):
        return self.median / DAYS_PER_MONTH if self.median is not None else None


def phase_durations(histories, today: datetime.date) -> list[DurationRow]:
    """Time spent in each active phase, in days. The distribution counts finished phases only
    (an open phase's length is not known yet: counting it up to today would shorten the long ones),
    and leaves out zero-day phases (two phases started the same day: the first one never really
    happened). Open phases are counted aside, with how long they have lasted so far."""
    closed = defaultdict(list)
    zero = Counter()
    ongoing = defaultdict(list)
    for phases in histories.values():
        for name, start, end in phases:
            if end is None:
                ongoing[name].append((today - start).days)
            elif end == start:
                zero[name] += 1
            else:
                closed[name].append((end - start).days)
    rows = []
    for name in ACTIVE_PHASES:
        values = sorted(closed[name])
        running = sorted(ongoing[name])
        stats = [percentile(values, f) for f in (0.1, 0.25, 0.5, 0.75, 0.9)] if values else [None] * 5
        rows.append(
            DurationRow(
                phase=name,
                label=PhaseName(name).label,
                closed=len(values),
                zero_day=zero[name],
                p10=stats[0],
                q1=stats[1],
                median=stats[2],
                q3=stats[3],
                p90=stats[4],
                ongoing=len(running),
                ongoing_median=percentile(running, 0.5) if running else None,
            )
        )
    return rows


@dataclasses.dataclass
class QuarterRow:
    year: int
    quarter: int
    sessions: int
    outcomes: dict[str, int]

    @property
    def label(self) -> str:
        """ "T1 2026" ("Q1 2026" in English): the year is never written with a thousands separator."""
        return gettext("T%(quarter)d %(year)d") % {"quarter": self.quarter, "year": self.year}

    @property
    def short_label(self) -> str:
        """ "T1" ("Q1" in English), under a bar of a chart too narrow for the year."""
        return gettext("T%(quarter)d") % {"quarter": self.quarter}

    @property
    def decisions(self) -> int:
        return sum(self.outcomes.values())

    @property
    def outcome_counts(self) -> list[int]:
        return [self.outcomes[o.value] for o in Outcome]


def committees_by_quarter(today: datetime.date, incubator: Incubator | None = None) -> list[QuarterRow]:
    """Decisions taken per quarter and outcome, and sessions held, up to today (two queries)."""
    decisions = Decision.objects.filter(date__lte=today)
    sessions = CommitteeSession.objects.filter(date__lte=today).exclude(status=SessionStatus.PLANNED)
    if incubator is not None:
        decisions = decisions.filter(startup__in=Startup.objects.filter(in_incubators([incubator.pk])).values("pk"))
        sessions = sessions.filter(incubator=incubator)
    by_quarter = defaultdict(Counter)
    rows = (
        decisions.annotate(year=ExtractYear("date"), quarter=ExtractQuarter("date"))
        .order_by()
        .values_list("year", "quarter", "outcome")
        .annotate(n=Count("pk"))
    )
    for year, quarter, outcome, n in rows:
        by_quarter[(year, quarter)][outcome] += n
    held = {
        (year, quarter): n
        for year, quarter, n in sessions.annotate(year=ExtractYear("date"), quarter=ExtractQuarter("date"))
        .order_by()
        .values_list("year", "quarter")
        .annotate(n=Count("pk"))
    }
    keys = set(by_quarter) | set(held)
    if not keys:
        return []
    first, last = min(keys), max(keys)
    result = []
    year, quarter = first
    while (year, quarter) <= last:
        counts = by_quarter.get((year, quarter), Counter())
        result.append(
            QuarterRow(
                year=year,
                quarter=quarter,
                sessions=held.get((year, quarter), 0),
                outcomes={o.value: counts.get(o.value, 0) for o in Outcome},
            )
        )
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return result


# --- Money: budget granted per quarter, granted and spent per incubator (issue 15) ---------------
def _quarters(found: dict) -> list[tuple[int, int]]:
    if not found:
        return []
    (year, quarter), last = min(found), max(found)
    keys = []
    while (year, quarter) <= last:
        keys.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return keys


def budget_by_quarter(today: datetime.date, incubator: Incubator | None = None) -> list[QuarterRow]:
    """Euros granted by the decisions of each quarter, by outcome (`outcomes` holds euros here; one query)."""
    decisions = Decision.objects.filter(date__lte=today, budget_eur__isnull=False)
    if incubator is not None:
        decisions = decisions.filter(startup__in=Startup.objects.filter(in_incubators([incubator.pk])).values("pk"))
    found = defaultdict(Counter)
    for year, quarter, outcome, total in (
        decisions.annotate(year=ExtractYear("date"), quarter=ExtractQuarter("date"))
        .order_by()
        .values_list("year", "quarter", "outcome")
        .annotate(total=Sum("budget_eur"))
    ):
        found[(year, quarter)][outcome] += total
    return [
        QuarterRow(
            year=year, quarter=quarter, sessions=0, outcomes={o.value: found[(year, quarter)][o.value] for o in Outcome}
        )
        for year, quarter in _quarters(found)
    ]


@dataclasses.dataclass
class IncubatorMoney:
    incubator: Incubator
    granted_eur: int
    spent_eur: Decimal


def money_by_incubator(incubator: Incubator | None = None) -> list[IncubatorMoney]:
    """Granted (decisions and FAST) and spent (declared) per main incubator of the startups (three queries)."""
    startups = Startup.objects.all() if incubator is None else Startup.objects.filter(incubator=incubator)
    granted, spent = Counter(), defaultdict(Decimal)
    for incubator_id, total in (
        Decision.objects.filter(startup__in=startups.values("pk"), budget_eur__isnull=False)
        .order_by()
        .values_list("startup__incubator_id")
        .annotate(total=Sum("budget_eur"))
    ):
        granted[incubator_id] += total
    for incubator_id, fast in startups.filter(fast__isnull=False).values_list("incubator_id", "fast"):
        granted[incubator_id] += (fast or {}).get("montant") or 0
    for incubator_id, total in (
        Spending.objects.filter(startup__in=startups.values("pk"))
        .order_by()
        .values_list("startup__incubator_id")
        .annotate(total=Sum("amount_eur"))
    ):
        spent[incubator_id] += total
    incubators = Incubator.objects.filter(pk__in=set(granted) | set(spent)).order_by("title")
    return [IncubatorMoney(i, granted[i.pk], spent[i.pk]) for i in incubators]


def network_figures(incubator: Incubator | None, today: datetime.date) -> dict:
    """Everything the network view shows, for the whole network or one incubator; `computed_at` says when (the view
    keeps the page's figures in the cache: portfolio.views.network)."""
    from . import charts  # charts reads this module's constants

    histories = phase_histories(incubator)
    cohort_rows, without_investigation = cohorts(histories)
    durations = phase_durations(histories, today)
    quarters = committees_by_quarter(today, incubator)
    budgets = budget_by_quarter(today, incubator)
    return {
        "startup_count": len(histories),
        "cohorts": cohort_rows,
        "without_investigation": without_investigation,
        "durations": durations,
        "quarters": quarters,
        "cohort_chart": charts.cohort_chart(cohort_rows),
        "duration_chart": charts.duration_chart(durations),
        "quarter_chart": charts.quarter_chart(quarters),
        "budgets": budgets,
        "budget_chart": charts.budget_chart(budgets),
        "money": money_by_incubator(incubator),
        "investigation": durations[0],
        "computed_at": timezone.now(),
    }


# --- Startup timeline ---------------------------------------------------------------------------
@dataclasses.dataclass
class TimelineEntry:
    date: datetime.date
    kind: str  # phase, investigation, ritual, review, event
    order: int
    item: object


TIMELINE_ORDER = {"phase": 0, "investigation": 1, "ritual": 2, "review": 3, "event": 4}


@dataclasses.dataclass
class WeekCount:
    week: datetime.date
    count: int


def startup_timeline(startup: Startup, *, with_synthesis: bool, today: datetime.date) -> list[TimelineEntry]:
    """Phases, investigations and their rituals, committee reviews and events of a startup in date order.
    Decisions, conditions, ritual notes and interview counts only `with_synthesis`
    (products.perms.can_view_synthesis)."""
    entries = []
    for phase in startup.phases.select_related("source_import", "set_by").order_by("start", "rank"):
        entries.append(TimelineEntry(phase.start, "phase", TIMELINE_ORDER["phase"], phase))
    investigations = list(
        Investigation.objects.filter(startup=startup)
        .select_related("source_import", "set_by")
        .order_by("started_on", "pk")
    )
    if with_synthesis:
        per_week = defaultdict(dict)
        rows = (
            Interview.objects.filter(investigation__startup=startup)
            .annotate(week=TruncWeek("date"))
            .order_by()
            .values_list("investigation_id", "week")
            .annotate(n=Count("pk"))
        )
        for investigation_id, week, n in rows:
            if isinstance(week, datetime.datetime):
                week = week.date()
            per_week[investigation_id][week] = n
        for investigation in investigations:
            investigation.weeks = [
                WeekCount(monday, n)
                for monday, n in interview_weeks(investigation, per_week.get(investigation.pk, {}), today)
            ]
            investigation.interview_count = sum(w.count for w in investigation.weeks)
            investigation.max_week = max((w.count for w in investigation.weeks), default=0)
    for investigation in investigations:
        entries.append(
            TimelineEntry(investigation.started_on, "investigation", TIMELINE_ORDER["investigation"], investigation)
        )
    for ritual in InvestigationRitual.objects.filter(investigation__startup=startup).order_by("date", "pk"):
        entries.append(TimelineEntry(ritual.date, "ritual", TIMELINE_ORDER["ritual"], ritual))
    reviews = Review.objects.filter(startup=startup).select_related(
        "session", "session__incubator", "source_import", "set_by"
    )
    if with_synthesis:
        reviews = reviews.select_related("decision").prefetch_related("decision__conditions")
    for review in reviews.order_by("date", "position", "pk"):
        if with_synthesis:
            review.the_decision = getattr(review, "decision", None)
        entries.append(TimelineEntry(review.date, "review", TIMELINE_ORDER["review"], review))
    for event in startup.events.select_related("source_import", "set_by").order_by("date", "pk"):
        entries.append(TimelineEntry(event.date, "event", TIMELINE_ORDER["event"], event))
    entries.sort(key=lambda e: (e.date, e.order))
    return entries


def startup_alerts_panel(user, startup: Startup) -> dict | None:
    """The alerts section of the startup page, for those who read the startup's follow-up."""
    if not can_view_synthesis(user, startup):
        return None
    return {
        "template": "dashboard/includes/startup_alerts_section.html",
        "startup": startup,
        "alerts": startup_alerts(startup),
    }
