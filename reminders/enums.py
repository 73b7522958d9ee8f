from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    """What a reminder is about (issue 16, item 3). Each person may turn each kind off in their profile."""

    COMMITTEE_45 = "committee_45", _("Comité dans 45 jours")
    COMMITTEE_30 = "committee_30", _("Comité dans 30 jours")
    BUDGET_ENDING = "budget_ending", _("Fin de budget sans comité planifié")
    CONDITION_DUE = "condition_due", _("Condition à lever dans 7 jours")
    CONDITION_OVERDUE = "condition_overdue", _("Condition échue")
    NO_INTERVIEW = "no_interview", _("Pas d'entretien depuis 14 jours")
    STALE = "stale", _("Données non mises à jour depuis un an")
    DIGEST = "digest", _("Résumé hebdomadaire des startups à surveiller (coachs)")
