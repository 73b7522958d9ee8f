import datetime

import pytest
from django.utils import translation

from core.durations import add_months, humanize_days, short_date


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, "moins d'un jour"),
        (1, "1 jour"),
        (12, "12 jours"),
        (45, "1 mois"),
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
