"""Writes on the portfolio. Every phase change goes through phase_advance."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.durations import short_date
from core.history import with_history_user

from .enums import LIFECYCLE_RANK, PhaseName, Via
from .models import Event, Phase, Startup, User


@transaction.atomic
def phase_advance(
    *,
    startup: Startup,
    to: str,
    on: datetime.date,
    by: User | None = None,
    comment: str = "",
    by_decision: bool = False,
) -> Phase:
    """Close the startup's open phase on `on` and open phase `to` from that day; `by_decision` when a committee
    decision does it (the pages then say so).

    The startup row is locked so that two concurrent changes cannot both open a phase.
    """
    if to not in LIFECYCLE_RANK:
        raise ValidationError(_("Phase inconnue : %(name)s.") % {"name": to})
    startup = Startup.objects.select_for_update().get(pk=startup.pk)
    if startup.phases.filter(name=to).exists():
        raise ValidationError(
            _("La startup « %(startup)s » a déjà eu une phase « %(phase)s ».")
            % {"startup": startup, "phase": PhaseName(to).label}
        )
    current = startup.phases.open().first()
    if current is not None:
        if on < current.start:
            raise ValidationError(
                _("La nouvelle phase ne peut pas commencer avant le début de la phase en cours (%(date)s).")
                % {"date": short_date(current.start)}
            )
        current.end = on
        current.take_over(by=by, via=Via.CLOSED_BY_DECISION if by_decision else "")
        with_history_user(current, by)
        current.full_clean()
        current.save()
    phase = Phase(startup=startup, name=to, start=on, comment=comment)
    phase.take_over(by=by, via=Via.OPENED_BY_DECISION if by_decision else "")
    with_history_user(phase, by)
    phase.full_clean()
    phase.save()
    if startup.ordered_phases().last() != phase:
        # Same day as the phase it closes but earlier in the lifecycle (e.g. back to construction
        # on the day acceleration began): it would not come last, so it could not be the current one.
        raise ValidationError(
            _("La phase « %(phase)s » ne peut pas commencer le %(date)s : elle passerait avant la phase actuelle.")
            % {"phase": PhaseName(to).label, "date": short_date(on)}
        )
    startup.refresh_current_phase()
    return phase


@transaction.atomic
def event_take_over(*, event: Event, by: User | None = None) -> Event:
    """The app now holds this event (e.g. the committee event of an imported decision that was amended):
    later imports keep it and report where the files disagree."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_from_file:
        event.take_over(by=by)
        event.save(update_fields=["source", "set_by", "set_at"])
    return event


@transaction.atomic
def phase_revert(*, phase: Phase, by: User | None = None) -> Phase | None:
    """Undo `phase_advance`: delete `phase`, which must still be the startup's latest phase and open, and
    re-open the phase it closed (the one that ended the day it started). Returns the re-opened phase.

    The startup row is locked, as in `phase_advance`; a phase that is no longer the latest or that was
    closed since cannot be undone (the startup moved on)."""
    startup = Startup.objects.select_for_update().get(pk=phase.startup_id)
    phase = Phase.objects.get(pk=phase.pk)
    if phase.end is not None or startup.ordered_phases().last() != phase:
        raise ValidationError(
            _("La phase « %(phase)s » de « %(startup)s » n'est plus la phase en cours : elle ne peut pas être annulée.")
            % {"phase": phase.get_name_display(), "startup": startup}
        )
    previous = startup.ordered_phases().exclude(pk=phase.pk).last()
    with_history_user(phase, by)
    phase.delete()
    if previous is not None and previous.end == phase.start:
        previous.end = None
        previous.take_over(by=by)
        with_history_user(previous, by)
        previous.full_clean()
        previous.save()
    else:
        previous = None
    startup.refresh_current_phase()
    return previous
