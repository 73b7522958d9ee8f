"""{% load portfolio %}: the words and badges of the portfolio pages."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from products.enums import USERTYPE_LABELS, AccessibilityStatus, PhaseName

register = template.Library()

# DSFR badge colour per phase. The label is always written: colour is never the only cue.
PHASE_BADGE_CLASSES = {
    PhaseName.INVESTIGATION: "fr-badge--purple-glycine",
    PhaseName.CONSTRUCTION: "fr-badge--blue-cumulus",
    PhaseName.ACCELERATION: "fr-badge--green-emeraude",
    PhaseName.CONSOLIDATION: "fr-badge--green-archipel",
    PhaseName.TRANSFERE: "fr-badge--yellow-tournesol",
    PhaseName.OPERE: "fr-badge--beige-gris-galet",
    PhaseName.ABANDON_INVESTIGATION: "fr-badge--pink-tuile",
    PhaseName.ABANDON: "fr-badge--pink-tuile",
    PhaseName.ALUMNI: "fr-badge--beige-gris-galet",
}


# DSFR badge per RGAA status, as the files write it; an unknown or missing status gets a plain badge.
ACCESSIBILITY_BADGE_CLASSES = {
    AccessibilityStatus.NON_CONFORME: "fr-badge--error",
    AccessibilityStatus.PARTIELLEMENT_CONFORME: "fr-badge--warning",
    AccessibilityStatus.TOTALEMENT_CONFORME: "fr-badge--success",
}


@register.filter
def accessibility_badge_class(status):
    return ACCESSIBILITY_BADGE_CLASSES.get(status, "")


@register.inclusion_tag("products/includes/done_badge.html")
def done_badge(value, done, not_done):
    """A quality gate as beta.gouv.fr records it: done (True), not done (False), or not said (None)."""
    return {"value": value, "done": done, "not_done": not_done}


@register.filter
def money(amount):
    """An amount in euros as the active language writes it: « 250 000 € », « €250,000 »."""
    if amount is None or amount == "":
        return ""
    return _("%(amount)s €") % {"amount": number_format(amount, decimal_pos=0, force_grouping=True)}


@register.filter
def phase_badge_class(phase_name):
    return PHASE_BADGE_CLASSES.get(phase_name, "")


@register.filter
def phase_label(phase_name):
    return PhaseName(phase_name).label if phase_name in PhaseName.values else phase_name


@register.filter
def usertype_label(value):
    return USERTYPE_LABELS.get(value, str(value).replace("-", " ").capitalize())
