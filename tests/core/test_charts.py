"""The helpers every chart shares: numbers for SVG attributes and for labels, ticks for counts, wrapped names."""

import pytest
from django.utils import translation

from core.charts import count_ticks, label_number, svg_number, ticks, wrap


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (0, "0"),
        (67.0, "67"),
        (67.5, "67.5"),
        (1200, "1200"),
        (1234567.891, "1234567.89"),
        (-3.25, "-3.25"),
        (0.1 + 0.2, "0.3"),
    ],
)
def test_svg_numbers_are_plain_in_every_language(settings, value, written):
    settings.USE_THOUSAND_SEPARATOR = True
    for language in ("fr", "en"):
        with translation.override(language):
            assert svg_number(value) == written


def test_labels_are_written_in_the_pages_language():
    with translation.override("fr"):
        assert label_number(2.5) == "2,5"
        assert label_number(3.0) == "3"
    with translation.override("en"):
        assert label_number(2.5) == "2.5"


@pytest.mark.parametrize(
    ("maximum", "expected"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (2, [0, 1, 2]),
        (5, [0, 1, 2, 3, 4, 5]),
        (7, [0, 2, 4, 6, 8]),
        (23, [0, 5, 10, 15, 20, 25]),
    ],
)
def test_ticks_for_counts_are_whole_numbers(maximum, expected):
    assert count_ticks(maximum) == expected


def test_ticks_for_measures_may_be_fractional():
    assert ticks(2) == [0, 0.5, 1.0, 1.5, 2.0]
    assert ticks(0) == [0]


def test_a_long_name_is_wrapped_between_words_and_kept_whole():
    lines = wrap("Agents d'accueil des mairies de moins de 2 000 habitants", 28)
    assert " ".join(lines) == "Agents d'accueil des mairies de moins de 2 000 habitants"
    assert all(len(line) <= 28 for line in lines) and len(lines) == 2


def test_a_number_is_not_cut_across_two_lines():
    assert wrap("Communes de 2 000 habitants", 13) == ["Communes de", "2 000", "habitants"]
