"""The money committees grant, as products.impact sees it (registered in apps.py): one Grant per decision that
grants a budget, in date order."""

from django.utils.translation import gettext as _

from core.durations import short_date
from products.impact import Grant

from .enums import Outcome
from .models import Decision


def decision_grants(startup_ids) -> dict[int, list]:
    """{startup id: [Grant]} for the decisions of `startup_ids` that grant a budget or fund a period (one query)."""
    grants: dict[int, list] = {}
    decisions = (
        Decision.objects.filter(startup_id__in=startup_ids)
        .exclude(budget_eur__isnull=True, budget_period_end__isnull=True)
        .order_by("date", "pk")
        .values_list("startup_id", "date", "outcome", "budget_eur", "budget_period_start", "budget_period_end")
    )
    for startup_id, date, outcome, budget, start, end in decisions:
        grants.setdefault(startup_id, []).append(
            Grant(
                source="decision",
                label=_("Comité du %(date)s (%(outcome)s)")
                % {"date": short_date(date), "outcome": Outcome(outcome).label},
                amount_eur=budget,
                date=date,
                period_start=start,
                period_end=end,
                outcome=outcome,
            )
        )
    return grants


def budget_in_force(startup_ref=None):
    """The decisions that set the budget in force, latest first: the latest decision that funds a period sets
    the period in force, even when an earlier one ran later (a newer decision ending 20/12/2026 replaces an
    older one ending 03/01/2027). `startup_ref`: a startup, or OuterRef("pk") in a subquery."""
    decisions = Decision.objects.filter(budget_period_end__isnull=False).order_by("-date", "-pk")
    return decisions if startup_ref is None else decisions.filter(startup=startup_ref)


def budget_end_in_force(startup):
    """The end of the funded period in force for `startup`, None if no decision funded one."""
    return budget_in_force(startup).values_list("budget_period_end", flat=True).first()
