"""CSV of interviews: import (page upload and `manage.py import_interviews`) and export.

Format (issue "Investigations and user interviews…", item 6): UTF-8 with or without BOM, comma or
semicolon, columns by header name — date, interviewee, target_group, organisation, headcount, sector,
channel, intensity, tags (separated by `|`), notes, quote, consent. Each bad row is rejected with its
line number and the reason; good rows are kept, each in its own transaction.
"""

import csv
import datetime
import functools
import io
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, router, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import versions
from core.csv import CsvWriter, missing_columns_message, parse_date, records_by_name, sniff_delimiter
from core.csv import records as _rows

from .enums import Channel, Intensity
from .models import Interview, InterviewImport, Investigation, Quote, Tag, TargetGroup
from .services import interview_build, tag_names_split, tags_resolve

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
IMPORT_BATCH_SIZE = 2000  # rows saved per transaction
BULK_SIZE = 500  # rows per INSERT (SQLite caps the parameters of one statement)


def max_bytes() -> int:
    """The upload cap of the settings (5 MB): FILE_UPLOAD_MAX_MEMORY_SIZE, so that an accepted file is never
    spooled to disk."""
    return settings.FILE_UPLOAD_MAX_MEMORY_SIZE


def size_error() -> str:
    return _("Le fichier dépasse %(size)s Mo.") % {"size": f"{max_bytes() / 1024 / 1024:g}".replace(".", ",")}


@functools.lru_cache(maxsize=4096)
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
# What the export writes: the words the import documents (« attendu visio, téléphone ou sur place »), so that an
# exported file imports back unchanged — never the stored value (`sur_place`).
CHANNEL_EXPORT_WORDS = {Channel.VISIO: "visio", Channel.TELEPHONE: "téléphone", Channel.SUR_PLACE: "sur place"}
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


class TooManyRowsError(ImportFileError):
    """More rows than a page upload may import in the request: the page hands the file to a background task."""


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


def max_rows() -> int:
    return settings.INTERVIEW_IMPORT_MAX_ROWS


def _record_count(text: str, delimiter: str) -> int:
    """Records after the header, blank ones included (a quick pass of the C reader)."""
    try:
        return max(0, sum(1 for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)) - 1)
    except csv.Error:
        return 0  # the real pass names the unreadable line


def interviews_import(
    *,
    investigation: Investigation,
    by,
    content: bytes,
    byte_limit: int | None = None,
    row_limit: int | None = None,
) -> ImportReport:
    """Import interviews from CSV bytes into `investigation`. Raises ImportFileError when the file as a whole
    is refused (unreadable, over `byte_limit` bytes or `row_limit` rows — the limits of a page upload): then
    nothing is imported; otherwise each row is imported or rejected on its own. Every row is checked first;
    the good ones are then saved in bulk."""
    if byte_limit is not None and len(content) > byte_limit:
        raise ImportFileError(size_error())
    text = decode(content)
    if not text.strip():
        raise ImportFileError(_("Le fichier est vide."))
    if not investigation.accepts_interviews:
        raise ImportFileError(_("Cette investigation est conclue : on ne peut plus y ajouter d'entretien."))
    delimiter = sniff_delimiter(text)
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes()))
    if row_limit is not None and _record_count(text, delimiter) > row_limit:
        raise TooManyRowsError(
            _(
                "Le fichier compte plus de %(limit)s lignes : découpez-le en fichiers plus petits, ou demandez "
                "à l'équipe technique de l'importer avec la commande import_interviews. Aucun entretien n'a été "
                "importé."
            )
            % {"limit": number_format(row_limit, force_grouping=True)}
        )
    rows = _rows(text, delimiter)
    _line, header = next(rows)
    if not header or isinstance(header, csv.Error):
        raise ImportFileError(_("La ligne d'en-tête est illisible."))
    names = [_fold(name).replace(" ", "_") for name in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        raise ImportFileError(missing_columns_message(missing, COLUMNS))
    duplicates = sorted({name for name in names if name in COLUMNS and names.count(name) > 1})
    if duplicates:
        raise ImportFileError(
            ngettext("Colonne en double : %(columns)s.", "Colonnes en double : %(columns)s.", len(duplicates))
            % {"columns": ", ".join(duplicates)}
        )
    report = ImportReport()
    groups = {group.name.casefold(): group for group in investigation.target_groups.all()}
    valid: list[_ValidRow] = []
    today = timezone.localdate()  # one "no interview in the future" bound for the whole file
    for line, cells in records_by_name(rows, names, report.rejected):
        row = {name: value for name, value in cells.items() if name in COLUMNS}
        try:
            data = _row_data(row)
            group_name = " ".join(row.get("target_group", "").split())
            group = groups.get(group_name.casefold()) if group_name else None
            new_group = None
            if group_name and group is None:
                group = new_group = TargetGroup(investigation=investigation, name=group_name)
                group.full_clean(exclude=["investigation"], validate_constraints=False)
            interview, tag_names, quote_texts = interview_build(
                investigation=investigation, target_group=group, today=today, **data
            )
        except ValueError as error:
            report.rejected.append((line, str(error)))
        except ValidationError as error:
            report.rejected.append((line, _messages(error)))
        else:
            if new_group is not None:  # saved with the first good row that names it
                groups[new_group.name.casefold()] = new_group
            valid.append(_ValidRow(line, interview, tag_names, quote_texts))
    _rows_save(valid, by=by, report=report)
    # Inserted in bulk, without the model signals: the startup's cached reads are renewed here (core.versions).
    versions.touch(startups=[investigation.startup_id])
    report.rejected.sort()
    return report


@dataclass
class _ValidRow:
    line: int
    interview: Interview
    tag_names: list[str]
    quote_texts: list[str]


def _rows_save(valid: list[_ValidRow], *, by, report: ImportReport) -> None:
    """Save checked rows in batches, each batch in one transaction with a few bulk inserts (interviews, their
    history, tags, quotes). Should the database refuse a batch, it is saved again row by row, so that the
    row at fault is rejected with its line number and leaves nothing behind."""
    tag_cache: dict[str, Tag] = {}
    for start in range(0, len(valid), IMPORT_BATCH_SIZE):
        batch = valid[start : start + IMPORT_BATCH_SIZE]
        try:
            _batch_save(batch, by=by, report=report, tag_cache=tag_cache)
        except DatabaseError:
            for row in batch:
                try:
                    _batch_save([row], by=by, report=report, tag_cache=tag_cache)
                except DatabaseError as error:
                    report.rejected.append(
                        (row.line, _("refusée par la base de données (%(error)s)") % {"error": error})
                    )


INTERVIEW_COLUMNS = [field.column for field in Interview._meta.concrete_fields]


def _db_values(interview: Interview) -> list:
    return [getattr(interview, field.attname) for field in Interview._meta.concrete_fields]


def _raw_insert(model, columns: list[str], rows: list[list], returning: str | None = None) -> list:
    """INSERT the rows without the ORM's per-value work (a 100,000-row import spends its time here): a few
    multi-row INSERTs, dates and datetimes adapted as the ORM does for the database in use. With `returning`,
    the new keys in the order of the rows (RETURNING, as bulk_create does on PostgreSQL and SQLite)."""
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    adapt = {
        datetime.datetime: connection.ops.adapt_datetimefield_value,
        datetime.date: connection.ops.adapt_datefield_value,
    }
    adapted: dict = {}
    for row in rows:
        for index, value in enumerate(row):
            if type(value) in adapt:
                if value not in adapted:
                    adapted[value] = adapt[type(value)](value)
                row[index] = adapted[value]
    if connection.vendor == "postgresql":
        return _pg_copy(connection, model, columns, rows, returning)
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(column) for column in columns)}) VALUES "
    tail = f" RETURNING {quote(returning)}" if returning else ""
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per_statement = max(1, min(BULK_SIZE, (connection.features.max_query_params or 999) // len(columns)))
    keys = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params = [value for row in chunk for value in row]
            cursor.execute(head + ", ".join([placeholder] * len(chunk)) + tail, params)
            if returning:
                keys += [key for (key,) in cursor.fetchall()]
    return keys


def _pg_copy(connection, model, columns: list[str], rows: list[list], returning: str | None) -> list:
    """PostgreSQL: COPY the rows in (several times faster than INSERT for a big import, on both sides of the
    connection). The new keys are drawn from the table's sequence first, in the order of the rows."""
    quote = connection.ops.quote_name
    table = model._meta.db_table
    keys: list = []
    with connection.wrap_database_errors, connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: COPY is not in the DB-API
        if returning:
            raw.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, returning, len(rows)],
            )
            keys = [key for (key,) in raw.fetchall()]
            columns = [returning, *columns]
            rows = [[key, *row] for key, row in zip(keys, rows, strict=True)]
        with raw.copy(f"COPY {quote(table)} ({', '.join(quote(column) for column in columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    return keys


def _batch_save(batch: list[_ValidRow], *, by, report: ImportReport, tag_cache: dict[str, Tag]) -> None:
    new_groups = []
    cache = dict(tag_cache)  # tags created by a batch that rolls back go with it
    interviews = [row.interview for row in batch]
    try:
        with transaction.atomic():
            for interview in interviews:
                group = interview.target_group
                if group is not None and group.pk is None:
                    group.save()
                    new_groups.append(group)
                interview.target_group = group  # takes the group's new id
            now = timezone.now()
            for interview in interviews:
                interview.created_at = interview.updated_at = now
            ids = _raw_insert(Interview, INTERVIEW_COLUMNS[1:], [_db_values(i)[1:] for i in interviews], returning="id")
            for interview, pk in zip(interviews, ids, strict=True):
                interview.pk = pk
                interview._state.adding = False
            _raw_insert(
                Interview.history.model,
                [*INTERVIEW_COLUMNS, "history_date", "history_change_reason", "history_type", "history_user_id"],
                [[*_db_values(interview), now, None, "+", getattr(by, "pk", None)] for interview in interviews],
            )
            _raw_insert(
                Interview.tags.through,
                ["interview_id", "tag_id"],
                [[row.interview.pk, tag.pk] for row in batch for tag in tags_resolve(row.tag_names, cache)],
            )
            _raw_insert(
                Quote,
                ["interview_id", "text"],
                [[row.interview.pk, text] for row in batch for text in row.quote_texts],
            )
    except DatabaseError:
        for obj in [*interviews, *new_groups]:
            obj.pk = None
            obj._state.adding = True
        raise
    tag_cache.update(cache)
    report.imported += len(batch)
    report.groups_created += [group.name for group in new_groups]


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


# --- Too big for a request: kept, then imported by a background task --------------------------------
def interviews_import_keep(*, investigation: Investigation, by, content: bytes, filename: str) -> InterviewImport:
    """Keep an uploaded file for the background import (investigations.tasks.interviews_import_queue)."""
    if not investigation.accepts_interviews:
        raise ImportFileError(_("Cette investigation est conclue : on ne peut plus y ajouter d'entretien."))
    return InterviewImport.objects.create(
        investigation=investigation, created_by=by, content=content, filename=filename[:255]
    )


def interviews_import_run(*, job: InterviewImport) -> InterviewImport:
    """Import a kept file (no row limit: this runs outside any request), record its report and empty the
    stored file, which holds interview notes. A job already run is left as it is."""
    with transaction.atomic():
        job = InterviewImport.objects.select_for_update().get(pk=job.pk)
        if job.status != InterviewImport.Status.QUEUED:
            return job
        job.status = InterviewImport.Status.RUNNING
        job.save(update_fields=["status"])
    content = bytes(job.content)
    try:
        report = interviews_import(investigation=job.investigation, by=job.created_by, content=content)
    except ImportFileError as error:
        job.status, job.error = InterviewImport.Status.FAILED, str(error)
    else:
        job.status = InterviewImport.Status.DONE
        job.imported = report.imported
        job.rejected = [[line, str(reason)] for line, reason in report.rejected]
        job.groups_created = report.groups_created
    job.content = b""
    job.finished_at = timezone.now()
    job.save()
    return job


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
            CHANNEL_EXPORT_WORDS.get(interview.channel, ""),
            str(interview.intensity),
            "|".join(tag.name for tag in interview.tags.all()),
            interview.notes,
            "\n".join(quote.text for quote in interview.quotes.all()),
            "oui" if interview.consent else "non",
        ]
        writer.writerow(cells)
        count += 1
    return count
