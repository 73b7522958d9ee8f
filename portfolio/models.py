from django.db import models
from django.utils.translation import gettext_lazy as _

from products.models import Startup


class WatchFlags(models.Model):
    """The alerts a startup raises, kept up to date (portfolio.watch): what the network-wide "à surveiller"
    filter, the alert sort and the CSV export read, instead of evaluating every rule on every startup."""

    startup = models.OneToOneField(
        Startup, verbose_name=_("startup"), on_delete=models.CASCADE, primary_key=True, related_name="watch_flags"
    )
    day = models.DateField(_("évaluées le"))
    alerts = models.PositiveSmallIntegerField(_("alertes"), default=0)
    codes = models.CharField(_("codes des alertes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("alertes d'une startup")
        verbose_name_plural = _("alertes des startups")
        indexes = [models.Index(fields=["alerts"], name="watchflags_alerts")]

    def __str__(self):
        return f"{self.startup_id}: {self.codes or '-'}"
