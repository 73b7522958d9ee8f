from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionKind(models.TextChoices):
    FIN_INVESTIGATION = "fin_investigation", _("Comité de fin d'investigation")
    INVESTISSEMENT = "investissement", _("Comité d'investissement")
    SUIVI = "suivi", _("Comité de suivi")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planifié")
    HELD = "held", _("Tenu")
    CLOSED = "closed", _("Clos")


class Outcome(models.TextChoices):
    POURSUITE = "poursuite", _("Poursuite")
    POURSUITE_AVEC_RESERVES = "poursuite_avec_reserves", _("Poursuite avec réserves")
    PROLONGATION_PROVISOIRE = "prolongation_provisoire", _("Prolongation provisoire")
    PIVOT = "pivot", _("Pivot")
    ARRET = "arret", _("Arrêt")
    PASSAGE_EN_CONSTRUCTION = "passage_en_construction", _("Passage en construction")
    INVESTIGATION_NON_CONCLUANTE = "investigation_non_concluante", _("Investigation non concluante")
    NON_RENSEIGNE = "non_renseigne", _("Non renseigné")


class PostMortemKind(models.TextChoices):
    """What a post-mortem closes: a stop decided by a committee, or a transfer (a phase, with or without a decision)."""

    ARRET = "arret", _("Arrêt")
    TRANSFERT = "transfert", _("Transfert")


class ConditionStatus(models.TextChoices):
    OPEN = "open", _("À tenir")
    MET = "met", _("Tenue")
    NOT_MET = "not_met", _("Non tenue")


# The phase a decision moves the startup into, on the decision date (issue "Investment committees", item 4).
PHASE_EFFECTS = {
    Outcome.PASSAGE_EN_CONSTRUCTION: "construction",
    Outcome.INVESTIGATION_NON_CONCLUANTE: "abandon-investigation",
    Outcome.ARRET: "abandon",
}

# Outcomes a committee member may pick; "non renseigné" is kept for the imported beta.gouv.fr history.
RECORDABLE_OUTCOMES = [outcome for outcome in Outcome if outcome != Outcome.NON_RENSEIGNE]

# Outcomes after which no committee follows.
TERMINAL_OUTCOMES = {Outcome.ARRET, Outcome.INVESTIGATION_NON_CONCLUANTE}

# Outcomes that continue a startup (go, poursuite, with conditions, provisional extension, pivot, scale up into
# construction) or stop it: each cites its evidence, or records why it has none ("décision sans preuve citée").
# Only the imported history's "non renseigné" is exempt.
EVIDENCED_OUTCOMES = frozenset(RECORDABLE_OUTCOMES)
