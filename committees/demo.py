"""The committees part of `manage.py demo` (runs after the products and investigations parts).

It builds, around ProConnect's incubator:
- a closed past session: ProConnect "poursuite avec réserves" citing insights, quotes and interviews of
  its investigation, with three conditions (one met, one overdue, one still ahead) and its go / stop checklist,
  and a "poursuite" for another startup of the incubator; each team's request set its North Star's target for
  the period, that ProConnect has met by today and the other startup missed (today's review packs show both);
- a planned session held today for the demo committee member, with three startups on the agenda and
  ProConnect's request filled in, and a small PDF (built here) attached to its review pack, so that recording a
  decision and reading, attaching or removing a document can be tried at once;
- in the demo staff's incubator, a closed session of the staff alone where "Dossier Handicap Simplifié" was
  granted a budget that ends in 40 days, with its next committee expected then and nothing planned, and a
  condition due in 5 days (the reminders of a committee due in 45 days, of a budget ending, of a condition due).

Idempotent: a session already there is left alone. Without ProConnect (the other parts of the demo not
loaded) it creates nothing.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from core.durations import add_months
from investigations.enums import InvestigationStatus
from products.enums import TERMINAL_PHASES, MembershipRole, PhaseName
from products.models import Incubator, Indicator, Membership, Startup, User

from . import checklist, doctrine, services
from .commitments import YES, measured_by
from .enums import Outcome, SessionKind, SessionStatus
from .models import CommitteeSession, Decision, PostMortem

ANCHOR_SLUG = "proconnect"
PAST_SESSION_DAYS_AGO = 150
FOLLOW_UP_SLUG = "dossier-handicap-simplifie"
FOLLOW_UP_DAYS_AGO = 140
FOLLOW_UP_DAYS_AHEAD = 40


def _incubator(proconnect: Startup, staff: User | None) -> Incubator:
    """ProConnect's incubator — or a co-incubator run by the demo staff account, if there is one."""
    if staff is not None:
        ids = [proconnect.incubator_id, *proconnect.co_incubators.values_list("pk", flat=True)]
        staffed = staff.staffed_incubators.filter(pk__in=ids).order_by("pk")
        if staffed.exists():
            return staffed.first()
    return proconnect.incubator


def minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF showing `lines` (Latin-1 text) in Helvetica: header, four objects, a cross-reference table
    with their exact offsets and the trailer — small, valid, opened by every reader."""

    def escaped(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 14 Tf 72 770 Td 18 TL " + " ".join(f"({escaped(line)}) '" for line in lines) + " ET"
    content = stream.encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _demo_document(review, by: User | None) -> None:
    """The team's slides for the committee, as a small generated PDF."""
    pdf = minimal_pdf(
        [
            f"{review.startup.name} - support de presentation au comite",
            "Objectifs du semestre : 20 000 entreprises connectees.",
            "Budget demande : 420 000 euros pour six mois.",
        ]
    )
    services.document_attach(
        review=review,
        file=ContentFile(pdf, name=f"support-comite-{review.startup.slug}.pdf"),
        title="Support de présentation",
        by=by,
    )


def _others(incubator: Incubator, proconnect: Startup) -> list[Startup]:
    """Other active startups of the incubator, those in an open investigation first."""
    candidates = (
        Startup.objects.of_incubator(incubator)
        .exclude(pk=proconnect.pk)
        .exclude(current_phase__in=[phase.value for phase in TERMINAL_PHASES])
        .order_by("name")
    )
    in_investigation = set(
        candidates.filter(investigations__status=InvestigationStatus.EN_COURS).values_list("pk", flat=True)
    )
    return sorted(candidates, key=lambda startup: (startup.pk not in in_investigation, startup.name))


def _owner(startup: Startup, accounts: dict[str, User]) -> User | None:
    members = Membership.objects.current().filter(startup=startup)
    preferred = accounts.get("intrapreneur")
    if preferred is not None and members.filter(user=preferred).exists():
        return preferred
    first = members.filter(role=MembershipRole.INTRAPRENEUR).select_related("user").first() or members.first()
    return first.user if first else None


def _evidence(startup: Startup) -> dict:
    from investigations.models import Insight, Interview, Quote

    insights = list(Insight.objects.filter(investigation__startup=startup).order_by("pk")[:2])
    quotes = list(Quote.objects.filter(insights__in=insights).distinct().order_by("pk")[:3]) or list(
        Quote.objects.filter(interview__investigation__startup=startup).order_by("pk")[:3]
    )
    interviews = list(
        Interview.objects.filter(investigation__startup=startup, intensity__gte=2).order_by("date", "pk")[:2]
    )
    return {"cited_insights": insights, "cited_quotes": quotes, "cited_interviews": interviews}


def _criteria(review, *, met: bool, by, today) -> None:
    """The team's request of `review` with its North Star's target for the period to come (the cadence): below
    what the demo's measurements reach by today when `met`, well above otherwise."""
    star = Indicator.objects.filter(startup=review.startup_id, is_north_star=True).first()
    if star is None:
        return
    points = list(star.measurements.order_by("date", "pk"))
    reached = measured_by(star, points, review.date, today)
    if reached is None or reached <= 0:
        return
    target = (reached * Decimal("0.9") if met else reached / Decimal("0.7")).quantize(Decimal(1))
    services.review_request_update(
        review=review,
        by=by,
        requested_budget_eur=400_000 if met else 250_000,
        success_criteria=f"{star.name} : {target:.0f} {star.unit}",
        targets={star: target},
    )


def _past_session(*, incubator, members, proconnect, other, accounts, today) -> None:
    day = today - datetime.timedelta(days=PAST_SESSION_DAYS_AGO)
    session = services.session_create(
        incubator=incubator, date=day, kind=SessionKind.INVESTISSEMENT, members=members, by=accounts.get("staff")
    )
    items = [(proconnect, 50)] + ([(other, 50)] if other else [])
    reviews = services.agenda_set(session=session, items=items, by=accounts.get("staff"))
    recorder = accounts["committee"]
    owner = _owner(proconnect, accounts)
    # The teams' requests stated their North Star's target for the coming period: ProConnect will have met it
    # in today's review pack, the other startup missed it.
    _criteria(reviews[0], met=True, by=_owner(proconnect, accounts), today=today)
    if other is not None:
        _criteria(reviews[1], met=False, by=_owner(other, accounts), today=today)
    decision = services.decision_record(
        review=reviews[0],
        outcome=Outcome.POURSUITE_AVEC_RESERVES,
        by=recorder,
        rationale=(
            "Les grandes entreprises (plus de 500 salariés) partagent des difficultés communes, non critiques ; "
            "un tiers des entreprises interrogées ne voit aucun problème. Le comité finance six mois de plus, "
            "à condition de mesurer l'adoption là où le besoin est réel."
        ),
        budget_eur=400_000,
        budget_period_start=day,
        budget_period_end=add_months(day, doctrine.CADENCE_MONTHS) - datetime.timedelta(days=1),
        next_committee_on=today,
        conditions=[
            {
                "text": "Documenter la suppression des comptes partagés entre collaborateurs.",
                "due_on": day + datetime.timedelta(days=30),
                "owner": owner,
            },
            {
                "text": "Mesurer le taux d'adoption chez les entreprises de plus de 500 salariés.",
                "due_on": day + datetime.timedelta(days=90),
                "owner": owner,
            },
            {
                "text": "Présenter le coût par utilisateur actif au prochain comité.",
                "due_on": today + datetime.timedelta(days=10),
                "owner": owner,
            },
        ],
        **_evidence(proconnect),
    )
    services.decision_checklist_set(
        decision=decision,
        by=recorder,
        answers={line.key: (line.status, "") for line in checklist.review_checklist(decision.review)}
        | {"gates": (YES, "Homologation MonServiceSécurisé présentée en séance, accessibilité auditée en mars.")},
    )
    services.condition_resolve(
        condition=decision.conditions.order_by("due_on").first(),
        by=recorder,
        met=True,
        note="Procédure publiée dans la documentation des partenaires.",
    )
    if other is not None:
        services.decision_record(
            review=reviews[1],
            outcome=Outcome.POURSUITE,
            by=recorder,
            rationale="Les objectifs du semestre sont atteints ; l'équipe présente un plan crédible pour les six mois.",
            budget_eur=250_000,
            budget_period_start=day,
            budget_period_end=add_months(day, doctrine.CADENCE_MONTHS) - datetime.timedelta(days=1),
            next_committee_on=add_months(day, doctrine.CADENCE_MONTHS),
            no_evidence_reason=(
                "Le comité s'appuie sur les indicateurs d'usage présentés en séance : l'investigation de la startup "
                "est antérieure à l'outil."
            ),
        )
    services.session_close(session=session, by=recorder)


def _planned_session(*, incubator, members, proconnect, others, accounts, today) -> None:
    kind = SessionKind.INVESTISSEMENT
    if any(startup.current_phase == PhaseName.INVESTIGATION for startup in others[:2]):
        kind = SessionKind.FIN_INVESTIGATION
    session = services.session_create(
        incubator=incubator, date=today, kind=kind, members=members, by=accounts.get("staff")
    )
    reviews = services.agenda_set(
        session=session, items=[(startup, 50) for startup in [proconnect, *others[:2]]], by=accounts.get("staff")
    )
    services.review_request_update(
        review=reviews[0],
        by=accounts.get("intrapreneur"),
        requested_team="Une intrapreneure à 80 %, deux développeurs, une designer, un chargé de déploiement.",
        requested_budget_eur=420_000,
        hypotheses_to_test=(
            "Les entreprises de plus de 500 salariés adoptent ProConnect pour leurs collaborateurs.\n"
            "Les experts-comptables cessent de partager les identifiants de leurs clients."
        ),
        success_criteria="20 000 entreprises connectées ; 30 % des grandes entreprises interrogées actives.",
    )
    _demo_document(reviews[0], accounts.get("intrapreneur"))


def _follow_up_session(*, accounts, today) -> None:
    staff = accounts.get("staff")
    startup = Startup.objects.filter(slug=FOLLOW_UP_SLUG).select_related("incubator").first()
    if staff is None or startup is None or startup.reviews.filter(session__isnull=False).exists():
        return
    day = today - datetime.timedelta(days=FOLLOW_UP_DAYS_AGO)
    ahead = today + datetime.timedelta(days=FOLLOW_UP_DAYS_AHEAD)
    session = services.session_create(
        incubator=startup.incubator, date=day, kind=SessionKind.INVESTISSEMENT, members=[staff], by=staff
    )
    [review] = services.agenda_set(session=session, items=[(startup, 50)], by=staff)
    services.decision_record(
        review=review,
        outcome=Outcome.POURSUITE_AVEC_RESERVES,
        by=staff,
        rationale="L'usage progresse dans le premier département ; le comité finance l'ouverture d'un second.",
        budget_eur=300_000,
        budget_period_start=day,
        budget_period_end=ahead,
        next_committee_on=ahead,
        conditions=[
            {
                "text": "Signer la convention avec le second département pilote.",
                "due_on": today + datetime.timedelta(days=5),
                "owner": _owner(startup, accounts),
            }
        ],
        no_evidence_reason="Décision prise sur les chiffres d'usage du premier département, présentés en séance.",
    )
    services.session_close(session=session, by=staff)


STOP_DAYS_AGO = 40
STOP_POST_MORTEM = {
    "why": "Après un an de construction, l'usage plafonne : les services ont déjà un outil régional qui leur convient.",
    "learnt": "Le besoin était réel dans deux départements seulement ; interroger plus tôt les services équipés.",
    "reused": "Le module de prise de rendez-vous est repris par une autre startup de l'incubateur.",
    "code_and_data": "Dépôt archivé (lecture seule) ; données des usagers supprimées à l'arrêt du service.",
}


def _stop_session(*, incubator, others, accounts, today) -> None:
    """A closed session that stops a startup in construction, with the post-mortem of its ending."""
    staff = accounts.get("staff")
    if staff is None or Decision.objects.filter(outcome=Outcome.ARRET, review__session__isnull=False).exists():
        return
    day = today - datetime.timedelta(days=STOP_DAYS_AGO)
    candidate = next(
        (
            startup
            for startup in reversed(others)
            if startup.current_phase == PhaseName.CONSTRUCTION
            and startup.current_phase_start
            and startup.current_phase_start < day
            and not startup.reviews.filter(session__isnull=False).exists()
        ),
        None,
    )
    if candidate is None:
        return
    session = services.session_create(
        incubator=incubator, date=day, kind=SessionKind.INVESTISSEMENT, members=[staff], by=staff
    )
    [review] = services.agenda_set(session=session, items=[(candidate, 50)], by=staff)
    decision = services.decision_record(
        review=review,
        outcome=Outcome.ARRET,
        by=staff,
        rationale="L'usage ne progresse plus et le sponsor ne peut pas financer un nouveau semestre.",
        no_evidence_reason="Décision prise sur les chiffres d'usage présentés en séance.",
    )
    services.post_mortem_record(decision=decision, by=staff, **STOP_POST_MORTEM)
    services.session_close(session=session, by=staff)


def populate(accounts: dict[str, User]) -> None:
    proconnect = Startup.objects.filter(slug=ANCHOR_SLUG).select_related("incubator").first()
    committee = accounts.get("committee")
    if proconnect is None or committee is None:
        return
    incubator = _incubator(proconnect, accounts.get("staff"))
    members = [user for user in (committee, accounts.get("staff")) if user is not None]
    others = _others(incubator, proconnect)
    today = timezone.localdate()
    existing = CommitteeSession.objects.filter(incubator=incubator, members=committee)
    if not existing.filter(status=SessionStatus.CLOSED).exists():
        other = next((s for s in others if s.current_phase != PhaseName.INVESTIGATION), None)
        _past_session(
            incubator=incubator, members=members, proconnect=proconnect, other=other, accounts=accounts, today=today
        )
    if not existing.filter(status__in=[SessionStatus.PLANNED, SessionStatus.HELD]).exists():
        _planned_session(
            incubator=incubator, members=members, proconnect=proconnect, others=others, accounts=accounts, today=today
        )
    _follow_up_session(accounts=accounts, today=today)
    _stop_session(incubator=incubator, others=others, accounts=accounts, today=today)
    _transfer_post_mortem(accounts)


TRANSFER_SLUG = "trajets-ruraux"
TRANSFER_POST_MORTEM = {
    "why": "Le service a trouvé son public : l'agence régionale des mobilités le reprend et le finance.",
    "learnt": "Les communes rurales adoptent un service quand un agent de la mairie le relaie ; l'application seule ne "
    "suffisait pas.",
    "reused": "L'annuaire des trajets et le module d'alertes, repris tels quels par l'agence.",
    "code_and_data": "Dépôt transféré à l'agence (licence MIT) ; données des trajets migrées, comptes des habitants "
    "prévenus un mois avant.",
}


def _transfer_post_mortem(accounts) -> None:
    """The post-mortem of the demo's transferred startup (recorded once: a second run leaves it as it is)."""
    startup = Startup.objects.filter(slug=TRANSFER_SLUG, current_phase=PhaseName.TRANSFERE).first()
    if startup is not None and not PostMortem.objects.filter(startup=startup).exists():
        services.post_mortem_transfer_record(startup=startup, by=accounts.get("staff"), **TRANSFER_POST_MORTEM)
