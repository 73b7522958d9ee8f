"""Writes on investigations. Phase changes go through products.services.phase_advance."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from products.enums import PhaseName
from products.models import Startup, User
from products.services import phase_advance

from .enums import InvestigationStatus
from .models import DEFAULT_DURATION, DEFAULT_INTERVIEW_GOAL, Investigation

CLOSED_STATUSES = {InvestigationStatus.CONCLUANTE, InvestigationStatus.NON_CONCLUANTE}


@transaction.atomic
def investigation_open(
    *,
    startup: Startup,
    started_on: datetime.date,
    by: User | None = None,
    planned_end: datetime.date | None = None,
    problem_statement: str = "",
    interview_goal: int = DEFAULT_INTERVIEW_GOAL,
) -> Investigation:
    """Open an investigation. A startup in no phase enters its `investigation` phase that day."""
    startup = Startup.objects.select_for_update().get(pk=startup.pk)
    if startup.investigations.open().exists():
        raise ValidationError(_("Cette startup a déjà une investigation en cours."))
    phase = None
    if not startup.phases.exists():
        phase = phase_advance(startup=startup, to=PhaseName.INVESTIGATION, on=started_on, by=by)
    investigation = Investigation(
        startup=startup,
        phase=phase,
        started_on=started_on,
        planned_end=planned_end or started_on + DEFAULT_DURATION,
        problem_statement=problem_statement,
        interview_goal=interview_goal,
    )
    investigation.full_clean()
    investigation.save()
    return investigation


@transaction.atomic
def investigation_conclude(
    *,
    investigation: Investigation,
    conclusive: bool,
    on: datetime.date | None = None,
    by: User | None = None,
    note: str = "",
) -> Investigation:
    """Conclude an investigation. "Non concluante" moves the startup into `abandon-investigation`
    through the phase service (unless it is there already, e.g. moved by a committee decision)."""
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    if investigation.status in CLOSED_STATUSES:
        raise ValidationError(_("Cette investigation est déjà conclue."))
    on = on or timezone.localdate()
    if on < investigation.started_on:
        raise ValidationError(_("La conclusion ne peut pas précéder le début de l'investigation."))
    investigation.status = InvestigationStatus.CONCLUANTE if conclusive else InvestigationStatus.NON_CONCLUANTE
    investigation.ended_on = on
    if note:
        investigation.status_note = note
    investigation.full_clean()
    investigation.save()
    startup = investigation.startup
    if not conclusive and not startup.phases.filter(name=PhaseName.ABANDON_INVESTIGATION).exists():
        phase_advance(startup=startup, to=PhaseName.ABANDON_INVESTIGATION, on=on, by=by)
    return investigation


@transaction.atomic
def investigation_suspend(*, investigation: Investigation, reason: str, by: User | None = None) -> Investigation:
    """Suspend an open investigation; the reason is the markdown "note d'étape"."""
    if not reason.strip():
        raise ValidationError({"status_note": _("Indiquez la raison de la suspension (note d'étape).")})
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    if investigation.status != InvestigationStatus.EN_COURS:
        raise ValidationError(_("Seule une investigation en cours peut être suspendue."))
    investigation.status = InvestigationStatus.SUSPENDUE
    investigation.status_note = reason
    investigation.full_clean()
    investigation.save()
    return investigation
