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
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from betatracker.converters import SLUG_MAX_LENGTH, is_valid_slug
from committees.enums import Outcome
from committees.models import Decision, Review
from investigations.enums import InvestigationStatus
from investigations.models import DEFAULT_DURATION, Investigation
from products.enums import LEGACY_PHASES, LIFECYCLE_RANK, EventKind, OrganisationType, PhaseName
from products.models import Event, Incubator, Organisation, Phase, Startup, Theme

ORGANISATIONS_DIR = "_organisations"
INCUBATORS_DIR = "_incubators"
STARTUPS_DIR = "_startups"

# Kept in the database as the rationale of a committee decision whose event has no comment.
EMPTY_COMMITTEE_RATIONALE = "Aucun commentaire dans beta.gouv.fr"

# Headings whose first word (after an article) opens the problem / solution section of a body:
# "## Problème", "## Le problème", "## Problème visé :", "## La solution", "## Notre solution"…
PROBLEM_WORDS = {"problème", "problèmes", "probleme", "problemes"}
SOLUTION_WORDS = {"solution", "solutions"}
_ARTICLES = ("le ", "la ", "les ", "l'", "l’", "notre ", "nos ")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
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
    "investigations": "Investigations",
    "reviews": "Passages en comité",
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

    counts: dict[str, Counter] = dataclasses.field(default_factory=lambda: {kind: Counter() for kind in RECORD_KINDS})
    warnings: list[str] = dataclasses.field(default_factory=list)
    rejections: list[str] = dataclasses.field(default_factory=list)
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

    def merge(self, other: ImportReport) -> None:
        for kind, counter in other.counts.items():
            self.counts[kind].update(counter)
        self.warnings.extend(other.warnings)
        self.rejections.extend(other.rejections)
        self.phases_ended_at_next_start += other.phases_ended_at_next_start
        self.phases_cut += other.phases_cut
        self.files_with_same_day_phases += other.files_with_same_day_phases

    def total(self, outcome: str) -> int:
        return sum(counter[outcome] for counter in self.counts.values())


# --- Reading files ------------------------------------------------------------------------------
def identifier(path: Path) -> str:
    """A record's identifier: its file name without `.md`, kept as it is once checked (`slug_check`)."""
    return slug_check(path.name.removesuffix(".md"))


def slug_check(slug: str) -> str:
    """`slug` if the addresses of the site can carry it (letters, digits, `.`, `-`, `_`: the character set of
    beta.gouv.fr's file names, see betatracker.converters); else Rejected, naming what is wrong."""
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


def read_document(path: Path) -> tuple[dict, str]:
    """The front matter (a dict) and the markdown body of a file."""
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
    return data, match.group(2)


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


def _fr(date: datetime.date) -> str:
    return date.strftime("%d/%m/%Y")


def _label(name: str) -> str:
    return str(PhaseName(name).label)


# --- Markdown body ------------------------------------------------------------------------------
def _heading_word(title: str) -> str:
    title = re.sub(r"[*_`]", "", title).strip().lower()
    for article in _ARTICLES:
        if title.startswith(article):
            title = title[len(article) :].lstrip()
            break
    match = re.match(r"\w+", title)
    return match.group(0) if match else ""


def markdown_section(body: str, words: set[str]) -> str:
    """The text under the first heading whose first word is one of `words`, up to the next heading
    of the same or a higher level."""
    headings = list(_HEADING.finditer(body))
    for index, heading in enumerate(headings):
        if _heading_word(heading.group(2)) in words:
            level = len(heading.group(1))
            end = next((h.start() for h in headings[index + 1 :] if len(h.group(1)) <= level), len(body))
            return body[heading.end() : end].strip()
    return ""


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
                % {"name": name, "end": _fr(end), "start": _fr(start)}
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
                        "end": _fr(end),
                        "next": _label(following.name),
                        "start": _fr(following.start),
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
}


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
    }
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


# --- What the importer derives from phases and events -------------------------------------------
def investigation_fields(phase: PhaseData, phases: list[PhaseData]) -> dict:
    """An Investigation for an imported `investigation` phase (issue "Investigations", item 1).

    Status: en cours while the phase is open; non concluante if the startup went to
    `abandon-investigation`; concluante if it went on to another phase; suspendue if the phase was
    closed and nothing followed it (the files say nothing more)."""
    names_after = [p.name for p in phases if (p.start, p.rank) > (phase.start, phase.rank)]
    if phase.end is None:
        status = InvestigationStatus.EN_COURS
    elif PhaseName.ABANDON_INVESTIGATION in {p.name for p in phases}:
        status = InvestigationStatus.NON_CONCLUANTE
    elif names_after:
        status = InvestigationStatus.CONCLUANTE
    else:
        status = InvestigationStatus.SUSPENDUE
    return {
        "started_on": phase.start,
        "planned_end": phase.end or phase.start + DEFAULT_DURATION,
        "ended_on": phase.end,
        "status": str(status),
    }


def committee_rationale(comment: str) -> str:
    return comment or EMPTY_COMMITTEE_RATIONALE


# --- Writing ------------------------------------------------------------------------------------
def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ; ".join(f"{field} : {' '.join(map(str, messages))}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)


def _changed(instance, fields: dict) -> dict:
    return {field: value for field, value in fields.items() if getattr(instance, field) != value}


def _validate(instance, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise Rejected(_("valeur refusée : %(error)s") % {"error": _validation_message(error)}) from error


class BetagouvImporter:
    """Creates or updates organisations, incubators, startups, their phases and events, and the
    investigations and past committee reviews derived from them."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.report = ImportReport()

    def run(self) -> ImportReport:
        self.check_folder()
        self.import_organisations()
        self.import_incubators()
        self.import_startups()
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
                _validate(instance, exclude)
                instance.save()
                self.report.count(kind, "created")
                return instance
            changed = _changed(existing, fields)
            if not changed:
                self.report.count(kind, "unchanged")
                return existing
            for field, value in changed.items():
                setattr(existing, field, value)
            _validate(existing, exclude)
            existing.save()
            self.report.count(kind, "updated")
            return existing

    def import_organisations(self) -> None:
        existing = {o.slug: o for o in Organisation.objects.all()}
        for path, where, slug in self.documents(ORGANISATIONS_DIR, "organisations"):
            warnings: list[str] = []
            try:
                data, _body = read_document(path)
                fields = parse_organisation(data, warnings)
                self._save_record("organisations", Organisation, existing.get(slug), slug, fields)
            except Rejected as error:
                self.report.reject("organisations", where, error.message)
                continue
            except DatabaseError as error:
                self.report.reject("organisations", where, _("refusé par la base de données : %s") % error)
                continue
            for warning in warnings:
                self.report.warn(where, warning)

    def import_incubators(self) -> None:
        organisations = {o.slug: o for o in Organisation.objects.all()}
        existing = {i.slug: i for i in Incubator.objects.all()}
        for path, where, slug in self.documents(INCUBATORS_DIR, "incubators"):
            warnings: list[str] = []
            try:
                data, _body = read_document(path)
                fields, owner_slug = parse_incubator(data, warnings)
                owner = organisations.get(owner_slug)
                if not owner_slug:
                    warnings.append(_("pas d'organisation porteuse (« owner ») : importé sans"))
                elif owner is None:
                    warnings.append(
                        _("organisation porteuse inconnue « %(owner)s » : importé sans") % {"owner": owner_slug}
                    )
                fields["owner_id"] = owner.pk if owner else None
                self._save_record("incubators", Incubator, existing.get(slug), slug, fields, exclude=["owner"])
            except Rejected as error:
                self.report.reject("incubators", where, error.message)
                continue
            except DatabaseError as error:
                self.report.reject("incubators", where, _("refusé par la base de données : %s") % error)
                continue
            for warning in warnings:
                self.report.warn(where, warning)

    # Startups: each in its own transaction, with everything that hangs on it.
    def load_lookups(self) -> None:
        """What the startups refer to, read once; read again after a startup was rolled back."""
        self.themes = {t.name: t for t in Theme.objects.all()}
        self.investigations = {i.phase_id: i for i in Investigation.objects.filter(phase__isnull=False)}
        self.decisions = {d.event_id: d for d in Decision.objects.filter(event__isnull=False).select_related("review")}

    def import_startups(self) -> None:
        self.incubators = {i.slug: i for i in Incubator.objects.all()}
        self.organisations = {o.slug: o for o in Organisation.objects.all()}
        self.load_lookups()
        startups = {
            s.slug: s
            for s in Startup.objects.prefetch_related("phases", "events", "themes", "co_incubators", "sponsors")
        }
        for path, where, slug in self.documents(STARTUPS_DIR, "startups"):
            try:
                data, body = read_document(path)
                parsed = parse_startup(slug, data, body)
                self.resolve(parsed)
            except Rejected as error:
                self.report.reject("startups", where, error.message)
                continue
            part = ImportReport()
            try:
                with transaction.atomic():
                    StartupWriter(self, parsed, startups.get(slug), part).write()
            except Rejected as error:
                self.report.reject("startups", where, error.message)
                self.load_lookups()
                continue
            except (ValidationError, DatabaseError) as error:
                message = _validation_message(error) if isinstance(error, ValidationError) else str(error)
                self.report.reject("startups", where, _("refusé par la base de données : %s") % message)
                self.load_lookups()
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
    """Writes one startup as its file describes it, touching only what differs."""

    def __init__(self, importer: BetagouvImporter, parsed: StartupData, startup: Startup | None, report: ImportReport):
        self.importer = importer
        self.parsed = parsed
        self.startup = startup
        self.report = report
        self.is_new = startup is None

    def write(self) -> None:
        self.write_startup()
        phases = self.write_phases()
        self.write_investigation(phases)
        events = self.write_events()
        self.write_reviews(events)

    def write_startup(self) -> None:
        parsed = self.parsed
        fields = {**parsed.fields, "incubator_id": self.importer.incubators[parsed.incubator].pk}
        themes = [self.theme(name) for name in parsed.themes]
        co_incubators = [self.importer.incubators[slug] for slug in parsed.co_incubators]
        sponsors = [self.importer.organisations[slug] for slug in parsed.sponsors]
        startup = self.startup
        if startup is None:
            startup = self.startup = Startup(slug=parsed.slug, **fields)
            _validate(startup, exclude=["incubator"])
            startup.save()
            startup.themes.set(themes)
            startup.co_incubators.set(co_incubators)
            startup.sponsors.set(sponsors)
            self.report.count("startups", "created")
            return
        changed = _changed(startup, fields)
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
        _validate(startup, exclude=["incubator"])
        startup.save()
        for manager, wanted in changed_relations:
            manager.set(wanted)
        self.report.count("startups", "updated")

    def theme(self, name: str) -> Theme:
        theme = self.importer.themes.get(name)
        if theme is None:
            theme = Theme(name=name)
            _validate(theme)
            theme.save()
            self.importer.themes[name] = theme
            self.report.count("themes", "created")
        return theme

    def write_phases(self) -> list[Phase]:
        """Phases as normalised; the one left open is written last (one open phase at a time)."""
        startup = self.startup
        wanted = self.parsed.phases.phases
        current = {} if self.is_new else {p.name: p for p in startup.phases.all()}
        wanted_names = {p.name for p in wanted}
        for name, phase in current.items():
            if name not in wanted_names:
                self.drop_investigation(phase)
                phase.delete()
                self.report.count("phases", "deleted")
        written = []
        changed = False
        for data in sorted(wanted, key=lambda p: p.end is None):
            phase = current.get(data.name)
            values = {"start": data.start, "end": data.end, "comment": data.comment}
            if phase is None:
                phase = Phase(startup=startup, name=data.name, **values)
                outcome = "created"
            elif _changed(phase, values):
                for field, value in values.items():
                    setattr(phase, field, value)
                outcome = "updated"
            else:
                written.append(phase)
                self.report.count("phases", "unchanged")
                continue
            _validate_phase(phase)
            phase.save()
            written.append(phase)
            changed = True
            self.report.count("phases", outcome)
        last = wanted[-1] if wanted else None
        expected = (last.name, last.start) if last else ("", None)
        if changed or len(current) != len(wanted) or (startup.current_phase, startup.current_phase_start) != expected:
            startup.refresh_current_phase()
        return written

    def drop_investigation(self, phase: Phase) -> None:
        """The investigation imported for a phase that is gone goes too, unless people worked in it."""
        investigation = self.importer.investigations.pop(phase.pk, None)
        if investigation is None:
            return
        worked_in = (
            investigation.interviews.exists()
            or investigation.hypotheses.exists()
            or investigation.insights.exists()
            or investigation.target_groups.exists()
        )
        if worked_in:
            self.report.warnings.append(
                _(
                    "la phase d'investigation a disparu du fichier ; son investigation, qui contient des travaux, "
                    "est gardée"
                )
            )
            return
        investigation.delete()
        self.report.count("investigations", "deleted")

    def write_investigation(self, phases: list[Phase]) -> None:
        phase = next((p for p in phases if p.name == PhaseName.INVESTIGATION), None)
        if phase is None:
            return
        data = next(p for p in self.parsed.phases.phases if p.name == PhaseName.INVESTIGATION)
        fields = investigation_fields(data, self.parsed.phases.phases)
        investigation = self.importer.investigations.get(phase.pk)
        if investigation is None:
            investigation = Investigation(startup=self.startup, phase=phase, **fields)
            _validate(investigation, exclude=["startup", "phase"])
            investigation.save()
            self.importer.investigations[phase.pk] = investigation
            self.report.count("investigations", "created")
            return
        changed = _changed(investigation, fields)
        if not changed:
            self.report.count("investigations", "unchanged")
            return
        for field, value in changed.items():
            setattr(investigation, field, value)
        _validate(investigation, exclude=["startup", "phase"])
        investigation.save()
        self.report.count("investigations", "updated")

    def write_events(self) -> list[Event]:
        """Events have no identity in the files: those whose (kind, date, comment) is still in the
        file are kept, the others deleted, the new ones created."""
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
            decision = self.importer.decisions.pop(event.pk, None)
            if decision is not None and decision.review.session_id is None:
                decision.review.delete()
                self.report.count("reviews", "deleted")
            event.delete()
            self.report.count("events", "deleted")
        for data in to_create:
            event = Event(startup=startup, kind=data.kind, date=data.date, comment=data.comment)
            _validate(event, exclude=["startup"])
            event.save()
            kept.append(event)
            self.report.count("events", "created")
        return kept

    def write_reviews(self, events: list[Event]) -> None:
        """Each committee event is a past review (no session) with a decision "non renseigné"."""
        for event in events:
            if event.kind != EventKind.COMMITTEE:
                continue
            rationale = committee_rationale(event.comment)
            decision = self.importer.decisions.get(event.pk)
            if decision is None:
                review = Review.objects.create(session=None, startup=self.startup, date=event.date)
                decision = Decision(
                    review=review,
                    startup=self.startup,
                    date=event.date,
                    outcome=Outcome.NON_RENSEIGNE,
                    rationale=rationale,
                    event=event,
                )
                _validate(decision, exclude=["review", "startup", "event", "phase", "recorded_by"])
                decision.save()
                self.importer.decisions[event.pk] = decision
                self.report.count("reviews", "created")
                continue
            review = decision.review
            if review.session_id is not None:  # linked by someone to a real session: theirs to keep
                self.report.count("reviews", "unchanged")
                continue
            if (review.date, decision.date, decision.rationale) == (event.date, event.date, rationale):
                self.report.count("reviews", "unchanged")
                continue
            review.date = decision.date = event.date
            decision.rationale = rationale
            review.save()
            decision.save()
            self.report.count("reviews", "updated")


def _validate_phase(phase: Phase) -> None:
    """Field checks only: the normalised list was checked against overlaps as a whole, and the
    database enforces the rest (end after start, one name per startup, one open phase)."""
    try:
        phase.clean_fields(exclude=["startup", "rank"])
    except ValidationError as error:
        raise Rejected(_("phase refusée : %(error)s") % {"error": _validation_message(error)}) from error


def import_betagouv(path: Path | str) -> ImportReport:
    return BetagouvImporter(path).run()
