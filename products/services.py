"""Writes on the portfolio. Every phase change goes through phase_advance; every team change through the
membership and invitation services (each change audited by django-simple-history)."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.durations import short_date
from core.history import with_history_user

from .enums import LIFECYCLE_RANK, InvitationStatus, MeasurementVia, PhaseName, Via
from .models import (
    INVITATION_DAYS,
    Event,
    Indicator,
    IndicatorTarget,
    Invitation,
    Measurement,
    Membership,
    Phase,
    Spending,
    Startup,
    User,
    token_hash,
)


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


# --- Teams --------------------------------------------------------------------------------------
def _membership_save(membership: Membership, by: User | None) -> Membership:
    with_history_user(membership, by)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_add(
    *,
    startup: Startup,
    user: User,
    role: str,
    time_share: int,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    by: User | None = None,
) -> Membership:
    """Put `user` on the startup's team with `role` and `time_share` (%), from `start` (today by default)."""
    if Membership.objects.current().filter(startup=startup, user=user, role=role).exists():
        raise ValidationError(_("%(person)s est déjà dans l'équipe avec ce rôle.") % {"person": user})
    membership = Membership(
        startup=startup,
        user=user,
        role=role,
        time_share=time_share,
        start=start or timezone.localdate(),
        end=end,
    )
    return _membership_save(membership, by)


@transaction.atomic
def membership_update(
    *,
    membership: Membership,
    role: str,
    time_share: int,
    start: datetime.date | None,
    end: datetime.date | None,
    by: User | None = None,
) -> Membership:
    """Correct a membership's role, time share or dates."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    membership.role, membership.time_share, membership.start, membership.end = role, time_share, start, end
    return _membership_save(membership, by)


@transaction.atomic
def membership_end(*, membership: Membership, on: datetime.date | None = None, by: User | None = None) -> Membership:
    """End a membership on `on` (today by default): the person has left the team, their history stays."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    on = on or timezone.localdate()
    if membership.start and on < membership.start:
        raise ValidationError(
            {"on": _("La fin ne peut pas précéder le début (%(date)s).") % {"date": short_date(membership.start)}}
        )
    membership.end = on
    return _membership_save(membership, by)


INVITATION_REFUSALS = {
    InvitationStatus.ACCEPTED: _("Ce lien d'invitation a déjà servi : il ne peut être utilisé qu'une fois."),
    InvitationStatus.REVOKED: _("Cette invitation a été révoquée. Demandez une nouvelle invitation à l'équipe."),
    InvitationStatus.EXPIRED: _(
        "Ce lien d'invitation a expiré (il est valable 7 jours). Demandez à l'équipe de vous le renvoyer."
    ),
}


def _new_token(invitation: Invitation) -> str:
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation.token_hash = token_hash(token)
    invitation.sent_at = now
    invitation.expires_at = now + datetime.timedelta(days=INVITATION_DAYS)
    return token


@transaction.atomic
def invitation_create(
    *,
    startup: Startup,
    email: str,
    role: str,
    time_share: int,
    start: datetime.date | None = None,
    by: User,
) -> tuple[Invitation, str]:
    """Invite `email` to the team. Returns the invitation and the secret of its one-time link (only its hash is
    stored): send it with `invitation_mail_send`."""
    email = email.strip().lower()
    if Membership.objects.current().filter(startup=startup, user__email__iexact=email, role=role).exists():
        raise ValidationError({"email": _("Cette personne est déjà dans l'équipe avec ce rôle.")})
    if Invitation.objects.pending().filter(startup=startup, email__iexact=email).exists():
        raise ValidationError(
            {"email": _("Cette personne a déjà une invitation en attente : renvoyez-la depuis la liste.")}
        )
    invitation = Invitation(startup=startup, email=email, role=role, time_share=time_share, start=start, invited_by=by)
    token = _new_token(invitation)
    with_history_user(invitation, by)
    invitation.full_clean()
    invitation.save()
    return invitation, token


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User) -> tuple[Invitation, str]:
    """A new link, valid 7 days from now; the previous link no longer works."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status() in (InvitationStatus.ACCEPTED, InvitationStatus.REVOKED):
        raise ValidationError(INVITATION_REFUSALS[invitation.status()])
    token = _new_token(invitation)
    with_history_user(invitation, by)
    invitation.save()
    return invitation, token


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    """The link no longer works. An accepted invitation cannot be revoked: end the membership instead."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ValidationError(INVITATION_REFUSALS[InvitationStatus.ACCEPTED])
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        with_history_user(invitation, by)
        invitation.save()
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("startup").filter(token_hash=token_hash(token)).first()


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """`user` (whose address must be the invited one) joins the team with the invited role and time share.
    A link serves once; an expired or revoked one is refused."""
    invitation = Invitation.objects.select_for_update().select_related("startup").get(pk=invitation.pk)
    status = invitation.status()
    if status != InvitationStatus.PENDING:
        raise ValidationError(INVITATION_REFUSALS[status])
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("Cette invitation est adressée à %(email)s : connectez-vous avec cette adresse.")
            % {"email": invitation.email}
        )
    membership = (
        Membership.objects.current().filter(startup=invitation.startup, user=user, role=invitation.role).first()
    )
    if membership is None:
        membership = Membership(
            startup=invitation.startup,
            user=user,
            role=invitation.role,
            time_share=invitation.time_share,
            start=max(invitation.start or timezone.localdate(), timezone.localdate()),
        )
        _membership_save(membership, user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    with_history_user(invitation, user)
    invitation.save()
    return membership


def invitation_mail_send(*, invitation: Invitation, url: str) -> None:
    """The invitation e-mail, in the current language, with the one-time link `url`."""
    context = {"invitation": invitation, "url": url, "days": INVITATION_DAYS}
    send_mail(
        subject=_("Invitation à rejoindre l'équipe de %(startup)s sur Betatracker") % {"startup": invitation.startup},
        message=render_to_string("products/emails/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


# --- Impact and money (products/impact.py computes; these write) -----------------------------------------
def _impact_save(obj, by: User | None):
    with_history_user(obj, by)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def indicator_create(
    *,
    startup: Startup,
    name: str,
    unit: str,
    direction: str,
    kind: str,
    is_north_star: bool = False,
    by: User | None = None,
) -> Indicator:
    """A new impact indicator. A startup has at most one North Star: another one is refused (say which)."""
    if is_north_star:
        current = Indicator.objects.filter(startup=startup, is_north_star=True).first()
        if current is not None:
            raise ValidationError(
                {
                    "is_north_star": _(
                        "« %(name)s » est déjà l'étoile polaire de cette startup : une seule par startup."
                    )
                    % {"name": current.name}
                }
            )
    indicator = Indicator(
        startup=startup,
        name=" ".join(name.split()),
        unit=unit.strip(),
        direction=direction,
        kind=kind,
        is_north_star=is_north_star,
    )
    return _impact_save(indicator, by)


@transaction.atomic
def indicator_target_add(
    *, indicator: Indicator, period_start: datetime.date, period_end: datetime.date, value, by: User | None = None
) -> IndicatorTarget:
    target = IndicatorTarget(indicator=indicator, period_start=period_start, period_end=period_end, value=value)
    return _impact_save(target, by)


@transaction.atomic
def indicator_target_set(
    *,
    indicator: Indicator,
    period_start: datetime.date,
    period_end: datetime.date,
    value,
    by: User | None = None,
) -> IndicatorTarget | None:
    """The indicator's target for the period starting on `period_start`, replaced if it exists; removed when
    `value` is None (a team's request for a committee restates its success criteria)."""
    target = IndicatorTarget.objects.filter(indicator=indicator, period_start=period_start).first()
    if value is None:
        if target is not None:
            with_history_user(target, by)
            target.delete()
        return None
    if target is None:
        target = IndicatorTarget(indicator=indicator, period_start=period_start)
    target.period_end, target.value = period_end, value
    return _impact_save(target, by)


def measurement_build(*, indicator: Indicator, date: datetime.date, value, today: datetime.date | None = None):
    """An unsaved, checked measurement; ValidationError naming what is wrong (a date to come, a value too big,
    a date already measured)."""
    today = today or timezone.localdate()
    if date > today:
        raise ValidationError(
            {"date": _("La date %(date)s est à venir : une mesure porte sur le passé.") % {"date": short_date(date)}}
        )
    measurement = Measurement(indicator=indicator, date=date, value=value)
    measurement.full_clean(exclude=["indicator", "entered_by"])
    return measurement


@transaction.atomic
def measurement_add(
    *, indicator: Indicator, date: datetime.date, value, by: User | None = None, via: str = MeasurementVia.PAGE
) -> Measurement:
    """Record the indicator's value on `date` (one per date)."""
    measurement = measurement_build(indicator=indicator, date=date, value=value)
    measurement.entered_by, measurement.via = by, via
    return _impact_save(measurement, by)


@transaction.atomic
def spending_add(
    *,
    startup: Startup,
    period_start: datetime.date,
    period_end: datetime.date,
    amount_eur,
    nature: str,
    comment: str = "",
    by: User | None = None,
) -> Spending:
    """Money the team declares it spent over [period_start, period_end]."""
    spending = Spending(
        startup=startup,
        period_start=period_start,
        period_end=period_end,
        amount_eur=amount_eur,
        nature=nature,
        comment=comment.strip(),
        entered_by=by,
    )
    return _impact_save(spending, by)
