import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from core.durations import (
    add_months,
    elapsed,
    humanize_days,
    long_date,
    long_datetime,
    short_date,
    short_datetime,
    weekday_date,
)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, "moins d'un jour"),
        (1, "1 jour"),
        (12, "12 jours"),
        (13, "13 jours"),
        (14, "2 semaines"),
        (20, "2 semaines"),
        (45, "6 semaines"),
        (59, "8 semaines"),
        (60, "2 mois"),
        (61, "2 mois"),
        (90, "2 mois"),
        (92, "3 mois"),
        (152, "5 mois"),
        (365, "1 an"),
        (500, "1 an et 4 mois"),
        (731, "2 ans"),
        (1000, "2 ans et 8 mois"),
    ],
)
def test_durations_read_as_a_person_says_them(days, expected):
    assert humanize_days(days) == expected


def test_unknown_duration_is_blank():
    assert humanize_days(None) == ""


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 1, 15), 6, datetime.date(2026, 7, 15)),
        (datetime.date(2026, 8, 31), 6, datetime.date(2027, 2, 28)),
        (datetime.date(2027, 8, 31), 6, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 3, 31), 1, datetime.date(2026, 4, 30)),
        (datetime.date(2026, 11, 30), 2, datetime.date(2027, 1, 30)),
        (datetime.date(2026, 12, 31), 24, datetime.date(2028, 12, 31)),
        (datetime.date(2026, 3, 31), -1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 1, 10), -1, datetime.date(2025, 12, 10)),
        (datetime.date(9999, 9, 30), 6, datetime.date.max),
        (datetime.date(1, 3, 1), -6, datetime.date.min),
    ],
)
def test_months_are_added_day_for_day_and_clamped_to_the_end_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


def test_a_short_date_follows_the_active_language():
    day = datetime.date(2026, 8, 31)
    with translation.override("fr"):
        assert short_date(day) == "31/08/2026"
    with translation.override("en"):
        assert short_date(day) == "08/31/2026"


def test_durations_read_in_english_too():
    with translation.override("en"):
        assert [humanize_days(days) for days in (1, 12, 45, 152, 500)] == [
            "1 day",
            "12 days",
            "6 weeks",
            "5 months",
            "1 year and 4 months",
        ]


def test_the_time_between_two_days_is_one_duration_not_a_run_of_units():
    # Django's timesince said « 1 mois, 4 semaines » for this overdue condition.
    assert elapsed(datetime.date(2026, 10, 3), datetime.date(2026, 12, 1)) == "8 semaines"
    assert elapsed(datetime.date(2026, 9, 1), datetime.date(2026, 12, 1)) == "3 mois"
    assert elapsed(None) == ""


def test_long_dates_and_moments_follow_the_active_language():
    moment = datetime.datetime(2026, 12, 1, 1, 6, tzinfo=datetime.UTC)  # 02h06 in Paris
    day = datetime.date(2026, 12, 1)
    with translation.override("fr"):
        assert long_date(day) == "1 décembre 2026"
        assert weekday_date(day) == "mardi 1 décembre 2026"
        assert long_datetime(moment) == "1 décembre 2026 à 02h06"
        assert short_datetime(moment) == "01/12/2026 02h06"
    with translation.override("en"):
        assert long_date(day) == "Dec. 1, 2026"
        assert weekday_date(day) == "Tuesday, Dec. 1, 2026"
        assert long_datetime(moment) == "Dec. 1, 2026, 2:06 a.m."
        assert short_datetime(moment) == "12/01/2026 2:06 a.m."
        assert "à" not in long_datetime(moment)


def test_the_template_filters_say_the_same():
    template = Template("{% load durations %}{{ due|elapsed:today }} | {{ n|days }} | {{ day|weekday_date }}")
    context = Context({"due": datetime.date(2026, 10, 3), "today": datetime.date(2026, 12, 1), "n": 45})
    context["day"] = datetime.date(2026, 12, 1)
    with translation.override("fr"):
        assert template.render(context) == "8 semaines | 6 semaines | mardi 1 décembre 2026"
