"""Durations as a person says them: « 12 jours », « 5 mois », « 2 ans et 3 mois »."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DAYS_PER_MONTH = 365.2425 / 12


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
