"""Reads for the committee pages: the agenda, the review pack, the relevé de décisions, the decision's
history, the conditions tracker and the panel on the startup page. Each in a fixed number of queries."""

import datetime

from django.db.models import Case, Count, Prefetch, Q, Value, When
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core import versions
from core.durations import short_date
from investigations.enums import HypothesisStatus, Intensity
from investigations.models import Insight, Investigation, Quote
from investigations.synthesis import investigation_synthesis
from products import perms as product_perms
from products.enums import PhaseName
from products.models import Incubator, Membership, Startup, User

from . import checklist, perms
from .commitments import review_commitments
from .enums import Outcome, PostMortemKind
from .models import Amendment, CommitteeSession, Condition, Decision, PostMortem, Review, ReviewDocument
from .services import AMENDABLE_FIELDS

PANEL_TEMPLATE = "committees/includes/startup_panel.html"


# --- Who may sit on a committee ------------------------------------------------------------------
def committee_member_candidates(incubators):
    """The people a session of one of `incubators` may seat: their staff, the people holding a current role
    on one of their startups (coaches, intrapreneurs, team members, sponsor contacts) and the people already
    seated on one of their sessions. Active accounts only; admins seat anyone else through the admin site."""
    if isinstance(incubators, Incubator):
        incubators = [incubators]
    startups = Startup.objects.filter(Q(incubator__in=incubators) | Q(co_incubators__in=incubators))
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(pk__in=Incubator.staff.through.objects.filter(incubator__in=incubators).values("user_id"))
            | Q(pk__in=Membership.objects.current().filter(startup__in=startups).values("user_id"))
            | Q(
                pk__in=CommitteeSession.members.through.objects.filter(
                    committeesession__incubator__in=incubators
                ).values("user_id")
            )
        )
        .order_by("full_name", "email")
    )


# --- Agenda and relevé ---------------------------------------------------------------------------
def session_agenda(session: CommitteeSession, user) -> list[Review]:
    """The agenda in order of passage; each review carries `decision_visible` (may `user` read its decision)."""
    reviews = list(
        session.reviews.select_related("startup", "decision", "decision__recorded_by").order_by("position", "pk")
    )
    if perms.can_prepare_session(user, session):
        visible = {review.startup_id for review in reviews}
    else:
        visible = perms.visible_startup_ids_among(user, [review.startup_id for review in reviews])
    for review in reviews:
        review.decision_visible = review.startup_id in visible
        review.decided = hasattr(review, "decision")
    return reviews


def session_decisions(session: CommitteeSession, user):
    """The decisions of the session that `user` may read, in agenda order (for the relevé)."""
    decisions = Decision.objects.filter(review__session=session)
    if not perms.can_prepare_session(user, session):
        decisions = decisions.filter(perms.decisions_visible_q(user))
    return decisions


def session_minutes(session: CommitteeSession, user) -> list[Decision]:
    """The session's decisions as its minutes show them, each with `the_post_mortem` (None without one)."""
    decisions = list(
        session_decisions(session, user)
        .select_related("startup", "review", "recorded_by", "phase", "post_mortem")
        .prefetch_related(
            Prefetch("conditions", queryset=Condition.objects.select_related("owner").order_by("due_on", "pk")),
            Prefetch("review__documents", queryset=ReviewDocument.objects.listed()),
        )
        .with_evidence_count()
        .annotate(amendment_count=Count("amendments", distinct=True))
        .order_by("review__position", "pk")
    )
    for decision in decisions:
        decision.the_post_mortem = getattr(decision, "post_mortem", None)
    return decisions


# --- Review pack ---------------------------------------------------------------------------------
def interviewee_name(interview) -> str:
    """The interviewee's pseudonym where consent allows it (given, and the interview not anonymised since)."""
    if interview.consent and interview.anonymised_at is None and interview.interviewee.strip():
        return interview.interviewee.strip()
    return str(_("personne anonyme"))


def interview_source(interview) -> str:
    """Where a piece of evidence comes from: who (pseudonym where consent allows), when, which target group."""
    parts = [interviewee_name(interview), _("entretien du %(date)s") % {"date": short_date(interview.date)}]
    if interview.target_group_id:
        parts.append(interview.target_group.name)
    return " — ".join(str(part) for part in parts)


def distinct_quotes(quotes) -> list:
    """`quotes` with the same text from the same interview kept once (the first), each given its `source`."""
    seen, kept = set(), []
    for quote in quotes:
        key = (quote.interview_id, " ".join(quote.text.split()).casefold())
        if key in seen:
            continue
        seen.add(key)
        quote.source = interview_source(quote.interview)
        kept.append(quote)
    return kept


def previous_decision(review: Review) -> Decision | None:
    """The startup's last decision before this review (imported history included)."""
    return (
        Decision.objects.filter(startup_id=review.startup_id, date__lte=review.date)
        .exclude(review=review)
        .select_related("review__session")
        .order_by("-date", "-pk")
        .first()
    )


def open_conditions_of(startup: Startup, *, excluding_review: Review | None = None):
    """Open conditions of a startup, carried from one review to the next until they are met or not."""
    conditions = Condition.objects.open().filter(decision__startup=startup)
    if excluding_review is not None:
        conditions = conditions.exclude(decision__review=excluding_review)
    return conditions.select_related("owner", "decision").order_by("due_on", "pk")


def _synthesis_rows(synthesis: dict) -> dict:
    levels = list(Intensity)
    return {
        "levels": levels,
        "by_intensity": [(level, synthesis["by_intensity"][str(level.value)]) for level in levels],
        "by_group": [
            (
                name or _("Sans groupe"),
                group["interviews"],
                [group["by_intensity"][str(level.value)] for level in levels],
            )
            for name, group in synthesis["by_target_group"].items()
        ],
        "tags": list(synthesis["tags"].items())[:10],
        "hypotheses": [(status, synthesis["hypotheses"].get(status.value, 0)) for status in HypothesisStatus],
        "no_problem_percent": round(synthesis["no_problem_share"] * 100),
    }


def review_pack(review: Review) -> dict:
    """Everything a committee member reads before the session about one startup on the agenda."""
    startup = (
        Startup.objects.select_related("incubator")
        .prefetch_related("sponsors", "co_incubators", "themes")
        .get(pk=review.startup_id)
    )
    team = list(
        Membership.objects.current(on=review.date if review.date <= timezone.localdate() else None)
        .filter(startup=startup)
        .select_related("user")
        .order_by("role", "user__full_name")
    )
    investigation = (
        Investigation.objects.filter(startup=startup, started_on__lte=review.date)
        .order_by("-started_on", "-pk")
        .first()
    )
    previous = previous_decision(review)
    commitments = review_commitments(review, startup, previous)
    pack = {
        "startup": startup,
        "team": team,
        "previous_decision": previous,
        "previous_conditions": (
            list(previous.conditions.select_related("owner", "resolved_by").order_by("due_on", "pk"))
            if previous is not None
            else []
        ),
        "open_conditions": list(open_conditions_of(startup, excluding_review=review)),
        "investigation": investigation,
        "commitments": commitments,
        "today": timezone.localdate(),
    }
    if investigation is not None:
        synthesis = investigation_synthesis(investigation)
        pack["synthesis"] = synthesis
        pack["synthesis_rows"] = _synthesis_rows(synthesis)
        pack["insights"] = list(
            investigation.insights.annotate(support=Count("interviews", distinct=True))
            .prefetch_related(
                Prefetch("quotes", queryset=Quote.objects.select_related("interview__target_group").order_by("pk"))
            )
            .order_by("-support", "pk")
        )
        for insight in pack["insights"]:
            insight.distinct_quotes = distinct_quotes(insight.quotes.all())
        pack["hypotheses"] = list(investigation.hypotheses.order_by("status", "pk"))
    pack["checklist"] = checklist.prefill(
        startup=startup,
        team=team,
        investigation=investigation,
        synthesis=pack.get("synthesis"),
        commitments=commitments,
    )
    return pack


# --- A decision and its history ------------------------------------------------------------------
def decision_evidence(decision: Decision) -> dict:
    """What the decision cites; `withdrawn_quotes` are the cited quotes whose consent was withdrawn since
    (their text is gone, the decision page says so)."""
    quotes = list(decision.cited_quotes.select_related("interview").order_by("pk"))
    return {
        "insights": list(decision.cited_insights.select_related("investigation").order_by("pk")),
        "quotes": quotes,
        "withdrawn_quotes": sorted((q for q in quotes if q.is_withdrawn), key=lambda q: q.withdrawn_at),
        "interviews": list(decision.cited_interviews.select_related("target_group").order_by("date", "pk")),
    }


FIELD_LABELS = {field: Decision._meta.get_field(field).verbose_name for field in AMENDABLE_FIELDS}


def _display(field: str, value) -> str:
    if value is None or value == "":
        return "—"
    if field == "outcome":
        return str(Outcome(value).label) if value in Outcome.values else value
    if field == "budget_eur":
        return f"{number_format(value, force_grouping=True)} €"
    if field in {"budget_period_start", "budget_period_end", "next_committee_on"}:
        day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
        return short_date(day)
    if field == "conditions":
        return " ; ".join(
            _("%(text)s (échéance %(due)s)")
            % {"text": c["text"], "due": short_date(datetime.date.fromisoformat(c["due_on"]))}
            for c in value
        )
    return str(value)


def decision_history(decision: Decision) -> dict:
    """The decision as first recorded, then every amendment with its reason, author and changes."""
    amendments = list(Amendment.objects.filter(decision=decision).select_related("author").order_by("created_at", "pk"))
    original = {field: getattr(decision, field) for field in AMENDABLE_FIELDS}
    for amendment in reversed(amendments):
        for field, change in amendment.changes.items():
            if field in original:
                original[field] = change["from"]
    return {
        "original": [(FIELD_LABELS[field], _display(field, value)) for field, value in original.items()],
        "amendments": [
            {
                "amendment": amendment,
                "changes": [
                    (
                        FIELD_LABELS.get(field, _("conditions ajoutées")),
                        _display(field, change["from"]),
                        _display(field, change["to"]),
                    )
                    for field, change in amendment.changes.items()
                ],
            }
            for amendment in amendments
        ],
    }


# --- Conditions tracker --------------------------------------------------------------------------
def overdue_conditions(user, on: datetime.date | None = None):
    """Open conditions past their due date across the portfolio `user` may see."""
    return (
        Condition.objects.overdue(on)
        .filter(perms.decisions_visible_q(user, prefix="decision__"))
        .select_related("owner", "decision__startup__incubator", "decision__review__session")
        .order_by("due_on", "pk")
    )


# --- The panel on the startup page ---------------------------------------------------------------
def startup_post_mortem(startup: Startup) -> PostMortem | None:
    """The post-mortem of the startup's ending: of its transfer if it has one, else of its latest stop. One query."""
    return (
        PostMortem.objects.filter(startup=startup)
        .select_related("decision")
        .order_by(
            Case(When(kind=PostMortemKind.TRANSFERT, then=Value(0)), default=Value(1)),
            "-decision__date",
            "-decision__pk",
        )
        .first()
    )


def post_mortem_panel(user, startup: Startup) -> dict | None:
    """The post-mortem of the startup's ending — of its transfer if it has one, else of its latest stop decision —
    for those who read its decisions; None for everybody else. While a transferred startup has none, its contributors
    get the panel with the button to write it (`can_record`). One query (the contributor check only when
    transferred)."""
    if not product_perms.can_view_synthesis(user, startup):
        return None
    # Cached until one of the startup's rows changes (core.versions).
    post_mortem = versions.cached("post-mortem", lambda: startup_post_mortem(startup), startup=startup.pk)
    transferred = startup.current_phase == PhaseName.TRANSFERE
    can_record = (transferred or (post_mortem is not None and post_mortem.decision_id is None)) and (
        perms.can_record_transfer_post_mortem(user, startup)
    )
    if post_mortem is None and not can_record:
        return None
    return {
        "template": "committees/includes/post_mortem_panel.html",
        "startup": startup,
        "post_mortem": post_mortem,
        "can_record": can_record,
    }


def startup_panel(user, startup: Startup) -> dict | None:
    """Past reviews and decisions (imported history included), upcoming reviews and open conditions of a
    startup, for those who read its decisions; None for everybody else. Include the template it names."""
    if not product_perms.can_view_synthesis(user, startup):
        return None
    today = timezone.localdate()

    def compute():
        reviews = list(
            Review.objects.filter(startup=startup)
            .select_related("session", "session__incubator", "decision", "decision__event")
            .order_by("-date", "-pk")
        )
        past = [review for review in reviews if hasattr(review, "decision")]
        upcoming = [
            review
            for review in reviews
            if not hasattr(review, "decision") and review.session is not None and not review.session.is_closed
        ]
        return {
            "past_reviews": past,
            "upcoming_reviews": list(reversed(upcoming)),
            "open_conditions": list(open_conditions_of(startup)),
        }

    # The same for everyone who may read it: cached until one of the startup's rows changes (core.versions).
    found = versions.cached("committee-panel", compute, startup=startup.pk, vary=[today])
    return {"template": PANEL_TEMPLATE, "startup": startup, "today": today, **found}


def insight_citations(insight: Insight, user) -> list[Decision]:
    """The decisions that cited an insight, for the insight page (readable ones only)."""
    return list(
        insight.citing_decisions.filter(perms.decisions_visible_q(user))
        .select_related("startup", "review__session")
        .order_by("-date", "pk")
    )
