from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.formats import number_format

from committees.enums import ConditionStatus, Outcome

register = template.Library()

OUTCOME_BADGES = {
    Outcome.POURSUITE: "fr-badge--success",
    Outcome.PASSAGE_EN_CONSTRUCTION: "fr-badge--success",
    Outcome.POURSUITE_AVEC_RESERVES: "fr-badge--warning",
    Outcome.PROLONGATION_PROVISOIRE: "fr-badge--info",
    Outcome.PIVOT: "fr-badge--new",
    Outcome.ARRET: "fr-badge--error",
    Outcome.INVESTIGATION_NON_CONCLUANTE: "fr-badge--error",
}
CONDITION_BADGES = {
    ConditionStatus.OPEN: "fr-badge--info",
    ConditionStatus.MET: "fr-badge--success",
    ConditionStatus.NOT_MET: "fr-badge--error",
}


@register.simple_tag
def optional_url(name, *args):
    """The URL of a page that another part of the app may or may not provide yet (e.g. the insight page):
    an empty string when it does not exist, so the template shows plain text instead of a link."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.filter
def euros(value):
    if value is None or value == "":
        return "—"
    return f"{number_format(value, force_grouping=True)} €"


@register.filter
def outcome_badge(outcome):
    return OUTCOME_BADGES.get(outcome, "")


@register.filter
def condition_badge(status):
    return CONDITION_BADGES.get(status, "")


@register.filter
def percent(value):
    return f"{round(value * 100)} %"


@register.filter
def checklist_entries(decision):
    """The decision's stored go / stop checklist, labelled in the reader's language."""
    from committees.checklist import stored_lines

    return stored_lines(decision)
