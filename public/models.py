from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import actor_field
from investigations.models import Investigation


class ResultsPublicationQuerySet(models.QuerySet):
    def published(self):
        """Publications whose page is public now, on startups whose sheet is not private."""
        return self.filter(published_at__isnull=False, investigation__startup__is_private=False)


class ResultsPublication(models.Model):
    """Whether an investigation's anonymised results page is public: who published it and when, who took it
    down and when. One per investigation; its history (django-simple-history) keeps every publication."""

    investigation = models.OneToOneField(
        Investigation, verbose_name=_("investigation"), on_delete=models.CASCADE, related_name="+"
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    published_by = actor_field(_("publiée par"))
    unpublished_at = models.DateTimeField(_("dépubliée le"), null=True, blank=True)
    unpublished_by = actor_field(_("dépubliée par"))

    history = HistoricalRecords()
    objects = ResultsPublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication des résultats")
        verbose_name_plural = _("publications des résultats")

    def __str__(self):
        return str(self.investigation)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
