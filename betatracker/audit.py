"""The audit trail: who created, changed or deleted an object, when, and which fields changed.

Read from django-simple-history (`HistoricalRecords` on Startup, Phase, Membership, Invitation,
Interview, Decision, Condition and the public results' publications). The author is the request's user
(HistoryRequestMiddleware) or the `by=` a service passed on (`instance._history_user`); changes made
outside both (an import command) show as made by the system.

Use `audit_entries(obj)` for one object, `startup_audit_entries(startup)` for a startup and its
phases, `decision_audit_entries(decision)` for a decision and its conditions (deleted ones
included), or `trail_of(obj)`, which picks. Show them with `{% include "includes/audit_trail.html" %}`
(or the `{% audit_trail obj %}` tag, which checks `betatracker.perms.can_view_audit`).
"""

import dataclasses
import datetime
import json
from collections import defaultdict

from django.db import models
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.wording import quoted

CREATED, CHANGED, DELETED = "created", "changed", "deleted"
ACTIONS = {"+": CREATED, "~": CHANGED, "-": DELETED}
ACTION_LABELS = {
    CREATED: gettext_lazy("Création"),
    CHANGED: gettext_lazy("Modification"),
    DELETED: gettext_lazy("Suppression"),
}
EMPTY = "—"


@dataclasses.dataclass(frozen=True)
class FieldChange:
    field: str  # the field's verbose name
    old: str
    new: str


@dataclasses.dataclass(frozen=True)
class AuditEntry:
    when: datetime.datetime
    who: object | None  # a User, or None for the system
    action: str  # created / changed / deleted
    object_label: str
    changes: tuple[FieldChange, ...]
    reason: str = ""

    @property
    def action_label(self):
        return ACTION_LABELS[self.action]

    @property
    def who_label(self):
        return str(self.who) if self.who is not None else _("Système")


# Bookkeeping of where a record comes from (products.models.Provenance): the trail already says who and when.
PROVENANCE_FIELDS = {"source", "source_import", "set_by", "set_at", "set_via"}


def _tracked_fields(model) -> list[models.Field]:
    """The fields a person edits: not the key, not the ones the app maintains itself."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable
        and not field.primary_key
        and not getattr(field, "auto_now", False)
        and field.name not in PROVENANCE_FIELDS
    ]


class _Labels:
    """Readable values for a batch of history records, foreign keys resolved in one query per model."""

    def __init__(self, records, fields_by_model):
        wanted = defaultdict(set)
        for record in records:
            for field in fields_by_model[record.instance_type]:
                if field.is_relation and getattr(record, field.attname) is not None:
                    wanted[field.related_model].add(getattr(record, field.attname))
        self.related = {
            model: {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=pks)}
            for model, pks in wanted.items()
        }

    def value(self, field, raw) -> str:
        if raw is None or raw == "" or raw == []:
            return EMPTY
        if field.is_relation:
            return self.related.get(field.related_model, {}).get(raw, f"#{raw}")
        if field.flatchoices:
            return str(dict(field.flatchoices).get(raw, raw))
        if isinstance(raw, bool):
            return _("oui") if raw else _("non")
        if isinstance(raw, datetime.datetime | datetime.date):
            return formats.localize(raw)
        if isinstance(raw, dict | list):
            return json.dumps(raw, ensure_ascii=False)
        return str(raw)


def _entries(records, label_of) -> list[AuditEntry]:
    """Entries from history records of possibly several objects and models, newest first."""
    records = sorted(records, key=lambda r: (r.history_date, r.history_id))
    fields_by_model = {r.instance_type: _tracked_fields(r.instance_type) for r in records}
    labels = _Labels(records, fields_by_model)
    previous = {}
    entries = []
    for record in records:
        model = record.instance_type
        key = (model, getattr(record, model._meta.pk.attname))
        action = ACTIONS[record.history_type]
        before = previous.get(key)
        changes = []
        if action != DELETED:
            for field in fields_by_model[model]:
                new = getattr(record, field.attname)
                old = getattr(before, field.attname) if before is not None else None
                if action == CREATED and new in (None, "", []):
                    continue
                if before is not None and old == new:
                    continue
                changes.append(FieldChange(str(field.verbose_name), labels.value(field, old), labels.value(field, new)))
        previous[key] = record
        if action == CHANGED and not changes:
            continue  # a save that changed nothing a person edits
        entries.append(
            AuditEntry(
                when=record.history_date,
                who=record.history_user,
                action=action,
                object_label=label_of(record),
                changes=tuple(changes),
                reason=record.history_change_reason or "",
            )
        )
    entries.reverse()
    return entries


def _label(record) -> str:
    model = record.instance_type
    return f"{capfirst(model._meta.verbose_name)} {quoted(record.instance)}"


def audit_entries(obj) -> list[AuditEntry]:
    """The history of one object, newest first."""
    records = obj.history.select_related("history_user")
    return _entries(list(records), _label)


def startup_audit_entries(startup) -> list[AuditEntry]:
    """The history of a startup, of its phases, team memberships and invitations (deleted ones included),
    newest first."""
    from products.models import Invitation, Membership, Phase

    records = list(startup.history.select_related("history_user"))
    for model in (Phase, Membership, Invitation):
        records += list(model.history.filter(startup_id=startup.pk).select_related("history_user"))
    return _entries(records, _label)


def decision_audit_entries(decision) -> list[AuditEntry]:
    """The history of a decision and of its conditions (deleted conditions included), newest first."""
    from committees.models import Condition

    records = list(decision.history.select_related("history_user"))
    records += list(Condition.history.filter(decision_id=decision.pk).select_related("history_user"))
    return _entries(records, _label)


def trail_of(obj) -> list[AuditEntry]:
    """What the object's page shows: a startup with its phases, a decision with its conditions, else the
    object alone."""
    from committees.models import Decision
    from products.models import Startup

    if isinstance(obj, Startup):
        return startup_audit_entries(obj)
    if isinstance(obj, Decision):
        return decision_audit_entries(obj)
    return audit_entries(obj)


def startup_of(obj):
    """The startup an audited object belongs to (for the permission check)."""
    from products.models import Startup

    if isinstance(obj, Startup):
        return obj
    if hasattr(obj, "startup"):
        return obj.startup
    if hasattr(obj, "investigation"):
        return obj.investigation.startup
    if hasattr(obj, "decision"):
        return obj.decision.startup
    raise TypeError(f"No startup known for {type(obj).__name__}")
