"""Import of the public beta.gouv.fr portfolio: a copy of the site's `content/` folder.

The folder holds `_organisations/`, `_incubators/` and `_startups/`, one file per record: YAML
front matter between two `---` lines, then a markdown body. A record's identifier is its file name
without `.md`, kept as it is (dots included).

The rules (issue "Foundation", item 4) live here, in small functions that read the files without
touching the database (`read_document`, `parse_*`, `normalise_phases`…), and in `BetagouvImporter`,
which compares what the files say with what the database holds and writes only the differences.
Running the import twice therefore changes nothing the second time.

A file that cannot be understood is rejected with one line naming it and the reason; every other
file is still imported, each startup in its own transaction, so that none is ever half-imported.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from core.converters import SLUG_MAX_LENGTH, is_valid_slug
from core.durations import short_date
from products.enums import LEGACY_PHASES, LIFECYCLE_RANK, EventKind, OrganisationType, PhaseName
from products.models import Event, ImportRun, Incubator, Organisation, Phase, Startup, Theme
from products.sections import (  # the body's sections: "## Problème", "## Objectifs à 6 mois"…
    OBJECTIVES_WORDS,
    PROBLEM_WORDS,
    SOLUTION_WORDS,
    STRATEGY_WORDS,
    markdown_section,
)

ORGANISATIONS_DIR = "_organisations"
INCUBATORS_DIR = "_incubators"
STARTUPS_DIR = "_startups"

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.DOTALL | re.MULTILINE)
_URL = URLValidator()
# libyaml's safe loader when PyYAML was built with it (ten times faster on the 662 real files).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Kinds of record, in the order the summary lists them, with their label for people.
RECORD_KINDS = {
    "organisations": "Organisations",
    "incubators": "Incubateurs",
    "themes": "Thématiques",
    "startups": "Startups",
    "phases": "Phases",
    "events": "Événements",
}
OUTCOMES = ("created", "updated", "unchanged", "deleted", "rejected")


class Rejected(Exception):
    """A file that cannot be understood; the message says why, in French, on one line."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = " ".join(str(message).split())


class SourceFolderError(Exception):
    """The folder given to the importer is not a copy of the beta.gouv.fr `content/` folder."""


# --- The report ---------------------------------------------------------------------------------
@dataclasses.dataclass
class ImportReport:
    """What an import did: counts per kind of record, warnings and rejected files."""

    counts: dict[str, Counter] = dataclasses.field(default_factory=lambda: defaultdict(Counter))
    warnings: list[str] = dataclasses.field(default_factory=list)
    rejections: list[str] = dataclasses.field(default_factory=list)
    # One line per disagreement between a file and a record of the app, which the import kept.
    conflicts: list[str] = dataclasses.field(default_factory=list)
    import_run: ImportRun | None = None
    phases_ended_at_next_start: int = 0
    phases_cut: int = 0
    files_with_same_day_phases: int = 0

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts[kind][outcome] += n

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(f"{where} : {message}")

    def reject(self, kind: str, where: str, message: str) -> None:
        self.count(kind, "rejected")
        self.rejections.append(f"{where} : {' '.join(str(message).split())}")

    def conflict(self, slug: str, field: str, file_value: str, app_value: str) -> None:
        self.conflicts.append(
            _("%(slug)s : %(field)s — fichier : « %(file)s », application : « %(app)s »")
            % {"slug": slug, "field": field, "file": file_value, "app": app_value}
        )

    def merge(self, other: ImportReport) -> None:
        for kind, counter in other.counts.items():
            self.counts[kind].update(counter)
        self.warnings.extend(other.warnings)
        self.rejections.extend(other.rejections)
        self.conflicts.extend(other.conflicts)
        self.phases_ended_at_next_start += other.phases_ended_at_next_start
        self.phases_cut += other.phases_cut
        self.files_with_same_day_phases += other.files_with_same_day_phases

    def total(self, outcome: str) -> int:
        return sum(counter[outcome] for counter in self.counts.values())

    def summary(self) -> dict:
        """What the import run keeps of its report."""
        return {
            "counts": {kind: dict(counter) for kind, counter in self.counts.items()},
            "conflicts": len(self.conflicts),
            "warnings": len(self.warnings),
            "rejected": self.total("rejected"),
        }


# --- Reading files ------------------------------------------------------------------------------
def identifier(path: Path) -> str:
    """A record's identifier: its file name without `.md`, kept as it is once checked (`slug_check`)."""
    return slug_check(path.name.removesuffix(".md"))


def slug_check(slug: str) -> str:
    """`slug` if the addresses of the site can carry it (letters, digits, `.`, `-`, `_`: the character set of
    beta.gouv.fr's file names, see core.converters); else Rejected, naming what is wrong."""
    if not is_valid_slug(slug):
        raise Rejected(
            _("identifiant « %(slug)s » invalide : lettres, chiffres, « . », « - » et « _ » seulement, %(max)d au plus")
            % {"slug": slug.encode("unicode_escape").decode("ascii"), "max": SLUG_MAX_LENGTH}
        )
    return slug


def document_paths(folder: Path) -> list[Path]:
    return sorted(path for path in folder.iterdir() if path.is_file() and not path.name.startswith("."))


def _yaml_error(error: Exception) -> str:
    if isinstance(error, yaml.MarkedYAMLError) and error.problem and error.problem_mark is not None:
        mark = error.problem_mark
        return _("YAML invalide : %(problem)s (ligne %(line)d, colonne %(column)d)") % {
            "problem": error.problem,
            "line": mark.line + 1,
            "column": mark.column + 1,
        }
    detail = str(error).splitlines()[0] if str(error) else type(error).__name__
    return _("YAML invalide : %(error)s") % {"error": detail}


@dataclasses.dataclass(frozen=True)
class SourceDocument:
    """A file as read: its front matter (parsed, and as written) and its markdown body."""

    data: dict
    front_matter: str
    body: str


def read_source(path: Path) -> SourceDocument:
    """The front matter (parsed and as written) and the markdown body of a file."""
    try:
        content = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise Rejected(_("fichier illisible : il n'est pas encodé en UTF-8")) from error
    match = _FRONT_MATTER.match(content)
    if match is None:
        raise Rejected(_("pas d'en-tête YAML entre deux lignes « --- »"))
    try:
        data = yaml.load(match.group(1), Loader=_YAML_LOADER)
    except yaml.YAMLError as error:
        raise Rejected(_yaml_error(error)) from error
    except (ValueError, TypeError) as error:  # e.g. a date such as 2021-13-45
        raise Rejected(_("YAML invalide : valeur illisible (%(error)s)") % {"error": error}) from error
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise Rejected(_("l'en-tête YAML n'est pas une liste de champs « clé: valeur »"))
    return SourceDocument(data=data, front_matter=match.group(1), body=match.group(2))


def read_document(path: Path) -> tuple[dict, str]:
    """The front matter (a dict) and the markdown body of a file."""
    document = read_source(path)
    return document.data, document.body


def text(value) -> str:
    return "" if value is None else str(value).strip()


def text_list(value) -> list[str]:
    """A list of non-empty strings, duplicates removed, order kept."""
    if value is None:
        return []
    if not isinstance(value, list):
        value = [value]
    return list(dict.fromkeys(item for item in (text(v) for v in value) if item))


def reference(value, prefix: str) -> str:
    """`/organisations/dinum` → `dinum` (a bare `dinum` is accepted too)."""
    return text(value).removeprefix(prefix).strip("/")


def clean_url(value, field: str, warnings: list[str]) -> str:
    """A URL as found in the files (spaces and HTML entities removed); an invalid one is dropped."""
    url = html.unescape(text(value))
    if not url:
        return ""
    try:
        _URL(url)
    except ValidationError:
        warnings.append(_("adresse invalide dans « %(field)s » ignorée : %(url)s") % {"field": field, "url": url})
        return ""
    return url


def optional_bool(value, key: str, warnings: list[str]) -> bool | None:
    """A yes/no key (`stats`, `analyse_risques`…): True or False as written, None when the file says
    nothing; any other value is dropped with a warning."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    warnings.append(
        _("« %(key)s » doit valoir true ou false, pas « %(value)s » : ignoré") % {"key": key, "value": value}
    )
    return None


def parse_fast(value, warnings: list[str]) -> dict | None:
    """The FAST funding, `{"promotion": int, "montant": int}`, or None when the file says nothing.
    Anything else is dropped with a warning: the rest of the file is still imported."""
    if value is None or value == "" or value == {}:
        return None
    if (
        isinstance(value, dict)
        and set(value) == {"promotion", "montant"}
        and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value.values())
    ):
        return {"promotion": value["promotion"], "montant": value["montant"]}
    warnings.append(
        _("« fast » doit donner deux nombres entiers, « promotion » et « montant », pas « %(value)s » : ignoré")
        % {"value": value}
    )
    return None


def to_date(value, what: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise Rejected(_("%(what)s : date illisible « %(value)s »") % {"what": what, "value": value})


def _label(name: str) -> str:
    return str(PhaseName(name).label)


# --- Phases -------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class PhaseData:
    name: str
    start: datetime.date
    end: datetime.date | None = None
    comment: str = ""

    @property
    def rank(self) -> int:
        return LIFECYCLE_RANK[self.name]


def phase_name(value) -> str:
    """A phase value of the files, legacy values mapped (`transfer` → `transfere`…)."""
    name = text(value)
    if name in LIFECYCLE_RANK:
        return name
    if name in LEGACY_PHASES:
        return str(LEGACY_PHASES[name])
    raise Rejected(_("valeur de phase inconnue « %(value)s »") % {"value": name})


def parse_phases(raw) -> list[PhaseData]:
    """The phases as written in a file, checked one by one (not yet normalised)."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise Rejected(_("« phases » doit être une liste"))
    phases: dict[str, PhaseData] = {}
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not text(item.get("name")):
            raise Rejected(_("la phase n° %(number)d n'a pas de nom (« name »)") % {"number": number})
        name = phase_name(item["name"])
        if item.get("start") is None:
            raise Rejected(_("la phase « %(name)s » n'a pas de date de début") % {"name": name})
        start = to_date(item["start"], _("début de la phase « %(name)s »") % {"name": name})
        end = None
        if item.get("end") is not None:
            end = to_date(item["end"], _("fin de la phase « %(name)s »") % {"name": name})
        if end is not None and end < start:
            raise Rejected(
                _("la phase « %(name)s » finit le %(end)s, avant d'avoir commencé (%(start)s)")
                % {"name": name, "end": short_date(end), "start": short_date(start)}
            )
        if name in phases:
            legacy = text(item["name"])
            if legacy != name:
                raise Rejected(
                    _("la phase « %(name)s » apparaît deux fois (« %(legacy)s » est l'ancien nom de « %(name)s »)")
                    % {"name": name, "legacy": legacy}
                )
            raise Rejected(_("la phase « %(name)s » apparaît deux fois") % {"name": name})
        phases[name] = PhaseData(name=name, start=start, end=end, comment=text(item.get("comment")))
    return list(phases.values())


@dataclasses.dataclass
class NormalisedPhases:
    phases: list[PhaseData]
    ended_at_next_start: int = 0
    cuts: list[str] = dataclasses.field(default_factory=list)
    same_day: bool = False


def normalise_phases(phases: Iterable[PhaseData]) -> NormalisedPhases:
    """Order the phases by start date, ties in lifecycle order; a phase without an end ends where the
    next one starts (the last one stays open); a phase ending after the next one starts is cut at
    that start (reported). Zero-day phases are allowed."""
    ordered = sorted(phases, key=lambda phase: (phase.start, phase.rank))
    result = NormalisedPhases(phases=[], same_day=len({p.start for p in ordered}) < len(ordered))
    for current, following in zip(ordered, [*ordered[1:], None], strict=True):
        end = current.end
        if following is not None:
            if end is None:
                end = following.start
                result.ended_at_next_start += 1
            elif end > following.start:
                result.cuts.append(
                    _(
                        "la phase « %(name)s » finissait le %(end)s, après le début de « %(next)s » "
                        "(%(start)s) : elle est coupée au %(start)s"
                    )
                    % {
                        "name": _label(current.name),
                        "end": short_date(end),
                        "next": _label(following.name),
                        "start": short_date(following.start),
                    }
                )
                end = following.start
        result.phases.append(dataclasses.replace(current, end=end))
    return result


def check_no_overlap(phases: list[PhaseData]) -> None:
    """The model's own overlap rule, applied to the normalised phases before anything is written."""
    instances = [Phase(name=p.name, start=p.start, end=p.end) for p in phases]
    for index, phase in enumerate(instances):
        for other in instances[index + 1 :]:
            if phase.overlaps(other):
                raise Rejected(
                    _("les phases « %(a)s » et « %(b)s » se chevauchent") % {"a": phase.name, "b": other.name}
                )


# --- Events -------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class EventData:
    kind: str
    date: datetime.date
    comment: str = ""

    @property
    def key(self) -> tuple:
        return (self.kind, self.date, self.comment)


def parse_events(raw, warnings: list[str]) -> list[EventData]:
    """The events of a file; an unknown kind is kept as `other`, with a warning."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise Rejected(_("« events » doit être une liste"))
    events = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise Rejected(_("l'événement n° %(number)d n'est pas une liste de champs") % {"number": number})
        kind = text(item.get("name"))
        if kind not in EventKind.values:
            warnings.append(
                _("type d'événement inconnu « %(kind)s » (événement n° %(number)d) : gardé comme « %(other)s »")
                % {"kind": kind, "number": number, "other": EventKind.OTHER.label}
            )
            kind = EventKind.OTHER.value
        if item.get("date") is None:
            raise Rejected(_("l'événement n° %(number)d n'a pas de date") % {"number": number})
        date = to_date(item["date"], _("date de l'événement n° %(number)d") % {"number": number})
        events.append(EventData(kind=kind, date=date, comment=text(item.get("comment"))))
    return events


# --- Records as the files describe them ---------------------------------------------------------
def parse_organisation(data: dict, warnings: list[str]) -> dict:
    name = text(data.get("name"))
    if not name:
        raise Rejected(_("pas de nom (« name »)"))
    kind = text(data.get("type"))
    if kind and kind not in OrganisationType.values:
        warnings.append(_("type d'organisation inconnu « %(type)s » : importée sans type") % {"type": kind})
        kind = ""
    return {
        "name": name,
        "acronym": text(data.get("acronym")),
        "type": kind,
        "ministerial_domain": text(data.get("domaine_ministeriel")),
    }


def parse_incubator(data: dict, warnings: list[str]) -> tuple[dict, str]:
    """The incubator's fields and its owner's identifier ("" when the file names none)."""
    title = text(data.get("title"))
    if not title:
        raise Rejected(_("pas de titre (« title »)"))
    fields = {
        "title": title,
        "short_description": text(data.get("short_description")),
        "contact": text(data.get("contact")),
        "website": clean_url(data.get("website"), "website", warnings),
    }
    return fields, reference(data.get("owner"), "/organisations/")


@dataclasses.dataclass
class StartupData:
    slug: str
    fields: dict
    incubator: str
    co_incubators: list[str]
    sponsors: list[str]
    themes: list[str]
    phases: NormalisedPhases
    events: list[EventData]
    warnings: list[str]


STARTUP_URLS = {
    "link": "link",
    "repository": "repository",
    "stats_url": "stats_url",
    "budget_url": "budget_url",
    "impact_url": "impact_url",
    "analyse_risques_url": "analyse_risques_url",
    "dashlord_url": "dashlord_url",
}
# Yes/no keys, absent (None) when the file does not say.
STARTUP_BOOLEANS = ("stats", "analyse_risques", "mon_service_securise")


def parse_startup(slug: str, data: dict, body: str) -> StartupData:
    warnings: list[str] = []
    name = text(data.get("title"))
    if not name:
        raise Rejected(_("pas de titre (« title »)"))
    incubator = reference(data.get("incubator"), "/incubators/")
    if not incubator:
        raise Rejected(_("pas d'incubateur (« incubator »)"))
    co_incubators = sorted(
        {reference(slug_, "/incubators/") for slug_ in text_list(data.get("incubators"))} - {incubator, ""}
    )
    phases = normalise_phases(parse_phases(data.get("phases")))
    check_no_overlap(phases.phases)
    warnings.extend(phases.cuts)
    events = parse_events(data.get("events"), warnings)
    description = body.strip()
    fields = {
        "name": name,
        "mission": text(data.get("mission")),
        "contact": text(data.get("contact")),
        "usertypes": text_list(data.get("usertypes")),
        "description": description,
        "problem": markdown_section(description, PROBLEM_WORDS),
        "solution": markdown_section(description, SOLUTION_WORDS),
        "objectives": markdown_section(description, OBJECTIVES_WORDS),
        "strategy": markdown_section(description, STRATEGY_WORDS),
        "techno": text_list(data.get("techno")),
        "accessibility_status": text(data.get("accessibility_status")),
        "fast": parse_fast(data.get("fast"), warnings),
        "contact_dinum": text(data.get("contact_dinum")),
        "contact_incubator": text(data.get("contact_incubator")),
    }
    for key in STARTUP_BOOLEANS:
        fields[key] = optional_bool(data.get(key), key, warnings)
    for field, key in STARTUP_URLS.items():
        fields[field] = clean_url(data.get(key), key, warnings)
    return StartupData(
        slug=slug,
        fields=fields,
        incubator=incubator,
        co_incubators=co_incubators,
        sponsors=sorted({reference(s, "/organisations/") for s in text_list(data.get("sponsors"))} - {""}),
        themes=text_list(data.get("thematiques")),
        phases=phases,
        events=events,
        warnings=warnings,
    )


# --- Writing ------------------------------------------------------------------------------------
def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ; ".join(f"{field} : {' '.join(map(str, messages))}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)


def changed_fields(instance, fields: dict) -> dict:
    """The fields whose value differs from the instance's."""
    return {field: value for field, value in fields.items() if getattr(instance, field) != value}


def validate(instance, exclude: Iterable[str] = ()) -> None:
    """Field checks of a record about to be written, as a `Rejected` naming what was refused."""
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise Rejected(_("valeur refusée : %(error)s") % {"error": _validation_message(error)}) from error


def shown(value) -> str:
    """A value as a conflict line shows it: dates localised, nothing as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.date):
        return short_date(value)
    return str(value)


def phase_span(start: datetime.date, end: datetime.date | None) -> str:
    if end is None:
        return _("depuis le %(start)s") % {"start": shown(start)}
    return _("du %(start)s au %(end)s") % {"start": shown(start), "end": shown(end)}


# --- The sync of the other apps' records -----------------------------------------------------------
@dataclasses.dataclass
class StartupSync:
    """What an app's sync sees of one startup, once its phases and events follow the file.

    `phases` are the startup's phases by name as they now stand (the app's and the file's), `events` its
    events. Inside the startup's transaction: a `Rejected` raised here rejects the whole file."""

    run: ImportRun
    startup: Startup
    parsed: StartupData
    phases: dict[str, Phase]
    events: list[Event]
    report: ImportReport
    is_new: bool

    def count(self, kind: str, outcome: str) -> None:
        self.report.count(kind, outcome)

    def conflict(self, field: str, file_value, app_value) -> None:
        self.report.conflict(self.startup.slug, field, shown(file_value), shown(app_value))

    def warn(self, message: str) -> None:
        self.report.warnings.append(message)


@dataclasses.dataclass(frozen=True)
class StartupSyncHook:
    kind: str
    label: str
    sync: Callable[[StartupSync], None]
    order: int


_SYNC_HOOKS: dict[str, StartupSyncHook] = {}


def register_startup_sync(*, kind: str, label, sync: Callable[[StartupSync], None], order: int) -> None:
    """For the apps above products: `sync` is called for each imported startup, in `order`, after its phases
    and events; its counts are reported under `kind` (`label` for people). Registering twice replaces."""
    _SYNC_HOOKS[kind] = StartupSyncHook(kind=kind, label=label, sync=sync, order=order)


def startup_sync_hooks() -> list[StartupSyncHook]:
    return sorted(_SYNC_HOOKS.values(), key=lambda hook: hook.order)


def record_kinds() -> dict[str, str]:
    """Kinds of record in the order the summary lists them, with their label for people."""
    return {**RECORD_KINDS, **{hook.kind: str(hook.label) for hook in startup_sync_hooks()}}


class BetagouvImporter:
    """Merges the files into the database: organisations, incubators, startups, their phases and events,
    then, through the hooks the other apps register, what they derive from them (investigations, past
    committee reviews). What the app recorded itself is kept; where the files disagree, a conflict is
    reported."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.report = ImportReport()

    def run(self) -> ImportReport:
        self.check_folder()
        self.import_run = ImportRun.objects.create(path=str(self.root))
        self.report.import_run = self.import_run
        self.import_organisations()
        self.import_incubators()
        self.import_startups()
        self.import_run.summary = self.report.summary()
        self.import_run.save(update_fields=["summary"])
        return self.report

    def check_folder(self) -> None:
        if not self.root.is_dir():
            raise SourceFolderError(_("Le dossier « %(path)s » n'existe pas.") % {"path": self.root})
        folders = (ORGANISATIONS_DIR, INCUBATORS_DIR, STARTUPS_DIR)
        missing = [name for name in folders if not (self.root / name).is_dir()]
        if missing:
            raise SourceFolderError(
                _(
                    "Le dossier « %(path)s » n'est pas une copie du dossier content/ de beta.gouv.fr : "
                    "il y manque %(missing)s."
                )
                % {"path": self.root, "missing": ", ".join(f"{name}/" for name in missing)}
            )

    def documents(self, folder: str, kind: str):
        """(path, where, identifier) of each file of a folder, a duplicated identifier rejected."""
        seen: dict[str, str] = {}
        for path in document_paths(self.root / folder):
            where = f"{folder}/{path.name}"
            try:
                slug = identifier(path)
            except Rejected as rejected:
                self.report.reject(kind, where, rejected.message)
                continue
            if slug in seen:
                message = _("identifiant « %(slug)s » déjà pris par %(other)s") % {"slug": slug, "other": seen[slug]}
                self.report.reject(kind, where, message)
                continue
            seen[slug] = path.name
            yield path, where, slug

    # Organisations and incubators: one transaction per file.
    def _save_record(self, kind: str, model, existing, slug: str, fields: dict, exclude=()) -> object:
        with transaction.atomic():
            if existing is None:
                instance = model(slug=slug, **fields)
                validate(instance, exclude)
                instance.save()
                self.report.count(kind, "created")
                return instance
            changed = changed_fields(existing, fields)
            if not changed:
                self.report.count(kind, "unchanged")
                return existing
            for field, value in changed.items():
                setattr(existing, field, value)
            validate(existing, exclude)
            existing.save()
            self.report.count(kind, "updated")
            return existing

    def import_documents(self, kind: str, directory: str, model, build, exclude=()) -> None:
        """Organisations and incubators: one file a record, each saved alone; `build(data, warnings)` turns a
        file's front matter into the model's fields. A refused file is reported and leaves the others alone."""
        existing = {record.slug: record for record in model.objects.all()}
        for path, where, slug in self.documents(directory, kind):
            warnings: list[str] = []
            try:
                document = read_source(path)
                fields = build(document.data, warnings)
                fields.update(source_front_matter=document.front_matter, source_body=document.body)
                self._save_record(kind, model, existing.get(slug), slug, fields, exclude=list(exclude))
            except Rejected as error:
                self.report.reject(kind, where, error.message)
                continue
            except DatabaseError as error:
                self.report.reject(kind, where, _("refusé par la base de données : %s") % error)
                continue
            for warning in warnings:
                self.report.warn(where, warning)

    def import_organisations(self) -> None:
        self.import_documents("organisations", ORGANISATIONS_DIR, Organisation, parse_organisation)

    def import_incubators(self) -> None:
        organisations = {o.slug: o for o in Organisation.objects.all()}

        def build(data, warnings):
            fields, owner_slug = parse_incubator(data, warnings)
            owner = organisations.get(owner_slug)
            if not owner_slug:
                warnings.append(_("pas d'organisation porteuse (« owner ») : importé sans"))
            elif owner is None:
                warnings.append(
                    _("organisation porteuse inconnue « %(owner)s » : importé sans") % {"owner": owner_slug}
                )
            fields["owner_id"] = owner.pk if owner else None
            return fields

        self.import_documents("incubators", INCUBATORS_DIR, Incubator, build, exclude=["owner"])

    # Startups: each in its own transaction, with everything that hangs on it.
    def import_startups(self) -> None:
        self.incubators = {i.slug: i for i in Incubator.objects.all()}
        self.organisations = {o.slug: o for o in Organisation.objects.all()}
        self.themes = {t.name: t for t in Theme.objects.all()}
        startups = {
            s.slug: s
            for s in Startup.objects.prefetch_related("phases", "events", "themes", "co_incubators", "sponsors")
        }
        for path, where, slug in self.documents(STARTUPS_DIR, "startups"):
            try:
                document = read_source(path)
                parsed = parse_startup(slug, document.data, document.body)
                parsed.fields.update(source_front_matter=document.front_matter, source_body=document.body)
                self.resolve(parsed)
            except Rejected as error:
                self.report.reject("startups", where, error.message)
                continue
            part = ImportReport()
            try:
                with transaction.atomic():
                    StartupWriter(self, parsed, startups.get(slug), part).write()
            except (Rejected, ValidationError, DatabaseError) as error:
                if isinstance(error, Rejected):
                    message = error.message
                else:
                    detail = _validation_message(error) if isinstance(error, ValidationError) else str(error)
                    message = _("refusé par la base de données : %s") % detail
                self.report.reject("startups", where, message)
                self.themes = {t.name: t for t in Theme.objects.all()}
                continue
            for warning in parsed.warnings + part.warnings:
                self.report.warn(where, warning)
            part.warnings = []
            self.report.merge(part)
            self.report.phases_ended_at_next_start += parsed.phases.ended_at_next_start
            self.report.phases_cut += len(parsed.phases.cuts)
            self.report.files_with_same_day_phases += int(parsed.phases.same_day)

    def resolve(self, parsed: StartupData) -> None:
        """Check the incubators the file names exist; drop (with a warning) unknown sponsors."""
        for slug in [parsed.incubator, *parsed.co_incubators]:
            if slug not in self.incubators:
                raise Rejected(_("incubateur inconnu « %(slug)s »") % {"slug": slug})
        unknown = [slug for slug in parsed.sponsors if slug not in self.organisations]
        for slug in unknown:
            parsed.warnings.append(_("sponsor inconnu « %(slug)s » : ignoré") % {"slug": slug})
        parsed.sponsors = [slug for slug in parsed.sponsors if slug in self.organisations]


class StartupWriter:
    """Merges one startup's file into the database: its own fields follow the file; its phases and events
    follow the file where they came from it, and stay as they are where the app recorded them (each
    disagreement reported as a conflict); then the other apps' syncs run."""

    def __init__(self, importer: BetagouvImporter, parsed: StartupData, startup: Startup | None, report: ImportReport):
        self.importer = importer
        self.run = importer.import_run
        self.parsed = parsed
        self.startup = startup
        self.report = report
        self.is_new = startup is None

    def write(self) -> None:
        self.write_startup()
        phases = self.write_phases()
        events = self.write_events()
        sync = StartupSync(
            run=self.run,
            startup=self.startup,
            parsed=self.parsed,
            phases=phases,
            events=events,
            report=self.report,
            is_new=self.is_new,
        )
        for hook in startup_sync_hooks():
            hook.sync(sync)

    def conflict(self, field: str, file_value, app_value) -> None:
        self.report.conflict(self.parsed.slug, field, shown(file_value), shown(app_value))

    def write_startup(self) -> None:
        parsed = self.parsed
        fields = {**parsed.fields, "incubator_id": self.importer.incubators[parsed.incubator].pk}
        themes = [self.theme(name) for name in parsed.themes]
        co_incubators = [self.importer.incubators[slug] for slug in parsed.co_incubators]
        sponsors = [self.importer.organisations[slug] for slug in parsed.sponsors]
        startup = self.startup
        if startup is None:
            startup = self.startup = Startup(slug=parsed.slug, **fields)
            validate(startup, exclude=["incubator"])
            startup.save()
            startup.themes.set(themes)
            startup.co_incubators.set(co_incubators)
            startup.sponsors.set(sponsors)
            self.report.count("startups", "created")
            return
        changed = changed_fields(startup, fields)
        relations = [(startup.themes, themes), (startup.co_incubators, co_incubators), (startup.sponsors, sponsors)]
        changed_relations = [
            (manager, wanted)
            for manager, wanted in relations
            if {o.pk for o in manager.all()} != {o.pk for o in wanted}
        ]
        if not changed and not changed_relations:
            self.report.count("startups", "unchanged")
            return
        for field, value in changed.items():
            setattr(startup, field, value)
        validate(startup, exclude=["incubator"])
        startup.save()
        for manager, wanted in changed_relations:
            manager.set(wanted)
        self.report.count("startups", "updated")

    def theme(self, name: str) -> Theme:
        theme = self.importer.themes.get(name)
        if theme is None:
            theme = Theme(name=name)
            validate(theme)
            theme.save()
            self.importer.themes[name] = theme
            self.report.count("themes", "created")
        return theme

    def write_phases(self) -> dict[str, Phase]:
        """The app's phases stay as they are, each difference with the file reported; the file's other phases
        follow it, unless one would overlap a phase of the app (reported, not written). The phase left open is
        written last (one open phase at a time)."""
        startup = self.startup
        wanted = self.parsed.phases.phases
        current = {} if self.is_new else {p.name: p for p in startup.phases.all()}
        app = {name: phase for name, phase in current.items() if phase.is_from_app}
        in_file = {data.name: data for data in wanted}
        for name, phase in sorted(app.items(), key=lambda item: (item[1].start, item[1].rank)):
            label = _label(name)
            data = in_file.get(name)
            if data is None:
                self.conflict(
                    _("phase « %(phase)s »") % {"phase": label},
                    _("absente"),
                    phase_span(phase.start, phase.end),
                )
                continue
            for field, field_label in (("start", _("début")), ("end", _("fin"))):
                if getattr(data, field) != getattr(phase, field):
                    self.conflict(
                        _("phase « %(phase)s », %(field)s") % {"phase": label, "field": field_label},
                        getattr(data, field),
                        getattr(phase, field),
                    )
        placed = []
        for data in wanted:
            if data.name in app:
                continue
            probe = Phase(name=data.name, start=data.start, end=data.end)
            clash = next((phase for phase in app.values() if probe.overlaps(phase)), None)
            if clash is not None:
                self.conflict(
                    _("phase « %(phase)s »") % {"phase": _label(data.name)},
                    phase_span(data.start, data.end),
                    _("chevauche la phase « %(phase)s » (%(span)s)")
                    % {"phase": _label(clash.name), "span": phase_span(clash.start, clash.end)},
                )
                continue
            placed.append(data)
        placed_names = {data.name for data in placed}
        for name, phase in current.items():
            if phase.is_from_file and name not in placed_names:
                phase.delete()
                self.report.count("phases", "deleted")
        written = dict(app)
        changed = False
        for data in sorted(placed, key=lambda p: p.end is None):
            phase = current.get(data.name)
            values = {"start": data.start, "end": data.end, "comment": data.comment}
            if phase is None:
                phase = Phase(startup=startup, name=data.name, **values)
                outcome = "created"
            elif changed_fields(phase, values):
                for field, value in values.items():
                    setattr(phase, field, value)
                outcome = "updated"
            else:
                written[data.name] = phase
                self.report.count("phases", "unchanged")
                continue
            phase.mark_imported(self.run)
            _validate_phase(phase)
            phase.save()
            written[data.name] = phase
            changed = True
            self.report.count("phases", outcome)
        last = max(written.values(), key=lambda p: (p.start, p.rank), default=None)
        expected = (last.name, last.start) if last else ("", None)
        if changed or len(current) != len(written) or (startup.current_phase, startup.current_phase_start) != expected:
            startup.refresh_current_phase()
        return written

    def write_events(self) -> list[Event]:
        """Events have no identity in the files: those whose (kind, date, comment) is still in the file are
        kept, the file's others deleted, the new ones created. The app's events stay, reported when the file
        no longer has them."""
        startup = self.startup
        remaining = [] if self.is_new else list(startup.events.all())
        kept, to_create = [], []
        for data in self.parsed.events:
            match = next((e for e in remaining if (e.kind, e.date, e.comment) == data.key), None)
            if match is None:
                to_create.append(data)
            else:
                remaining.remove(match)
                kept.append(match)
                self.report.count("events", "unchanged")
        for event in remaining:
            if event.is_from_app:
                self.conflict(
                    _("événement « %(kind)s » du %(date)s")
                    % {"kind": event.get_kind_display(), "date": shown(event.date)},
                    _("absent"),
                    event.comment or _("présent"),
                )
                kept.append(event)
                continue
            event.delete()
            self.report.count("events", "deleted")
        for data in to_create:
            event = Event(startup=startup, kind=data.kind, date=data.date, comment=data.comment)
            event.mark_imported(self.run)
            validate(event, exclude=["startup"])
            event.save()
            kept.append(event)
            self.report.count("events", "created")
        return kept


def _validate_phase(phase: Phase) -> None:
    """Field checks only: the normalised list was checked against overlaps as a whole, and the
    database enforces the rest (end after start, one name per startup, one open phase)."""
    try:
        phase.clean_fields(exclude=["startup", "rank"])
    except ValidationError as error:
        raise Rejected(_("phase refusée : %(error)s") % {"error": _validation_message(error)}) from error


def import_betagouv(path: Path | str) -> ImportReport:
    return BetagouvImporter(path).run()
