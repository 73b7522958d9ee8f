"""Dates and durations as a person says them: « 12 jours », « 5 mois », « 2 ans et 3 mois », a date in the
language's short format (« 31/08/2026 » in French), and calendar months added the way the doctrine counts them."""

import calendar
import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DAYS_PER_MONTH = 365.2425 / 12


def short_date(day: datetime.date | datetime.datetime) -> str:
    """A date in the active language's SHORT_DATE_FORMAT: every date inside a translated message goes through here,
    never a literal pattern."""
    return date_format(day, "SHORT_DATE_FORMAT")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (earlier when negative), clamped to the end of a shorter month
    (31 August + 6 → 28 or 29 February), and to the last (first) representable day rather than overflowing."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > datetime.MAXYEAR:
        return datetime.date.max
    if year < datetime.MINYEAR:
        return datetime.date.min
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def humanize_days(days: int | None) -> str:
    if days is None:
        return ""
    days = max(int(days), 0)
    if days == 0:
        return _("moins d'un jour")
    # One day of slack, so that 365 days read « 1 an » rather than « 11 mois ».
    months = int((days + 1) // DAYS_PER_MONTH)
    if months < 1:
        return ngettext("%(count)d jour", "%(count)d jours", days) % {"count": days}
    if months < 12:
        return ngettext("%(count)d mois", "%(count)d mois", months) % {"count": months}
    years, months = divmod(months, 12)
    in_years = ngettext("%(count)d an", "%(count)d ans", years) % {"count": years}
    if not months:
        return in_years
    in_months = ngettext("%(count)d mois", "%(count)d mois", months) % {"count": months}
    return _("%(years)s et %(months)s") % {"years": in_years, "months": in_months}
