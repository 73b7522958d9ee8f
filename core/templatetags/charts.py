"""`{{ value|svg_number }}`: a number written into an SVG attribute, never localised (core.charts)."""

from django import template

from core import charts

register = template.Library()


@register.filter
def svg_number(value) -> str:
    return charts.svg_number(value)
