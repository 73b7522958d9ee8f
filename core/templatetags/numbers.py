"""{% load numbers %}{{ share|percent }} → « 9 % » in French, "9%" in English (a share is always a percentage on
screen, never « part 0,091 »); {{ share|percent:1 }} keeps one decimal."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def percent(value, digits=0):
    if value is None or value == "":
        return ""
    return _("%(share)s %%") % {"share": floatformat(value, digits)}
