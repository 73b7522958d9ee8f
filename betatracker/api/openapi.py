"""The OpenAPI 3.1 description of the read API, written by hand and tested with schemathesis."""

from django.conf import settings

from committees.enums import ConditionStatus, Outcome, SessionKind
from investigations.enums import InvestigationStatus
from products.enums import EventKind, PhaseName

DATE = {"type": "string", "format": "date"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
COUNT = {"type": "integer", "minimum": 0}


NULLABLE_BOOLEAN = {"type": ["boolean", "null"], "description": "null quand la fiche beta.gouv.fr ne dit rien."}
# Quality and compliance, as the beta.gouv.fr file says (products.exports.quality_export).
QUALITY = {
    "techno": {"type": "array", "items": {"type": "string"}, "description": "Technologies."},
    "accessibility_status": {
        "type": ["string", "null"],
        "description": (
            "Conformité RGAA telle qu'écrite dans beta.gouv.fr : non conforme, partiellement conforme, "
            "totalement conforme ; null quand la fiche ne dit rien."
        ),
    },
    "analyse_risques": {**NULLABLE_BOOLEAN, "description": "Analyse de risques faite ; null si non renseigné."},
    "mon_service_securise": {
        **NULLABLE_BOOLEAN,
        "description": "Inscrit sur MonServiceSécurisé ; null si non renseigné.",
    },
    "dashlord_url": {"type": ["string", "null"], "format": "uri", "description": "Page DashLord, ou null."},
    "stats": {**NULLABLE_BOOLEAN, "description": "Statistiques publiques ; null si non renseigné."},
    "fast": {
        "type": ["object", "null"],
        "description": "Financement du fonds d'accélération (FAST) : promotion et montant en euros, ou null.",
        "properties": {"promotion": COUNT, "montant": COUNT},
        "required": ["promotion", "montant"],
        "additionalProperties": False,
    },
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _by_intensity() -> dict:
    return {
        "type": "object",
        "description": "Entretiens par intensité du problème : 0 aucun, 1 faible, 2 modéré, 3 critique.",
        "properties": dict.fromkeys(("0", "1", "2", "3"), COUNT),
        "required": ["0", "1", "2", "3"],
        "additionalProperties": False,
    }


def _page_of(item: str) -> dict:
    return {
        "type": "object",
        "properties": {
            "count": {**COUNT, "description": "Nombre total de résultats, toutes pages confondues."},
            "next": {"type": ["string", "null"], "format": "uri", "description": "Page suivante, ou null."},
            "previous": {"type": ["string", "null"], "format": "uri", "description": "Page précédente, ou null."},
            "results": {"type": "array", "items": _ref(item)},
        },
        "required": ["count", "next", "previous", "results"],
        "additionalProperties": False,
    }


def _error_response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _pagination_parameters() -> list[dict]:
    return [
        {
            "name": "page",
            "in": "query",
            "required": False,
            "description": "Numéro de page, à partir de 1. Une page au-delà de la dernière répond 404.",
            "schema": {"type": "integer", "minimum": 1, "default": 1},
        },
        {
            "name": "page_size",
            "in": "query",
            "required": False,
            "description": (
                f"Résultats par page : {settings.API_PAGE_SIZE} par défaut, {settings.API_MAX_PAGE_SIZE} au plus."
            ),
            "schema": {"type": "integer", "minimum": 1, "maximum": settings.API_MAX_PAGE_SIZE},
        },
    ]


COMMON_ERRORS = {
    "400": _error_response("Paramètre invalide ou inconnu ; le message le nomme."),
    "401": _error_response("Jeton absent, inconnu, expiré ou révoqué (et pas de session)."),
}


def _startup_detail(startup: dict) -> dict:
    only_if_allowed = "Seulement si l'utilisateur du jeton peut lire la synthèse de cette startup."
    extra = {
        "mission": {"type": "string"},
        "problem": {"type": "string"},
        "solution": {"type": "string"},
        "objectives": {"type": "string", "description": "Section « Objectifs à 6 mois » de la fiche, en markdown."},
        "strategy": {"type": "string", "description": "Section « Stratégie » de la fiche, en markdown."},
        "link": {"type": "string"},
        "repository": {"type": "string"},
        "analyse_risques_url": {"type": "string", "description": "Lien vers l'analyse de risques, ou vide."},
        "contact_dinum": {"type": "string", "description": "Contact à la DINUM (identifiant beta.gouv.fr)."},
        "contact_incubator": {"type": "string", "description": "Contact à l'incubateur (identifiant beta.gouv.fr)."},
        "events": {"type": "array", "items": _ref("Event")},
    }
    return {
        "type": "object",
        "description": "Les champs de Startup, le détail de la fiche et ses événements.",
        "properties": {
            **startup["properties"],
            **extra,
            "investigations": {"type": "array", "items": _ref("Investigation"), "description": only_if_allowed},
            "decisions": {"type": "array", "items": _ref("Decision"), "description": only_if_allowed},
        },
        "required": [*startup["required"], *extra],
        "additionalProperties": False,
    }


def _schemas() -> dict:
    schemas = {
        "Error": {
            "type": "object",
            "properties": {
                "error": {"type": "string", "description": "Code de l'erreur, par exemple bad_request."},
                "message": {"type": "string", "description": "Explication en français."},
            },
            "required": ["error", "message"],
            "additionalProperties": False,
        },
        "Phase": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "enum": PhaseName.values},
                "start": DATE,
                "end": {**NULLABLE_DATE, "description": "null tant que la phase est en cours."},
            },
            "required": ["name", "start", "end"],
            "additionalProperties": False,
        },
        "Startup": {
            "type": "object",
            "description": "Mêmes champs que `manage.py export_portfolio`.",
            "properties": {
                "slug": {"type": "string", "description": "Identifiant beta.gouv.fr (peut contenir des points)."},
                "name": {"type": "string"},
                "incubator": {"type": "string", "description": "Identifiant de l'incubateur principal."},
                "incubators": {
                    "type": "array",
                    "items": {"type": "string"},
                    "minItems": 1,
                    "description": "L'incubateur principal puis les co-incubateurs.",
                },
                "sponsors": {"type": "array", "items": {"type": "string"}},
                "current_phase": {"type": ["string", "null"], "enum": [*PhaseName.values, None]},
                "phases": {"type": "array", "items": _ref("Phase")},
                **QUALITY,
            },
            "required": ["slug", "name", "incubator", "incubators", "sponsors", "current_phase", "phases", *QUALITY],
            "additionalProperties": False,
        },
        "Event": {
            "type": "object",
            "properties": {
                "kind": {"type": "string", "enum": EventKind.values},
                "date": DATE,
                "comment": {"type": "string"},
            },
            "required": ["kind", "date", "comment"],
            "additionalProperties": False,
        },
        "Synthesis": {
            "type": "object",
            "description": "Même forme que `manage.py export_synthesis`.",
            "properties": {
                "interviews": COUNT,
                "no_problem_share": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 1,
                    "description": "Part des entretiens sans problème (intensité 0), 0 sans entretien.",
                },
                "by_intensity": _by_intensity(),
                "by_target_group": {
                    "type": "object",
                    "description": 'Par groupe cible nommé par l\'équipe ; "" pour les entretiens sans groupe.',
                    "additionalProperties": {
                        "type": "object",
                        "properties": {"interviews": COUNT, "by_intensity": _by_intensity()},
                        "required": ["interviews", "by_intensity"],
                        "additionalProperties": False,
                    },
                },
                "tags": {"type": "object", "additionalProperties": COUNT},
                "hypotheses": {
                    "type": "object",
                    "properties": {"a_tester": COUNT, "validee": COUNT, "invalidee": COUNT},
                    "required": ["a_tester", "validee", "invalidee"],
                    "additionalProperties": False,
                },
            },
            "required": ["interviews", "no_problem_share", "by_intensity", "by_target_group", "tags", "hypotheses"],
            "additionalProperties": False,
        },
        "Investigation": {
            "type": "object",
            "properties": {
                "started_on": DATE,
                "planned_end": DATE,
                "ended_on": NULLABLE_DATE,
                "status": {"type": "string", "enum": InvestigationStatus.values},
                "problem_statement": {"type": "string"},
                "interview_goal": COUNT,
                "synthesis": _ref("Synthesis"),
            },
            "required": [
                "started_on",
                "planned_end",
                "ended_on",
                "status",
                "problem_statement",
                "interview_goal",
                "synthesis",
            ],
            "additionalProperties": False,
        },
        "Condition": {
            "type": "object",
            "properties": {
                "text": {"type": "string"},
                "due_on": DATE,
                "status": {"type": "string", "enum": ConditionStatus.values},
            },
            "required": ["text", "due_on", "status"],
            "additionalProperties": False,
        },
        "Decision": {
            "type": "object",
            "description": "Mêmes champs que `manage.py export_decisions`.",
            "properties": {
                "startup": {"type": "string", "description": "Identifiant de la startup."},
                "date": DATE,
                "session_kind": {
                    "type": ["string", "null"],
                    "enum": [*SessionKind.values, None],
                    "description": "null pour un passage en comité importé de beta.gouv.fr, sans séance.",
                },
                "outcome": {"type": "string", "enum": Outcome.values},
                "budget_eur": {"type": ["integer", "null"], "minimum": 0},
                "next_committee": NULLABLE_DATE,
                "conditions": {"type": "array", "items": _ref("Condition")},
                "evidence_count": {**COUNT, "description": "Apprentissages, verbatims et entretiens cités."},
            },
            "required": [
                "startup",
                "date",
                "session_kind",
                "outcome",
                "budget_eur",
                "next_committee",
                "conditions",
                "evidence_count",
            ],
            "additionalProperties": False,
        },
        "StartupPage": _page_of("Startup"),
        "DecisionPage": _page_of("Decision"),
    }
    schemas["StartupDetail"] = _startup_detail(schemas["Startup"])
    return schemas


def openapi_schema() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Betatracker — API de lecture",
            "version": "1.0.0",
            "description": (
                "Le portefeuille des Startups d'État, leurs phases, événements, synthèses d'investigation "
                "et décisions de comité. Authentification par jeton personnel, créé sur la page « Mon profil » : "
                "`Authorization: Bearer <jeton>`. Un jeton voit exactement ce que voit son utilisateur. "
                "Les paramètres inconnus sont refusés (400)."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/startups": {
                "get": {
                    "operationId": "listStartups",
                    "summary": "Les startups, triées par identifiant",
                    "parameters": [
                        {
                            "name": "phase",
                            "in": "query",
                            "required": False,
                            "description": "Seulement les startups dont la phase actuelle est celle-ci.",
                            "schema": {"type": "string", "enum": PhaseName.values},
                        },
                        {
                            "name": "incubator",
                            "in": "query",
                            "required": False,
                            "description": (
                                "Identifiant d'incubateur : ses startups, principales ou co-incubées. "
                                "Un incubateur inconnu donne une liste vide."
                            ),
                            "schema": {"type": "string"},
                        },
                        *_pagination_parameters(),
                    ],
                    "responses": {
                        "200": _json("Une page de startups.", _ref("StartupPage")),
                        **COMMON_ERRORS,
                        "404": _error_response("Page au-delà de la dernière."),
                    },
                }
            },
            "/startups/{slug}": {
                "get": {
                    "operationId": "getStartup",
                    "summary": "Une startup, ses phases et événements ; synthèses et décisions si autorisé",
                    "parameters": [
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "minLength": 1},
                        }
                    ],
                    "responses": {
                        "200": _json("La startup.", _ref("StartupDetail")),
                        **COMMON_ERRORS,
                        "404": _error_response("Aucune startup de cet identifiant."),
                    },
                }
            },
            "/decisions": {
                "get": {
                    "operationId": "listDecisions",
                    "summary": "Les décisions de comité que l'utilisateur peut lire, par date",
                    "parameters": [
                        {
                            "name": "since",
                            "in": "query",
                            "required": False,
                            "description": "Seulement les décisions prises ce jour-là ou après (AAAA-MM-JJ).",
                            "schema": DATE,
                        },
                        *_pagination_parameters(),
                    ],
                    "responses": {
                        "200": _json("Une page de décisions.", _ref("DecisionPage")),
                        **COMMON_ERRORS,
                        "404": _error_response("Page au-delà de la dernière."),
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Jeton personnel créé sur la page « Mon profil ».",
                }
            },
            "schemas": _schemas(),
        },
    }
