"""The interchange format of decisions: the relevé de décisions (CSV and JSON downloads) and
`manage.py export_decisions`. One function, `decision_export`, so that every export (and the API)
uses the same field names."""

import io

from django.db.models import Prefetch

from core.csv import CsvWriter

from .models import Condition

EXPORT_FIELDS = [
    "startup",
    "date",
    "session_kind",
    "outcome",
    "budget_eur",
    "next_committee",
    "conditions",
    "evidence_count",
    "no_evidence_reason",
    "checklist",
]


def checklist_export(decision) -> list[dict]:
    """The decision's go / stop checklist: per line `key`, `prefill` and `answer` (oui, non, inconnu),
    `overridden`, `reason`, `detail` and `source` (as pre-filled), `by`."""
    fields = ("key", "prefill", "answer", "overridden", "reason", "detail", "source", "by")
    return [{field: entry.get(field) for field in fields} for entry in decision.checklist or []]


def decision_export(queryset) -> list[dict]:
    """One object per decision, sorted by date then startup: `startup` (slug), `date` (ISO),
    `session_kind` (null for the imported history), `outcome` (code), `budget_eur` (integer or null),
    `next_committee` (ISO or null), `conditions` (list of {text, due_on, status}), `evidence_count`
    (insights + quotes + interviews cited), `no_evidence_reason` (why the committee decided without citing evidence,
    "" when it cites some), `checklist` (the go / stop checklist, see `checklist_export`; [] when not filled).
    A fixed number of queries whatever the number of decisions."""
    decisions = (
        queryset.select_related("startup", "review__session")
        .prefetch_related(Prefetch("conditions", queryset=Condition.objects.order_by("due_on", "pk")))
        .with_evidence_count()
        .order_by("date", "startup__slug", "pk")
    )
    return [
        {
            "startup": decision.startup.slug,
            "date": decision.date.isoformat(),
            "session_kind": decision.review.session.kind if decision.review.session_id else None,
            "outcome": decision.outcome,
            "budget_eur": decision.budget_eur,
            "next_committee": decision.next_committee_on.isoformat() if decision.next_committee_on else None,
            "conditions": [
                {"text": condition.text, "due_on": condition.due_on.isoformat(), "status": condition.status}
                for condition in decision.conditions.all()
            ],
            "evidence_count": decision.evidence_count,
            "no_evidence_reason": decision.no_evidence_reason,
            "checklist": checklist_export(decision),
        }
        for decision in decisions
    ]


def decision_export_csv(rows: list[dict]) -> str:
    """The rows of `decision_export` as CSV (UTF-8, comma, header line); conditions in one cell,
    `texte (échéance, statut)` separated by ` | `."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer, lineterminator="\n")
    writer.writerow(EXPORT_FIELDS)
    for row in rows:
        conditions = " | ".join(f"{c['text']} ({c['due_on']}, {c['status']})" for c in row["conditions"])
        cells = {
            "conditions": conditions,
            "checklist": " | ".join(f"{c['key']}={c['answer']}" for c in row["checklist"]),
        }
        writer.writerow([cells.get(field, row.get(field)) for field in EXPORT_FIELDS])
    return buffer.getvalue()
