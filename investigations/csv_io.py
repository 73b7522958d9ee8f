"""CSV of interviews: import (page upload and `manage.py import_interviews`) and export.

Format (issue "Investigations and user interviews…", item 6): UTF-8 with or without BOM, comma or
semicolon, columns by header name — date, interviewee, target_group, organisation, headcount, sector,
channel, intensity, tags (separated by `|`), notes, quote, consent. Each bad row is rejected with its
line number and the reason; good rows are kept, each in its own transaction.
"""

import csv
import datetime
import io
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from betatracker.csv import CsvWriter

from .enums import Channel, Intensity
from .models import Interview, Investigation, Tag, TargetGroup
from .services import interview_create, tag_names_split

COLUMNS = [
    "date",
    "interviewee",
    "target_group",
    "organisation",
    "headcount",
    "sector",
    "channel",
    "intensity",
    "tags",
    "notes",
    "quote",
    "consent",
]
REQUIRED_COLUMNS = ["date", "intensity"]


def max_bytes() -> int:
    """The upload cap of the settings (5 MB): FILE_UPLOAD_MAX_MEMORY_SIZE, so that an accepted file is never
    spooled to disk."""
    return settings.FILE_UPLOAD_MAX_MEMORY_SIZE


def size_error() -> str:
    return _("Le fichier dépasse %(size)s Mo.") % {"size": f"{max_bytes() / 1024 / 1024:g}".replace(".", ",")}


def _fold(value: str) -> str:
    """Lower case without accents: "Modéré" → "modere"."""
    decomposed = unicodedata.normalize("NFKD", value.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


INTENSITY_WORDS = {_fold(str(level.label)): level.value for level in Intensity} | {
    "aucun": 0,
    "aucune": 0,
    "faible": 1,
    "modere": 2,
    "moderee": 2,
    "critique": 3,
    **{str(level.value): level.value for level in Intensity},
}
CHANNEL_WORDS = {
    "visio": Channel.VISIO,
    "visioconference": Channel.VISIO,
    "telephone": Channel.TELEPHONE,
    "tel": Channel.TELEPHONE,
    "sur place": Channel.SUR_PLACE,
    "sur_place": Channel.SUR_PLACE,
    "presentiel": Channel.SUR_PLACE,
}
CONSENT_WORDS = {
    "oui": True,
    "yes": True,
    "1": True,
    "true": True,
    "non": False,
    "no": False,
    "0": False,
    "false": False,
}


class ImportFileError(Exception):
    """The whole file is refused (encoding, missing columns…): nothing was imported."""


@dataclass
class ImportReport:
    imported: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    groups_created: list[str] = field(default_factory=list)

    @property
    def rejected_count(self) -> int:
        return len(self.rejected)


# --- Reading --------------------------------------------------------------------------------------
def decode(content: bytes) -> str:
    if b"\x00" in content:
        raise ImportFileError(_("Ce fichier n'est pas un fichier texte CSV (il contient des octets nuls)."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _(
                "Le fichier n'est pas encodé en UTF-8 (octet invalide en position %(position)s) : "
                "enregistrez-le en « CSV UTF-8 » puis recommencez. Aucun entretien n'a été importé."
            )
            % {"position": error.start}
        ) from error


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


def parse_date(value: str) -> datetime.date:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("date « %(value)s » illisible (attendu AAAA-MM-JJ ou JJ/MM/AAAA)") % {"value": value[:30]})


def parse_intensity(value: str) -> int:
    folded = _fold(value)
    if folded not in INTENSITY_WORDS:
        raise ValueError(
            _("intensité « %(value)s » inconnue (attendu 0 à 3, ou aucun, faible, modéré, critique)")
            % {"value": value[:30]}
        )
    return INTENSITY_WORDS[folded]


def parse_channel(value: str) -> str:
    folded = _fold(value)
    if not folded:
        return ""
    if folded not in CHANNEL_WORDS:
        raise ValueError(
            _("canal « %(value)s » inconnu (attendu visio, téléphone ou sur place)") % {"value": value[:30]}
        )
    return CHANNEL_WORDS[folded]


def parse_consent(value: str) -> bool:
    folded = _fold(value)
    if not folded:
        return False
    if folded not in CONSENT_WORDS:
        raise ValueError(
            _("consentement « %(value)s » illisible (attendu oui/non, yes/no ou 1/0)") % {"value": value[:30]}
        )
    return CONSENT_WORDS[folded]


def parse_headcount(value: str) -> int | None:
    digits = "".join(value.split())
    if not digits:
        return None
    if not digits.isdigit():
        raise ValueError(_("effectif « %(value)s » : un nombre entier est attendu") % {"value": value[:30]})
    return int(digits)


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ; ".join(
            f"{name} : {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _rows(text: str, delimiter: str):
    """(line number where the record starts, cells) for each non-blank record after the header."""
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


def interviews_import(*, investigation: Investigation, by, content: bytes) -> ImportReport:
    """Import interviews from CSV bytes into `investigation`. Raises ImportFileError when the file as a whole
    is unreadable (then nothing is imported); otherwise each row is imported or rejected on its own."""
    if len(content) > max_bytes():
        raise ImportFileError(size_error())
    text = decode(content)
    if not text.strip():
        raise ImportFileError(_("Le fichier est vide."))
    if not investigation.accepts_interviews:
        raise ImportFileError(_("Cette investigation est conclue : on ne peut plus y ajouter d'entretien."))
    delimiter = sniff_delimiter(text)
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes()))
    rows = _rows(text, delimiter)
    _line, header = next(rows)
    if not header or isinstance(header, csv.Error):
        raise ImportFileError(_("La ligne d'en-tête est illisible."))
    names = [_fold(name).replace(" ", "_") for name in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        raise ImportFileError(
            _("Colonne(s) obligatoire(s) absente(s) de l'en-tête : %(columns)s. Colonnes reconnues : %(known)s.")
            % {"columns": ", ".join(missing), "known": ", ".join(COLUMNS)}
        )
    duplicates = sorted({name for name in names if name in COLUMNS and names.count(name) > 1})
    if duplicates:
        raise ImportFileError(_("Colonne(s) en double : %(columns)s.") % {"columns": ", ".join(duplicates)})
    report = ImportReport()
    groups = {group.name.casefold(): group for group in investigation.target_groups.all()}
    tag_cache: dict[str, Tag] = {}
    for line, cells in rows:
        if isinstance(cells, csv.Error):
            report.rejected.append((line, _("ligne illisible (%(error)s)") % {"error": cells}))
            continue
        if len(cells) != len(names):
            report.rejected.append(
                (
                    line,
                    _("%(cells)s cellule(s) pour %(columns)s colonne(s)")
                    % {"cells": len(cells), "columns": len(names)},
                )
            )
            continue
        row = {name: value for name, value in zip(names, cells, strict=True) if name in COLUMNS}
        row_tags = dict(tag_cache)  # tags created by a rejected row roll back with it
        new_group = None
        try:
            with transaction.atomic():
                data = _row_data(row)
                group_name = " ".join(row.get("target_group", "").split())
                group = groups.get(group_name.casefold()) if group_name else None
                if group_name and group is None:
                    group = new_group = TargetGroup(investigation=investigation, name=group_name)
                    group.full_clean()
                    group.save()
                interview_create(investigation=investigation, by=by, target_group=group, tag_cache=row_tags, **data)
        except ValueError as error:
            report.rejected.append((line, str(error)))
        except ValidationError as error:
            report.rejected.append((line, _messages(error)))
        else:
            report.imported += 1
            tag_cache.update(row_tags)
            if new_group is not None:
                groups[new_group.name.casefold()] = new_group
                report.groups_created.append(new_group.name)
    return report


def _row_data(row: dict[str, str]) -> dict:
    get = lambda name: (row.get(name) or "").strip()  # noqa: E731
    if not get("date"):
        raise ValueError(_("date manquante"))
    if not get("intensity"):
        raise ValueError(_("intensité manquante"))
    return {
        "date": parse_date(get("date")),
        "interviewee": get("interviewee"),
        "organisation": get("organisation"),
        "headcount": parse_headcount(get("headcount")),
        "sector": get("sector"),
        "channel": parse_channel(get("channel")),
        "intensity": parse_intensity(get("intensity")),
        "tags": tag_names_split(row.get("tags") or "", "|"),
        "notes": get("notes"),
        "quotes": (row.get("quote") or "").splitlines(),
        "consent": parse_consent(get("consent")),
    }


# --- Writing --------------------------------------------------------------------------------------
def interviews_export(investigation: Investigation, out) -> int:
    """Write the investigation's interviews as CSV (the import columns) to the text stream `out`."""
    writer = CsvWriter(out)
    writer.writerow(COLUMNS)
    interviews = (
        Interview.objects.filter(investigation=investigation)
        .select_related("target_group")
        .prefetch_related("tags", "quotes")
        .order_by("date", "pk")
    )
    count = 0
    for interview in interviews:
        cells = [
            interview.date.isoformat(),
            interview.interviewee,
            interview.target_group.name if interview.target_group else "",
            interview.organisation,
            "" if interview.headcount is None else str(interview.headcount),
            interview.sector,
            interview.channel,
            str(interview.intensity),
            "|".join(tag.name for tag in interview.tags.all()),
            interview.notes,
            "\n".join(quote.text for quote in interview.quotes.all()),
            "oui" if interview.consent else "non",
        ]
        writer.writerow(cells)
        count += 1
    return count
