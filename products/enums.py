from django.db import models
from django.utils.translation import gettext_lazy as _


class PhaseName(models.TextChoices):
    """The phases of a Startup d'État (GLOSSARY.md), in lifecycle order."""

    INVESTIGATION = "investigation", _("Investigation")
    CONSTRUCTION = "construction", _("Construction")
    ACCELERATION = "acceleration", _("Accélération")
    CONSOLIDATION = "consolidation", _("En consolidation")
    TRANSFERE = "transfere", _("Transféré")
    OPERE = "opere", _("Opéré au sein du réseau")
    ABANDON_INVESTIGATION = "abandon-investigation", _("Investigation non concluante")
    ABANDON = "abandon", _("Arrêté")
    ALUMNI = "alumni", _("Partenariat terminé")


# Tie-break order when two phases start on the same day (issue "Foundation", importer rules).
LIFECYCLE_ORDER = [choice.value for choice in PhaseName]
LIFECYCLE_RANK = {name: rank for rank, name in enumerate(LIFECYCLE_ORDER)}

# Legacy values still found in older copies of the beta.gouv.fr files.
LEGACY_PHASES = {
    "transfer": PhaseName.TRANSFERE,
    "success": PhaseName.CONSOLIDATION,
    "perennisation": PhaseName.CONSOLIDATION,
}

# Phases after which a startup has left the active portfolio.
TERMINAL_PHASES = {
    PhaseName.TRANSFERE,
    PhaseName.OPERE,
    PhaseName.ABANDON,
    PhaseName.ABANDON_INVESTIGATION,
    PhaseName.ALUMNI,
}


class Source(models.TextChoices):
    """Where a record of the lifecycle comes from (issue "One lifecycle history…", item 1).

    A record from the beta.gouv.fr files follows the files at each import; a record made or changed in
    the app (by a service, a person, a committee decision) is the app's: the import keeps it and reports
    where the files disagree with it."""

    BETAGOUV = "betagouv", _("fichier beta.gouv.fr")
    APP = "app", _("Betatracker")


class Via(models.TextChoices):
    """How the app last set a record, when that says more than who and when."""

    OPENED_BY_DECISION = "decision_opened", _("ouverte par une décision du comité")
    CLOSED_BY_DECISION = "decision_closed", _("close par une décision du comité")
    ADMIN = "admin", _("administration")


# Phases past investigation in which the startup's service exists and is used: where the dashboard's
# "non conforme RGAA" filter looks (a stopped or ended startup has nothing left to bring into line).
SERVICE_PHASES = (
    PhaseName.CONSTRUCTION,
    PhaseName.ACCELERATION,
    PhaseName.CONSOLIDATION,
    PhaseName.TRANSFERE,
    PhaseName.OPERE,
)


class AccessibilityStatus(models.TextChoices):
    """RGAA conformity as the beta.gouv.fr files write it (`accessibility_status`). Not a constraint
    on the field: a value the files add later is kept as written."""

    NON_CONFORME = "non conforme", _("Non conforme")
    PARTIELLEMENT_CONFORME = "partiellement conforme", _("Partiellement conforme")
    TOTALEMENT_CONFORME = "totalement conforme", _("Totalement conforme")


class EventKind(models.TextChoices):
    COMMITTEE = "committee", _("Passage en comité")
    PRODUCT_LAUNCH = "product_launch", _("Lancement du produit")
    NATIONAL_IMPACT = "national_impact", _("Impact national")
    END = "end", _("Fin")
    FAST = "fast", _("Fonds d'accélération (FAST)")
    EIG = "eig", _("Entrepreneurs d'intérêt général")
    OTHER = "other", _("Autre")


class MembershipRole(models.TextChoices):
    INTRAPRENEUR = "intrapreneur", _("Intrapreneur·e")
    COACH = "coach", _("Coach")
    TEAM_MEMBER = "team_member", _("Membre de l'équipe")
    SPONSOR_CONTACT = "sponsor_contact", _("Contact sponsor")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    ACCEPTED = "accepted", _("Acceptée")
    REVOKED = "revoked", _("Révoquée")
    EXPIRED = "expired", _("Expirée")


class OrganisationType(models.TextChoices):
    ADMINISTRATION_CENTRALE = "administration-centrale", _("Administration centrale")
    SERVICE_DECONCENTRE = "service-deconcentre", _("Service déconcentré")
    OPERATEUR = "operateur", _("Opérateur")
    SECURITE_SOCIALE = "securite-sociale", _("Sécurité sociale")
    COLLECTIVITE_TERRITORIALE = "collectivite-territoriale", _("Collectivité territoriale")
    AUTRE = "autre", _("Autre")


# Audiences (`usertypes`) as the beta.gouv.fr files spell them, with the words shown on the pages.
USERTYPE_LABELS = {
    "particulier": _("Particuliers"),
    "entreprise": _("Entreprises"),
    "association": _("Associations"),
    "etat": _("Administrations de l'État"),
    "collectivite-territoriale": _("Collectivités territoriales"),
    "etablissement-scolaire": _("Établissements scolaires"),
}


# --- Impact -------------------------------------------------------------------------------------
class IndicatorKind(models.TextChoices):
    """How an indicator's measurements add up over a period (products/impact.py)."""

    STOCK = "stock", _("Stock : une valeur à une date (usagers actifs, total cumulé…)")
    FLOW = "flux", _("Flux : une quantité depuis la mesure précédente (dossiers traités dans le mois…)")


class Direction(models.TextChoices):
    HIGHER = "hausse", _("Plus c'est haut, mieux c'est")
    LOWER = "baisse", _("Plus c'est bas, mieux c'est")


class SpendingNature(models.TextChoices):
    TEAM = "equipe", _("Équipe")
    HOSTING = "hebergement", _("Hébergement")
    SERVICES = "prestations", _("Prestations")
    OTHER = "autre", _("Autre")


class MeasurementVia(models.TextChoices):
    PAGE = "page", _("Formulaire")
    CSV = "csv", _("Import CSV")
    API = "api", _("API")
