"""A synthetic portfolio in the proportions of the real one, for benchmarks and load tests.

`plan_startup` decides everything about one startup from its own random generator (seeded by the
portfolio seed and the startup's number), so a portfolio is the same for a seed whatever the batch
size; `generate_portfolio` writes the plans with bulk_create, batch after batch.

The proportions below were measured once on the public beta.gouv.fr portfolio (662 startups,
snapshot of 2026-08-20): sequences of phases, closed phase durations and time spent so far in the
current phase (deciles, in days), incubator sizes, sponsors and themes per startup, events.
"""

import dataclasses
import datetime
import math
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from committees.enums import ConditionStatus, Outcome, SessionKind, SessionStatus
from committees.models import CommitteeSession, Condition, Decision, Review
from investigations import doctrine as investigation_doctrine
from investigations.enums import HypothesisStatus, InvestigationStatus
from investigations.models import (
    Hypothesis,
    Insight,
    Interview,
    Investigation,
    Quote,
    Tag,
    TargetGroup,
)
from portfolio.alerts import ACTIVE_PHASES
from products.enums import LIFECYCLE_RANK, TERMINAL_PHASES, EventKind, MembershipRole, OrganisationType
from products.models import Event, Incubator, Membership, Organisation, Phase, Startup, Theme, User

# Sequences of phases (in lifecycle order) and how many real startups followed each.
SEQUENCES = [
    (("investigation", "abandon-investigation"), 190),
    (("investigation", "construction"), 93),
    (("investigation", "construction", "abandon"), 76),
    (("investigation", "construction", "acceleration"), 58),
    (("investigation", "construction", "acceleration", "transfere"), 23),
    (("investigation",), 23),
    (("investigation", "construction", "acceleration", "consolidation", "transfere"), 21),
    (("investigation", "construction", "transfere"), 18),
    (("investigation", "construction", "acceleration", "abandon"), 15),
    (("construction", "abandon"), 14),
    (("construction",), 14),
    (("investigation", "construction", "acceleration", "consolidation"), 11),
    (("investigation", "construction", "consolidation", "transfere"), 10),
    (("abandon-investigation",), 9),
    (("construction", "acceleration"), 8),
    (("acceleration",), 7),
    (("construction", "acceleration", "consolidation"), 6),
    (("investigation", "construction", "acceleration", "opere"), 6),
    (("investigation", "construction", "acceleration", "consolidation", "abandon"), 5),
    (("construction", "acceleration", "consolidation", "transfere"), 5),
    (("investigation", "construction", "transfere", "abandon"), 3),
    (("construction", "acceleration", "transfere"), 3),
    (("investigation", "construction", "opere"), 3),
    (("construction", "transfere"), 3),
    (("consolidation", "transfere"), 3),
    (("investigation", "construction", "consolidation", "transfere", "abandon"), 2),
    (("investigation", "construction", "acceleration", "consolidation", "opere"), 2),
    (("investigation", "construction", "consolidation"), 2),
    (("investigation", "construction", "consolidation", "abandon"), 2),
    (("acceleration", "transfere"), 2),
    (("investigation", "transfere"), 2),
    (("investigation", "abandon"), 1),
    (("opere",), 1),
]
# Closed phases lasting at least a day: deciles of their length in days.
CLOSED_DECILES = {
    "investigation": [16, 62, 90, 97, 120, 150, 153, 184, 245, 368, 900],
    "construction": [30, 162, 240, 333, 384, 457, 600, 731, 897, 1186, 2000],
    "acceleration": [30, 181, 240, 335, 406, 551, 709, 850, 1021, 1311, 2113],
    "consolidation": [20, 62, 114, 149, 182, 232, 343, 381, 545, 786, 1500],
    "transfere": [33, 40, 73, 324, 1089],
}
ZERO_DAY_INVESTIGATION = 0.10  # 55 of 552 closed investigations started and ended the same day
# Time already spent in the current phase, in days (deciles), by current phase.
CURRENT_AGE_DECILES = {
    "investigation": [20, 153, 153, 229, 263, 322, 357, 430, 530, 641, 963],
    "construction": [60, 267, 322, 446, 454, 551, 658, 761, 880, 1328, 2213],
    "acceleration": [30, 259, 377, 567, 735, 966, 1241, 1453, 1787, 2089, 3000],
    "consolidation": [116, 173, 258, 326, 326, 326, 378, 770, 991, 1057, 1624],
    "transfere": [10, 257, 388, 496, 705, 901, 1133, 1404, 1616, 2274, 2702],
    "opere": [174, 181, 267, 318, 1057, 1118, 2089, 2336, 2518, 2640, 3000],
    "abandon-investigation": [120, 632, 905, 1078, 1514, 1848, 1848, 1879, 2121, 2336, 3000],
    "abandon": [144, 487, 606, 907, 1057, 1265, 1576, 1818, 2336, 2549, 3000],
}
# Startups per incubator in the real portfolio, largest first: the shape of the synthetic one.
INCUBATOR_WEIGHTS = [124, 111, 93, 34, 33, 32, 27, 27, 25, 25, 25, 19, 15, 13, 10, 10, 9, 8, 7, 7, 4, 4]
SPONSORS_PER_STARTUP = [(0, 30), (1, 506), (2, 82), (3, 27), (4, 13), (5, 4)]
THEMES_PER_STARTUP = [(0, 284), (1, 150), (2, 113), (3, 58), (4, 40), (5, 17)]
THEMES = [
    "Agriculture",
    "Culture",
    "Écologie",
    "Éducation",
    "Emploi",
    "Énergie",
    "Entreprises",
    "Environnement",
    "Handicap",
    "Inclusion",
    "Justice",
    "Logement",
    "Mobilité",
    "Numérique",
    "Santé",
    "Sécurité",
    "Social",
    "Territoires",
    "Transports",
    "Travail",
]
TARGET_GROUPS = [
    "TPE",
    "PME",
    "Grande entreprise (> 500)",
    "Agent public",
    "Usager particulier",
    "Collectivité",
    "Association",
]
TAGS = [
    "délais",
    "formulaire",
    "accès",
    "confiance",
    "données",
    "mobile",
    "accompagnement",
    "coût",
    "papier",
    "identité",
    "notification",
    "juridique",
    "tableur",
    "téléphone",
    "information",
    "relance",
    "courrier",
    "doublon",
    "recherche",
    "partage",
]
SECTORS = ["Industrie", "Commerce", "Services", "BTP", "Santé", "Administration", "Agriculture", "Transport"]
FOLLOW_UP_OUTCOMES = [
    (Outcome.POURSUITE, 55),
    (Outcome.POURSUITE_AVEC_RESERVES, 22),
    (Outcome.PROLONGATION_PROVISOIRE, 10),
    (Outcome.PIVOT, 3),
    (Outcome.NON_RENSEIGNE, 10),
]
INTERVIEWS_PER_INVESTIGATION = 25  # mean: about 200,000 interviews for 10,000 startups
FIRST_DAY = datetime.date(2013, 6, 1)
PASSWORD = "!synthetic-unusable"


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _from_deciles(rng: random.Random, deciles: list[int]) -> int:
    u = rng.random() * (len(deciles) - 1)
    low = math.floor(u)
    return round(deciles[low] + (deciles[min(low + 1, len(deciles) - 1)] - deciles[low]) * (u - low))


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


# --- Plans --------------------------------------------------------------------------------------
@dataclasses.dataclass
class PhasePlan:
    name: str
    start: datetime.date
    end: datetime.date | None


@dataclasses.dataclass
class InterviewPlan:
    date: datetime.date
    group: int
    intensity: int
    consent: bool
    sector: str
    headcount: int
    channel: str
    tags: list[int]
    quote: bool


@dataclasses.dataclass
class InvestigationPlan:
    phase_index: int
    started_on: datetime.date
    planned_end: datetime.date
    ended_on: datetime.date | None
    status: str
    groups: list[str]
    interviews: list[InterviewPlan]


@dataclasses.dataclass
class ConditionPlan:
    due_on: datetime.date
    status: str


@dataclasses.dataclass
class CommitteePlan:
    date: datetime.date
    kind: str
    planned: bool
    outcome: str | None = None
    budget_eur: int | None = None
    period_end: datetime.date | None = None
    next_committee_on: datetime.date | None = None
    opens_phase: int | None = None
    conditions: list[ConditionPlan] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class StartupPlan:
    number: int
    incubator: int
    co_incubator: int | None
    phases: list[PhasePlan]
    investigations: list[InvestigationPlan]
    committees: list[CommitteePlan]
    events: list[tuple[str, datetime.date]]
    sponsors: list[int]
    themes: list[int]
    coach: int
    team: list[int]
    sponsor_contact: int | None
    intrapreneur_share: int
    updated_on: datetime.date

    @property
    def current(self) -> PhasePlan:
        return self.phases[-1]

    @property
    def active(self) -> bool:
        return self.current.name in ACTIVE_PHASES


def session_day(incubator: int, month_start: datetime.date) -> datetime.date:
    """Each incubator sits on a fixed day of the month."""
    return month_start.replace(day=3 + (incubator * 5) % 24)


def next_session(incubator: int, on: datetime.date) -> datetime.date:
    """The incubator's first committee day on or after `on`."""
    candidate = session_day(incubator, on.replace(day=1))
    if candidate >= on:
        return candidate
    following = (on.replace(day=28) + _days(4)).replace(day=1)
    return session_day(incubator, following)


def _phases(rng: random.Random, incubator: int, today: datetime.date) -> list[PhasePlan]:
    sequence = _weighted(rng, SEQUENCES)
    lengths = []
    for name in sequence[:-1]:
        if name == "investigation" and rng.random() < ZERO_DAY_INVESTIGATION:
            lengths.append(0)
        else:
            lengths.append(max(1, _from_deciles(rng, CLOSED_DECILES.get(name, CLOSED_DECILES["transfere"]))))
    age = _from_deciles(rng, CURRENT_AGE_DECILES[sequence[-1]])
    last_start = today - _days(age)
    start = last_start - _days(sum(lengths))
    if start < FIRST_DAY:
        start = FIRST_DAY + _days(rng.randrange(0, 365))
        last_start = min(start + _days(sum(lengths)), today)
    phases = []
    for i, name in enumerate(sequence):
        if i == len(sequence) - 1:
            begin = max(last_start, phases[-1].end if phases else start)
            phases.append(PhasePlan(name, begin, None))
            break
        begin = start if not phases else phases[-1].end
        end = begin + _days(lengths[i])
        if lengths[i]:
            # A phase change is decided in committee: it happens on the incubator's next committee day.
            snapped = next_session(incubator, end)
            end = snapped if snapped <= today else end
        phases.append(PhasePlan(name, begin, min(end, today)))
    return phases


def _investigation(rng, phases, index, today) -> InvestigationPlan:
    phase = phases[index]
    following = phases[index + 1].name if index + 1 < len(phases) else None
    if following is None:
        status = InvestigationStatus.EN_COURS
    elif following == "abandon-investigation":
        status = InvestigationStatus.NON_CONCLUANTE
    else:
        status = InvestigationStatus.CONCLUANTE
    groups = rng.sample(TARGET_GROUPS, rng.randint(2, 4))
    interviews = []
    last = phase.end or today
    if phase.end is None:
        # Open investigations: most teams interviewed recently, some have gone quiet.
        last = today - _days(int(rng.expovariate(1 / 12)))
    count = 0 if last <= phase.start else max(0, round(rng.gauss(INTERVIEWS_PER_INVESTIGATION, 9)))
    span = max((last - phase.start).days, 0)
    for _ in range(count):
        consent = rng.random() < 0.85
        interviews.append(
            InterviewPlan(
                date=phase.start + _days(rng.randint(0, span)),
                group=rng.randrange(len(groups)),
                intensity=rng.choices([0, 1, 2, 3], weights=[30, 25, 28, 17])[0],
                consent=consent,
                sector=rng.choice(SECTORS),
                headcount=rng.choice([3, 8, 25, 60, 150, 400, 800, 2500]),
                channel=rng.choice(["visio", "telephone", "sur_place"]),
                tags=rng.sample(range(len(TAGS)), rng.randint(0, 2)),
                quote=consent and rng.random() < 0.25,
            )
        )
    return InvestigationPlan(
        phase_index=index,
        started_on=phase.start,
        planned_end=phase.start + investigation_doctrine.DURATION,
        ended_on=phase.end,
        status=status,
        groups=groups,
        interviews=sorted(interviews, key=lambda i: i.date),
    )


TRANSITION_OUTCOMES = {
    "abandon-investigation": Outcome.INVESTIGATION_NON_CONCLUANTE,
    "abandon": Outcome.ARRET,
    "alumni": Outcome.ARRET,
}


def _decide(rng, committee: CommitteePlan, today):
    outcome = committee.outcome
    if outcome in (Outcome.POURSUITE, Outcome.POURSUITE_AVEC_RESERVES, Outcome.PASSAGE_EN_CONSTRUCTION, Outcome.PIVOT):
        committee.budget_eur = rng.randrange(15, 61) * 10_000
        committee.period_end = committee.date + _days(183)
        committee.next_committee_on = committee.period_end - _days(35)
    elif outcome == Outcome.PROLONGATION_PROVISOIRE:
        committee.budget_eur = rng.randrange(5, 11) * 10_000
        committee.period_end = committee.date + _days(61)
        committee.next_committee_on = committee.period_end - _days(15)
    if outcome == Outcome.POURSUITE_AVEC_RESERVES:
        for _ in range(rng.randint(1, 3)):
            due = committee.date + _days(rng.randint(45, 120))
            if due >= today:
                status = ConditionStatus.OPEN
            elif due < today - _days(180):
                status = rng.choices([ConditionStatus.MET, ConditionStatus.NOT_MET], weights=[75, 25])[0]
            else:
                status = rng.choices(
                    [ConditionStatus.MET, ConditionStatus.NOT_MET, ConditionStatus.OPEN], weights=[50, 15, 35]
                )[0]
            committee.conditions.append(ConditionPlan(due, status))


def _committees(rng, incubator, phases, today) -> list[CommitteePlan]:
    committees = []
    lax = rng.random() < 0.12  # some teams let their committees slip
    for i, phase in enumerate(phases):
        if i > 0 and phases[i - 1].end is not None and phases[i - 1].end > phases[i - 1].start:
            previous = phases[i - 1].name
            if phase.name in TRANSITION_OUTCOMES:
                outcome = TRANSITION_OUTCOMES[phase.name]
            elif previous == "investigation":
                outcome = Outcome.PASSAGE_EN_CONSTRUCTION
            else:
                outcome = Outcome.POURSUITE
            kind = SessionKind.FIN_INVESTIGATION if previous == "investigation" else SessionKind.INVESTISSEMENT
            committees.append(CommitteePlan(phase.start, kind, False, outcome, opens_phase=i))
        if phase.name not in ACTIVE_PHASES or phase.name == "investigation":
            continue
        end = phase.end or today
        on = phase.start
        while True:
            gap = rng.randint(200, 420) if lax else rng.randint(150, 200)
            if committees and committees[-1].outcome == Outcome.PROLONGATION_PROVISOIRE:
                gap = rng.randint(45, 70)
            on = next_session(incubator, on + _days(gap))
            if on >= end or on > today:
                break
            committees.append(CommitteePlan(on, SessionKind.INVESTISSEMENT, False, _weighted(rng, FOLLOW_UP_OUTCOMES)))
    for committee in committees:
        _decide(rng, committee, today)
    # Most active startups already have their next committee on an incubator's agenda.
    if phases[-1].name in ACTIVE_PHASES and committees and rng.random() < 0.75:
        due = committees[-1].next_committee_on or committees[-1].date + _days(183)
        if today < due <= today + _days(90):
            committees.append(CommitteePlan(next_session(incubator, due), SessionKind.INVESTISSEMENT, True))
    # One review per session for a startup.
    seen, unique = set(), []
    for committee in committees:
        if committee.date not in seen:
            seen.add(committee.date)
            unique.append(committee)
    return unique


def _events(rng, phases, today):
    events = []
    names = [p.name for p in phases]
    if "construction" in names and rng.random() < 0.45:
        construction = phases[names.index("construction")]
        events.append((EventKind.PRODUCT_LAUNCH, min(construction.start + _days(rng.randint(60, 150)), today)))
    if "acceleration" in names:
        acceleration = phases[names.index("acceleration")]
        if rng.random() < 0.3:
            events.append((EventKind.FAST, min(acceleration.start + _days(rng.randint(30, 200)), today)))
        if rng.random() < 0.25:
            events.append((EventKind.NATIONAL_IMPACT, min(acceleration.start + _days(rng.randint(90, 400)), today)))
    if phases[-1].name in TERMINAL_PHASES and rng.random() < 0.3:
        events.append((EventKind.END, phases[-1].start))
    if rng.random() < 0.1:
        span = max((today - phases[0].start).days, 0)
        events.append((EventKind.OTHER, phases[0].start + _days(rng.randint(0, span))))
    return events


@dataclasses.dataclass
class Pools:
    incubators: int
    organisations: int
    themes: int
    coaches_by_incubator: dict[int, list[int]]
    team_members: int
    sponsor_contacts: int


def plan_startup(number: int, *, seed: int, incubator: int, pools: Pools, today: datetime.date) -> StartupPlan:
    rng = random.Random(f"{seed}:{number}")
    phases = _phases(rng, incubator, today)
    investigations = [
        _investigation(rng, phases, i, today) for i, phase in enumerate(phases) if phase.name == "investigation"
    ]
    committees = _committees(rng, incubator, phases, today)
    events = _events(rng, phases, today)
    share = rng.choices([100, 80, 70, 60, 50, 40, 20], weights=[40, 20, 10, 18, 6, 4, 2])[0]
    team_size = rng.randint(1, 5)
    activity = [phases[-1].start, *(d for _k, d in events), *(c.date for c in committees if not c.planned)]
    activity += [i.interviews[-1].date for i in investigations if i.interviews]
    updated_on = min(max(activity) + _days(rng.randint(0, 30)), today)
    return StartupPlan(
        number=number,
        incubator=incubator,
        co_incubator=(incubator + 1) % pools.incubators if pools.incubators > 1 and rng.random() < 0.01 else None,
        phases=phases,
        investigations=investigations,
        committees=committees,
        events=events,
        sponsors=rng.sample(range(pools.organisations), min(_weighted(rng, SPONSORS_PER_STARTUP), pools.organisations)),
        themes=rng.sample(range(pools.themes), min(_weighted(rng, THEMES_PER_STARTUP), pools.themes)),
        coach=rng.choice(pools.coaches_by_incubator[incubator]),
        team=rng.sample(range(pools.team_members), min(team_size, pools.team_members)),
        sponsor_contact=rng.randrange(pools.sponsor_contacts) if rng.random() < 0.3 else None,
        intrapreneur_share=share,
        updated_on=updated_on,
    )


def incubator_of_each(count: int, incubators: int, seed: int) -> list[int]:
    rng = random.Random(f"{seed}:incubators")
    weights = [INCUBATOR_WEIGHTS[i % len(INCUBATOR_WEIGHTS)] for i in range(incubators)]
    return rng.choices(range(incubators), weights=weights, k=count)


# --- Writing ------------------------------------------------------------------------------------
def slug_prefix(seed: int) -> str:
    return f"synth{seed}-"


def _aware(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone())


class Writer:
    """Writes plans with bulk_create, batch after batch, and counts what it wrote."""

    def __init__(self, *, seed: int, today: datetime.date, batch_size: int):
        self.seed = seed
        self.today = today
        self.batch_size = batch_size
        self.counts = defaultdict(int)
        self.sessions = {}  # (incubator index, date) -> session id

    def create(self, model, objects, count_as=None):
        created = model.objects.bulk_create(objects, batch_size=self.batch_size)
        self.counts[str(count_as or model._meta.verbose_name_plural)] += len(created)
        return created

    def link(self, relation, pairs, count_as: str):
        """The rows of a many-to-many `relation` (e.g. `Startup.themes`) joining each (owner, target) pair."""
        through, field = relation.through, relation.field
        owner, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        return self.create(through, [through(**{owner: a.pk, target: b.pk}) for a, b in pairs], count_as)

    def users(self, kind: str, count: int, name: str, first: int = 0) -> list[User]:
        users = [
            User(
                email=f"{kind}{i}.s{self.seed}@synthetique.beta.gouv.fr",
                full_name=f"{name} {i} (s{self.seed})",
                password=PASSWORD,
            )
            for i in range(first, first + count)
        ]
        return self.create(User, users, "utilisateurs")

    def setup(self, *, startups: int, incubator_of: list[int]) -> None:
        prefix = slug_prefix(self.seed)
        rng = random.Random(f"{self.seed}:setup")
        incubators = max(incubator_of) + 1
        organisation_count = max(5, startups // 30)
        self.organisations = self.create(
            Organisation,
            [
                Organisation(
                    slug=f"{prefix}organisation-{i}",
                    name=f"Direction synthétique {i}",
                    acronym=f"DS{i}",
                    type=rng.choice(list(OrganisationType.values)),
                    ministerial_domain=rng.choice(THEMES),
                )
                for i in range(organisation_count)
            ],
        )
        self.incubators = self.create(
            Incubator,
            [
                Incubator(
                    slug=f"{prefix}incubateur-{i}",
                    title=f"Incubateur synthétique {i}",
                    owner=self.organisations[i % organisation_count],
                )
                for i in range(incubators)
            ],
        )
        self.themes = [Theme.objects.get_or_create(name=name)[0] for name in THEMES]
        self.tags = []
        for name in TAGS:
            tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
            self.tags.append(tag)
        sizes = defaultdict(int)
        for incubator in incubator_of:
            sizes[incubator] += 1
        coach_counts = {i: max(1, math.ceil(sizes[i] / 12)) for i in range(incubators)}
        coaches = self.users("coach", sum(coach_counts.values()), "Coach")
        self.coaches_by_incubator, start = {}, 0
        for i in range(incubators):
            self.coaches_by_incubator[i] = list(range(start, start + coach_counts[i]))
            start += coach_counts[i]
        self.coaches = coaches
        self.staff = self.users("incubateur", 2 * incubators, "Équipe d'incubateur")
        self.committee_members = self.users("comite", 3 * incubators, "Membre du comité")
        self.team_members = self.users("equipe", max(5, startups // 2), "Membre de l'équipe")
        self.sponsor_contacts = self.users("sponsor", max(2, startups // 10), "Contact sponsor")
        staff = ((incubator, self.staff[2 * i + k]) for i, incubator in enumerate(self.incubators) for k in range(2))
        self.link(Incubator.staff, staff, "équipes d'incubateur")
        self.pools = Pools(
            incubators=incubators,
            organisations=organisation_count,
            themes=len(self.themes),
            coaches_by_incubator=self.coaches_by_incubator,
            team_members=len(self.team_members),
            sponsor_contacts=len(self.sponsor_contacts),
        )

    def write(self, plans: list[StartupPlan]) -> None:  # noqa: C901 — one batch, in dependency order
        prefix = slug_prefix(self.seed)
        today = self.today
        startups = self.create(
            Startup,
            [
                Startup(
                    slug=f"{prefix}{p.number:05d}",
                    name=f"Startup synthétique {p.number}",
                    mission="Simplifier une démarche administrative pour ses usagers.",
                    incubator=self.incubators[p.incubator],
                    current_phase=p.current.name,
                    current_phase_start=p.current.start,
                )
                for p in plans
            ],
        )
        for startup, plan in zip(startups, plans, strict=True):
            startup.updated_at = _aware(plan.updated_on)
        Startup.objects.bulk_update(startups, ["updated_at"], batch_size=self.batch_size)
        planned = list(zip(startups, plans, strict=True))
        self.link(
            Startup.themes, ((s, self.themes[t]) for s, p in planned for t in p.themes), "thématiques de startups"
        )
        sponsors = ((s, self.organisations[o]) for s, p in planned for o in p.sponsors)
        self.link(Startup.sponsors, sponsors, "sponsors de startups")
        co_incubators = ((s, self.incubators[p.co_incubator]) for s, p in planned if p.co_incubator is not None)
        self.link(Startup.co_incubators, co_incubators, "co-incubations")
        phase_rows = self.create(
            Phase,
            [
                Phase(startup_id=s.pk, name=ph.name, rank=LIFECYCLE_RANK[ph.name], start=ph.start, end=ph.end)
                for s, p in zip(startups, plans, strict=True)
                for ph in p.phases
            ],
        )
        phase_ids, cursor = [], 0
        for p in plans:
            phase_ids.append([r.pk for r in phase_rows[cursor : cursor + len(p.phases)]])
            cursor += len(p.phases)

        # People.
        intrapreneurs = self.users("intrapreneur", len(plans), "Intrapreneur·e", first=plans[0].number)
        memberships = []
        for s, p, intrapreneur in zip(startups, plans, intrapreneurs, strict=True):
            start = p.phases[0].start
            end = None if p.active else p.current.start
            people = [
                (intrapreneur.pk, MembershipRole.INTRAPRENEUR, p.intrapreneur_share),
                (self.coaches[p.coach].pk, MembershipRole.COACH, 10),
                *((self.team_members[m].pk, MembershipRole.TEAM_MEMBER, 100) for m in p.team),
            ]
            if p.sponsor_contact is not None:
                people.append((self.sponsor_contacts[p.sponsor_contact].pk, MembershipRole.SPONSOR_CONTACT, 5))
            memberships.extend(
                Membership(user_id=user_id, startup_id=s.pk, role=role, time_share=share, start=start, end=end)
                for user_id, role, share in people
            )
        self.create(Membership, memberships)

        # Investigations, interviews and what the team learnt.
        investigation_plans = [
            (s, p, i, intrapreneur)
            for s, p, intrapreneur in zip(startups, plans, intrapreneurs, strict=True)
            for i in p.investigations
        ]
        investigations = self.create(
            Investigation,
            [
                Investigation(
                    startup_id=s.pk,
                    phase_id=phase_ids[p.number - plans[0].number][i.phase_index],
                    started_on=i.started_on,
                    planned_end=i.planned_end,
                    ended_on=i.ended_on,
                    status=i.status,
                    problem_statement="Les usagers peinent à accomplir leur démarche.",
                )
                for s, p, i, _u in investigation_plans
            ],
        )
        groups = self.create(
            TargetGroup,
            [
                TargetGroup(investigation_id=inv.pk, name=name)
                for inv, (_s, _p, i, _u) in zip(investigations, investigation_plans, strict=True)
                for name in i.groups
            ],
        )
        interviews, interview_plans, cursor = [], [], 0
        for inv, (_s, _p, i, intrapreneur) in zip(investigations, investigation_plans, strict=True):
            group_rows = groups[cursor : cursor + len(i.groups)]
            cursor += len(i.groups)
            retention = i.planned_end + _days(183)
            for n, iv in enumerate(i.interviews):
                interviews.append(
                    Interview(
                        investigation_id=inv.pk,
                        date=iv.date,
                        interviewer_id=intrapreneur.pk,
                        interviewee=f"Personne {n + 1}",
                        target_group_id=group_rows[iv.group].pk,
                        organisation=f"Organisation {n + 1}" if iv.consent else "",
                        headcount=iv.headcount if iv.consent else None,
                        sector=iv.sector,
                        channel=iv.channel,
                        intensity=iv.intensity,
                        notes="Notes de l'entretien." if iv.consent else "",
                        consent=iv.consent,
                        retention_until=retention,
                    )
                )
                interview_plans.append(iv)
        interviews = self.create(Interview, interviews)
        self.create(
            Interview.tags.through,
            [
                Interview.tags.through(interview_id=row.pk, tag_id=self.tags[t].pk)
                for row, iv in zip(interviews, interview_plans, strict=True)
                for t in iv.tags
            ],
            "étiquettes d'entretiens",
        )
        self.create(
            Quote,
            [
                Quote(interview_id=row.pk, text="« Je remplis trois fois les mêmes informations. »")
                for row, iv in zip(interviews, interview_plans, strict=True)
                if iv.quote
            ],
        )
        statuses = [HypothesisStatus.VALIDEE, HypothesisStatus.INVALIDEE, HypothesisStatus.A_TESTER]
        self.create(
            Hypothesis,
            [
                Hypothesis(
                    investigation_id=inv.pk,
                    statement=f"Hypothèse {k + 1} : le problème est fréquent pour ce public.",
                    status=statuses[k],
                )
                for inv in investigations
                for k in range(3)
            ],
        )
        insights = self.create(
            Insight,
            [
                Insight(investigation_id=inv.pk, statement=f"Apprentissage {k + 1} tiré des entretiens.")
                for inv, (_s, _p, i, _u) in zip(investigations, investigation_plans, strict=True)
                if i.interviews
                for k in range(2)
            ],
        )
        by_investigation = defaultdict(list)
        for row in interviews:
            by_investigation[row.investigation_id].append(row.pk)
        self.create(
            Insight.interviews.through,
            [
                Insight.interviews.through(insight_id=insight.pk, interview_id=interview_id)
                for insight in insights
                for interview_id in by_investigation[insight.investigation_id][:3]
            ],
            "entretiens cités par les apprentissages",
        )

        # Committees: sessions of each incubator, reviews, decisions, conditions.
        needed = sorted(
            {(p.incubator, c.date) for p in plans for c in p.committees} - set(self.sessions),
        )
        sessions = self.create(
            CommitteeSession,
            [
                CommitteeSession(
                    date=date,
                    kind=SessionKind.INVESTISSEMENT,
                    incubator=self.incubators[incubator],
                    status=SessionStatus.PLANNED if date >= today else SessionStatus.CLOSED,
                    closed_at=None if date >= today else _aware(date + _days(1)),
                )
                for incubator, date in needed
            ],
        )
        for key, session in zip(needed, sessions, strict=True):
            self.sessions[key] = session.pk
        self.create(
            CommitteeSession.members.through,
            [
                CommitteeSession.members.through(
                    committeesession_id=session.pk, user_id=self.committee_members[3 * incubator + k].pk
                )
                for (incubator, _date), session in zip(needed, sessions, strict=True)
                for k in range(3)
            ],
            "membres de séances",
        )
        review_plans = [(s, p, c) for s, p in zip(startups, plans, strict=True) for c in p.committees]
        reviews = self.create(
            Review,
            [
                Review(
                    session_id=self.sessions[(p.incubator, c.date)],
                    startup_id=s.pk,
                    date=c.date,
                    requested_budget_eur=c.budget_eur,
                )
                for s, p, c in review_plans
            ],
        )
        decided = [(r, s, p, c) for r, (s, p, c) in zip(reviews, review_plans, strict=True) if not c.planned]
        decisions = self.create(
            Decision,
            [
                Decision(
                    review_id=r.pk,
                    startup_id=s.pk,
                    date=c.date,
                    outcome=c.outcome,
                    rationale="Décision du comité au vu des résultats présentés.",
                    budget_eur=c.budget_eur,
                    budget_period_start=c.date if c.period_end else None,
                    budget_period_end=c.period_end,
                    next_committee_on=c.next_committee_on,
                    recorded_by_id=self.committee_members[3 * p.incubator].pk,
                    phase_id=(
                        phase_ids[p.number - plans[0].number][c.opens_phase] if c.opens_phase is not None else None
                    ),
                )
                for r, s, p, c in decided
            ],
        )
        self.create(
            Condition,
            [
                Condition(
                    decision_id=d.pk,
                    text=f"Condition {k + 1} : mesurer l'usage et le présenter au prochain comité.",
                    due_on=cond.due_on,
                    owner_id=None,
                    status=cond.status,
                    resolved_at=None if cond.status == ConditionStatus.OPEN else _aware(cond.due_on),
                )
                for d, (_r, _s, _p, c) in zip(decisions, decided, strict=True)
                for k, cond in enumerate(c.conditions)
            ],
        )
        self.create(
            Event,
            [
                Event(startup_id=s.pk, kind=kind, date=date)
                for s, p in zip(startups, plans, strict=True)
                for kind, date in p.events
            ],
        )


@transaction.atomic
def generate_portfolio(
    *, startups: int, seed: int, today: datetime.date | None = None, batch_size: int = 500, progress=None
) -> dict[str, int]:
    """Create `startups` synthetic startups and everything around them; returns what was created."""
    today = today or timezone.localdate()
    incubators = min(60, max(3, round(startups / 250)))
    incubator_of = incubator_of_each(startups, incubators, seed)
    writer = Writer(seed=seed, today=today, batch_size=2000)
    writer.setup(startups=startups, incubator_of=incubator_of)
    for first in range(0, startups, batch_size):
        numbers = range(first, min(first + batch_size, startups))
        plans = [
            plan_startup(n, seed=seed, incubator=incubator_of[n], pools=writer.pools, today=today) for n in numbers
        ]
        writer.write(plans)
        if progress:
            progress(numbers.stop, startups)
    return dict(writer.counts)
