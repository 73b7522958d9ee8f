import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from products.models import Phase, Startup

from .enums import Channel, HypothesisStatus, Intensity, InvestigationStatus

DEFAULT_DURATION = datetime.timedelta(weeks=9)
DEFAULT_INTERVIEW_GOAL = 30
DOCTRINE_MAX_TARGET_GROUPS = 4
DOCTRINE_MIN_PER_GROUP = 7
RETENTION_AFTER_END = 183  # days: six months after the planned end


class InvestigationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=InvestigationStatus.EN_COURS)


class Investigation(models.Model):
    """A time-boxed phase of learning from users whether a problem is real, major and actionable."""

    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="investigations")
    phase = models.OneToOneField(
        Phase,
        verbose_name=_("phase"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="investigation",
    )
    started_on = models.DateField(_("début"))
    planned_end = models.DateField(_("fin prévue"))
    ended_on = models.DateField(_("fin effective"), null=True, blank=True)
    problem_statement = models.TextField(_("problème investigué"), blank=True)
    interview_goal = models.PositiveIntegerField(_("objectif d'entretiens"), default=DEFAULT_INTERVIEW_GOAL)
    status = models.CharField(
        _("statut"), max_length=20, choices=InvestigationStatus, default=InvestigationStatus.EN_COURS
    )
    status_note = models.TextField(_("note d'étape (markdown)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InvestigationQuerySet.as_manager()

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")
        ordering = ["startup", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("started_on")), name="investigation_planned_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["status", "planned_end"])]

    def __str__(self):
        return _("Investigation de %(startup)s (%(date)s)") % {
            "startup": self.startup,
            "date": date_format(self.started_on, "SHORT_DATE_FORMAT"),
        }


class TargetGroup(models.Model):
    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="target_groups")
    name = models.CharField(_("nom"), max_length=150)

    class Meta:
        verbose_name = _("groupe cible")
        verbose_name_plural = _("groupes cibles")
        ordering = ["investigation", "name"]
        constraints = [
            models.UniqueConstraint("investigation", Lower("name"), name="target_group_unique_per_investigation"),
        ]

    def __str__(self):
        return self.name


class Tag(models.Model):
    """A label shared across interviews; tags differing only by case are one tag."""

    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        verbose_name = _("étiquette")
        verbose_name_plural = _("étiquettes")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_name_unique_case_insensitive")]

    def __str__(self):
        return self.name


class InterviewQuerySet(models.QuerySet):
    def past_retention(self, on):
        return self.filter(retention_until__lt=on, anonymised_at__isnull=True)


class Interview(models.Model):
    """One user interview. Without consent, only date, group, intensity and tags are kept."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="interviews")
    date = models.DateField(_("date"))
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("intervieweur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interviews_conducted",
    )
    interviewee = models.CharField(_("personne interrogée (pseudonyme)"), max_length=150, blank=True)
    target_group = models.ForeignKey(
        TargetGroup,
        verbose_name=_("groupe cible"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interviews",
    )
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    headcount = models.PositiveIntegerField(_("effectif"), null=True, blank=True)
    sector = models.CharField(_("secteur"), max_length=150, blank=True)
    channel = models.CharField(_("canal"), max_length=20, choices=Channel, blank=True)
    intensity = models.PositiveSmallIntegerField(_("intensité du problème"), choices=Intensity)
    notes = models.TextField(_("notes"), blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("étiquettes"), blank=True, related_name="interviews")
    consent = models.BooleanField(_("consentement recueilli"), default=False)
    retention_until = models.DateField(_("conserver jusqu'au"))
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = InterviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("entretien")
        verbose_name_plural = _("entretiens")
        ordering = ["investigation", "-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(intensity__gte=0, intensity__lte=3), name="interview_intensity_0_3"),
        ]
        indexes = [
            models.Index(fields=["investigation", "date"]),
            models.Index(fields=["retention_until"]),
        ]

    def __str__(self):
        return _("Entretien du %(date)s — %(who)s") % {
            "date": date_format(self.date, "SHORT_DATE_FORMAT"),
            "who": self.interviewee or _("anonyme"),
        }


class Quote(models.Model):
    """A verbatim quote from an interview, its own record so that it can be cited."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField(_("verbatim"))

    class Meta:
        verbose_name = _("verbatim")
        verbose_name_plural = _("verbatims")
        ordering = ["interview", "pk"]

    def __str__(self):
        return f"« {self.text[:80]} »"


class Hypothesis(models.Model):
    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="hypotheses")
    statement = models.TextField(_("hypothèse"))
    status = models.CharField(_("statut"), max_length=20, choices=HypothesisStatus, default=HypothesisStatus.A_TESTER)
    supporting_interviews = models.ManyToManyField(
        Interview, verbose_name=_("entretiens qui la confirment"), blank=True, related_name="supported_hypotheses"
    )
    contradicting_interviews = models.ManyToManyField(
        Interview,
        verbose_name=_("entretiens qui la contredisent"),
        blank=True,
        related_name="contradicted_hypotheses",
    )

    class Meta:
        verbose_name = _("hypothèse")
        verbose_name_plural = _("hypothèses")
        ordering = ["investigation", "pk"]

    def __str__(self):
        return self.statement[:100]


class Insight(models.Model):
    """An apprentissage: a learning backed by interviews and quotes."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="insights")
    statement = models.TextField(_("apprentissage"))
    interviews = models.ManyToManyField(Interview, verbose_name=_("entretiens"), blank=True, related_name="insights")
    quotes = models.ManyToManyField(Quote, verbose_name=_("verbatims"), blank=True, related_name="insights")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("apprentissage")
        verbose_name_plural = _("apprentissages")
        ordering = ["investigation", "pk"]

    def __str__(self):
        return self.statement[:100]
