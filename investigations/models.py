import calendar
import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from products.models import Phase, Provenance, Startup

from .enums import Channel, HypothesisStatus, Intensity, InvestigationStatus, PersonalDataAction

DEFAULT_DURATION = datetime.timedelta(weeks=9)
DEFAULT_INTERVIEW_GOAL = 30
DOCTRINE_MAX_TARGET_GROUPS = 4
DOCTRINE_MIN_PER_GROUP = 7
RETENTION_AFTER_END = 183  # days: about six months after the end (see RETENTION_MONTHS)
RETENTION_MONTHS = 6  # interviews are kept until the end of the investigation + 6 calendar months
RETENTION_MAX_MONTHS = 24  # and never longer than the end of the investigation + 24 calendar months
HEALTH_SILENCE_DAYS = 14  # an open investigation with no interview for 14 days needs attention
HEALTH_MIN_PER_GROUP = 5  # a target group with fewer interviews than this is under-covered


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clamped to the end of a shorter month (31/08 + 6 → 28/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > datetime.MAXYEAR:
        return datetime.date.max
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class InvestigationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=InvestigationStatus.EN_COURS)

    def latest_first(self):
        return self.order_by("-started_on", "-pk")

    def with_interview_count(self):
        return self.annotate(interview_count=models.Count("interviews", distinct=True))


class Investigation(Provenance, models.Model):
    """A time-boxed phase of learning from users whether a problem is real, major and actionable."""

    startup = models.ForeignKey(
        Startup, verbose_name=_("startup"), on_delete=models.CASCADE, related_name="investigations"
    )
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
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    objects = InvestigationQuerySet.as_manager()

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")
        ordering = ["startup", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("started_on")), name="investigation_planned_end_after_start"
            ),
            # "In progress" only: a suspended investigation may be followed by a new one (investigation_open).
            models.UniqueConstraint(
                fields=["startup"],
                condition=Q(status=InvestigationStatus.EN_COURS),
                name="one_investigation_in_progress_per_startup",
                violation_error_message=_("Cette startup a déjà une investigation en cours."),
            ),
        ]
        indexes = [models.Index(fields=["status", "planned_end"])]

    def __str__(self):
        return _("Investigation de %(startup)s (%(date)s)") % {
            "startup": self.startup,
            "date": date_format(self.started_on, "SHORT_DATE_FORMAT"),
        }

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("investigations:detail", kwargs={"pk": self.pk})

    @property
    def is_open(self):
        return self.status == InvestigationStatus.EN_COURS

    @property
    def is_concluded(self):
        return self.status in {InvestigationStatus.CONCLUANTE, InvestigationStatus.NON_CONCLUANTE}

    @property
    def accepts_interviews(self):
        """Interviews may be logged while the investigation runs or is suspended, not once concluded."""
        return not self.is_concluded

    def end_for_retention(self, on: datetime.date | None = None) -> datetime.date:
        """The end the retention period counts from: the actual end once the investigation has ended; while it
        runs past its planned end, not before `on` (the interview's date, by default today) — so that the
        default never asks to delete an interview before it was held."""
        if self.ended_on:
            return self.ended_on
        return max(self.planned_end, on or timezone.localdate())

    def default_retention(self, on: datetime.date | None = None) -> datetime.date:
        return add_months(self.end_for_retention(on), RETENTION_MONTHS)

    def max_retention(self, on: datetime.date | None = None) -> datetime.date:
        """The latest date an interview held on `on` may be kept until: the end + 24 months."""
        return add_months(self.end_for_retention(on), RETENTION_MAX_MONTHS)


class TargetGroup(models.Model):
    investigation = models.ForeignKey(
        Investigation, verbose_name=_("investigation"), on_delete=models.CASCADE, related_name="target_groups"
    )
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

    def for_list(self):
        """What the interview list shows, in a fixed number of queries whatever the row count."""
        return (
            self.select_related("target_group", "interviewer")
            .prefetch_related("tags")
            .annotate(quote_count=models.Count("quotes", distinct=True))
        )


class Interview(models.Model):
    """One user interview. Without consent, only date, group, intensity and tags are kept."""

    investigation = models.ForeignKey(
        Investigation, verbose_name=_("investigation"), on_delete=models.CASCADE, related_name="interviews"
    )
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
    created_at = models.DateTimeField(_("saisi le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

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

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("investigations:interview_detail", kwargs={"pk": self.pk})

    @property
    def interviewee_key(self) -> str:
        """Who was interviewed, for counting distinct people: the pseudonym if set, else the interview."""
        return f"p:{self.interviewee.strip().casefold()}" if self.interviewee.strip() else f"i:{self.pk}"


class Quote(models.Model):
    """A verbatim quote from an interview, its own record so that it can be cited."""

    interview = models.ForeignKey(
        Interview, verbose_name=_("entretien"), on_delete=models.CASCADE, related_name="quotes"
    )
    text = models.TextField(_("verbatim"))
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(
        _("retiré le"),
        null=True,
        blank=True,
        help_text=_("Consentement retiré : le texte est effacé, le verbatim reste cité comme preuve retirée."),
    )
    publishable = models.BooleanField(
        _("publiable"),
        default=False,
        db_default=False,  # the CSV import inserts quotes in bulk, naming only the columns it fills
        help_text=_("Cochée par l'équipe : le verbatim peut paraître sur la page publique des résultats."),
    )

    class Meta:
        verbose_name = _("verbatim")
        verbose_name_plural = _("verbatims")
        ordering = ["interview", "pk"]

    def __str__(self):
        return f"« {self.text[:80]} »"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def may_be_published(self) -> bool:
        """Consent was given, the team ticked it publishable, and it was neither withdrawn nor anonymised."""
        return (
            self.publishable
            and self.interview.consent
            and self.withdrawn_at is None
            and self.anonymised_at is None
            and self.interview.anonymised_at is None
        )


class Hypothesis(models.Model):
    investigation = models.ForeignKey(
        Investigation, verbose_name=_("investigation"), on_delete=models.CASCADE, related_name="hypotheses"
    )
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

    investigation = models.ForeignKey(
        Investigation, verbose_name=_("investigation"), on_delete=models.CASCADE, related_name="insights"
    )
    statement = models.TextField(_("apprentissage"))
    interviews = models.ManyToManyField(Interview, verbose_name=_("entretiens"), blank=True, related_name="insights")
    quotes = models.ManyToManyField(Quote, verbose_name=_("verbatims"), blank=True, related_name="insights")
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("apprentissage")
        verbose_name_plural = _("apprentissages")
        ordering = ["investigation", "pk"]

    def __str__(self):
        return self.statement[:100]


class PersonalDataLog(models.Model):
    """A trace of every erasure and purge of interview data: what, when, by whom, how many."""

    action = models.CharField(_("action"), max_length=20, choices=PersonalDataAction)
    interview_id = models.PositiveBigIntegerField(_("entretien n°"), null=True, blank=True)
    investigation = models.ForeignKey(
        Investigation,
        verbose_name=_("investigation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="personal_data_logs",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="personal_data_logs",
    )
    at = models.DateTimeField(_("le"), default=timezone.now)
    count = models.PositiveIntegerField(_("entretiens concernés"), default=0)
    interview_ids = models.JSONField(_("entretiens"), default=list, blank=True)

    class Meta:
        verbose_name = _("journal des données personnelles")
        verbose_name_plural = _("journal des données personnelles")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} — {self.at:%d/%m/%Y %H:%M} — {self.count}"
