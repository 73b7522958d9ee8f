"""What a document attached to a review may be: its size, its type (by its extension AND by its first bytes) and
the name it is stored under. Used by services.document_attach; the one place that knows the accepted types.

A file is trusted neither for its name nor for the type the browser declares: a « .pdf » must start with %PDF-, a
PNG or a JPEG with its signature, an office document is a zip archive holding what its format says (the
`mimetype` entry of an OpenDocument file, `[Content_Types].xml` and its folder for Office Open XML), a CSV or a
text file holds text. The stored name is sanitised (`get_valid_filename`) behind a random prefix; the original
name is kept apart, for display and for the download's Content-Disposition.
"""

import dataclasses
import secrets
import zipfile

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

SNIFF_BYTES = 8192
MAX_NAME_LENGTH = 120  # the sanitised name's length, before the random prefix


@dataclasses.dataclass(frozen=True)
class DocumentType:
    label: str  # how the accepted types are named to a person
    content_type: str  # what the download declares


PDF = DocumentType("PDF", "application/pdf")
PNG = DocumentType("PNG", "image/png")
JPEG = DocumentType("JPEG", "image/jpeg")
ODT = DocumentType("ODT", "application/vnd.oasis.opendocument.text")
ODS = DocumentType("ODS", "application/vnd.oasis.opendocument.spreadsheet")
ODP = DocumentType("ODP", "application/vnd.oasis.opendocument.presentation")
DOCX = DocumentType("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = DocumentType("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = DocumentType("PPTX", "application/vnd.openxmlformats-officedocument.presentationml.presentation")
CSV = DocumentType("CSV", "text/csv")
TXT = DocumentType("TXT", "text/plain")

TYPES = {
    "pdf": PDF,
    "png": PNG,
    "jpg": JPEG,
    "jpeg": JPEG,
    "odt": ODT,
    "ods": ODS,
    "odp": ODP,
    "docx": DOCX,
    "xlsx": XLSX,
    "pptx": PPTX,
    "csv": CSV,
    "txt": TXT,
}
# The folder an Office Open XML archive keeps its content in.
OOXML_FOLDERS = {DOCX: "word/", XLSX: "xl/", PPTX: "ppt/"}
ODF = {ODT, ODS, ODP}
# Bytes no text file holds (controls other than tab, line feeds, form feed and escape).
BINARY_BYTES = frozenset(range(0x00, 0x09)) | frozenset(range(0x0E, 0x1B)) | frozenset(range(0x1C, 0x20))


def max_bytes() -> int:
    return settings.COMMITTEE_DOCUMENT_MAX_BYTES


def max_size_label() -> str:
    """The size limit as a person reads it (« 10,0 Mo »)."""
    return filesizeformat(max_bytes())


def size_error(size: int | None = None) -> str:
    if size is None:
        return _("Le fichier dépasse la taille maximale d'un document : %(max)s.") % {"max": max_size_label()}
    return _("Le fichier pèse %(size)s : un document ne peut dépasser %(max)s.") % {
        "size": filesizeformat(size),
        "max": max_size_label(),
    }


def accepted_types_label() -> str:
    """« PDF, PNG, JPEG, … » — every accepted type once, in the order of TYPES."""
    return ", ".join(dict.fromkeys(kind.label for kind in TYPES.values()))


def accept_attribute() -> str:
    """The extensions for the file input's `accept` attribute (a hint to the browser; the server decides)."""
    return ",".join(f".{extension}" for extension in TYPES)


def type_error() -> str:
    return _("Ce type de fichier n'est pas accepté. Types acceptés : %(types)s.") % {"types": accepted_types_label()}


def original_name(name: str) -> str:
    """The name the person gave, without any folder, control character or surrounding spaces (for display)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(char for char in base if char.isprintable()).strip()
    return base[:255] or "document"


def extension_of(name: str) -> str:
    stem, dot, extension = original_name(name).rpartition(".")
    return extension.lower() if dot and stem else ""


def stored_name(name: str) -> str:
    """The name the storage keeps: a random prefix, then the original name made safe (`get_valid_filename`)."""
    base = original_name(name)
    extension = extension_of(base)
    stem = base[: -(len(extension) + 1)] if extension else base
    try:
        stem = get_valid_filename(stem)
    except SuspiciousFileOperation:
        stem = "document"
    stem = stem.lstrip(".-")[:MAX_NAME_LENGTH] or "document"
    return f"{secrets.token_hex(8)}-{stem}.{extension}" if extension else f"{secrets.token_hex(8)}-{stem}"


def _head(file) -> bytes:
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    return head


def _zip_holds(file, kind: DocumentType) -> bool:
    """Whether the zip archive `file` is the office document `kind` says: an OpenDocument's `mimetype` entry names
    its type; an Office Open XML archive has `[Content_Types].xml` and its content folder."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if kind in ODF:
                if "mimetype" not in names:
                    return False
                with archive.open("mimetype") as entry:
                    return entry.read(200).decode("ascii", "replace").strip() == kind.content_type
            return "[Content_Types].xml" in names and any(n.startswith(OOXML_FOLDERS[kind]) for n in names)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False
    finally:
        file.seek(0)


def _content_is(file, kind: DocumentType) -> bool:
    head = _head(file)
    if kind is PDF:
        return head.startswith(b"%PDF-")
    if kind is PNG:
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if kind is JPEG:
        return head.startswith(b"\xff\xd8\xff")
    if kind in ODF or kind in OOXML_FOLDERS:
        return head.startswith(b"PK\x03\x04") and _zip_holds(file, kind)
    # CSV, TXT: text, not a binary file renamed.
    return bool(head) and not (set(head) & BINARY_BYTES)


def document_check(file, name: str) -> DocumentType:
    """The type of the uploaded `file` named `name`; a ValidationError on `file` (naming the size limit or the
    accepted types) if it is too big, empty, of a type not accepted, or if its content is not what its name says."""
    size = file.size
    if size > max_bytes():
        raise ValidationError({"file": size_error(size)}, code="too_big")
    if not size:
        raise ValidationError({"file": _("Le fichier est vide.")}, code="empty")
    kind = TYPES.get(extension_of(name))
    if kind is None:
        raise ValidationError({"file": type_error()}, code="type")
    if not _content_is(file, kind):
        raise ValidationError(
            {
                "file": _(
                    "Le contenu du fichier ne correspond pas à son extension (.%(extension)s) : "
                    "il n'est pas accepté. Types acceptés : %(types)s."
                )
                % {"extension": extension_of(name), "types": accepted_types_label()}
            },
            code="content",
        )
    return kind
