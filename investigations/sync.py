"""The investigations derived from the beta.gouv.fr files, kept in step at each import.

`import_betagouv` (products) calls `sync_investigation` for each startup once its phases follow the file
(registered in InvestigationsConfig.ready). An investigation that came from the files follows them; one the
app opened or changed (suspended, concluded, edited: `Provenance.take_over`) stays as it is, and each field
where the file says otherwise is reported as a conflict."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from products.enums import PhaseName
from products.importers.betagouv import PhaseData, StartupSync, changed_fields, shown, validate

from . import doctrine
from .enums import InvestigationStatus
from .models import Investigation

KIND = "investigations"
# The fields an investigation of the files takes from them, with their label in conflict lines.
FIELDS = {"status": gettext_lazy("statut"), "started_on": gettext_lazy("début"), "ended_on": gettext_lazy("fin")}


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
        "planned_end": phase.end or phase.start + doctrine.DURATION,
        "ended_on": phase.end,
        "status": str(status),
    }


def _worked_in(investigation: Investigation) -> bool:
    return (
        investigation.interviews.exists()
        or investigation.hypotheses.exists()
        or investigation.insights.exists()
        or investigation.target_groups.exists()
    )


def _value(field: str, value):
    return InvestigationStatus(value).label if field == "status" and value else value


def sync_investigation(sync: StartupSync) -> None:
    investigations = [] if sync.is_new else list(sync.startup.investigations.all())
    phase = sync.phases.get(PhaseName.INVESTIGATION)
    # An investigation of the files whose phase is gone goes too, unless people worked in it.
    for investigation in investigations:
        if investigation.is_from_file and (phase is None or investigation.phase_id != phase.pk):
            if _worked_in(investigation):
                sync.warn(
                    _(
                        "la phase d'investigation a disparu du fichier ; son investigation, qui contient des "
                        "travaux, est gardée"
                    )
                )
                continue
            investigation.delete()
            investigations.remove(investigation)
            sync.count(KIND, "deleted")
    data = next((p for p in sync.parsed.phases.phases if p.name == PhaseName.INVESTIGATION), None)
    if data is None or phase is None:
        return
    fields = investigation_fields(data, sync.parsed.phases.phases)
    investigation = next((i for i in investigations if i.phase_id == phase.pk), None)
    if investigation is not None and investigation.is_from_app:
        for field, label in FIELDS.items():
            if fields[field] != getattr(investigation, field):
                sync.conflict(
                    _("investigation, %(field)s") % {"field": label},
                    _value(field, fields[field]),
                    _value(field, getattr(investigation, field)),
                )
        sync.count(KIND, "unchanged")
        return
    if investigation is None and phase.is_from_app:
        return  # the app's phase: its investigation, if any, is opened in the app
    other_open = next(
        (i for i in investigations if i is not investigation and i.status == InvestigationStatus.EN_COURS), None
    )
    if fields["status"] == InvestigationStatus.EN_COURS and other_open is not None:
        sync.conflict(
            _("investigation, %(field)s") % {"field": FIELDS["status"]},
            InvestigationStatus.EN_COURS.label,
            _("une autre investigation est en cours depuis le %(date)s") % {"date": shown(other_open.started_on)},
        )
        return
    if investigation is None:
        investigation = Investigation(startup=sync.startup, phase=phase, **fields)
        investigation.mark_imported(sync.run)
        validate(investigation, exclude=["startup", "phase"])
        investigation.save()
        sync.count(KIND, "created")
        return
    changed = changed_fields(investigation, fields)
    if not changed:
        sync.count(KIND, "unchanged")
        return
    for field, value in changed.items():
        setattr(investigation, field, value)
    investigation.mark_imported(sync.run)
    validate(investigation, exclude=["startup", "phase"])
    investigation.save()
    sync.count(KIND, "updated")
