"""The go / stop checklist of a decision, from the DINUM guide's criteria. Each line is pre-filled from the
data with its source; a committee member confirms it or overrides it with a reason
(services.decision_checklist_set), and the checklist is kept with the decision (`Decision.checklist`).

- problem: the investigation's synthesis — confirmed with at least CHECKLIST_MIN_INTERVIEWS interviews and
  fewer than CHECKLIST_MAX_NO_PROBLEM_SHARE of people seeing no problem;
- impact: users reached and impact measured — at least one indicator with a measurement;
- team: a current intrapreneur giving at least INTRAPRENEUR_MIN_TIME_SHARE % of their time ("non renseigné"
  without an intrapreneur on the team);
- objectives: the last period's success criteria (committees/commitments.py);
- gates: the quality gates for "passage à l'échelle"."""

import dataclasses

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.templatetags.wording import colon, semicolon
from products.enums import MembershipRole

from . import doctrine
from .commitments import NO, UNKNOWN, YES

LABELS = {
    "problem": gettext_lazy("Problème confirmé par l'investigation"),
    "impact": gettext_lazy("Usagers atteints et impact mesuré"),
    "team": gettext_lazy("Équipe en place (intrapreneur·e à 60 % au moins)"),
    "objectives": gettext_lazy("Objectifs de la période précédente atteints"),
    "gates": gettext_lazy("Critères de qualité pour le passage à l'échelle"),
}
KEYS = list(LABELS)
ANSWERS = {
    YES: gettext_lazy("Oui"),
    NO: gettext_lazy("Non"),
    UNKNOWN: gettext_lazy("Non renseigné"),
}


def answer_label(answer: str) -> str:
    return str(ANSWERS.get(answer, "—"))


@dataclasses.dataclass
class Line:
    key: str
    status: str
    detail: str
    source: str
    source_url: str = ""

    @property
    def label(self) -> str:
        return str(LABELS[self.key])

    @property
    def status_label(self) -> str:
        return answer_label(self.status)


def _problem(startup, investigation, synthesis) -> Line:
    if investigation is None or synthesis is None:
        return Line("problem", UNKNOWN, _("aucune investigation"), _("Investigation"))
    interviews = synthesis["interviews"]
    share = synthesis["no_problem_share"]
    detail = ngettext(
        "%(n)d entretien ; %(share)s %% des personnes interrogées ne voient aucun problème",
        "%(n)d entretiens ; %(share)s %% des personnes interrogées ne voient aucun problème",
        interviews,
    ) % {"n": interviews, "share": round(share * 100)}
    if not interviews:
        status = UNKNOWN
    elif interviews >= doctrine.CHECKLIST_MIN_INTERVIEWS and share < doctrine.CHECKLIST_MAX_NO_PROBLEM_SHARE:
        status = YES
    else:
        status = NO
    return Line(
        "problem",
        status,
        detail,
        _("Synthèse de l'investigation"),
        reverse("investigations:synthesis", args=[investigation.pk]),
    )


def _impact(startup, commitments) -> Line:
    measured, total = len(commitments.measured_indicators), len(commitments.indicators)
    if not total:
        return Line(
            "impact",
            UNKNOWN,
            _("aucun indicateur d'impact"),
            _("Impact de la startup"),
            reverse("products:impact", args=[startup.slug]),
        )
    detail = ngettext(
        "%(measured)d indicateur mesuré sur %(total)d",
        "%(measured)d indicateurs mesurés sur %(total)d",
        measured,
    ) % {"measured": measured, "total": total}
    return Line(
        "impact",
        YES if measured else NO,
        detail,
        _("Impact de la startup"),
        reverse("products:impact", args=[startup.slug]),
    )


def _team(startup, team) -> Line:
    shares = [m.time_share for m in team if m.role == MembershipRole.INTRAPRENEUR]
    source, url = _("Équipe de la startup"), startup.get_absolute_url()
    if not shares:
        return Line("team", UNKNOWN, _("non renseigné : aucun·e intrapreneur·e dans l'équipe"), source, url)
    best = max(shares)
    detail = _("intrapreneur·e à %(share)s %%") % {"share": best}
    return Line("team", YES if best >= doctrine.INTRAPRENEUR_MIN_TIME_SHARE else NO, detail, source, url)


def _objectives(commitments) -> Line:
    criteria = commitments.criteria
    source = _("Engagements de la période précédente (dossier de passage)")
    if not criteria:
        return Line("objectives", UNKNOWN, _("aucun critère de succès fixé"), source)
    met = sum(1 for criterion in criteria if criterion.status == YES)
    detail = ngettext("%(met)d critère atteint sur %(total)d", "%(met)d critères atteints sur %(total)d", met) % {
        "met": met,
        "total": len(criteria),
    }
    return Line("objectives", commitments.objectives_status, detail, source)


def _gates(commitments) -> Line:
    detail = semicolon().join(f"{gate.label}{colon()}{gate.value}" for gate in commitments.gates)
    return Line("gates", commitments.gates_status, detail, _("Fichier beta.gouv.fr de la startup"))


def prefill(*, startup, team, investigation, synthesis, commitments) -> list[Line]:
    """The pre-filled lines, from data the review pack has already read (no query)."""
    return [
        _problem(startup, investigation, synthesis),
        _impact(startup, commitments),
        _team(startup, team),
        _objectives(commitments),
        _gates(commitments),
    ]


def review_checklist(review) -> list[Line]:
    """The pre-filled lines for `review`, reading what they need."""
    from .selectors import review_pack

    pack = review_pack(review)
    return pack["checklist"]


def stored_lines(decision) -> list[dict]:
    """The decision's stored checklist with the labels in the reader's language."""
    return [
        {
            **entry,
            "label": str(LABELS.get(entry["key"], entry["key"])),
            "prefill_label": answer_label(entry.get("prefill", "")),
            "answer_label": answer_label(entry.get("answer", "")),
        }
        for entry in decision.checklist or []
    ]
