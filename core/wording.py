"""Quotations the language's way: « … » in French, “…” in English (the template filter |quoted says the same)."""

from django.utils.translation import gettext as _


def quoted(text) -> str:
    return _("« %(text)s »") % {"text": text}
