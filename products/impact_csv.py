"""CSV of an indicator's measurements: `date,indicator,value` (UTF-8 with or without BOM, comma or semicolon,
columns by header name), imported from the impact page.

As the interview import (investigations/csv_io.py): a file refused as a whole (unreadable, columns missing)
imports nothing; otherwise each row is imported in its own transaction or rejected with its line number and
the reason — an unknown indicator, an unreadable date or value, a date to come or already measured.
"""

import csv
import dataclasses
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from core.csv import missing_columns_message, parse_date, records, records_by_name, sniff_delimiter

from . import services
from .enums import MeasurementVia
from .models import Indicator, Startup

COLUMNS = ["date", "indicator", "value"]
# French headers are read as well.
HEADER_WORDS = {
    "date": "date",
    "indicator": "indicator",
    "indicateur": "indicator",
    "value": "value",
    "valeur": "value",
}


class ImportFileError(Exception):
    """The whole file is refused: nothing was imported."""


@dataclasses.dataclass
class ImportReport:
    imported: int = 0
    rejected: list[tuple[int, str]] = dataclasses.field(default_factory=list)


def parse_value(value: str) -> Decimal:
    """A number as a person types it: « 1 234,5 », « 1234.5 », « -3 »."""
    text = "".join(value.split()).replace("\u202f", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValueError(_("valeur « %(value)s » : un nombre est attendu") % {"value": value.strip()[:30]})
    return number


def _reason(error: ValidationError) -> str:
    return " ".join(error.messages)


def measurements_import(*, startup: Startup, content: bytes, by) -> ImportReport:
    if b"\x00" in content:
        raise ImportFileError(_("Ce fichier n'est pas un fichier texte CSV (il contient des octets nuls)."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _(
                "Le fichier n'est pas encodé en UTF-8 (octet invalide en position %(position)s) : enregistrez-le "
                "en « CSV UTF-8 » puis recommencez. Aucune mesure n'a été importée."
            )
            % {"position": error.start}
        ) from error
    if not text.strip():
        raise ImportFileError(_("Le fichier est vide."))
    rows = records(text, sniff_delimiter(text))
    _line, header = next(rows)
    if not header or isinstance(header, csv.Error):
        raise ImportFileError(_("La ligne d'en-tête est illisible."))
    names = [HEADER_WORDS.get(name.strip().lower(), name.strip().lower()) for name in header]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise ImportFileError(missing_columns_message(missing, COLUMNS))
    indicators = {" ".join(i.name.split()).casefold(): i for i in Indicator.objects.filter(startup=startup)}
    report = ImportReport()
    for line, row in records_by_name(rows, names, report.rejected):
        name = " ".join(row["indicator"].split())
        try:
            if not row["date"].strip():
                raise ValueError(_("date manquante"))
            if not name:
                raise ValueError(_("indicateur manquant"))
            indicator = indicators.get(name.casefold())
            if indicator is None:
                raise ValueError(
                    _("indicateur « %(name)s » inconnu de cette startup (indicateurs : %(known)s)")
                    % {"name": name[:60], "known": ", ".join(i.name for i in indicators.values()) or "—"}
                )
            if not row["value"].strip():
                raise ValueError(_("valeur manquante"))
            date, value = parse_date(row["date"]), parse_value(row["value"])
            with transaction.atomic():  # this row alone: a refused row leaves nothing behind
                services.measurement_add(indicator=indicator, date=date, value=value, by=by, via=MeasurementVia.CSV)
        except ValueError as error:
            report.rejected.append((line, str(error)))
        except ValidationError as error:
            report.rejected.append((line, _reason(error)))
        except DatabaseError as error:
            report.rejected.append((line, _("refusée par la base de données (%(error)s)") % {"error": error}))
        else:
            report.imported += 1
    return report
