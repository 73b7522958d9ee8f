"""The consistency of every startup's lifecycle: phases, the current phase kept on the startup, open
investigations, the latest committee decision and the minutes of closed sessions.

`lifecycle_problems()` lists every inconsistency; `manage.py check_lifecycle` prints them. It reads the whole
portfolio in a fixed number of queries (one per kind of record), whatever the number of startups."""

import dataclasses
from collections import defaultdict

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.durations import short_date
from investigations.models import Investigation
from products.enums import TERMINAL_PHASES, PhaseName
from products.models import Phase, Startup

from .enums import Outcome, SessionStatus
from .models import Amendment, Decision

# An amendment's history record names its amendment (see services.decision_amend), so that a change made behind
# the minutes' back can be told from it.
AMENDMENT_CHANGE_REASON = "amendment:%d"


@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    """One inconsistency of one startup: its slug and what is wrong, with the values."""

    slug: str
    message: str

    def __str__(self):
        return f"{self.slug} : {self.message}"


def outcome_contradicts_phase(outcome: str, current_phase: str) -> bool:
    """Whether a startup in `current_phase` contradicts its latest decision `outcome`: stopped (arrêt,
    investigation non concluante) but not in a terminal phase; sent into construction but still in investigation
    (or never left it)."""
    if outcome in (Outcome.ARRET, Outcome.INVESTIGATION_NON_CONCLUANTE):
        return current_phase not in TERMINAL_PHASES
    if outcome == Outcome.PASSAGE_EN_CONSTRUCTION:
        return current_phase in ("", PhaseName.INVESTIGATION)
    return False


def _d(day) -> str:
    return short_date(day) if day else "—"


def _phase_label(name: str) -> str:
    return PhaseName(name).label if name in PhaseName.values else (name or _("aucune phase"))


def _phase_text(phase: Phase) -> str:
    if phase.end is None:
        return _("%(phase)s depuis le %(start)s") % {"phase": _phase_label(phase.name), "start": _d(phase.start)}
    return _("%(phase)s du %(start)s au %(end)s") % {
        "phase": _phase_label(phase.name),
        "start": _d(phase.start),
        "end": _d(phase.end),
    }


def _phase_problems(current_phase: str, current_start, phases: list[Phase]) -> list[str]:
    messages = []
    # Two open phases overlap too (the database refuses them: one_open_phase_per_startup).
    for index, phase in enumerate(phases):
        for other in phases[index + 1 :]:
            if phase.overlaps(other):
                messages.append(
                    _("phases qui se chevauchent : %(first)s et %(second)s")
                    % {"first": _phase_text(phase), "second": _phase_text(other)}
                )
    last = phases[-1] if phases else None
    expected = (last.name, last.start) if last else ("", None)
    if (current_phase, current_start) != expected:
        messages.append(
            _(
                "phase actuelle enregistrée « %(current)s » depuis le %(current_start)s, "
                "mais la dernière phase est « %(last)s » depuis le %(last_start)s"
            )
            % {
                "current": _phase_label(current_phase),
                "current_start": _d(current_start),
                "last": _phase_label(expected[0]),
                "last_start": _d(expected[1]),
            }
        )
    return messages


def lifecycle_problems() -> list[Problem]:
    """Every inconsistency of the portfolio, sorted by startup."""
    problems: list[Problem] = []
    startups = {
        pk: (slug, current_phase, current_start)
        for pk, slug, current_phase, current_start in Startup.objects.order_by().values_list(
            "pk", "slug", "current_phase", "current_phase_start"
        )
    }

    def slug_of(startup_id) -> str:
        return startups[startup_id][0] if startup_id in startups else f"#{startup_id}"

    phases: dict[int, list[Phase]] = defaultdict(list)
    for phase in Phase.objects.in_order().only("pk", "startup_id", "name", "start", "end", "rank"):
        phases[phase.startup_id].append(phase)

    for pk, (slug, current_phase, current_start) in startups.items():
        for message in _phase_problems(current_phase, current_start, phases.get(pk, [])):
            problems.append(Problem(slug, message))

    # The latest decision (by date, then by the order it was recorded) against the current phase.
    latest: dict[int, tuple[str, object]] = {}
    for startup_id, outcome, day in Decision.objects.order_by("startup_id", "date", "pk").values_list(
        "startup_id", "outcome", "date"
    ):
        latest[startup_id] = (outcome, day)
    for startup_id, (outcome, day) in latest.items():
        current_phase = startups[startup_id][1] if startup_id in startups else ""
        if outcome_contradicts_phase(outcome, current_phase):
            problems.append(
                Problem(
                    slug_of(startup_id),
                    _("dernière décision « %(outcome)s » du %(date)s, mais la startup est en phase « %(phase)s »")
                    % {"outcome": Outcome(outcome).label, "date": _d(day), "phase": _phase_label(current_phase)},
                )
            )

    # Investigations in progress (one at most per startup: the database sees to it) run inside their investigation
    # phase while it is open, or (one opened later in the life of a product) while the startup is in a phase that
    # is not terminal.
    phase_by_pk = {phase.pk: phase for items in phases.values() for phase in items}
    running = Investigation.objects.open().order_by("startup_id", "started_on", "pk")
    for startup_id, phase_id, started_on in running.values_list("startup_id", "phase_id", "started_on"):
        current_phase = startups[startup_id][1] if startup_id in startups else ""
        own_phase = phase_by_pk.get(phase_id)
        if own_phase is not None and own_phase.end is not None:
            message = _(
                "investigation en cours (commencée le %(date)s) alors que sa phase d'investigation est close "
                "depuis le %(end)s"
            ) % {"date": _d(started_on), "end": _d(own_phase.end)}
        elif not current_phase or current_phase in TERMINAL_PHASES:
            message = _(
                "investigation en cours (commencée le %(date)s) alors que la startup est en phase « %(phase)s »"
            ) % {
                "date": _d(started_on),
                "phase": _phase_label(current_phase),
            }
        else:
            continue
        problems.append(Problem(slug_of(startup_id), message))

    # The minutes of closed sessions: every change after the closing is an amendment, nothing is deleted.
    HistoricalDecision = Decision.history.model
    amendment_reasons: dict[int, set[str]] = defaultdict(set)
    for pk, decision_id in Amendment.objects.order_by().values_list("pk", "decision_id"):
        amendment_reasons[decision_id].add(AMENDMENT_CHANGE_REASON % pk)
    changed = HistoricalDecision.objects.filter(
        history_type="~",
        review__session__status=SessionStatus.CLOSED,
        history_date__gt=F("review__session__closed_at"),
    ).order_by("history_date", "history_id")
    for record in changed.values("id", "startup_id", "date", "history_date", "history_change_reason"):
        if record["history_change_reason"] in amendment_reasons.get(record["id"], ()):
            continue
        problems.append(
            Problem(
                slug_of(record["startup_id"]),
                _("décision du %(date)s d'une séance close modifiée le %(changed)s sans amendement")
                % {"date": _d(record["date"]), "changed": _d(timezone.localdate(record["history_date"]))},
            )
        )
    deleted = HistoricalDecision.objects.filter(
        history_type="-",
        review__session__status=SessionStatus.CLOSED,
        history_date__gt=F("review__session__closed_at"),
    ).order_by("history_date", "history_id")
    for record in deleted.values("startup_id", "date", "outcome", "history_date"):
        problems.append(
            Problem(
                slug_of(record["startup_id"]),
                _("décision « %(outcome)s » du %(date)s supprimée le %(deleted)s du relevé d'une séance close")
                % {
                    "outcome": Outcome(record["outcome"]).label if record["outcome"] in Outcome.values else "",
                    "date": _d(record["date"]),
                    "deleted": _d(timezone.localdate(record["history_date"])),
                },
            )
        )
    return sorted(problems)
