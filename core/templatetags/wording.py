"""{% load wording %}: numbers and quotations written the language's way.

{{ share|percent }} → « 9 % » in French, "9%" in English (a share is always a percentage on screen, never
« part 0,091 »); {{ share|percent:1 }} keeps one decimal. {{ quote.text|quoted }} → « … » in French, “…” in
English (never French guillemets on an English page)."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

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
