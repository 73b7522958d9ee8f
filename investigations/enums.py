from django.db import models
from django.utils.translation import gettext_lazy as _


class InvestigationStatus(models.TextChoices):
    EN_COURS = "en_cours", _("En cours")
    SUSPENDUE = "suspendue", _("Suspendue")
    CONCLUANTE = "concluante", _("Concluante")
    NON_CONCLUANTE = "non_concluante", _("Non concluante")

    @classmethod
    def concluded(cls) -> frozenset[str]:
        """The end states: an investigation concluded one way or the other takes no interview and cannot be
        suspended; only a committee amendment reverts it (investigation_conclusion_revert)."""
        return frozenset({cls.CONCLUANTE, cls.NON_CONCLUANTE})


class HypothesisStatus(models.TextChoices):
    A_TESTER = "a_tester", _("À tester")
    VALIDEE = "validee", _("Validée")
    INVALIDEE = "invalidee", _("Invalidée")


class Channel(models.TextChoices):
    VISIO = "visio", _("Visio")
    TELEPHONE = "telephone", _("Téléphone")
    SUR_PLACE = "sur_place", _("Sur place")


class Intensity(models.IntegerChoices):
    AUCUN = 0, _("Aucun")
    FAIBLE = 1, _("Faible")
    MODERE = 2, _("Modéré")
    CRITIQUE = 3, _("Critique")


INTENSITY_SCALE_LABELS = {
    Intensity.AUCUN: _("0 aucun"),
    Intensity.FAIBLE: _("1 faible"),
    Intensity.MODERE: _("2 modéré"),
    Intensity.CRITIQUE: _("3 critique"),
}


class PersonalDataAction(models.TextChoices):
    ERASURE = "effacement", _("Effacement sur demande")
    PURGE = "purge", _("Purge à échéance de conservation")


class RitualKind(models.TextChoices):
    """The rituals of an investigation by the book (the DINUM guide), in the order they happen."""

    LANCEMENT = "lancement", _("Atelier de lancement")
    MI_PARCOURS = "mi_parcours", _("Point de mi-parcours")
    RESTITUTION = "restitution", _("Restitution")
