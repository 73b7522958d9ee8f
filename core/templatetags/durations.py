"""{% load durations %}: the template side of core/durations.py.

{{ startup.days_in_current_phase|days }} → « 5 mois »; {{ condition.due_on|elapsed:today }} → « 6 semaines »
(instead of Django's timesince, which reads « 1 mois, 2 semaines »); {{ session.date|weekday_date }} →
« mardi 1 décembre 2026 »."""

from django import template

from core.durations import elapsed, humanize_days, long_datetime, weekday_date

register = template.Library()


@register.filter(name="days")
def days_filter(days):
    return humanize_days(days)


@register.filter(name="elapsed")
def elapsed_filter(start, end=None):
    return elapsed(start, end or None)


@register.filter(name="long_datetime")
def long_datetime_filter(moment):
    return long_datetime(moment) if moment else ""


@register.filter(name="weekday_date")
def weekday_date_filter(day):
    return weekday_date(day) if day else ""
