"""The shapes the read API answers with. django-ninja validates every answer against them and writes the
OpenAPI description from them. Field names follow `export_portfolio` and `export_decisions`; no extra field
is allowed, so a field added to an export without its description fails the tests instead of leaking."""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, WithJsonSchema

from committees.enums import ConditionStatus, Outcome, PostMortemKind, SessionKind
from investigations.enums import InvestigationStatus, RitualKind
from products.enums import EventKind, PhaseName


def one_of(choices) -> type:
    """A string among the values of a TextChoices, written as an enum in the description."""
    return Literal[tuple(choices.values)]


class Closed(Schema):
    """No field beyond those written here, in the answer and in the description (additionalProperties: false)."""

    model_config = ConfigDict(extra="forbid")


class Error(Closed):
    error: str = Field(description="Code de l'erreur, par exemple bad_request.")
    message: str = Field(description="Explication en français.")


# --- Startups -----------------------------------------------------------------------------------
class Phase(Closed):
    name: one_of(PhaseName)
    start: datetime.date
    end: datetime.date | None = Field(description="null tant que la phase est en cours.")


class Fast(Closed):
    promotion: int = Field(ge=0)
    montant: int = Field(ge=0)


class Startup(Closed):
    """Mêmes champs que `manage.py export_portfolio`."""

    slug: str = Field(description="Identifiant beta.gouv.fr (peut contenir des points).")
    name: str
    incubator: str = Field(description="Identifiant de l'incubateur principal.")
    incubators: list[str] = Field(min_length=1, description="L'incubateur principal puis les co-incubateurs.")
    sponsors: list[str]
    current_phase: one_of(PhaseName) | None
    phases: list[Phase]
    # Quality and compliance, as the beta.gouv.fr file says (products.exports.quality_export).
    techno: list[str] = Field(description="Technologies.")
    accessibility_status: str | None = Field(
        description=(
            "Conformité RGAA telle qu'écrite dans beta.gouv.fr : non conforme, partiellement conforme, "
            "totalement conforme ; null quand la fiche ne dit rien."
        )
    )
    analyse_risques: bool | None = Field(description="Analyse de risques faite ; null si non renseigné.")
    mon_service_securise: bool | None = Field(description="Inscrit sur MonServiceSécurisé ; null si non renseigné.")
    dashlord_url: str | None = Field(description="Page DashLord, ou null.")
    stats: bool | None = Field(description="Statistiques publiques ; null si non renseigné.")
    fast: Fast | None = Field(
        description="Financement du fonds d'accélération (FAST) : promotion et montant en euros, ou null."
    )


class Event(Closed):
    kind: one_of(EventKind)
    date: datetime.date
    comment: str


# --- Investigations -----------------------------------------------------------------------------
class ByIntensity(Closed):
    """Entretiens par intensité du problème : 0 aucun, 1 faible, 2 modéré, 3 critique."""

    none: int = Field(alias="0", ge=0)
    low: int = Field(alias="1", ge=0)
    moderate: int = Field(alias="2", ge=0)
    critical: int = Field(alias="3", ge=0)


class TargetGroupSynthesis(Closed):
    interviews: int = Field(ge=0)
    by_intensity: ByIntensity


class HypothesisCounts(Closed):
    a_tester: int = Field(ge=0)
    validee: int = Field(ge=0)
    invalidee: int = Field(ge=0)


class Ritual(Closed):
    """Un rituel tenu de l'investigation : atelier de lancement, point de mi-parcours, restitution."""

    kind: one_of(RitualKind)
    date: datetime.date
    notes: str = Field(description="Notes du rituel, vide s'il n'y en a pas.")


class Synthesis(Closed):
    """Même forme que `manage.py export_synthesis`."""

    interviews: int = Field(ge=0)
    no_problem_share: float = Field(
        ge=0, le=1, description="Part des entretiens sans problème (intensité 0), 0 sans entretien."
    )
    by_intensity: ByIntensity
    by_target_group: dict[str, TargetGroupSynthesis] = Field(
        description="Par groupe cible nommé par l'équipe, et « (sans groupe cible) » pour les entretiens sans groupe."
    )
    tags: dict[str, int]
    hypotheses: HypothesisCounts
    rituals: list[Ritual] = Field(description="Les rituels tenus, par date.")


class Investigation(Closed):
    started_on: datetime.date
    planned_end: datetime.date
    ended_on: datetime.date | None
    status: one_of(InvestigationStatus)
    problem_statement: str
    interview_goal: int = Field(ge=0)
    synthesis: Synthesis


# --- Decisions ----------------------------------------------------------------------------------
class Condition(Closed):
    text: str
    due_on: datetime.date
    status: one_of(ConditionStatus)


ChecklistAnswer = Literal["oui", "non", "inconnu"]


class ChecklistLine(Closed):
    key: Literal["problem", "impact", "team", "objectives", "gates"] = Field(description="Critère de la grille.")
    prefill: ChecklistAnswer = Field(description="Réponse pré-remplie à partir des données.")
    answer: ChecklistAnswer = Field(description="Réponse retenue par le comité.")
    overridden: bool = Field(description="Le comité a changé la réponse pré-remplie.")
    reason: str = Field(description="Motif du changement, vide si la réponse est confirmée.")
    detail: str = Field(description="Ce que disaient les données.")
    source: str = Field(description="D'où vient la réponse pré-remplie.")
    by: str = Field(description="Qui a rempli la grille.")


class Decision(Closed):
    """Mêmes champs que `manage.py export_decisions`."""

    startup: str = Field(description="Identifiant de la startup.")
    date: datetime.date
    session_kind: one_of(SessionKind) | None = Field(
        description="null pour un passage en comité importé de beta.gouv.fr, sans séance."
    )
    outcome: one_of(Outcome)
    budget_eur: int | None = Field(ge=0)
    next_committee: datetime.date | None
    conditions: list[Condition]
    evidence_count: int = Field(ge=0, description="Apprentissages, verbatims et entretiens cités.")
    checklist: list[ChecklistLine] = Field(description="La grille go / stop, vide si elle n'a pas été remplie.")


class PostMortem(Closed):
    """Le bilan de fin d'un arrêt (décision de comité) ou d'un transfert (phase « Transféré », sans décision)."""

    kind: one_of(PostMortemKind)
    why: str = Field(description="Pourquoi la startup s'arrête ou est transférée.")
    learnt: str = Field(description="Ce qui a été appris.")
    reused: str = Field(description="Ce qui est réutilisé.")
    code_and_data: str = Field(description="Où vont le code et les données.")
    decision_id: int | None = Field(description="La décision d'arrêt, null pour un transfert.")
    recorded_at: datetime.datetime


# --- Detail and pages ---------------------------------------------------------------------------
ONLY_IF_ALLOWED = "Seulement si l'utilisateur du jeton peut lire la synthèse de cette startup."


class StartupDetail(Startup):
    """Les champs de Startup, le détail de la fiche et ses événements."""

    mission: str
    problem: str
    solution: str
    objectives: str = Field(description="Section « Objectifs à 6 mois » de la fiche, en markdown.")
    strategy: str = Field(description="Section « Stratégie » de la fiche, en markdown.")
    link: str
    repository: str
    analyse_risques_url: str = Field(description="Lien vers l'analyse de risques, ou vide.")
    contact_dinum: str = Field(description="Contact à la DINUM (identifiant beta.gouv.fr).")
    contact_incubator: str = Field(description="Contact à l'incubateur (identifiant beta.gouv.fr).")
    events: list[Event]
    # Left out of the answer (exclude_unset) when the caller may not read them.
    investigations: list[Investigation] = Field(default_factory=list, description=ONLY_IF_ALLOWED)
    decisions: list[Decision] = Field(default_factory=list, description=ONLY_IF_ALLOWED)
    post_mortem: PostMortem | None = Field(
        default=None,
        description=ONLY_IF_ALLOWED + " Le bilan de fin (celui du transfert s'il y en a un, sinon du dernier arrêt)"
        " ; null sans bilan.",
    )


class Page(Closed):
    count: int = Field(ge=0, description="Nombre total de résultats, toutes pages confondues.")
    next: str | None = Field(description="Page suivante, ou null.")
    previous: str | None = Field(description="Page précédente, ou null.")


class StartupPage(Page):
    results: list[Startup]


class DecisionPage(Page):
    results: list[Decision]


# --- Impact (writing) ---------------------------------------------------------------------------
class MeasurementIn(Closed):
    indicator: str = Field(
        min_length=1, max_length=200, description="Nom de l'indicateur, sans tenir compte de la casse."
    )
    date: datetime.date = Field(description="Jour de la mesure (AAAA-MM-JJ), pas dans le futur.")
    value: Annotated[
        Decimal,
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "number", "minimum": -99999999999999, "maximum": 99999999999999},
                    {"type": "string", "pattern": r"^-?[0-9]{1,14}(\.[0-9]{1,4})?$"},
                ]
            }
        ),
    ] = Field(
        description="Valeur mesurée, dans l'unité de l'indicateur : 14 chiffres avant la virgule, 4 après, au plus.",
        ge=Decimal("-99999999999999.9999"),
        le=Decimal("99999999999999.9999"),
    )


class Measurement(Closed):
    startup: str = Field(description="Identifiant de la startup.")
    indicator: str
    unit: str
    date: datetime.date
    value: Decimal
