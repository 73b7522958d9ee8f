"""Write the portfolio back in beta.gouv.fr's format (`manage.py export_betagouv OUT_DIR`), so that a team can
open a pull request on the beta.gouv.fr repository with what the app now knows.

The layout is the site's `content/` folder: `_organisations/`, `_incubators/`, `_startups/`, one `.md` file per
record, YAML front matter between two `---` lines, then the markdown body. A record imported from the files is
written back with every front-matter key and the body it was imported with; its phases and committee events are
written as the app now knows them (those the app recorded included), and the keys the app holds (title,
incubator, co-incubators, sponsors) where they changed. A record made in the app (the demo's, say) gets the keys
the importer reads. Importing the folder into an empty database gives back the same portfolio
(`export_portfolio`)."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable
from pathlib import Path

import yaml
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from products.enums import EventKind
from products.models import Event, Incubator, Organisation, Phase, Startup

from .betagouv import INCUBATORS_DIR, ORGANISATIONS_DIR, STARTUPS_DIR, reference, text_list

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key and long lines kept whole, as the beta.gouv.fr files are written."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


# Startup fields written under the file's keys when the startup has no file of its own.
STARTUP_KEYS = {
    "mission": "mission",
    "contact": "contact",
    "link": "link",
    "repository": "repository",
    "stats_url": "stats_url",
    "budget_url": "budget_url",
    "impact_url": "impact_url",
    "techno": "techno",
    "stats": "stats",
    "accessibility_status": "accessibility_status",
    "analyse_risques": "analyse_risques",
    "analyse_risques_url": "analyse_risques_url",
    "mon_service_securise": "mon_service_securise",
    "dashlord_url": "dashlord_url",
    "fast": "fast",
    "contact_dinum": "contact_dinum",
    "contact_incubator": "contact_incubator",
}


class ExportError(Exception):
    """A record that cannot be written as a file (its identifier is not a file name)."""


@dataclasses.dataclass(frozen=True)
class ExportedEvent:
    """A committee event the app knows, given by the apps that record committees: it takes the place of the
    startup's event `replaces` (an Event id) when it has one."""

    date: datetime.date
    comment: str
    replaces: int | None = None


# For the apps above products: given startup ids, the committee events each startup has in the app.
_EVENT_SOURCES: dict[str, Callable[[Iterable[int]], dict[int, list[ExportedEvent]]]] = {}


def register_committee_events(name: str, source: Callable[[Iterable[int]], dict[int, list[ExportedEvent]]]) -> None:
    _EVENT_SOURCES[name] = source


def _dump(front_matter: dict, body: str) -> str:
    text = yaml.dump(
        front_matter, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1_000_000
    )
    # The body as read starts after the line break that follows the closing `---`.
    return f"---\n{text}---\n{body}" if body else f"---\n{text}---\n"


def _original(record) -> dict:
    if not record.source_front_matter:
        return {}
    data = yaml.load(record.source_front_matter, Loader=_YAML_LOADER)
    return data if isinstance(data, dict) else {}


def _file_name(slug: str) -> str:
    if not slug or "/" in slug or "\\" in slug or slug.startswith(".") or "\x00" in slug:
        raise ExportError(_("identifiant « %(slug)s » : ce n'est pas un nom de fichier possible") % {"slug": slug})
    return f"{slug}.md"


def _set(data: dict, key: str, value, *, unchanged: bool) -> None:
    """Write `value` under `key` unless the file already says the same (`unchanged`); drop empty new keys."""
    if unchanged and key in data:
        return
    if value in (None, "", []):
        data.pop(key, None)
    else:
        data[key] = value


def organisation_file(organisation: Organisation) -> str:
    data = _original(organisation)
    for key, value in (
        ("name", organisation.name),
        ("acronym", organisation.acronym),
        ("type", organisation.type),
        ("domaine_ministeriel", organisation.ministerial_domain),
    ):
        _set(data, key, value, unchanged=str(data.get(key) or "").strip() == value)
    return _dump(data, organisation.source_body)


def incubator_file(incubator: Incubator) -> str:
    data = _original(incubator)
    owner = incubator.owner.slug if incubator.owner_id else ""
    _set(data, "title", incubator.title, unchanged=str(data.get("title") or "").strip() == incubator.title)
    _set(
        data,
        "owner",
        f"/organisations/{owner}" if owner else None,
        unchanged=reference(data.get("owner"), "/organisations/") == owner,
    )
    for key, value in (
        ("short_description", incubator.short_description),
        ("contact", incubator.contact),
        ("website", incubator.website),
    ):
        _set(data, key, value, unchanged=bool(incubator.source_front_matter))
    return _dump(data, incubator.source_body)


def _phases(startup: Startup, original: dict) -> list[dict]:
    """The phases in lifecycle order. An end that is the next phase's start is left implicit, as the files write
    it (the importer reads it back the same), unless the original file wrote it."""
    written_ends = {
        str(item.get("name")).strip()
        for item in (original.get("phases") or [])
        if isinstance(item, dict) and item.get("end") is not None
    }
    rows = list(startup.phases.all())
    phases = []
    for phase, following in zip(rows, [*rows[1:], None], strict=True):
        item = {"name": phase.name, "start": phase.start}
        implicit = following is not None and phase.end == following.start and phase.name not in written_ends
        if phase.end is not None and not implicit:
            item["end"] = phase.end
        if phase.comment:
            item["comment"] = phase.comment
        phases.append(item)
    return phases


def _events(startup: Startup, committee: list[ExportedEvent]) -> list[dict]:
    replaced = {event.replaces for event in committee if event.replaces is not None}
    committee_days = {event.date for event in committee}
    rows = []
    for event in startup.events.all():
        if event.pk in replaced:
            continue
        if event.kind == EventKind.COMMITTEE and event.date in committee_days:
            continue  # the app's decision of that committee is written instead
        rows.append((event.date, event.kind, event.comment))
    rows.extend((event.date, EventKind.COMMITTEE.value, event.comment) for event in committee)
    events = []
    for date, kind, comment in sorted(rows, key=lambda row: (row[0], row[1], row[2])):
        item = {"name": kind, "date": date}
        if comment:
            item["comment"] = comment
        events.append(item)
    return events


def _body(startup: Startup) -> str:
    if startup.source_front_matter:
        return startup.source_body
    if startup.description:
        return startup.description + "\n"
    sections = [
        (_("Problème"), startup.problem),
        (_("Solution"), startup.solution),
        (_("Objectifs à 6 mois"), startup.objectives),
        (_("Stratégie"), startup.strategy),
    ]
    return "\n".join(f"## {title}\n\n{text}\n" for title, text in sections if text)


def startup_file(startup: Startup, committee: list[ExportedEvent], organisations: set[str]) -> str:
    """One startup's file; `organisations` are the identifiers of every organisation in the database (a sponsor
    the file names that the database does not know is left in the file, as the importer left it aside)."""
    data = _original(startup)
    imported = bool(startup.source_front_matter)
    incubator = startup.incubator.slug
    co_incubators = sorted(i.slug for i in startup.co_incubators.all() if i.pk != startup.incubator_id)
    sponsors = sorted(o.slug for o in startup.sponsors.all())
    file_sponsors = {reference(s, "/organisations/") for s in text_list(data.get("sponsors"))}
    file_co_incubators = sorted(
        {reference(s, "/incubators/") for s in text_list(data.get("incubators"))} - {incubator, ""}
    )
    _set(data, "title", startup.name, unchanged=str(data.get("title") or "").strip() == startup.name)
    _set(
        data,
        "incubator",
        incubator,
        unchanged=reference(data.get("incubator"), "/incubators/") == incubator,
    )
    _set(
        data,
        "incubators",
        [f"/incubators/{slug}" for slug in co_incubators],
        unchanged=file_co_incubators == co_incubators,
    )
    _set(
        data,
        "sponsors",
        [f"/organisations/{slug}" for slug in sponsors],
        unchanged=(file_sponsors & organisations) == set(sponsors),
    )
    if not imported:
        for field, key in STARTUP_KEYS.items():
            value = getattr(startup, field)
            _set(data, key, list(value) if isinstance(value, list) else value, unchanged=False)
        _set(data, "usertypes", list(startup.usertypes), unchanged=False)
        _set(data, "thematiques", sorted(t.name for t in startup.themes.all()), unchanged=False)
    data["phases"] = _phases(startup, data)  # `data` still holds the file's own phases here
    events = _events(startup, committee)
    if events:
        data["events"] = events
    else:
        data.pop("events", None)
    return _dump(data, _body(startup))


def startups_for_betagouv(slugs: Iterable[str] | None = None):
    startups = (
        Startup.objects.order_by("slug")
        .select_related("incubator")
        .prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("start", "rank")),
            Prefetch("events", queryset=Event.objects.order_by("date", "pk")),
            "co_incubators",
            "sponsors",
            "themes",
        )
    )
    return startups if slugs is None else startups.filter(slug__in=list(slugs))


def export_betagouv(out_dir: Path | str, *, startup: str | None = None) -> dict[str, int]:
    """Write the files; the number written per folder. With `startup`, that startup's file only."""
    out = Path(out_dir)
    startups = list(startups_for_betagouv(None if startup is None else [startup]))
    if startup is not None and not startups:
        raise ExportError(_("Aucune startup n'a l'identifiant « %(slug)s ».") % {"slug": startup})
    committee: dict[int, list[ExportedEvent]] = {}
    for source in _EVENT_SOURCES.values():
        for startup_id, events in source([s.pk for s in startups]).items():
            committee.setdefault(startup_id, []).extend(events)
    organisations = set(Organisation.objects.values_list("slug", flat=True))
    files: dict[str, list[tuple[str, str]]] = {STARTUPS_DIR: []}
    for row in startups:
        content = startup_file(row, committee.get(row.pk, []), organisations)
        files[STARTUPS_DIR].append((_file_name(row.slug), content))
    if startup is None:
        files[ORGANISATIONS_DIR] = [
            (_file_name(o.slug), organisation_file(o)) for o in Organisation.objects.order_by("slug")
        ]
        files[INCUBATORS_DIR] = [
            (_file_name(i.slug), incubator_file(i)) for i in Incubator.objects.select_related("owner").order_by("slug")
        ]
    for folder, rows in files.items():
        (out / folder).mkdir(parents=True, exist_ok=True)
        for name, content in rows:
            (out / folder / name).write_text(content, encoding="utf-8")
    return {folder: len(rows) for folder, rows in files.items()}
