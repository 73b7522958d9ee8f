"""The one CSV writer of every export (interviews, dashboard, minutes, `export_decisions --format csv`).

Every cell is quoted (`csv.QUOTE_ALL`), and text a spreadsheet would run as a formula is neutralised
with a leading apostrophe: a cell that starts with `= + - @`, a tab or a carriage return, and also any
`;`- or `,`-separated fragment of a cell that does — French Excel splits an unquoted-looking line on
`;`, so `Mairie;=cmd|' /C calc'!A0` would otherwise run `=cmd…` (security review, issue 12).
Numbers stay numbers: only text is neutralised.
"""

import csv
import datetime
import functools
import io
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# The start of the cell or a `;`/`,` separator, then (after spaces) a character that starts a formula.
_FORMULA_START = re.compile(r"(^|[;,])(?=[ ]*[=+\-@\t\r])")


def neutralise(text: str) -> str:
    """`text` with an apostrophe before every fragment a spreadsheet would read as a formula."""
    return _FORMULA_START.sub(r"\1'", text)


def cell(value) -> str | int | float | Decimal:
    """A value as a CSV cell: blank for None, ISO dates, numbers as they are, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    return neutralise(str(value))


class CsvWriter:
    """`csv.writer` quoting every cell and neutralising formulas; `writerow` takes raw values."""

    def __init__(self, out, *, lineterminator: str = "\r\n"):
        self._writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator=lineterminator)

    def writerow(self, values: Iterable) -> None:
        self._writer.writerow([cell(value) for value in values])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


# --- Reading: the imports (interviews, impact measurements) ------------------------------------------
def sniff_delimiter(text: str) -> str:
    """Comma or semicolon, whichever the header line uses more (outside quotes)."""
    header = next(iter(text.splitlines()), "")
    outside, quoted = [], False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            outside.append(char)
    return ";" if outside.count(";") > outside.count(",") else ","


@functools.lru_cache(maxsize=4096)
def parse_date(value: str) -> datetime.date:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("date « %(value)s » illisible (attendu AAAA-MM-JJ ou JJ/MM/AAAA)") % {"value": value[:30]})


def records(text: str, delimiter: str):
    """(1, the header's cells), then (line number where the record starts, its cells or the csv.Error that
    made it unreadable) for each non-blank record after the header."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    yield 1, header
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield start, error
            continue
        if not cells or not any(cell.strip() for cell in cells):
            continue
        yield start, cells


def records_by_name(rows, names: list[str], rejected: list[tuple[int, str]]):
    """The records after the header (`rows`, from `records`) as (line number, {column name: cell}). A record
    that is unreadable or has not as many cells as the header has columns is not given: it is added to
    `rejected` as (line number, reason)."""
    for line, cells in rows:
        if isinstance(cells, csv.Error):
            rejected.append((line, _("ligne illisible (%(error)s)") % {"error": cells}))
            continue
        if len(cells) != len(names):
            rejected.append((line, cell_count_message(len(cells), len(names))))
            continue
        yield line, dict(zip(names, cells, strict=True))


class _Line:
    """The file-like object csv.writer writes to: it hands each line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """Each row as one CSV line (quoted, formulas neutralised), produced as it is read: an export streamed
    through a StreamingHttpResponse holds one row in memory at a time, whatever the number of rows."""
    writer = csv.writer(_Line(), quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    for row in rows:
        yield writer.writerow([cell(value) for value in row])


def missing_columns_message(missing: list[str], known: Iterable[str]) -> str:
    """An import refused as a whole: the required columns its header lacks, and the columns it may hold."""
    return ngettext(
        "Colonne obligatoire absente de l'en-tête : %(columns)s. Colonnes reconnues : %(known)s.",
        "Colonnes obligatoires absentes de l'en-tête : %(columns)s. Colonnes reconnues : %(known)s.",
        len(missing),
    ) % {"columns": ", ".join(missing), "known": ", ".join(known)}


def cell_count_message(cells: int, columns: int) -> str:
    """A row refused because it has not as many cells as the header has columns."""
    return ngettext(
        "%(cells)s cellule pour %(columns)s colonnes",
        "%(cells)s cellules pour %(columns)s colonnes",
        cells,
    ) % {"cells": cells, "columns": columns}
