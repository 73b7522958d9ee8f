"""What a reminder says, in the active language: a title (the e-mail's subject, the notification's heading)
and a text. Rendered from the reminder's stored `params`, so that a notification reads in the language of
whoever looks at it, and an e-mail in its recipient's (see services.reminder_mail)."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portfolio.alerts import RULES_BY_CODE

from .enums import ReminderKind


def _date(iso: str) -> str:
    return date_format(datetime.date.fromisoformat(iso), "DATE_FORMAT")


def describe(kind: str, startup_name: str, params: dict) -> tuple[str, str]:
    """(title, text) of a reminder."""
    values = {"startup": startup_name, "date": _date(params["date"]) if "date" in params else "", **_text(params)}
    match kind:
        case ReminderKind.COMMITTEE_45 | ReminderKind.COMMITTEE_30 if params.get("planned"):
            title = _("%(startup)s : comité le %(date)s") % values
            text = _(
                "%(startup)s passe en comité le %(date)s. Préparez la demande de l'équipe : équipe, budget, "
                "hypothèses à tester et critères de succès."
            )
        case ReminderKind.COMMITTEE_45 | ReminderKind.COMMITTEE_30:
            title = _("%(startup)s : comité attendu le %(date)s") % values
            text = _(
                "La dernière décision attend le prochain comité de %(startup)s le %(date)s, et aucune séance ne "
                "l'a encore inscrite à son ordre du jour : demandez-le à l'incubateur."
            )
        case ReminderKind.BUDGET_ENDING:
            title = _("%(startup)s : fin de budget le %(date)s") % values
            text = _(
                "La période financée de %(startup)s se termine le %(date)s et aucun comité n'est planifié : la "
                "doctrine demande de passer en comité 30 à 45 jours avant que le budget ne s'épuise."
            )
        case ReminderKind.CONDITION_DUE:
            title = _("%(startup)s : condition à lever avant le %(date)s") % values
            text = _("Condition posée par le comité, à lever avant le %(date)s : « %(text)s »")
        case ReminderKind.CONDITION_OVERDUE:
            title = _("%(startup)s : condition échue depuis le %(date)s") % values
            text = _("Cette condition posée par le comité devait être levée le %(date)s : « %(text)s »")
        case ReminderKind.NO_INTERVIEW:
            title = _("%(startup)s : pas d'entretien depuis 14 jours") % values
            if params.get("started"):
                text = _("Aucun entretien saisi depuis l'ouverture de l'investigation le %(date)s.")
            else:
                text = _("Dernier entretien saisi le %(date)s : l'investigation n'apprend plus de ses usagers.")
        case ReminderKind.STALE:
            title = _("%(startup)s : rien de nouveau depuis un an") % values
            text = _("Dernière activité le %(date)s : les informations de la fiche sont peut-être périmées.")
        case ReminderKind.DIGEST:
            return _digest(params)
        case _:
            raise ValueError(f"Unknown reminder kind: {kind}")
    return title, text % values


def _text(params: dict) -> dict:
    return {"text": params["text"]} if "text" in params else {}


def _digest(params: dict) -> tuple[str, str]:
    startups = params["startups"]
    count = len(startups)
    title = ngettext(
        "Vos startups à surveiller cette semaine : %(count)d startup",
        "Vos startups à surveiller cette semaine : %(count)d startups",
        count,
    ) % {"count": count}
    lines = [
        _("%(startup)s : %(alerts)s")
        % {
            "startup": startup["name"],
            "alerts": ", ".join(str(RULES_BY_CODE[code].label) for code in startup["alerts"] if code in RULES_BY_CODE),
        }
        for startup in startups
    ]
    return title, "\n".join(f"- {line}" for line in lines)
