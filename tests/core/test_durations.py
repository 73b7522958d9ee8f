import pytest

from core.durations import humanize_days


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
