"""The rules a committee decision obeys, one function each, as the doctrine states them (GLOSSARY.md,
"Comité d'investissement"). Each raises ValidationError, keyed by the form field it concerns, with the reason in
the words a committee member reads; `decision_record`, `decision_update` and `decision_amend` apply them."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.durations import short_date
from investigations.models import Insight, Interview, Quote
from products.models import Membership, Startup

from .enums import EVIDENCED_OUTCOMES, Outcome


def session_has_taken_place(on: datetime.date) -> None:
    """A decision is recorded once its session has sat, not before."""
    if on > timezone.localdate():
        raise ValidationError(
            _("La séance du %(date)s n'a pas encore eu lieu : sa décision ne peut pas être enregistrée.")
            % {"date": short_date(on)}
        )


def outcome_is_recordable(outcome: str, *, imported: bool) -> None:
    """One of the incubator's outcomes; "non renseigné" only for the imported history that said nothing."""
    if outcome not in Outcome.values or (outcome == Outcome.NON_RENSEIGNE and not imported):
        raise ValidationError({"outcome": _("Choisissez une décision parmi celles proposées.")})


def rationale_is_given(rationale: str) -> None:
    """Every decision says why."""
    if not (rationale or "").strip():
        raise ValidationError({"rationale": _("La motivation de la décision est obligatoire.")})


def budget_is_consistent(
    budget_eur: int | None, period_start: datetime.date | None, period_end: datetime.date | None
) -> None:
    """A budget granted is not negative, a funded period comes with its amount, and it ends after it starts."""
    if budget_eur is not None and budget_eur < 0:
        raise ValidationError({"budget_eur": _("Le budget accordé ne peut pas être négatif.")})
    if budget_eur is None and (period_start or period_end):
        raise ValidationError(
            {
                "budget_eur": _(
                    "Une période financée est indiquée sans budget : saisissez le montant accordé, ou videz les "
                    "dates de la période."
                )
            }
        )
    if period_start and period_end and period_end < period_start:
        raise ValidationError({"budget_period_end": _("La fin de la période financée ne peut pas précéder son début.")})


def decision_fields_are_valid(
    *,
    outcome: str,
    rationale: str,
    budget_eur: int | None,
    budget_period_start: datetime.date | None,
    budget_period_end: datetime.date | None,
    imported: bool,
) -> None:
    """The rules on the decision's own fields, in the order a form shows them."""
    outcome_is_recordable(outcome, imported=imported)
    rationale_is_given(rationale)
    budget_is_consistent(budget_eur, budget_period_start, budget_period_end)


def evidence_is_cited(outcome: str, *, has_evidence: bool, no_evidence_reason: str) -> None:
    """An outcome that continues or stops a startup (EVIDENCED_OUTCOMES) cites at least one insight, quote or
    interview — or says, explicitly, why the committee decides without: "décision sans preuve citée"."""
    if outcome in EVIDENCED_OUTCOMES and not has_evidence and not (no_evidence_reason or "").strip():
        raise ValidationError(
            {
                "no_evidence_reason": _(
                    "La décision « %(outcome)s » ne cite aucune preuve : citez au moins un apprentissage, un "
                    "verbatim ou un entretien, ou cochez « Décision sans preuve citée » et indiquez-en le motif."
                )
                % {"outcome": Outcome(outcome).label}
            }
        )


def reserves_have_a_condition(outcome: str, *, has_conditions: bool) -> None:
    """A "poursuite avec réserves" sets at least one condition, each with its due date."""
    if outcome == Outcome.POURSUITE_AVEC_RESERVES and not has_conditions:
        raise ValidationError(
            {"conditions": _("Une poursuite avec réserves demande au moins une condition, avec son échéance.")}
        )


def conditions_are_valid(*, startup: Startup, conditions, on: datetime.date) -> list[dict]:
    """Each condition: a text, a due date (not before the decision) and an owner among the startup's team.
    Returns them cleaned ({text, due_on, owner})."""
    member_ids = set(Membership.objects.current(on=on).filter(startup=startup).values_list("user_id", flat=True))
    member_ids |= set(Membership.objects.current().filter(startup=startup).values_list("user_id", flat=True))
    cleaned = []
    for number, condition in enumerate(conditions, start=1):
        text = (condition.get("text") or "").strip()
        due_on = condition.get("due_on")
        owner = condition.get("owner")
        if not text:
            raise ValidationError({"conditions": _("Condition n° %(n)d : indiquez son texte.") % {"n": number}})
        if due_on is None:
            raise ValidationError({"conditions": _("Condition n° %(n)d : indiquez son échéance.") % {"n": number}})
        if due_on < on:
            raise ValidationError(
                {
                    "conditions": _("Condition n° %(n)d : l'échéance ne peut pas précéder la décision (%(date)s).")
                    % {"n": number, "date": short_date(on)}
                }
            )
        if owner is not None and owner.pk not in member_ids:
            raise ValidationError(
                {
                    "conditions": _(
                        "Condition n° %(n)d : « %(owner)s » n'est pas membre de l'équipe de « %(startup)s »."
                    )
                    % {"n": number, "owner": owner, "startup": startup}
                }
            )
        cleaned.append({"text": text, "due_on": due_on, "owner": owner})
    return cleaned


def _ids(items) -> set[int]:
    return {item if isinstance(item, int) else item.pk for item in items}


def evidence_is_the_startups_own(*, startup: Startup, insights, quotes, interviews) -> tuple[set, set, set]:
    """Evidence is cited from the startup's own investigations, nowhere else. Returns the ids of the insights,
    quotes and interviews cited."""
    insight_ids, quote_ids, interview_ids = _ids(insights), _ids(quotes), _ids(interviews)
    errors = {}
    checks = [
        ("cited_insights", Insight.objects.filter(investigation__startup=startup), insight_ids, _("apprentissages")),
        ("cited_quotes", Quote.objects.filter(interview__investigation__startup=startup), quote_ids, _("verbatims")),
        ("cited_interviews", Interview.objects.filter(investigation__startup=startup), interview_ids, _("entretiens")),
    ]
    for field, queryset, ids, label in checks:
        if ids and queryset.filter(pk__in=ids).count() != len(ids):
            errors[field] = _("Certains %(what)s cités n'appartiennent pas aux investigations de « %(startup)s ».") % {
                "what": label,
                "startup": startup,
            }
    if errors:
        raise ValidationError(errors)
    return insight_ids, quote_ids, interview_ids
