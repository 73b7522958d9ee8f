"""What management commands share (core imports no app)."""

import datetime

from django.core.management.base import CommandError

DATE_HELP = "Date de référence AAAA-MM-JJ (par défaut : aujourd'hui)."


def date_option(text: str | None) -> datetime.date | None:
    """A command's --date (AAAA-MM-JJ), None when it is not given; an unreadable date stops the command."""
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Date illisible : « {text} » (attendu AAAA-MM-JJ).") from error
