"""{% load wording %}: numbers and quotations written the language's way.

{{ share|percent }} → « 9 % » in French, "9%" in English (a share is always a percentage on screen, never
« part 0,091 »); {{ share|percent:1 }} keeps one decimal. {{ quote.text|quoted }} → « … » in French, “…” in
English (never French guillemets on an English page)."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.wording import quoted as quoted_text

register = template.Library()


@register.filter
def percent(value, digits=0):
    if value is None or value == "":
        return ""
    return _("%(share)s %%") % {"share": floatformat(value, digits)}


@register.filter(is_safe=True)
def quoted(text):
    return mark_safe(quoted_text(conditional_escape(text)))  # noqa: S308 — the text is escaped


@register.simple_tag
def colon():
    """Between a label and its value: « Motif : … » in French (a space before the colon), "Reason: …" in English."""
    return pgettext("entre un libellé et sa valeur", " : ")


@register.simple_tag
def semicolon():
    """Between the items of an inline list: « a ; b » in French, "a; b" in English."""
    return pgettext("entre deux éléments d'une liste", " ; ")
