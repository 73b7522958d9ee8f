"""Writes on committees: sessions and their agenda, the team's request, decisions and their effects,
conditions, amendments. Phase changes go through products.services.phase_advance (and phase_revert when an
amendment changes the outcome), investigations are concluded through investigations.services.investigation_conclude
(and investigation_conclusion_revert)."""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import versions
from core.durations import add_months, short_date
from core.history import with_history_user
from core.wording import quoted
from investigations.enums import InvestigationStatus
from investigations.models import Investigation
from investigations.services import investigation_conclude, investigation_conclusion_revert
from products.enums import LIFECYCLE_RANK, PhaseName
from products.models import Incubator, Phase, Startup, User
from products.services import event_take_over, indicator_target_set, phase_advance, phase_revert

from . import checklist, doctrine, documents, rules
from .commitments import next_period
from .enums import PHASE_EFFECTS, TERMINAL_OUTCOMES, ConditionStatus, Outcome, PostMortemKind, SessionKind
from .lifecycle import AMENDMENT_CHANGE_REASON, outcome_contradicts_phase
from .models import (
    DEFAULT_FIRST_SLOT_AT,
    SESSION_WORKFLOW,
    Amendment,
    CommitteeSession,
    Condition,
    Decision,
    PostMortem,
    Review,
    ReviewDocument,
)

MIN_SLOT_MINUTES = 5
MAX_SLOT_MINUTES = 240
AMENDABLE_FIELDS = (
    "outcome",
    "rationale",
    "budget_eur",
    "budget_period_start",
    "budget_period_end",
    "next_committee_on",
    "no_evidence_reason",
)
# How the member follows up an earlier open condition from the decision form (`condition_follow_ups`).
MET, NOT_MET, CARRIED_OVER = "met", "not_met", "carried_over"


class DecisionAlreadyRecorded(Exception):
    """A decision already exists for this review (two members clicked at once): here it is."""

    def __init__(self, decision: Decision):
        super().__init__(str(decision))
        self.decision = decision


def suggested_next_committee(*, outcome: str | None, on: datetime.date) -> datetime.date | None:
    """+6 months; +2 months after a provisional extension; nothing after a stop."""
    if outcome in TERMINAL_OUTCOMES:
        return None
    if outcome == Outcome.PROLONGATION_PROVISOIRE:
        return add_months(on, doctrine.PROVISIONAL_EXTENSION_MONTHS)
    return add_months(on, doctrine.CADENCE_MONTHS)


# --- Sessions and their agenda -------------------------------------------------------------------
def _lock_session(session: CommitteeSession) -> CommitteeSession:
    return CommitteeSession.objects.select_for_update(of=("self",)).select_related("incubator").get(pk=session.pk)


def _reschedule(session: CommitteeSession) -> None:
    """Slots follow one another from the first slot's time, in agenda order."""
    start = datetime.datetime.combine(session.date, session.first_slot_at)
    reviews = list(session.reviews.order_by("position", "pk"))
    for position, review in enumerate(reviews):
        review.position = position
        review.starts_at = start.time()
        review.date = session.date
        start += datetime.timedelta(minutes=review.duration_minutes)
    Review.objects.bulk_update(reviews, ["position", "starts_at", "date"])
    versions.touch(startups={review.startup_id for review in reviews})  # bulk: no model signal


@transaction.atomic
def session_create(
    *,
    incubator: Incubator,
    date: datetime.date,
    kind: str,
    by: User | None,
    members: Iterable[User] = (),
    first_slot_at: datetime.time = DEFAULT_FIRST_SLOT_AT,
) -> CommitteeSession:
    session = CommitteeSession(incubator=incubator, date=date, kind=kind, first_slot_at=first_slot_at)
    if kind not in SessionKind.values:
        raise ValidationError({"kind": _("Type de comité inconnu : %(kind)s.") % {"kind": kind}})
    session.full_clean()
    with_history_user(session, by).save()
    session.members.set(members)
    return session


@transaction.atomic
def session_update(
    *,
    session: CommitteeSession,
    by: User | None,
    date: datetime.date,
    kind: str,
    first_slot_at: datetime.time,
    members: Iterable[User] | None = None,
) -> CommitteeSession:
    """Change the date, kind and first slot; `members` (None: unchanged) is for those who compose it."""
    session = _lock_session(session)
    session.require("edit")
    if date != session.date and Decision.objects.filter(review__session=session).exists():
        raise ValidationError(
            {"date": _("Des décisions ont déjà été enregistrées pour cette séance : sa date ne peut plus changer.")}
        )
    session.date, session.kind, session.first_slot_at = date, kind, first_slot_at
    session.full_clean()
    with_history_user(session, by).save()
    if members is not None:
        session.members.set(members)
    _reschedule(session)
    return session


@transaction.atomic
def session_members_set(*, session: CommitteeSession, members: Iterable[User], by: User | None) -> CommitteeSession:
    """Seat `members` on the session (the caller checked `perms.can_compose_session` and offered only
    `selectors.committee_member_candidates`)."""
    session = _lock_session(session)
    session.require("edit")
    session.members.set(members)
    with_history_user(session, by).save()  # the session's history records who changed its members, and when
    return session


@transaction.atomic
def agenda_set(
    *, session: CommitteeSession, items: Sequence[tuple[Startup, int]], by: User | None = None
) -> list[Review]:
    """Set the agenda: startups in order of passage, each with its slot in minutes. A startup that stays
    keeps its review (and the team's request); one whose decision is recorded cannot be removed."""
    session = _lock_session(session)
    session.require("edit")
    seen: set[int] = set()
    incubator_startups = set(
        Startup.objects.of_incubator(session.incubator)
        .filter(pk__in=[startup.pk for startup, _minutes in items])
        .values_list("pk", flat=True)
    )
    for startup, minutes in items:
        if startup.pk in seen:
            raise ValidationError(_("« %(startup)s » figure deux fois à l'ordre du jour.") % {"startup": startup})
        seen.add(startup.pk)
        if startup.pk not in incubator_startups:
            raise ValidationError(
                _("« %(startup)s » n'est pas suivie par l'incubateur « %(incubator)s ».")
                % {"startup": startup, "incubator": session.incubator}
            )
        if not MIN_SLOT_MINUTES <= minutes <= MAX_SLOT_MINUTES:
            raise ValidationError(
                _("Le passage de « %(startup)s » doit durer entre %(min)d et %(max)d minutes.")
                % {"startup": startup, "min": MIN_SLOT_MINUTES, "max": MAX_SLOT_MINUTES}
            )
    existing = {review.startup_id: review for review in session.reviews.select_related("startup", "decision")}
    for startup_id, review in existing.items():
        if startup_id not in seen:
            if hasattr(review, "decision"):
                raise ValidationError(
                    _("La décision sur « %(startup)s » est enregistrée : elle ne peut plus quitter l'ordre du jour.")
                    % {"startup": review.startup}
                )
            with_history_user(review, by).delete()
    for position, (startup, minutes) in enumerate(items):
        review = existing.get(startup.pk) or Review(session=session, startup=startup, date=session.date)
        review.position = position
        review.duration_minutes = minutes
        review.full_clean()
        with_history_user(review, by).save()
    _reschedule(session)
    return list(session.reviews.order_by("position"))


@transaction.atomic
def session_hold(*, session: CommitteeSession, by: User | None = None) -> CommitteeSession:
    """Planned → held: the team's requests are locked from now on."""
    session = _lock_session(session)
    session.transition("hold")
    session.full_clean()
    with_history_user(session, by).save(update_fields=["status"])
    return session


@transaction.atomic
def session_close(*, session: CommitteeSession, by: User | None) -> CommitteeSession:
    """Close the session once every item on the agenda has its decision: its decisions become immutable."""
    session = _lock_session(session)
    session.require("close")
    reviews = list(session.reviews.select_related("startup").order_by("position"))
    if not reviews:
        raise ValidationError(_("L'ordre du jour est vide : il n'y a rien à clore."))
    missing = [review.startup.name for review in reviews if not Decision.objects.filter(review=review).exists()]
    if missing:
        raise ValidationError(
            _("La séance ne peut pas être close : décision manquante pour %(startups)s.")
            % {"startups": ", ".join(quoted(name) for name in missing)}
        )
    session.transition("close")
    session.closed_at = timezone.now()
    session.closed_by = by
    session.full_clean()
    session.save(update_fields=["status", "closed_at", "closed_by"])
    return session


# --- The team's request ----------------------------------------------------------------------------
@transaction.atomic
def review_request_update(
    *,
    review: Review,
    by: User | None,
    requested_team: str = "",
    requested_budget_eur: int | None = None,
    hypotheses_to_test: str = "",
    success_criteria: str = "",
    targets: dict | None = None,
) -> Review:
    """What the team asks for, entered before the session; locked once the session is held. `targets`:
    {indicator: value or None}, the success criteria for the next period as indicator targets (products'
    IndicatorTarget, from the review's date over the committee cadence); None removes a criterion."""
    review = Review.objects.select_for_update(of=("self",)).select_related("session").get(pk=review.pk)
    if review.session is None:
        raise ValidationError(_("Ce passage importé n'appartient à aucune séance : il n'y a pas de demande à saisir."))
    review.session.require("edit_request")
    review.requested_team = requested_team.strip()
    review.requested_budget_eur = requested_budget_eur
    review.hypotheses_to_test = hypotheses_to_test.strip()
    review.success_criteria = success_criteria.strip()
    review.request_updated_at = timezone.now()
    review.request_updated_by = by
    review.full_clean()
    review.save()
    start, end = next_period(review)
    for indicator, value in (targets or {}).items():
        if indicator.startup_id != review.startup_id:
            raise ValidationError(_("Cet indicateur n'est pas celui de la startup."))
        indicator_target_set(indicator=indicator, period_start=start, period_end=end, value=value, by=by)
    return review


# --- Documents of a review ------------------------------------------------------------------------
def _session_allows_documents(review: Review) -> None:
    if review.session is None:
        raise ValidationError(
            _("Ce passage importé n'appartient à aucune séance : on n'y joint pas de document."), code="imported"
        )
    review.session.require("documents")


@transaction.atomic
def document_attach(*, review: Review, file, title: str = "", by: User | None) -> ReviewDocument:
    """Attach `file` (an uploaded file) to `review`, while its session is not closed. Size and type are checked
    by committees.documents (extension and first bytes); the file is stored under a sanitised, prefixed name."""
    review = Review.objects.select_related("session").get(pk=review.pk)
    if review.session is not None:
        review.session = _lock_session(review.session)
    _session_allows_documents(review)
    name = documents.original_name(getattr(file, "name", "") or "")
    kind = documents.document_check(file, name)
    document = ReviewDocument(
        review=review,
        original_name=name,
        title=title.strip(),
        size=file.size,
        content_type=kind.content_type,
        uploaded_at=timezone.now(),
        uploaded_by=by,
    )
    file.seek(0)
    document.file.save(documents.stored_name(name), file, save=False)
    try:
        document.full_clean()
        with_history_user(document, by).save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def document_remove(*, document: ReviewDocument, by: User | None) -> None:
    """Remove a document from its review, while the session is not closed: the row, then (once the transaction is
    committed) the stored file. The history keeps who removed it and when."""
    document = ReviewDocument.objects.select_related("review__session").get(pk=document.pk)
    if document.review.session is not None:
        document.review.session = _lock_session(document.review.session)
    _session_allows_documents(document.review)
    storage, name = document.file.storage, document.file.name
    with_history_user(document, by).delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def decision_checklist_set(*, decision: Decision, by: User | None, answers: dict) -> Decision:
    """Keep the go / stop checklist with the decision: `answers` is {key: (answer, reason)} for each line of
    checklist.KEYS. An answer that differs from the pre-filled one is an override and needs a reason; the
    checklist changes like the decision itself (directly while the session is open)."""
    decision = Decision.objects.select_for_update(of=("self",)).select_related("review__session").get(pk=decision.pk)
    decision.require("update")
    lines = checklist.review_checklist(decision.review)
    errors, entries, now = {}, [], timezone.now()
    for line in lines:
        answer, reason = answers.get(line.key, (line.status, ""))
        reason = (reason or "").strip()
        if answer not in checklist.ANSWERS:
            errors[f"answer_{line.key}"] = _("Choisissez une réponse.")
            continue
        overridden = answer != line.status
        if overridden and not reason:
            errors[f"reason_{line.key}"] = _(
                "« %(label)s » : la réponse pré-remplie est « %(prefill)s » ; pour la changer, dites pourquoi."
            ) % {"label": line.label, "prefill": line.status_label}
            continue
        entries.append(
            {
                "key": line.key,
                "prefill": line.status,
                "detail": line.detail,
                "source": line.source,
                "source_url": line.source_url,
                "answer": answer,
                "overridden": overridden,
                "reason": reason,
                "by": str(by) if by else "",
                "at": now.isoformat(),
            }
        )
    if errors:
        raise ValidationError(errors)
    decision.checklist = entries
    with_history_user(decision, by)
    decision.save(update_fields=["checklist"])
    return decision


# --- Decisions -------------------------------------------------------------------------------------
def _unconcluded_investigation(startup: Startup) -> Investigation | None:
    return Investigation.objects.filter(startup=startup).unconcluded().order_by("-started_on", "-pk").first()


def _check_phase_effect(*, startup: Startup, outcome: str) -> None:
    target = PHASE_EFFECTS.get(outcome)
    if target is None:
        return
    label = Outcome(outcome).label
    target_label = PhaseName(target).label
    if startup.phases.filter(name=target).exists():
        raise ValidationError(
            {
                "outcome": _(
                    "« %(startup)s » a déjà eu une phase « %(phase)s » : la décision « %(outcome)s » ne peut pas "
                    "s'appliquer."
                )
                % {"startup": startup, "phase": target_label, "outcome": label}
            }
        )
    if startup.current_phase and LIFECYCLE_RANK[startup.current_phase] >= LIFECYCLE_RANK[target]:
        raise ValidationError(
            {
                "outcome": _(
                    "« %(startup)s » est en phase « %(current)s » : la décision « %(outcome)s » ne peut pas la "
                    "faire passer en « %(phase)s »."
                )
                % {
                    "startup": startup,
                    "current": startup.current_phase_label,
                    "outcome": label,
                    "phase": target_label,
                }
            }
        )


def _apply_phase_effect(*, decision: Decision, by: User | None) -> Phase | None:
    """Move the startup through the phase service on the decision date when the outcome implies it."""
    target = PHASE_EFFECTS.get(decision.outcome)
    if target is None:
        return None
    startup = Startup.objects.get(pk=decision.startup_id)
    _check_phase_effect(startup=startup, outcome=decision.outcome)
    comment = _("Décision du comité du %(date)s : %(outcome)s.") % {
        "date": short_date(decision.date),
        "outcome": decision.get_outcome_display(),
    }
    investigation = _unconcluded_investigation(startup)
    if decision.outcome == Outcome.PASSAGE_EN_CONSTRUCTION:
        phase = phase_advance(startup=startup, to=target, on=decision.date, by=by, comment=comment, by_decision=True)
        if investigation is not None:
            investigation_conclude(investigation=investigation, conclusive=True, on=decision.date, by=by)
        return phase
    if decision.outcome == Outcome.INVESTIGATION_NON_CONCLUANTE and investigation is not None:
        investigation_conclude(investigation=investigation, conclusive=False, on=decision.date, by=by)
        phase = startup.phases.get(name=target)
        if not phase.comment:
            phase.comment = comment
            phase.save(update_fields=["comment"])
        return phase
    phase = phase_advance(startup=startup, to=target, on=decision.date, by=by, comment=comment, by_decision=True)
    running = startup.investigations.open().first()
    if decision.outcome == Outcome.ARRET and running is not None:
        # A stopped startup investigates no more: the investigation in progress ends with the decision.
        investigation_conclude(investigation=running, conclusive=False, on=decision.date, by=by, move_phase=False)
    return phase


MOVED_ON_HINT = gettext_lazy(
    "Enregistrez la nouvelle décision lors d'un prochain comité, ou corrigez d'abord les phases de la startup."
)
# The conclusion a decision's phase effect gave the startup's investigation (see _apply_phase_effect).
CONCLUSION_OF = {
    Outcome.PASSAGE_EN_CONSTRUCTION: InvestigationStatus.CONCLUANTE,
    Outcome.INVESTIGATION_NON_CONCLUANTE: InvestigationStatus.NON_CONCLUANTE,
    Outcome.ARRET: InvestigationStatus.NON_CONCLUANTE,
}


def _concluded_by(decision: Decision) -> Investigation | None:
    """The investigation the decision's phase effect concluded: the startup's latest one concluded that way on the
    decision's day."""
    status = CONCLUSION_OF.get(decision.outcome)
    if status is None:
        return None
    return (
        Investigation.objects.filter(startup_id=decision.startup_id, status=status, ended_on=decision.date)
        .order_by("-started_on", "-pk")
        .first()
    )


def _moved_on_error(*, startup: Startup, outcome_label) -> ValidationError:
    return ValidationError(
        {
            "outcome": _(
                "« %(startup)s » a changé de phase depuis cette décision (phase « %(current)s » depuis le %(date)s) : "
                "le résultat « %(outcome)s » ne peut plus s'appliquer à la date de la décision. %(hint)s"
            )
            % {
                "startup": startup,
                "current": startup.current_phase_label,
                "date": short_date(startup.current_phase_start) if startup.current_phase_start else "—",
                "outcome": outcome_label,
                "hint": MOVED_ON_HINT,
            }
        }
    )


def _undo_phase_effect(*, decision: Decision, by: User | None) -> None:
    """Undo what the decision's (current, old) outcome did: delete the phase it opened and re-open the one it
    closed, revert the investigation it concluded. Refused when the startup moved on since (that phase is no
    longer its latest, open phase)."""
    if PHASE_EFFECTS.get(decision.outcome) is None or decision.phase_id is None:
        return
    phase = Phase.objects.get(pk=decision.phase_id)
    startup = Startup.objects.get(pk=decision.startup_id)
    if phase.end is not None or startup.ordered_phases().last() != phase:
        raise _moved_on_error(startup=startup, outcome_label=decision.get_outcome_display())
    investigation = _concluded_by(decision)
    phase_revert(phase=phase, by=by)
    decision.phase = None
    if investigation is not None:
        investigation_conclusion_revert(investigation=investigation, by=by)


def _redo_phase_effect(*, decision: Decision, by: User | None, keep_history: bool) -> None:
    """Apply the effect of the decision's (new) outcome, through the same path as `decision_record`.

    `keep_history` (amendments): a startup whose phases already say what the new outcome says (it already had the
    phase the outcome implies, e.g. an imported decision amended to the "passage en construction" the files
    record) is left as it is."""
    target = PHASE_EFFECTS.get(decision.outcome)
    if target is None:
        return
    startup = Startup.objects.get(pk=decision.startup_id)
    if keep_history:
        if startup.phases.filter(name=target).exists() and not outcome_contradicts_phase(
            decision.outcome, startup.current_phase
        ):
            return
        if startup.current_phase_start and startup.current_phase_start > decision.date:
            raise _moved_on_error(startup=startup, outcome_label=decision.get_outcome_display())
    try:
        phase = _apply_phase_effect(decision=decision, by=by)
    except ValidationError as error:
        if not keep_history:
            raise
        raise ValidationError({"outcome": [*error.messages, str(MOVED_ON_HINT)]}) from error
    _phase_effect_link(decision, phase)


def _phase_effect_link(decision: Decision, phase: Phase | None) -> None:
    if phase is not None:
        decision.phase = phase
        decision.save(update_fields=["phase"])


def _conditions_create(*, decision: Decision, conditions: list[dict], by: User | None) -> None:
    for condition in conditions:
        row = with_history_user(Condition(decision=decision, **condition), by)
        row.full_clean()
        row.save()


def _evidence_set(decision: Decision, evidence: tuple[set, set, set]) -> None:
    insight_ids, quote_ids, interview_ids = evidence
    decision.cited_insights.set(insight_ids)
    decision.cited_quotes.set(quote_ids)
    decision.cited_interviews.set(interview_ids)


def _decision_values(
    outcome, rationale, budget_eur, budget_period_start, budget_period_end, next_committee_on, no_evidence_reason
):
    """The decision's own fields by name, as AMENDABLE_FIELDS lists them."""
    return {
        "outcome": outcome,
        "rationale": rationale,
        "budget_eur": budget_eur,
        "budget_period_start": budget_period_start,
        "budget_period_end": budget_period_end,
        "next_committee_on": next_committee_on,
        "no_evidence_reason": (no_evidence_reason or "").strip(),
    }


def _has_evidence(evidence: tuple[set, set, set]) -> bool:
    return any(evidence)


def _cites_evidence(decision: Decision) -> bool:
    return decision.cited_insights.exists() or decision.cited_quotes.exists() or decision.cited_interviews.exists()


def _decision_fields_set(decision: Decision, values: dict) -> None:
    """The decision's own fields from `values`; no next committee after an outcome that ends the startup's path."""
    for field in AMENDABLE_FIELDS:
        setattr(decision, field, values[field])
    decision.rationale = decision.rationale.strip()
    decision.no_evidence_reason = (decision.no_evidence_reason or "").strip()
    if decision.outcome in TERMINAL_OUTCOMES:
        decision.next_committee_on = None


def _decision_save(decision: Decision, by: User | None) -> None:
    with_history_user(decision, by)
    # Uniqueness is left to the database (OneToOne on the review): a check-then-insert would race.
    decision.full_clean(validate_unique=False)
    decision.save()


def _session_held_by_its_first_decision(session: CommitteeSession | None) -> None:
    """A session whose first decision is recorded has sat: planned, it is held from now on (the team's
    requests are locked) — the same move as `session_hold`."""
    if session is not None and SESSION_WORKFLOW.can("hold", session.status):
        session.transition("hold")
        session.save(update_fields=["status"])


@transaction.atomic
def decision_record(
    *,
    review: Review,
    outcome: str,
    by: User | None,
    rationale: str,
    budget_eur: int | None = None,
    budget_period_start: datetime.date | None = None,
    budget_period_end: datetime.date | None = None,
    next_committee_on: datetime.date | None = None,
    conditions: Iterable[dict] = (),
    cited_insights: Iterable = (),
    cited_quotes: Iterable = (),
    cited_interviews: Iterable = (),
    no_evidence_reason: str = "",
    condition_follow_ups: Iterable[dict] = (),
    on: datetime.date | None = None,
) -> Decision:
    """Record the decision of a review, with its conditions and cited evidence, and apply its phase effect
    in the same transaction. One decision per review: the database's unique constraint settles a race
    (two members clicking at once) and the loser gets `DecisionAlreadyRecorded` with the winner's decision.

    An outcome that continues or stops the startup cites its evidence, or gives `no_evidence_reason` ("décision
    sans preuve citée"; kept only when nothing is cited). `condition_follow_ups` ({condition, result, note}, result
    MET, NOT_MET or CARRIED_OVER) follow up the startup's earlier open conditions in the same transaction."""
    review = Review.objects.select_related("session", "startup").get(pk=review.pk)
    session = _lock_session(review.session) if review.session_id else None
    review = Review.objects.select_for_update(of=("self",)).select_related("startup").get(pk=review.pk)
    startup = review.startup
    if session is not None:
        session.require("decide")
    on = on or review.date
    rules.session_has_taken_place(on)
    values = _decision_values(
        outcome, rationale, budget_eur, budget_period_start, budget_period_end, next_committee_on, no_evidence_reason
    )
    rules.decision_fields_are_valid(**_own_fields(values), imported=session is None)
    conditions = rules.conditions_are_valid(startup=startup, conditions=list(conditions), on=on)
    rules.reserves_have_a_condition(outcome, has_conditions=bool(conditions))
    evidence = rules.evidence_is_the_startups_own(
        startup=startup, insights=cited_insights, quotes=cited_quotes, interviews=cited_interviews
    )
    rules.evidence_is_cited(
        outcome, has_evidence=_has_evidence(evidence), no_evidence_reason=values["no_evidence_reason"]
    )
    if _has_evidence(evidence):
        values["no_evidence_reason"] = ""
    follow_ups = _follow_ups_valid(startup=startup, follow_ups=condition_follow_ups, excluding_review=review)

    decision = Decision(review=review, startup=startup, date=on, recorded_by=by)
    _decision_fields_set(decision, values)
    decision.take_over(by=by)
    try:
        with transaction.atomic():
            _decision_save(decision, by)
    except IntegrityError:
        raise DecisionAlreadyRecorded(Decision.objects.select_related("recorded_by").get(review=review)) from None
    _conditions_create(decision=decision, conditions=conditions, by=by)
    _evidence_set(decision, evidence)
    _follow_ups_apply(decision, follow_ups, by=by)
    _phase_effect_link(decision, _apply_phase_effect(decision=decision, by=by))
    _session_held_by_its_first_decision(session)
    return decision


def _follow_ups_valid(*, startup: Startup, follow_ups: Iterable[dict], excluding_review: Review) -> list[dict]:
    """The follow-ups of earlier open conditions: each an open condition of the startup, set by another review's
    decision, once, with a known result."""
    cleaned, seen = [], set()
    for follow_up in follow_ups:
        condition, result = follow_up["condition"], follow_up.get("result")
        if not result:
            continue
        if result not in {MET, NOT_MET, CARRIED_OVER}:
            raise ValidationError({"open_conditions": _("Suivi de condition inconnu : %(r)s.") % {"r": result}})
        condition = Condition.objects.select_related("decision").get(pk=condition.pk)
        if (
            condition.decision.startup_id != startup.pk
            or condition.decision.review_id == excluding_review.pk
            or condition.pk in seen
        ):
            raise ValidationError(
                {
                    "open_conditions": _("« %(condition)s » n'est pas une condition antérieure de « %(startup)s ».")
                    % {"condition": condition, "startup": startup}
                }
            )
        if not condition.is_open:
            raise ValidationError(
                {
                    "open_conditions": _("« %(condition)s » est déjà levée (%(status)s).")
                    % {"condition": condition, "status": condition.get_status_display().lower()}
                }
            )
        seen.add(condition.pk)
        cleaned.append({"condition": condition, "result": result, "note": (follow_up.get("note") or "").strip()})
    return cleaned


def _follow_ups_apply(decision: Decision, follow_ups: list[dict], *, by: User | None) -> None:
    """Mark each earlier condition met or not met (`condition_resolve`), or carry it over to the next committee
    (`condition_carry_over`), as the committee of `decision` found it."""
    for follow_up in follow_ups:
        try:
            _follow_up_apply(decision, **follow_up, by=by)
        except ValidationError as error:
            raise ValidationError(
                {
                    "open_conditions": [
                        _("« %(condition)s » : %(error)s") % {"condition": follow_up["condition"], "error": message}
                        for message in error.messages
                    ]
                }
            ) from error


def _follow_up_apply(decision: Decision, *, condition: Condition, result: str, note: str, by: User | None) -> None:
    day = short_date(decision.date)
    if result != CARRIED_OVER:
        condition_resolve(
            condition=condition,
            by=by,
            met=result == MET,
            note=note or _("Constaté par le comité du %(date)s.") % {"date": day},
        )
        return
    if decision.next_committee_on is None:
        raise ValidationError(
            _("pour la reporter, indiquez la date du prochain comité (aucun comité ne suit un arrêt).")
        )
    condition_carry_over(
        condition=condition,
        by=by,
        due_on=decision.next_committee_on,
        note=note or _("Reportée par le comité du %(date)s.") % {"date": day},
    )


def _take_over(decision: Decision, *, by: User | None) -> None:
    """An amended decision of the imported history is the app's from now on, with its review and its
    committee event: later imports keep them and report where the files disagree."""
    if decision.is_from_file:
        review = decision.review
        review.take_over(by=by)
        review.save(update_fields=["source", "set_by", "set_at"])
        if decision.event_id is not None:
            event_take_over(event=decision.event, by=by)
    decision.take_over(by=by)


def _own_fields(values: dict) -> dict:
    """The values `rules.decision_fields_are_valid` checks."""
    return {field: value for field, value in values.items() if field not in {"next_committee_on", "no_evidence_reason"}}


def _lock_decision(decision: Decision) -> Decision:
    return (
        Decision.objects.select_for_update(of=("self",))
        .select_related("review__session", "startup")
        .get(pk=decision.pk)
    )


@transaction.atomic
def decision_update(
    *,
    decision: Decision,
    by: User | None,
    outcome: str,
    rationale: str,
    budget_eur: int | None = None,
    budget_period_start: datetime.date | None = None,
    budget_period_end: datetime.date | None = None,
    next_committee_on: datetime.date | None = None,
    conditions: Iterable[dict] | None = None,
    cited_insights: Iterable | None = None,
    cited_quotes: Iterable | None = None,
    cited_interviews: Iterable | None = None,
    no_evidence_reason: str | None = None,
    condition_follow_ups: Iterable[dict] = (),
) -> Decision:
    """Correct a decision while its session is still open. Closed sessions go through `decision_amend`.
    `conditions`, the cited evidence and `no_evidence_reason` are left as they are when None. The evidence rule,
    the "sans preuve" reason and `condition_follow_ups` are as in `decision_record`."""
    decision = Decision.objects.select_related("review__session", "startup").get(pk=decision.pk)
    if decision.review.session_id:
        _lock_session(decision.review.session)
    decision = _lock_decision(decision)
    decision.require("update")
    if no_evidence_reason is None:
        no_evidence_reason = decision.no_evidence_reason
    values = _decision_values(
        outcome, rationale, budget_eur, budget_period_start, budget_period_end, next_committee_on, no_evidence_reason
    )
    rules.decision_fields_are_valid(**_own_fields(values), imported=False)
    if conditions is not None:
        if decision.conditions.exclude(status=ConditionStatus.OPEN).exists():
            raise ValidationError(
                {"conditions": _("Une condition de cette décision est déjà levée : les conditions ne changent plus.")}
            )
        conditions = rules.conditions_are_valid(startup=decision.startup, conditions=list(conditions), on=decision.date)
    has_conditions = bool(conditions) if conditions is not None else decision.conditions.exists()
    rules.reserves_have_a_condition(outcome, has_conditions=has_conditions)
    evidence = None
    if cited_insights is not None or cited_quotes is not None or cited_interviews is not None:
        evidence = rules.evidence_is_the_startups_own(
            startup=decision.startup,
            insights=cited_insights or (),
            quotes=cited_quotes or (),
            interviews=cited_interviews or (),
        )
    has_evidence = _has_evidence(evidence) if evidence is not None else _cites_evidence(decision)
    rules.evidence_is_cited(outcome, has_evidence=has_evidence, no_evidence_reason=values["no_evidence_reason"])
    if has_evidence:
        values["no_evidence_reason"] = ""
    follow_ups = _follow_ups_valid(
        startup=decision.startup, follow_ups=condition_follow_ups, excluding_review=decision.review
    )

    if outcome != decision.outcome:
        _undo_phase_effect(decision=decision, by=by)
    _decision_fields_set(decision, values)
    _decision_save(decision, by)
    if conditions is not None:
        decision.conditions.all().delete()
        _conditions_create(decision=decision, conditions=conditions, by=by)
    if evidence is not None:
        _evidence_set(decision, evidence)
    _follow_ups_apply(decision, follow_ups, by=by)
    if decision.phase_id is None:
        _redo_phase_effect(decision=decision, by=by, keep_history=False)
    return decision


def _json_value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _amendment_changes(decision: Decision, values: dict, new_conditions: list[dict]) -> dict:
    """Every amendable field's old and new value where they differ, and the conditions added."""
    diff = {}
    for field in AMENDABLE_FIELDS:
        old, new = getattr(decision, field), values[field]
        if old != new:
            diff[field] = {"from": _json_value(old), "to": _json_value(new)}
    if new_conditions:
        diff["conditions"] = {
            "from": None,
            "to": [
                {
                    "text": condition["text"],
                    "due_on": condition["due_on"].isoformat(),
                    "owner": str(condition["owner"]) if condition["owner"] else None,
                }
                for condition in new_conditions
            ],
        }
    return diff


@transaction.atomic
def decision_amend(*, decision: Decision, by: User, reason: str, **changes) -> Amendment:
    """Correct a decision of a closed session (or of the imported history): the decision takes the new
    values and an Amendment keeps the reason, the author and every field's old and new value.

    `changes` are among AMENDABLE_FIELDS, plus `conditions` (new conditions to add). A new outcome re-applies
    the phase effects: what the old outcome did is undone (its phase deleted, the phase it closed re-opened, the
    investigation it concluded reverted) and the new outcome's effect applied on the decision's date, as
    `decision_record` does. Where that cannot be done safely (the startup moved on since), the amendment is
    refused and the message says what to do instead."""
    unknown = set(changes) - set(AMENDABLE_FIELDS) - {"conditions"}
    if unknown:
        raise TypeError(f"decision_amend() got unexpected fields: {', '.join(sorted(unknown))}")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez le motif de l'amendement.")})
    decision = _lock_decision(decision)
    decision.require("amend")
    new_conditions = list(changes.pop("conditions", None) or ())
    values = {field: getattr(decision, field) for field in AMENDABLE_FIELDS} | changes
    rules.decision_fields_are_valid(**_own_fields(values), imported=decision.is_imported)
    if isinstance(values["rationale"], str):
        values["rationale"] = values["rationale"].strip()
    values["no_evidence_reason"] = (values["no_evidence_reason"] or "").strip()
    if values["outcome"] != decision.outcome or values["no_evidence_reason"] != decision.no_evidence_reason:
        # Correcting a budget does not re-open the question; a new outcome, or a changed reason, does.
        rules.evidence_is_cited(
            values["outcome"], has_evidence=_cites_evidence(decision), no_evidence_reason=values["no_evidence_reason"]
        )
    if new_conditions:
        new_conditions = rules.conditions_are_valid(
            startup=decision.startup, conditions=new_conditions, on=decision.date
        )
    diff = _amendment_changes(decision, values, new_conditions)
    if not diff:
        raise ValidationError(_("Aucune modification : un amendement doit changer au moins une valeur."))
    rules.reserves_have_a_condition(
        values["outcome"], has_conditions=bool(new_conditions) or decision.conditions.exists()
    )

    outcome_changed = values["outcome"] != decision.outcome
    if outcome_changed:
        _undo_phase_effect(decision=decision, by=by)
    amendment = Amendment(decision=decision, reason=reason.strip(), changes=diff, author=by)
    amendment.full_clean()
    amendment.save()
    for field in AMENDABLE_FIELDS:
        setattr(decision, field, values[field])
    _take_over(decision, by=by)
    decision._change_reason = AMENDMENT_CHANGE_REASON % amendment.pk
    _decision_save(decision, by)
    if outcome_changed:
        _redo_phase_effect(decision=decision, by=by, keep_history=True)
    _conditions_create(decision=decision, conditions=new_conditions, by=by)
    return amendment


# --- Conditions ------------------------------------------------------------------------------------
@transaction.atomic
def condition_resolve(*, condition: Condition, by: User | None, met: bool, note: str) -> Condition:
    """Mark a condition met or not met, with a note. Allowed after the session is closed: it is the
    follow-up of the decision, not a change to it."""
    condition = Condition.objects.select_for_update(of=("self",)).get(pk=condition.pk)
    if condition.status != ConditionStatus.OPEN:
        raise ValidationError(
            _("Cette condition est déjà levée (%(status)s).") % {"status": condition.get_status_display().lower()}
        )
    if not (note or "").strip():
        raise ValidationError({"note": _("Ajoutez une note qui explique si et comment la condition est tenue.")})
    condition.status = ConditionStatus.MET if met else ConditionStatus.NOT_MET
    condition.resolution_note = note.strip()
    condition.resolved_at = timezone.now()
    condition.resolved_by = by
    with_history_user(condition, by)
    condition.full_clean()
    condition.save()
    return condition


@transaction.atomic
def condition_carry_over(*, condition: Condition, by: User | None, due_on: datetime.date, note: str) -> Condition:
    """Carry an open condition over to a later committee: it stays open with its new due date, and its history
    records who carried it over, when, from which date and why (the note)."""
    condition = Condition.objects.select_for_update(of=("self",)).get(pk=condition.pk)
    if condition.status != ConditionStatus.OPEN:
        raise ValidationError(
            _("Cette condition est déjà levée (%(status)s).") % {"status": condition.get_status_display().lower()}
        )
    if due_on is None or due_on <= condition.due_on:
        raise ValidationError(
            {
                "due_on": _("Une condition se reporte à une date postérieure à son échéance actuelle (%(date)s).")
                % {"date": short_date(condition.due_on)}
            }
        )
    if not (note or "").strip():
        raise ValidationError({"note": _("Ajoutez une note qui explique pourquoi la condition est reportée.")})
    condition.due_on = due_on
    with_history_user(condition, by)
    condition._change_reason = note.strip()
    condition.full_clean()
    condition.save()
    return condition


# --- Post-mortem of a startup's ending ------------------------------------------------------------
@transaction.atomic
def post_mortem_record(
    *, decision: Decision, why: str, learnt: str, reused: str, code_and_data: str, by: User | None = None
) -> PostMortem:
    """Record (or correct) the post-mortem of a stop decision: why the startup stopped, what was learnt, what is
    reused, where its code and data go — all four required. Refused for a decision that does not end the startup."""
    if decision.outcome not in TERMINAL_OUTCOMES:
        raise ValidationError(
            _("Un bilan de fin s'enregistre pour un arrêt, pas pour une décision « %(outcome)s ».")
            % {"outcome": decision.get_outcome_display()}
        )
    post_mortem = PostMortem.objects.filter(decision=decision).first() or PostMortem(
        decision=decision, startup=decision.startup, kind=PostMortemKind.ARRET
    )
    return _post_mortem_save(post_mortem, why=why, learnt=learnt, reused=reused, code_and_data=code_and_data, by=by)


@transaction.atomic
def post_mortem_transfer_record(
    *, startup: Startup, why: str, learnt: str, reused: str, code_and_data: str, by: User | None = None
) -> PostMortem:
    """Record (or correct) the post-mortem of a transfer: the startup's current phase is « Transféré », reached with
    or without a committee — one per startup, the same four parts as for a stop. Refused for a startup that is not
    transferred (a recorded one can still be corrected)."""
    post_mortem = PostMortem.objects.filter(startup=startup, kind=PostMortemKind.TRANSFERT).first()
    if post_mortem is None:
        if startup.current_phase != PhaseName.TRANSFERE:
            raise ValidationError(
                _(
                    "Un bilan de transfert s'enregistre pour une startup transférée ; "
                    "« %(name)s » est en phase « %(phase)s »."
                )
                % {"name": startup.name, "phase": startup.current_phase_label}
            )
        post_mortem = PostMortem(startup=startup, kind=PostMortemKind.TRANSFERT)
    return _post_mortem_save(post_mortem, why=why, learnt=learnt, reused=reused, code_and_data=code_and_data, by=by)


def _post_mortem_save(post_mortem: PostMortem, *, why, learnt, reused, code_and_data, by) -> PostMortem:
    post_mortem.why, post_mortem.learnt = why.strip(), learnt.strip()
    post_mortem.reused, post_mortem.code_and_data = reused.strip(), code_and_data.strip()
    post_mortem.recorded_by = by
    post_mortem.full_clean()
    with_history_user(post_mortem, by).save()
    return post_mortem
