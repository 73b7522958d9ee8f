"""Demo accounts and the fictitious portfolio of `manage.py demo`.

Everything here is made up (except ProConnect, whose sheet, incubator and phases follow the public
beta.gouv.fr file). `populate` is idempotent: records are looked up by their identifier and a
startup's phases and events are written only when it has none, so running the demo twice, or on
another day, changes nothing.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .enums import EventKind, MembershipRole, OrganisationType, PhaseName, SpendingNature
from .models import Event, Incubator, Membership, Organisation, Phase, Startup, Theme, User
from .services import indicator_create, indicator_target_add, measurement_add, phase_advance, spending_add

DEMO_PASSWORD = "betatracker-demo"

# key -> (email, full name, role shown to the person who runs `make run`)
DEMO_ACCOUNTS = {
    "coach": ("coach@demo.beta.gouv.fr", "Camille Coach", "coach"),
    "intrapreneur": ("intrapreneur@demo.beta.gouv.fr", "Inès Intrapreneure", "intrapreneur·e"),
    "committee": ("comite@demo.beta.gouv.fr", "Claude Comité", "membre du comité"),
    "staff": ("incubateur@demo.beta.gouv.fr", "Sacha Incubateur", "équipe d'incubateur"),
    "team": ("equipe@demo.beta.gouv.fr", "Théo Équipe", "membre de l'équipe"),
    "sponsor": ("sponsor@demo.beta.gouv.fr", "Simone Sponsor", "sponsor"),
}


def ensure_accounts() -> dict[str, User]:
    accounts = {}
    for key, (email, full_name, _label) in DEMO_ACCOUNTS.items():
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            user.save()
        accounts[key] = user
    return accounts


# --- The fictitious portfolio -------------------------------------------------------------------
ORGANISATIONS = {
    "dinum": {
        "name": "Direction interministérielle du numérique",
        "acronym": "DINUM",
        "type": OrganisationType.ADMINISTRATION_CENTRALE,
        "ministerial_domain": "spm",
    },
    "demo-ministere-solidarites": {
        "name": "Ministère des Solidarités (fictif)",
        "acronym": "MSOL",
        "type": OrganisationType.ADMINISTRATION_CENTRALE,
        "ministerial_domain": "Solidarités",
    },
    "demo-agence-territoires": {
        "name": "Agence de la cohésion des territoires (fictive)",
        "acronym": "ACTF",
        "type": OrganisationType.OPERATEUR,
        "ministerial_domain": "Territoires",
    },
    "demo-departement-bellerive": {
        "name": "Département de Bellerive (fictif)",
        "acronym": "",
        "type": OrganisationType.COLLECTIVITE_TERRITORIALE,
        "ministerial_domain": "",
    },
}

SOLIDARITES = "demo-fabrique-solidarites"
TERRITOIRES = "demo-incubateur-territoires"
DINUM = "dinum_produits_interministeriels"

INCUBATORS = {
    SOLIDARITES: {
        "title": "Fabrique numérique des Solidarités",
        "owner": "demo-ministere-solidarites",
        "short_description": "Incubateur fictif du ministère des Solidarités, pour la démonstration.",
    },
    TERRITOIRES: {
        "title": "Incubateur des Territoires",
        "owner": "demo-agence-territoires",
        "short_description": "Incubateur fictif de l'agence des territoires, pour la démonstration.",
    },
    DINUM: {
        "title": "Incubateur des produits interministériels de la DINUM",
        "owner": "dinum",
        "short_description": "Mutualise les produits numériques essentiels de l'État.",
        "website": "https://numerique.gouv.fr/",
    },
}


@dataclass
class DemoStartup:
    slug: str
    name: str
    incubator: str
    mission: str
    # (phase, days before the day the demo is first loaded), oldest first, with no gap: each
    # phase is opened through phase_advance, which closes the previous one.
    phases: list[tuple[str, int]]
    sponsors: list[str]
    themes: list[str]
    usertypes: list[str]
    problem: str = ""
    solution: str = ""
    # (kind, days ago, comment)
    events: list[tuple[str, int, str]] = field(default_factory=list)
    co_incubators: list[str] = field(default_factory=list)
    # Other Startup fields, as a beta.gouv.fr file would give them (quality and compliance, objectives…).
    more: dict = field(default_factory=dict)
    # Days since the sheet was last updated, when it is not the day the demo is loaded (a startup nobody
    # has touched for a year: the dashboard's "Rien depuis un an" alert and its reminder).
    updated_days_ago: int | None = None


STARTUPS = [
    DemoStartup(
        slug="cantine-claire",
        name="Cantine Claire",
        incubator=SOLIDARITES,
        co_incubators=[DINUM],
        mission="Aider les collectivités à publier la composition et l'origine des repas servis à la cantine.",
        phases=[(PhaseName.INVESTIGATION, 45)],
        sponsors=["demo-ministere-solidarites", "demo-departement-bellerive"],
        themes=["Alimentation", "Éducation", "Collectivités"],
        usertypes=["collectivite-territoriale", "particulier"],
        problem="Les familles ne savent pas ce que mangent leurs enfants, et les communes peinent à le dire.",
        events=[(EventKind.OTHER, 38, "Atelier de lancement avec le sponsor")],
    ),
    DemoStartup(
        slug="repit-aidants",
        name="Répit Aidants",
        incubator=SOLIDARITES,
        co_incubators=[DINUM],
        mission="Permettre aux proches aidants de trouver et de réserver une solution de répit près de chez eux.",
        phases=[(PhaseName.INVESTIGATION, 300), (PhaseName.CONSTRUCTION, 150)],
        sponsors=["demo-ministere-solidarites"],
        themes=["Social", "Santé"],
        usertypes=["particulier", "association"],
        problem="Les aidants s'épuisent faute de savoir qu'une solution de répit existe à côté de chez eux.",
        solution="Un annuaire des solutions de répit avec leurs disponibilités, tenu par les plateformes locales.",
        more={
            "objectives": "Cent réservations de répit par mois dans deux départements pilotes.",
            "strategy": "Commencer avec les plateformes de répit de deux départements, puis ouvrir aux autres.",
            "techno": ["python", "django", "postgresql"],
            "stats": True,
            "accessibility_status": "partiellement conforme",
            "analyse_risques": True,
            "mon_service_securise": False,
            "contact_incubator": "sacha.incubateur",
        },
        events=[
            (EventKind.COMMITTEE, 150, "Comité de fin d'investigation : passage en construction"),
            (EventKind.PRODUCT_LAUNCH, 80, "Première réservation par un aidant"),
        ],
    ),
    DemoStartup(
        slug="dossier-handicap-simplifie",
        name="Dossier Handicap Simplifié",
        incubator=SOLIDARITES,
        mission="Simplifier la demande de prestations de compensation du handicap.",
        phases=[(PhaseName.INVESTIGATION, 900), (PhaseName.CONSTRUCTION, 820), (PhaseName.ACCELERATION, 420)],
        sponsors=["demo-ministere-solidarites"],
        themes=["Handicap", "Administratif"],
        usertypes=["particulier"],
        events=[
            (EventKind.COMMITTEE, 820, "Passage en construction"),
            (EventKind.PRODUCT_LAUNCH, 700, "Ouverture dans un premier département"),
            (EventKind.COMMITTEE, 420, "Poursuite : passage en accélération"),
            (EventKind.FAST, 300, "Financement du fonds d'accélération obtenu"),
        ],
        more={
            "techno": ["typescript", "next.js"],
            "stats": False,
            "accessibility_status": "non conforme",
            "analyse_risques": False,
            "dashlord_url": "https://dashlord.example.org/url/dossier-handicap-simplifie",
            "fast": {"promotion": 14, "montant": 300000},
            "contact_dinum": "prenom.nom",
        },
    ),
    DemoStartup(
        slug="bourse-logement-jeunes",
        name="Bourse Logement Jeunes",
        incubator=SOLIDARITES,
        mission="Aider les jeunes en insertion à trouver un premier logement abordable.",
        phases=[
            (PhaseName.INVESTIGATION, 1500),
            (PhaseName.CONSTRUCTION, 1430),
            (PhaseName.ACCELERATION, 1100),
            (PhaseName.CONSOLIDATION, 500),
        ],
        sponsors=["demo-ministere-solidarites"],
        themes=["Logement", "Social"],
        usertypes=["particulier", "association"],
        events=[
            (EventKind.PRODUCT_LAUNCH, 1300, "Lancement du service"),
            (EventKind.NATIONAL_IMPACT, 700, "Service ouvert sur tout le territoire"),
        ],
        updated_days_ago=480,
    ),
    DemoStartup(
        slug="accueil-social-facile",
        name="Accueil Social Facile",
        incubator=SOLIDARITES,
        mission="Aider les travailleurs sociaux à préparer le premier accueil d'une personne.",
        phases=[(PhaseName.INVESTIGATION, 1000), (PhaseName.CONSTRUCTION, 930), (PhaseName.ABANDON, 600)],
        sponsors=["demo-departement-bellerive"],
        themes=["Social"],
        usertypes=["collectivite-territoriale"],
        events=[(EventKind.END, 600, "Arrêt : usage trop faible après un an de construction")],
    ),
    DemoStartup(
        slug="signal-maltraitance",
        name="Signal Maltraitance",
        incubator=SOLIDARITES,
        mission="Faciliter le signalement des maltraitances envers les personnes âgées.",
        phases=[(PhaseName.INVESTIGATION, 400), (PhaseName.ABANDON_INVESTIGATION, 330)],
        sponsors=["demo-ministere-solidarites"],
        themes=["Santé", "Social"],
        usertypes=["particulier"],
        events=[(EventKind.COMMITTEE, 330, "Investigation non concluante : un service national existe déjà")],
    ),
    DemoStartup(
        slug="trajets-ruraux",
        name="Trajets Ruraux",
        incubator=TERRITOIRES,
        mission="Mettre en relation les habitants des villages pour leurs trajets du quotidien.",
        phases=[
            (PhaseName.INVESTIGATION, 2000),
            (PhaseName.CONSTRUCTION, 1930),
            (PhaseName.ACCELERATION, 1600),
            (PhaseName.TRANSFERE, 900),
        ],
        sponsors=["demo-agence-territoires"],
        themes=["Mobilité", "Territoires"],
        usertypes=["particulier", "collectivite-territoriale"],
        events=[(EventKind.END, 900, "Transfert à l'agence régionale des mobilités")],
    ),
    DemoStartup(
        slug="cartes.communales",
        name="Cartes Communales",
        incubator=TERRITOIRES,
        mission="Permettre aux petites communes de publier et de tenir à jour leurs documents d'urbanisme.",
        phases=[
            (PhaseName.INVESTIGATION, 1200),
            (PhaseName.CONSTRUCTION, 1130),
            (PhaseName.ACCELERATION, 800),
            (PhaseName.CONSOLIDATION, 200),
        ],
        sponsors=["demo-agence-territoires"],
        themes=["Territoires", "Collectivités"],
        usertypes=["collectivite-territoriale"],
        events=[(EventKind.PRODUCT_LAUNCH, 1000, "Première carte publiée")],
    ),
    DemoStartup(
        slug="petites-villes-connectees",
        name="Petites Villes Connectées",
        incubator=TERRITOIRES,
        co_incubators=[SOLIDARITES],
        mission="Aider les petites villes à proposer leurs démarches en ligne sans équipe informatique.",
        phases=[(PhaseName.INVESTIGATION, 200), (PhaseName.CONSTRUCTION, 120)],
        sponsors=["demo-agence-territoires", "demo-departement-bellerive"],
        themes=["Collectivités", "Administratif"],
        usertypes=["collectivite-territoriale"],
    ),
    DemoStartup(
        slug="eau-potable-info",
        name="Eau Potable Info",
        incubator=TERRITOIRES,
        mission="Informer les habitants de la qualité de l'eau du robinet dans leur commune.",
        phases=[(PhaseName.INVESTIGATION, 20)],
        sponsors=["demo-agence-territoires"],
        themes=["Environnement", "Santé"],
        usertypes=["particulier"],
    ),
    DemoStartup(
        slug="agenda-partage-agents",
        name="Agenda Partagé des Agents",
        incubator=DINUM,
        mission="Un agenda partagé entre administrations, opéré pour tous les ministères.",
        phases=[
            (PhaseName.INVESTIGATION, 2600),
            (PhaseName.CONSTRUCTION, 2530),
            (PhaseName.ACCELERATION, 2100),
            (PhaseName.CONSOLIDATION, 1500),
            (PhaseName.OPERE, 700),
        ],
        sponsors=["dinum"],
        themes=["Administratif"],
        usertypes=["etat"],
    ),
]

PROCONNECT = {
    "slug": "proconnect",
    "name": "ProConnect",
    "mission": "La solution qui vous identifie en tant que professionnel.",
    "problem": (
        "Agents publics et professionnels du privé jonglent avec un identifiant par portail public, "
        "et chaque nouveau service de l'État refait sa propre authentification."
    ),
    "solution": (
        "Une authentification unique, fondée sur OpenID Connect, qui s'appuie sur les fournisseurs "
        "d'identité des administrations et vérifie l'identité des professionnels du privé."
    ),
    "description": (
        "*ProConnect est issu de la fusion d'AgentConnect, MonComptePro et InclusionConnect.*\n\n"
        "## Investigation\n\n"
        "Une première investigation (2020) a interrogé 54 entreprises : un tiers ne voyait aucun "
        "problème, seules les grandes entreprises partageaient des difficultés. Elle a été suspendue "
        "et documentée, puis le produit est reparti en construction en 2022."
    ),
    "link": "https://www.proconnect.gouv.fr",
    "repository": "https://github.com/france-connect/sources",
    "stats_url": "https://www.proconnect.gouv.fr/stats",
    "contact": "support.partenaires@agentconnect.gouv.fr",
    "usertypes": ["entreprise", "etat"],
    "techno": ["typescript"],
    "stats": False,
    "analyse_risques": True,
}
PROCONNECT_THEMES = ["Entreprises", "Administratif", "Collectivités", "Sécurité informatique"]
PROCONNECT_PHASES = [
    (PhaseName.INVESTIGATION, datetime.date(2020, 6, 23), datetime.date(2020, 9, 15)),
    (PhaseName.CONSTRUCTION, datetime.date(2022, 6, 1), datetime.date(2022, 12, 1)),
    (PhaseName.ACCELERATION, datetime.date(2022, 12, 1), None),
]

# Who sees what: (account key, startup slug, role, time share %).
COACHED = ["cantine-claire", "repit-aidants", "dossier-handicap-simplifie"]
COACHED += ["bourse-logement-jeunes", "accueil-social-facile", "signal-maltraitance"]
MEMBERSHIPS = [
    *[("coach", slug, MembershipRole.COACH, 20) for slug in COACHED],
    ("coach", "proconnect", MembershipRole.COACH, 20),
    ("intrapreneur", "cantine-claire", MembershipRole.INTRAPRENEUR, 80),
    ("intrapreneur", "repit-aidants", MembershipRole.INTRAPRENEUR, 80),
    ("intrapreneur", "proconnect", MembershipRole.TEAM_MEMBER, 20),
    ("team", "repit-aidants", MembershipRole.TEAM_MEMBER, 100),
    ("team", "eau-potable-info", MembershipRole.TEAM_MEMBER, 50),
    ("sponsor", "repit-aidants", MembershipRole.SPONSOR_CONTACT, 10),
]
STAFFED_INCUBATORS = [("staff", SOLIDARITES)]


def _organisations() -> dict[str, Organisation]:
    return {
        slug: Organisation.objects.get_or_create(slug=slug, defaults=values)[0]
        for slug, values in ORGANISATIONS.items()
    }


def _incubators(organisations: dict[str, Organisation]) -> dict[str, Incubator]:
    incubators = {}
    for slug, values in INCUBATORS.items():
        defaults = {**values, "owner": organisations[values["owner"]]}
        incubators[slug] = Incubator.objects.get_or_create(slug=slug, defaults=defaults)[0]
    return incubators


def _themes(names) -> list[Theme]:
    return [Theme.objects.get_or_create(name=name)[0] for name in names]


def _demo_startup(spec: DemoStartup, *, incubators, organisations, today: datetime.date) -> Startup:
    startup, created = Startup.objects.get_or_create(
        slug=spec.slug,
        defaults={
            "name": spec.name,
            "incubator": incubators[spec.incubator],
            "mission": spec.mission,
            "problem": spec.problem,
            "solution": spec.solution,
            "usertypes": spec.usertypes,
            **spec.more,
        },
    )
    startup.co_incubators.add(*[incubators[slug] for slug in spec.co_incubators])
    startup.sponsors.add(*[organisations[slug] for slug in spec.sponsors])
    startup.themes.add(*_themes(spec.themes))
    if not startup.phases.exists():
        for name, days_ago in spec.phases:
            phase_advance(startup=startup, to=name, on=today - datetime.timedelta(days=days_ago))
    if not startup.events.exists():
        for kind, days_ago, comment in spec.events:
            Event.objects.create(
                startup=startup, kind=kind, date=today - datetime.timedelta(days=days_ago), comment=comment
            )
    if created and spec.updated_days_ago is not None:
        # QuerySet.update leaves auto_now alone: the sheet keeps the date it was last touched on.
        updated_at = timezone.now() - datetime.timedelta(days=spec.updated_days_ago)
        Startup.objects.filter(pk=startup.pk).update(updated_at=updated_at)
        startup.updated_at = updated_at
    return startup


def _proconnect(*, incubators, organisations) -> Startup:
    values = {key: value for key, value in PROCONNECT.items() if key != "slug"}
    startup, _created = Startup.objects.get_or_create(
        slug=PROCONNECT["slug"], defaults={**values, "incubator": incubators[DINUM]}
    )
    startup.sponsors.add(organisations["dinum"])
    startup.themes.add(*_themes(PROCONNECT_THEMES))
    if not startup.phases.exists():
        # The real history has a gap (investigation suspended in 2020, construction in 2022), which
        # phase_advance cannot write: the phases are created as they are, each one validated.
        for name, start, end in PROCONNECT_PHASES:
            phase = Phase(startup=startup, name=name, start=start, end=end)
            phase.full_clean()
            phase.save()
        startup.refresh_current_phase()
    return startup


# Impact (issue 15): for these startups, indicators measured monthly over the last year (two committee periods)
# and the team's spending, so that the impact page, the cost per unit and the dashboard's column can be tried.
# (slug, [(name, unit, direction, kind, north star, first value, monthly step)], monthly team cost in euros)
DEMO_IMPACT = [
    (
        "proconnect",
        [
            ("Utilisateurs actifs mensuels", "utilisateurs", "hausse", "stock", True, 180_000, 22_000),
            ("Services raccordés", "services", "hausse", "flux", False, 6, 2),
            ("Délai moyen de raccordement", "jours", "baisse", "stock", False, 45, -2),
        ],
        60_000,
    ),
    (
        "repit-aidants",
        [
            ("Aidants ayant trouvé une solution de répit", "aidants", "hausse", "flux", True, 40, 15),
            ("Solutions référencées", "solutions", "hausse", "stock", False, 120, 30),
        ],
        35_000,
    ),
    (
        "cantine-claire",
        [("Cantines publiant leurs menus", "cantines", "hausse", "stock", True, 300, 0)],
        25_000,
    ),
]
DEMO_IMPACT_MONTHS = 12


def _month_ends(today: datetime.date, months: int) -> list[datetime.date]:
    """The last days of the `months` months before the current one, oldest first."""
    ends, day = [], today.replace(day=1) - datetime.timedelta(days=1)
    for _month in range(months):
        ends.append(day)
        day = day.replace(day=1) - datetime.timedelta(days=1)
    return ends[::-1]


def _impact(startup: Startup, indicators, monthly_cost: int, *, today: datetime.date, by: User | None) -> None:
    if startup.indicators.exists():
        return
    ends = _month_ends(today, DEMO_IMPACT_MONTHS)
    for name, unit, direction, kind, north_star, first, step in indicators:
        indicator = indicator_create(
            startup=startup, name=name, unit=unit, direction=direction, kind=kind, is_north_star=north_star, by=by
        )
        for month, end in enumerate(ends):
            value = max(first + step * month, 0) if step else first  # a flat one: no gain, no cost per unit
            measurement_add(indicator=indicator, date=end, value=value, by=by)
        indicator_target_add(
            indicator=indicator,
            period_start=ends[6].replace(day=1),
            period_end=ends[-1],
            value=max(first + step * 14, 0),
            by=by,
        )
    for end in ends:
        start = end.replace(day=1)
        spending_add(
            startup=startup,
            period_start=start,
            period_end=end,
            amount_eur=monthly_cost,
            nature=SpendingNature.TEAM,
            by=by,
        )
        if end.month % 3 == 0:
            spending_add(
                startup=startup,
                period_start=start.replace(month=end.month - 2),
                period_end=end,
                amount_eur=4_500,
                nature=SpendingNature.HOSTING,
                comment="Hébergement du trimestre",
                by=by,
            )


@transaction.atomic
def populate(accounts: dict[str, User]) -> None:
    today = timezone.localdate()
    organisations = _organisations()
    incubators = _incubators(organisations)
    startups = {
        spec.slug: _demo_startup(spec, incubators=incubators, organisations=organisations, today=today)
        for spec in STARTUPS
    }
    startups["proconnect"] = _proconnect(incubators=incubators, organisations=organisations)
    for key, slug, role, time_share in MEMBERSHIPS:
        startup = startups[slug]
        first_phase = startup.ordered_phases().first()
        Membership.objects.get_or_create(
            user=accounts[key],
            startup=startup,
            role=role,
            defaults={"time_share": time_share, "start": first_phase.start if first_phase else today},
        )
    for key, slug in STAFFED_INCUBATORS:
        incubators[slug].staff.add(accounts[key])
    for slug, indicators, monthly_cost in DEMO_IMPACT:
        if slug in startups:
            _impact(startups[slug], indicators, monthly_cost, today=today, by=accounts.get("staff"))
