"""Dates and durations as a person says them, the one place that does it.

- A duration in days reads in the largest unit that stays a whole, honest number: « 12 jours » up to 13 days,
  « 6 semaines » from 2 weeks up to 2 months (a month-and-a-half said as « 1 mois » hides half of it), then
  « 5 mois », then « 1 an et 2 mois ». Never a run of units (« 1 mois, 2 semaines ») nor a raw day count next
  to it: `humanize_days` for a count, `elapsed` for the time between two days (the overdue « Retard »).
- A date in the language's named formats (betatracker/formats): `short_date` (« 01/12/2026 », « 12/01/2026 »),
  `long_date` (« 1 décembre 2026 », « Dec. 1, 2026 »), `weekday_date` (« mardi 1 décembre 2026 »),
  `short_datetime` / `long_datetime` for a moment. Templates use the same names: |date:"SHORT_DATE_FORMAT",
  |date:"DATE_FORMAT"…, or the filters of core/templatetags/durations.py. No literal pattern anywhere a person
  reads it (tests/core/test_wording.py); machine dates (CSV, JSON, ids, <time datetime>) are ISO.
- Calendar months added the way the doctrine counts them (`add_months`)."""

import calendar
import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DAYS_PER_MONTH = 365.2425 / 12
# Below two weeks a duration reads in days, below two months in weeks.
WEEKS_FROM_DAYS = 14
MONTHS_FROM = 2


def _local(moment: datetime.date | datetime.datetime) -> datetime.date | datetime.datetime:
    if isinstance(moment, datetime.datetime) and timezone.is_aware(moment):
        return timezone.localtime(moment)
    return moment


def short_date(day: datetime.date | datetime.datetime) -> str:
    """A date in the active language's SHORT_DATE_FORMAT: every date inside a translated message goes through here,
    never a literal pattern."""
    return date_format(_local(day), "SHORT_DATE_FORMAT")


def long_date(day: datetime.date | datetime.datetime) -> str:
    """A date in the active language's DATE_FORMAT, month spelled out."""
    return date_format(_local(day), "DATE_FORMAT")


def weekday_date(day: datetime.date | datetime.datetime) -> str:
    """The long date preceded by the day of the week (a committee's session: « mardi 1 décembre 2026 »)."""
    day = _local(day)
    return _("%(weekday)s %(date)s") % {"weekday": date_format(day, "l"), "date": long_date(day)}


def short_datetime(moment: datetime.datetime) -> str:
    """A moment in SHORT_DATETIME_FORMAT, in the current time zone."""
    return date_format(_local(moment), "SHORT_DATETIME_FORMAT")


def long_datetime(moment: datetime.datetime) -> str:
    """A moment in DATETIME_FORMAT (« 1 décembre 2026 à 02h06 », « Dec. 1, 2026, 2:06 a.m. »)."""
    return date_format(_local(moment), "DATETIME_FORMAT")


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
    """« moins d'un jour », « 12 jours », « 6 semaines », « 5 mois », « 1 an », « 1 an et 4 mois » (see above)."""
    if days is None:
        return ""
    days = max(int(days), 0)
    if days == 0:
        return _("moins d'un jour")
    if days < WEEKS_FROM_DAYS:
        return ngettext("%(count)d jour", "%(count)d jours", days) % {"count": days}
    # One day of slack, so that 365 days read « 1 an » rather than « 11 mois ».
    months = int((days + 1) // DAYS_PER_MONTH)
    if months < MONTHS_FROM:
        weeks = days // 7
        return ngettext("%(count)d semaine", "%(count)d semaines", weeks) % {"count": weeks}
    if months < 12:
        return ngettext("%(count)d mois", "%(count)d mois", months) % {"count": months}
    years, months = divmod(months, 12)
    in_years = ngettext("%(count)d an", "%(count)d ans", years) % {"count": years}
    if not months:
        return in_years
    in_months = ngettext("%(count)d mois", "%(count)d mois", months) % {"count": months}
    return _("%(years)s et %(months)s") % {"years": in_years, "months": in_months}


def elapsed(start: datetime.date | None, end: datetime.date | None = None) -> str:
    """The time from `start` to `end` (today by default) as `humanize_days` says it; blank without a start."""
    if start is None:
        return ""
    start = _local(start)
    end = _local(end) if end is not None else timezone.localdate()
    if isinstance(start, datetime.datetime):
        start = start.date()
    if isinstance(end, datetime.datetime):
        end = end.date()
    return humanize_days((end - start).days)
