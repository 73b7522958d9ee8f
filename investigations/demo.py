"""The investigations part of `manage.py demo` (idempotent, deterministic).

- ProConnect: the investigation opened on 2020-06-23 and suspended on 2020-09-15 after 54 interviews of
  companies of every size and sector — a third (18) saw no problem at all, the large companies (> 500)
  shared common but non-critical difficulties — with its note d'étape, hypotheses and two insights.
- An open investigation, with recent interviews, on a startup of the demo intrapreneur that is in its
  investigation phase, when the products demo created one.
- An open investigation whose only interview is 17 days old, on the demo team member's startup in its
  investigation phase: the "no interview for 14 days" alert and its reminder.

Organisations, pseudonyms, notes and quotes are fictitious.
"""

import datetime

from django.utils import timezone

from products.enums import PhaseName
from products.models import Incubator, Membership, Startup, User

from .enums import Channel, HypothesisStatus, RitualKind
from .models import Interview, Investigation
from .services import (
    hypothesis_save,
    insight_save,
    interview_log,
    investigation_open,
    investigation_resume,
    investigation_suspend,
    ritual_record,
)

PROCONNECT_SLUG = "proconnect"
PROCONNECT_START = datetime.date(2020, 6, 23)
PROCONNECT_SUSPENDED = datetime.date(2020, 9, 15)
# Demo interviews are kept well beyond the default (end + 6 months) and the bound of real ones (end + 24 months)
# so that `purge_interviews` run on a demo database does not empty the story the demo is there to show.
DEMO_RETENTION = datetime.date(2035, 12, 31)

PROCONNECT_NOTE = """\
## Note d'étape — suspension de l'investigation ProConnect (15/09/2020)

Après **54 entretiens** avec des entreprises, l'équipe ProConnect, accompagnée par beta.gouv.fr,
suspend ses travaux d'investigation.

### Le contexte
L'investigation a commencé fin juin 2020, menée par les intrapreneurs du projet et des coachs de
beta.gouv.fr, alors qu'une première brique logicielle de ProConnect était en cours de finalisation.
Il s'agissait de retourner auprès des utilisateurs potentiels pour comprendre leurs problèmes
d'authentification sur les portails publics et de gestion des comptes, puis d'en déduire les
fonctionnalités prioritaires.

### Ce que disent les entretiens
- Jusqu'à mi-septembre, 54 entretiens individuels ont été menés avec des entreprises de toute taille
  et de tous secteurs.
- L'authentification sur les portails publics et la gestion des comptes **ne posent pas de problème
  important** aux professionnels : **un tiers des personnes interrogées n'y voit aucun problème**.
- Les **grandes entreprises (> 500 salariés)** rencontrent des difficultés communes, qui pourraient
  justifier une investigation focalisée, mais **sans caractère critique** ni fortement gênant.

Deux questions se posent donc :
1. Faut-il investir davantage d'argent public pour enrichir ProConnect alors que les usagers disent
   sans ambiguïté ne rencontrer pas ou peu de problèmes ?
2. Si de nouvelles fonctionnalités répondent à des problèmes peu prégnants, est-on prêt à assumer le
   risque d'une moindre adoption, changer ses habitudes coûtant plus que de garder l'existant ?

### Pourquoi suspendre maintenant
La priorité de ProConnect, confirmée par son comité de pilotage, est de finaliser et mettre en
production le socle logiciel ; les intrapreneurs y consacrent tout leur temps depuis début septembre.
Poursuivre ralentirait cette mise en production, toute nouvelle fonctionnalité s'appuierait de toute
façon sur ce socle, et une investigation demande une disponibilité d'agenda et d'esprit qui n'est plus
réunie.

### La suite
L'investigation est interrompue. Le travail effectué, les entretiens, les apprentissages et les
orientations pour une reprise éventuelle sont documentés.
"""

TPE, PME, ETI, GE = "TPE (< 10)", "PME (10–249)", "ETI (250–500)", "Grande entreprise (> 500)"
# Intensity of each group's interviews: 18 × 0 in all (8 + 7 + 3 + 0); large companies 1–2, never 3.
INTENSITIES = {
    TPE: [0, 1, 0, 0, 1, 0, 2, 0, 1, 0, 1, 0, 1, 0, 1],
    PME: [1, 0, 0, 1, 2, 0, 1, 0, 1, 0, 1, 0, 2, 1, 0, 1],
    ETI: [1, 0, 1, 2, 1, 0, 1, 1, 0, 2, 1],
    GE: [2, 1, 2, 2, 1, 2, 1, 2, 2, 1, 2, 1],
}
CODES = {TPE: "TPE", PME: "PME", ETI: "ETI", GE: "GE"}
HEADCOUNTS = {
    TPE: [1, 3, 2, 6, 8, 4, 9, 1, 5, 7, 2, 3, 6, 4, 8],
    PME: [12, 45, 18, 120, 230, 35, 80, 15, 60, 25, 150, 40, 210, 95, 20, 70],
    ETI: [260, 310, 420, 480, 290, 350, 500, 275, 390, 450, 330],
    GE: [650, 1200, 3500, 900, 15000, 2200, 780, 5400, 1800, 42000, 1100, 8000],
}
SECTORS = [
    "Commerce de détail",
    "BTP",
    "Industrie",
    "Transport et logistique",
    "Hôtellerie-restauration",
    "Services aux entreprises",
    "Agriculture",
    "Santé",
    "Banque et assurance",
    "Numérique",
    "Expertise comptable",
    "Énergie",
    "Immobilier",
    "Artisanat",
]
CHANNELS = [Channel.VISIO, Channel.TELEPHONE, Channel.VISIO, Channel.TELEPHONE, Channel.SUR_PLACE]

NOTES = {
    0: "Se connecte une à deux fois par an aux portails publics (impôts, déclarations sociales). Un seul compte, "
    "tenu par la direction ou l'expert-comptable. Ne voit aucun problème à résoudre.",
    1: "Quelques comptes sur les portails publics ; les mots de passe sont notés dans un tableur partagé. "
    "Gêne faible, aucune attente d'un nouvel outil.",
    2: "Plusieurs personnes utilisent les portails ; chaque départ de salarié oblige à recréer ou retirer des "
    "accès, portail par portail. Gêne réelle mais contournée.",
    "GE": "Des dizaines de comptes répartis entre services (paie, fiscalité, douane) et prestataires. Les départs "
    "et changements de poste laissent des accès orphelins ; habiliter un prestataire est lourd. Difficulté "
    "commune, jugée pénible mais pas critique : les équipes ont leurs habitudes.",
}
QUOTES = {
    0: [
        "Franchement, je me connecte deux fois par an, je n'ai aucun problème.",
        "C'est mon expert-comptable qui gère tout ça, je n'y touche pas.",
        "Ça marche très bien comme ça, je ne vois pas ce qu'on pourrait améliorer.",
    ],
    1: ["On a un fichier avec les mots de passe, ce n'est pas idéal mais ça marche."],
    2: ["Quand quelqu'un part, on ne sait jamais à quels portails il avait accès."],
    "GE": [
        "Chaque portail a sa propre gestion des comptes, on ne sait plus qui a accès à quoi.",
        "Retirer les accès d'un salarié qui part, c'est un site après l'autre.",
        "C'est pénible, mais ce n'est pas ça qui nous empêche de travailler.",
    ],
}
TAGS = {
    0: [["aucun irritant"], ["aucun irritant", "expert-comptable"]],
    1: [["mots de passe partagés"], ["mots de passe partagés", "expert-comptable"]],
    2: [["départs de salariés", "multi-comptes"]],
    "GE": [["multi-comptes", "habilitations"], ["départs de salariés", "multi-comptes", "prestataires"]],
}


def populate(accounts: dict[str, User]) -> None:
    proconnect = _proconnect_startup()
    if not proconnect.investigations.filter(started_on=PROCONNECT_START).exists():
        _proconnect_investigation(proconnect)
    _open_investigation(accounts.get("intrapreneur"))
    _quiet_investigation(accounts.get("team"))


def _proconnect_startup() -> Startup:
    """The products demo creates ProConnect; create a minimal one only if it is missing."""
    startup = Startup.objects.filter(slug=PROCONNECT_SLUG).first()
    if startup is None:
        incubator, _created = Incubator.objects.get_or_create(
            slug="dinum_produits_interministeriels", defaults={"title": "Opérateur de produits interministériels"}
        )
        startup = Startup.objects.create(
            slug=PROCONNECT_SLUG,
            name="ProConnect",
            mission="La solution qui vous identifie en tant que professionnel.",
            incubator=incubator,
        )
    return startup


def _weekdays(start: datetime.date, count: int) -> list[datetime.date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _proconnect_investigation(startup: Startup) -> Investigation:
    investigation = Investigation(
        startup=startup,
        phase=startup.phases.filter(name=PhaseName.INVESTIGATION, investigation__isnull=True).first(),
        started_on=PROCONNECT_START,
        planned_end=PROCONNECT_START + datetime.timedelta(weeks=9),
        problem_statement=(
            "Les professionnels rencontrent-ils des difficultés pour s'authentifier sur les portails publics et "
            "gérer les comptes de leurs collaborateurs ? Lesquelles, et quelles fonctionnalités de ProConnect "
            "seraient prioritaires ?"
        ),
        interview_goal=50,
    )
    investigation.full_clean()
    investigation.save()
    groups = {name: investigation.target_groups.create(name=name) for name in INTENSITIES}

    # Interleave the groups so that each week meets companies of every size, one interview a working day.
    order = []
    for index in range(max(len(levels) for levels in INTENSITIES.values())):
        order += [(name, index) for name, levels in INTENSITIES.items() if index < len(levels)]
    dates = _weekdays(datetime.date(2020, 6, 29), len(order))
    interviews: dict[str, list[Interview]] = {name: [] for name in INTENSITIES}
    by_level: dict[int, list[Interview]] = {0: [], 1: [], 2: []}
    for number, ((name, index), date) in enumerate(zip(order, dates, strict=True)):
        level = INTENSITIES[name][index]
        key = "GE" if name == GE else level
        consent = number % 11 != 5  # five people did not consent: their notes and quotes are not kept
        pseudonym = f"{CODES[name]}-{index + 1:02d}"
        quotes = [QUOTES[key][index % len(QUOTES[key])]] if index % 2 == 0 or name == GE else []
        interview = interview_log(
            investigation=investigation,
            by=None,
            date=date,
            interviewee=pseudonym,
            target_group=groups[name],
            organisation=f"Entreprise fictive {pseudonym}",
            headcount=HEADCOUNTS[name][index],
            sector=SECTORS[(number * 5) % len(SECTORS)],
            channel=CHANNELS[number % len(CHANNELS)],
            intensity=level,
            notes=NOTES[key],
            quotes=quotes,
            tags=TAGS[key][index % len(TAGS[key])],
            consent=consent,
        )
        interviews[name].append(interview)
        by_level[level].append(interview)
    # Fictitious people: kept past the bound real interviews have (end + 24 months), set here, not by the service.
    Interview.objects.filter(investigation=investigation).update(retention_until=DEMO_RETENTION)

    large = interviews[GE]
    no_problem = by_level[0]
    hypothesis_save(
        investigation=investigation,
        by=None,
        statement="Les entreprises ont des difficultés importantes pour s'authentifier sur les portails publics "
        "et gérer les comptes de leurs collaborateurs.",
        status=HypothesisStatus.INVALIDEE,
        supporting_interviews=[i for i in by_level[2] if i.target_group_id != groups[GE].pk],
        contradicting_interviews=no_problem,
    )
    hypothesis_save(
        investigation=investigation,
        by=None,
        statement="Les grandes entreprises (> 500 salariés) partagent des difficultés de gestion des comptes "
        "(départs, habilitations, prestataires).",
        status=HypothesisStatus.VALIDEE,
        supporting_interviews=large,
    )
    hypothesis_save(
        investigation=investigation,
        by=None,
        statement="Les entreprises accepteraient de changer leurs habitudes pour une gestion centralisée des accès.",
        status=HypothesisStatus.A_TESTER,
    )
    insights = [
        (
            "Un tiers des entreprises interrogées (18 sur 54) ne voit aucun problème dans l'accès aux "
            "portails publics : elles s'y connectent rarement et un seul compte leur suffit.",
            no_problem,
        ),
        (
            "Les grandes entreprises (> 500 salariés) partagent des difficultés de gestion des comptes — "
            "départs, habilitations de prestataires, un portail après l'autre — sans les juger critiques.",
            large,
        ),
    ]
    for statement, interviews in insights:
        quotes = [quote for interview in interviews for quote in interview.quotes.all()]
        insight_save(investigation=investigation, by=None, statement=statement, interviews=interviews, quotes=quotes)
    return investigation_suspend(investigation=investigation, reason=PROCONNECT_NOTE, on=PROCONNECT_SUSPENDED, by=None)


OPEN_GROUPS = ["Agents instructeurs", "Usagers particuliers", "Associations"]
OPEN_INTERVIEWS = [
    # (days ago, group index, intensity, tags, note, quote)
    (
        19,
        0,
        3,
        ["délais", "ressaisie"],
        "Ressaisit chaque dossier dans deux outils ; 20 minutes perdues par dossier.",
        "Je tape tout deux fois, tous les jours.",
    ),
    (
        16,
        1,
        2,
        ["délais"],
        "A attendu trois semaines une réponse, sans savoir où en était sa demande.",
        "On ne sait jamais où en est le dossier.",
    ),
    (14, 0, 2, ["ressaisie"], "Copie les pièces justificatives à la main dans l'outil métier.", ""),
    (12, 2, 1, ["pièces justificatives"], "Les pièces demandées changent d'une démarche à l'autre.", ""),
    (9, 1, 0, [], "Démarche faite une fois, sans difficulté particulière.", "Pour moi ça s'est bien passé."),
    (
        7,
        0,
        3,
        ["délais", "ressaisie"],
        "Le service accumule du retard ; les relances téléphoniques saturent l'accueil.",
        "Le téléphone sonne toute la journée pour des relances.",
    ),
    (4, 2, 2, ["pièces justificatives", "délais"], "Dossiers incomplets renvoyés plusieurs fois.", ""),
    (2, 1, 1, ["délais"], "Aimerait être prévenue par courriel de l'avancement.", ""),
]


def _open_investigation(intrapreneur: User | None) -> None:
    """An investigation in progress on a startup of the demo intrapreneur in its investigation phase."""
    if intrapreneur is None:
        return
    membership = (
        Membership.objects.current()
        .filter(user=intrapreneur, startup__current_phase=PhaseName.INVESTIGATION)
        .exclude(startup__slug=PROCONNECT_SLUG)
        .select_related("startup")
        .order_by("startup__slug")
        .first()
    )
    if membership is None or membership.startup.investigations.exists():
        return
    startup = membership.startup
    today = timezone.localdate()
    started_on = max(startup.current_phase_start or today, today - datetime.timedelta(days=24))
    started_on = min(started_on, today - datetime.timedelta(days=21))
    investigation = investigation_open(
        startup=startup,
        started_on=started_on,
        by=intrapreneur,
        problem_statement="Les délais de traitement des demandes font-ils perdre du temps aux agents et aux usagers ?",
        target_groups=OPEN_GROUPS,
    )
    groups = list(investigation.target_groups.order_by("pk"))
    for days_ago, group_index, level, tags, note, quote in OPEN_INTERVIEWS:
        interview_log(
            investigation=investigation,
            by=intrapreneur,
            date=today - datetime.timedelta(days=days_ago),
            interviewer=intrapreneur,
            interviewee=f"{groups[group_index].name.split()[0][:5].upper()}-{days_ago:02d}",
            target_group=groups[group_index],
            channel=Channel.VISIO if days_ago % 2 else Channel.SUR_PLACE,
            intensity=level,
            notes=note,
            quotes=[quote] if quote else [],
            tags=tags,
            consent=True,
        )
    # Its rituals so far: the launch workshop and the mid-point; the restitution is still to come.
    ritual_record(
        investigation=investigation,
        kind=RitualKind.LANCEMENT,
        date=started_on,
        notes="Atelier avec le sponsor et deux chefs de bureau : le problème, les groupes cibles, le calendrier.",
        by=intrapreneur,
    )
    ritual_record(
        investigation=investigation,
        kind=RitualKind.MI_PARCOURS,
        date=today - datetime.timedelta(days=3),
        notes="Les agents confirment le problème ; les usagers restent à interroger.",
        by=intrapreneur,
    )


QUIET_SLUG = "eau-potable-info"


def _quiet_investigation(member: User | None) -> None:
    """An investigation in progress that has not logged an interview for more than 14 days."""
    startup = Startup.objects.filter(slug=QUIET_SLUG, current_phase=PhaseName.INVESTIGATION).first()
    if member is None or startup is None or startup.investigations.exists():
        return
    today = timezone.localdate()
    investigation = investigation_open(
        startup=startup,
        started_on=max(startup.current_phase_start or today, today - datetime.timedelta(days=20)),
        by=member,
        problem_statement="Les habitants savent-ils où trouver la qualité de l'eau de leur commune ?",
        target_groups=["Habitants", "Mairies"],
    )
    interview_log(
        investigation=investigation,
        by=member,
        date=today - datetime.timedelta(days=17),
        interviewer=member,
        interviewee="HABIT-17",
        target_group=investigation.target_groups.order_by("pk").first(),
        channel=Channel.TELEPHONE,
        intensity=2,
        notes="Ne sait pas que la mairie affiche les analyses ; cherche sur internet sans rien trouver.",
        tags=["information"],
        consent=True,
    )
    # Suspended for a while, then resumed rather than replaced.
    investigation_suspend(
        investigation=investigation,
        reason="L'équipe est mobilisée sur une urgence sanitaire : pause de l'investigation.",
        on=today - datetime.timedelta(days=16),
        by=member,
    )
    investigation_resume(
        investigation=investigation,
        reason="L'urgence est passée : l'équipe reprend les entretiens avec les mairies.",
        on=today - datetime.timedelta(days=15),
        by=member,
    )
