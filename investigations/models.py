import datetime

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.durations import add_months, short_date, short_datetime
from core.fields import actor_field
from core.search import SearchQuerySet
from core.wording import quoted
from core.workflows import Transition, Workflow
from products.models import Phase, Provenance, Startup

from . import doctrine
from .enums import Channel, HypothesisStatus, Intensity, InvestigationStatus, PersonalDataAction, RitualKind

_CONCLUDED = InvestigationStatus.concluded()
_UNCONCLUDED = frozenset({InvestigationStatus.EN_COURS, InvestigationStatus.SUSPENDUE})
_ALREADY_CONCLUDED = _("Cette investigation est déjà conclue.")
_NOT_CONCLUDED = _("Cette investigation n'est pas conclue.")

# How an investigation's status moves (services.investigation_*): it runs, may be suspended (a note d'étape says
# why) and resumed (the note says why too), and ends concluded one way or the other, by its team or by a committee
# decision; only the amendment of that decision reverts a conclusion, to where it came from.
INVESTIGATION_WORKFLOW = Workflow(
    Transition(
        "suspend",
        frozenset({InvestigationStatus.EN_COURS}),
        InvestigationStatus.SUSPENDUE,
        _("Seule une investigation en cours peut être suspendue."),
    ),
    Transition(
        "resume",
        frozenset({InvestigationStatus.SUSPENDUE}),
        InvestigationStatus.EN_COURS,
        _("Seule une investigation suspendue peut reprendre."),
    ),
    Transition("conclude", _UNCONCLUDED, InvestigationStatus.CONCLUANTE, _ALREADY_CONCLUDED),
    Transition("conclude_inconclusive", _UNCONCLUDED, InvestigationStatus.NON_CONCLUANTE, _ALREADY_CONCLUDED),
    Transition("revert_to_running", _CONCLUDED, InvestigationStatus.EN_COURS, _NOT_CONCLUDED),
    Transition("revert_to_suspended", _CONCLUDED, InvestigationStatus.SUSPENDUE, _NOT_CONCLUDED),
)


class InvestigationQuerySet(SearchQuerySet):
    search_fields = ("problem_statement", "status_note")

    def open(self):
        return self.filter(status=InvestigationStatus.EN_COURS)

    def concluded(self):
        return self.filter(status__in=InvestigationStatus.concluded())

    def unconcluded(self):
        return self.exclude(status__in=InvestigationStatus.concluded())

    def overdue(self, on: datetime.date):
        """Open investigations past their planned end (`Investigation.is_overdue`, for one)."""
        return self.open().filter(planned_end__lt=on)

    def silent(self, on: datetime.date):
        """Open investigations with no interview for `doctrine.SILENCE_DAYS` days, counted from their start when
        none was held (`Investigation.silent_days`, for one)."""
        since = on - datetime.timedelta(days=doctrine.SILENCE_DAYS)
        recent = Interview.objects.filter(investigation=models.OuterRef("pk"), date__gt=since)
        return self.open().filter(started_on__lte=since).exclude(models.Exists(recent))

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
    interview_goal = models.PositiveIntegerField(_("objectif d'entretiens"), default=doctrine.INTERVIEW_GOAL)
    status = models.CharField(
        _("statut"), max_length=20, choices=InvestigationStatus, default=InvestigationStatus.EN_COURS
    )
    status_note = models.TextField(_("note d'étape (markdown)"), blank=True)
    resumed_on = models.DateField(
        _("reprise le"),
        null=True,
        blank=True,
        help_text=_("La dernière reprise après une suspension ; la note d'étape en dit la raison."),
    )
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
            "date": short_date(self.started_on),
        }

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("investigations:detail", kwargs={"pk": self.pk})

    @property
    def is_open(self):
        return self.status == InvestigationStatus.EN_COURS

    @property
    def is_concluded(self):
        return self.status in InvestigationStatus.concluded()

    @property
    def accepts_interviews(self):
        """Interviews may be logged while the investigation runs or is suspended, not once concluded."""
        return not self.is_concluded

    def transition(self, name: str) -> None:
        """Move to the status INVESTIGATION_WORKFLOW's `name` leads to; ValidationError where it is refused."""
        self.status = INVESTIGATION_WORKFLOW.check(name, self.status)

    def is_overdue(self, on: datetime.date) -> bool:
        """Open and past its planned end: the rule of `InvestigationQuerySet.overdue`, for one investigation."""
        return self.is_open and on > self.planned_end

    def silent_days(self, last_interview: datetime.date | None, on: datetime.date) -> int | None:
        """How many days an open investigation has gone without an interview (since its start when none was held),
        when that reaches `doctrine.SILENCE_DAYS`; None otherwise. The rule of `InvestigationQuerySet.silent`."""
        if not self.is_open:
            return None
        silent = (on - (last_interview or self.started_on)).days
        return silent if silent >= doctrine.SILENCE_DAYS else None

    def end_for_retention(self, on: datetime.date | None = None) -> datetime.date:
        """The end the retention period counts from: the actual end once the investigation has ended; while it
        runs past its planned end, not before `on` (the interview's date, by default today) — so that the
        default never asks to delete an interview before it was held."""
        if self.ended_on:
            return self.ended_on
        return max(self.planned_end, on or timezone.localdate())

    def default_retention(self, on: datetime.date | None = None) -> datetime.date:
        return add_months(self.end_for_retention(on), doctrine.RETENTION_MONTHS)

    def max_retention(self, on: datetime.date | None = None) -> datetime.date:
        """The latest date an interview held on `on` may be kept until: the end + 24 months."""
        return add_months(self.end_for_retention(on), doctrine.RETENTION_MAX_MONTHS)


class InvestigationRitual(models.Model):
    """A ritual of the investigation (launch workshop, mid-point, restitution), dated, with its notes: at most one
    of each kind per investigation."""

    investigation = models.ForeignKey(
        Investigation, verbose_name=_("investigation"), on_delete=models.CASCADE, related_name="rituals"
    )
    kind = models.CharField(_("rituel"), max_length=20, choices=RitualKind)
    date = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = actor_field(_("enregistré par"))
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rituel d'investigation")
        verbose_name_plural = _("rituels d'investigation")
        ordering = ["investigation", "date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["investigation", "kind"],
                name="one_ritual_of_each_kind_per_investigation",
                violation_error_message=_("Ce rituel est déjà enregistré pour cette investigation."),
            ),
        ]

    def __str__(self):
        return _("%(kind)s du %(date)s") % {"kind": self.get_kind_display(), "date": short_date(self.date)}


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


class InterviewQuerySet(SearchQuerySet):
    search_fields = ("notes",)

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
    interviewer = actor_field(_("intervieweur"), related_name="interviews_conducted")
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
            "date": short_date(self.date),
            "who": self.interviewee or _("anonyme"),
        }

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("investigations:interview_detail", kwargs={"pk": self.pk})

    @property
    def interviewee_key(self) -> str:
        """Who was interviewed, for counting distinct people: the pseudonym if set, else the interview."""
        return f"p:{self.interviewee.strip().casefold()}" if self.interviewee.strip() else f"i:{self.pk}"


class QuoteQuerySet(SearchQuerySet):
    search_fields = ("text",)


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

    objects = QuoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("verbatim")
        verbose_name_plural = _("verbatims")
        ordering = ["interview", "pk"]

    def __str__(self):
        return quoted(self.text[:80])

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


class InvestigationStatement(models.Model):
    """What an investigation states from its interviews: a hypothesis or an apprentissage."""

    class Meta:
        abstract = True
        ordering = ["investigation", "pk"]

    def __str__(self):
        return self.statement[:100]


class Hypothesis(InvestigationStatement):
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

    history = HistoricalRecords()

    class Meta(InvestigationStatement.Meta):
        verbose_name = _("hypothèse")
        verbose_name_plural = _("hypothèses")


class InsightQuerySet(SearchQuerySet):
    search_fields = ("statement",)


class Insight(InvestigationStatement):
    """An apprentissage: a learning backed by interviews and quotes."""

    investigation = models.ForeignKey(
        Investigation, verbose_name=_("investigation"), on_delete=models.CASCADE, related_name="insights"
    )
    statement = models.TextField(_("apprentissage"))
    interviews = models.ManyToManyField(Interview, verbose_name=_("entretiens"), blank=True, related_name="insights")
    quotes = models.ManyToManyField(Quote, verbose_name=_("verbatims"), blank=True, related_name="insights")
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = InsightQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(InvestigationStatement.Meta):
        verbose_name = _("apprentissage")
        verbose_name_plural = _("apprentissages")


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
    by = actor_field(_("par"), related_name="personal_data_logs")
    at = models.DateTimeField(_("le"), default=timezone.now)
    count = models.PositiveIntegerField(_("entretiens concernés"), default=0)
    interview_ids = models.JSONField(_("entretiens"), default=list, blank=True)

    class Meta:
        verbose_name = _("journal des données personnelles")
        verbose_name_plural = _("journal des données personnelles")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} — {short_datetime(self.at)} — {self.count}"


class InterviewImport(models.Model):
    """A CSV of interviews too big to import during the upload's request: kept here until the background
    task (`investigations.tasks.interviews_import_run`) imports it, then only its report is kept."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("En file d'attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Refusé")

    investigation = models.ForeignKey(
        Investigation, verbose_name=_("investigation"), on_delete=models.CASCADE, related_name="imports"
    )
    created_by = actor_field(_("déposé par"))
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    filename = models.CharField(_("fichier"), max_length=255)
    # The file itself, until it is imported: it holds interview notes, so it is emptied right after.
    content = models.BinaryField(_("contenu"), default=b"", editable=False)
    status = models.CharField(_("état"), max_length=10, choices=Status, default=Status.QUEUED)
    imported = models.PositiveIntegerField(_("entretiens importés"), default=0)
    rejected = models.JSONField(_("lignes rejetées"), default=list, blank=True)  # [[line, reason], …]
    groups_created = models.JSONField(_("groupes cibles créés"), default=list, blank=True)
    error = models.TextField(_("motif du refus"), blank=True)
    finished_at = models.DateTimeField(_("fini le"), null=True, blank=True)

    class Meta:
        verbose_name = _("import d'entretiens")
        verbose_name_plural = _("imports d'entretiens")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.filename

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def rejected_count(self) -> int:
        return len(self.rejected)
