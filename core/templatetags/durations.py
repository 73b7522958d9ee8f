"""{% load durations %}{{ startup.days_in_current_phase|days }} → « 5 mois »."""

from django import template

from core.durations import humanize_days

register = template.Library()


@register.filter(name="days")
def days_filter(days):
    return humanize_days(days)
