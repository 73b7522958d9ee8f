#!/usr/bin/env bash
# Refresh the English catalogue from the code, and the French plurals from it, then compile both.
#
#   scripts/i18n_update.sh            (or: make messages)
#
# 1. makemessages collects every string marked for translation ({% translate %}, {% blocktranslate %},
#    gettext/gettext_lazy…) into locale/en/LC_MESSAGES/django.po: new strings come in with an empty
#    msgstr, changed ones are marked "fuzzy" with the old translation as a suggestion, removed ones go.
# 2. Translate the empty and fuzzy entries (and delete the "#, fuzzy" line once checked).
# 3. Run this script again: compilemessages writes django.mo. Commit both django.po and django.mo
#    (a fresh machine has no gettext tools: the app only reads the .mo).
# Each run also rewrites locale/fr/LC_MESSAGES/django.po (scripts/i18n_french_plurals.py): the plural messages
# only, under the French rule (0 and 1 singular), since the code's French needs no other translation; commit it
# and its django.mo with the English ones.
#
# tests/betatracker/test_i18n.py fails while an entry is empty or fuzzy, while the code holds a string
# the catalogue lacks, and on every page that still shows a French string in English.
# Needs GNU gettext (xgettext, msgmerge, msgfmt): apt-get install gettext.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || command -v python3 )}"

for tool in xgettext msgmerge msgfmt; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: install GNU gettext (apt-get install gettext)." >&2; exit 1; }
done

"$PYTHON" manage.py makemessages --locale en --domain django --no-obsolete --add-location file \
  --ignore '.venv/*' --ignore 'tests/*' --ignore 'staticfiles/*' --ignore 'node_modules/*'
"$PYTHON" scripts/i18n_french_plurals.py
"$PYTHON" manage.py compilemessages --locale en --locale fr --ignore '.venv/*'

po=locale/en/LC_MESSAGES/django.po
untranslated=$(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$po" | grep -c '^msgid ' || true)
# msgattrib prints the header entry (msgid "") too when anything is left.
untranslated=$(( untranslated > 0 ? untranslated - 1 : 0 ))
fuzzy=$(( fuzzy > 0 ? fuzzy - 1 : 0 ))
echo "$po: $untranslated untranslated, $fuzzy fuzzy."
if [ "$untranslated" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
  echo "Translate them (msgattrib --untranslated $po; msgattrib --only-fuzzy $po), then run this again." >&2
  exit 2
fi
