"""{% load portfolio %}: the words and badges of the portfolio pages."""

from django import template

from products.enums import USERTYPE_LABELS, PhaseName

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


@register.filter
def phase_badge_class(phase_name):
    return PHASE_BADGE_CLASSES.get(phase_name, "")


@register.filter
def phase_label(phase_name):
    return PhaseName(phase_name).label if phase_name in PhaseName.values else phase_name


@register.filter
def usertype_label(value):
    return USERTYPE_LABELS.get(value, str(value).replace("-", " ").capitalize())
