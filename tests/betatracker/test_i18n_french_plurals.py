"""French plurals: the code is French, but ngettext without a French catalogue falls back to the English rule
(n != 1) and says « 0 critères atteints ». locale/fr holds the plural messages only, generated from the English
catalogue by scripts/i18n_french_plurals.py (run by scripts/i18n_update.sh), under the French rule: 0 and 1
singular, 2 and more plural."""

import gettext

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import ngettext

from .test_i18n import BASE_DIR, PO_FILE, read_po

FR_PO = BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po"
FR_MO = FR_PO.with_suffix(".mo")


def test_the_french_catalogue_holds_every_plural_message_of_the_code_and_nothing_else():
    english = {entry.key for entry in read_po(PO_FILE) if entry.msgid_plural}
    french = read_po(FR_PO)
    assert {entry.key for entry in french} == english, "Run `make messages` (scripts/i18n_update.sh)."
    assert len(english) > 50


def test_the_french_catalogue_says_the_singular_and_plural_written_in_the_code():
    wrong = [entry.msgid for entry in read_po(FR_PO) if entry.msgstrs != [entry.msgid, entry.msgid_plural]]
    assert wrong == []
    header = FR_PO.read_text(encoding="utf-8")
    assert '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in header


def test_the_compiled_french_catalogue_matches_its_po_file():
    with FR_MO.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for entry in read_po(FR_PO):
        assert compiled.ngettext(entry.msgid, entry.msgid_plural, 0) == entry.msgid
        assert compiled.ngettext(entry.msgid, entry.msgid_plural, 2) == entry.msgid_plural


@pytest.mark.parametrize(("n", "expected"), [(0, "0 critère atteint sur 3"), (1, "1 critère atteint sur 3")])
def test_in_french_0_and_1_are_singular(n, expected):
    with translation.override("fr"):
        text = ngettext("%(met)d critère atteint sur %(total)d", "%(met)d critères atteints sur %(total)d", n)
    assert text % {"met": n, "total": 3} == expected


def test_in_french_2_is_plural_and_english_keeps_its_own_rule():
    singular, plural = "%(met)d critère atteint sur %(total)d", "%(met)d critères atteints sur %(total)d"
    with translation.override("fr"):
        assert ngettext(singular, plural, 2) % {"met": 2, "total": 3} == "2 critères atteints sur 3"
    with translation.override("en"):
        assert ngettext(singular, plural, 0) % {"met": 0, "total": 3} == "0 criteria met out of 3"


@pytest.mark.parametrize(("n", "expected"), [(0, "0 entretien."), (1, "1 entretien."), (2, "2 entretiens.")])
def test_a_blocktranslate_count_follows_the_french_rule(n, expected):
    template = Template(
        "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} entretien.{% plural %}"
        "{{ counter }} entretiens.{% endblocktranslate %}"
    )
    with translation.override("fr"):
        assert template.render(Context({"n": n})) == expected
