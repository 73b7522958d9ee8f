import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.constraints import stamped_iff_status
from core.durations import short_date
from core.fields import actor_field
from core.workflows import Transition, Workflow
from investigations.models import Insight, Interview, Quote
from products.models import Event, Incubator, Phase, Provenance, Startup

from . import doctrine
from .enums import ConditionStatus, Outcome, PostMortemKind, SessionKind, SessionStatus

DECISION_STARTUP_MESSAGE = _("Une décision porte sur la startup de son passage en comité, et sur elle seule.")
DEFAULT_FIRST_SLOT_AT = datetime.time(9, 30)


def slot_breakdown(minutes: int) -> dict[str, int]:
    """Split a slot as the doctrine does (15 presentation, 15 questions, 20 deliberation for 50 minutes)."""
    presentation = round(minutes * doctrine.PRESENTATION_MINUTES / doctrine.SLOT_MINUTES)
    questions = round(minutes * doctrine.QUESTIONS_MINUTES / doctrine.SLOT_MINUTES)
    return {"presentation": presentation, "questions": questions, "deliberation": minutes - presentation - questions}


_SESSION_CLOSED = _("Cette séance est close : elle ne peut plus être modifiée.")
_NOT_CLOSED = frozenset({SessionStatus.PLANNED, SessionStatus.HELD})

# How a session moves (services.session_*): planned, then held — marked so, or by its first decision — then
# closed once every item has its decision. Until it is closed its date, members and agenda may change and its
# decisions be recorded; the team's request only while it is planned.
SESSION_WORKFLOW = Workflow(
    Transition(
        "hold",
        frozenset({SessionStatus.PLANNED}),
        SessionStatus.HELD,
        _("Seule une séance planifiée peut être marquée comme tenue."),
    ),
    Transition("close", _NOT_CLOSED, SessionStatus.CLOSED, _SESSION_CLOSED),
    Transition("edit", _NOT_CLOSED, None, _SESSION_CLOSED),
    Transition(
        "decide",
        _NOT_CLOSED,
        None,
        _("Cette séance est close : aucune décision ne peut plus y être enregistrée."),
    ),
    Transition(
        "documents",
        _NOT_CLOSED,
        None,
        _("Cette séance est close : ses documents ne peuvent plus être ajoutés ni retirés."),
    ),
    Transition(
        "edit_request",
        frozenset({SessionStatus.PLANNED}),
        None,
        _("La séance s'est tenue : la demande de l'équipe ne peut plus être modifiée."),
    ),
)


class CommitteeSessionQuerySet(models.QuerySet):
    def planned(self):
        return self.filter(status=SessionStatus.PLANNED)

    def closed(self):
        return self.filter(status=SessionStatus.CLOSED)

    def with_agenda_counts(self):
        return self.annotate(
            agenda_count=Count("reviews", distinct=True),
            decided_count=Count("reviews__decision", distinct=True),
        )


class CommitteeSession(models.Model):
    """A committee sitting: a date, a kind, an incubator, members and an agenda of startups."""

    date = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=30, choices=SessionKind)
    incubator = models.ForeignKey(
        Incubator, verbose_name=_("incubateur"), on_delete=models.PROTECT, related_name="committee_sessions"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("membres"), blank=True, related_name="committee_sessions"
    )
    status = models.CharField(_("statut"), max_length=20, choices=SessionStatus, default=SessionStatus.PLANNED)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    first_slot_at = models.TimeField(_("heure du premier passage"), default=DEFAULT_FIRST_SLOT_AT)
    closed_by = actor_field(_("close par"))

    objects = CommitteeSessionQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("séance de comité")
        verbose_name_plural = _("séances de comité")
        ordering = ["-date", "pk"]
        indexes = [models.Index(fields=["incubator", "date"]), models.Index(fields=["status", "date"])]
        constraints = [
            stamped_iff_status(
                status=("status", SessionStatus.CLOSED),
                stamp="closed_at",
                name="session_closed_at_iff_closed",
                message=_("Une séance close porte sa date de clôture, et seulement elle."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.incubator} — {short_date(self.date)}"

    @property
    def is_planned(self):
        return self.status == SessionStatus.PLANNED

    @property
    def is_closed(self):
        return self.status == SessionStatus.CLOSED

    def require(self, name: str) -> None:
        """ValidationError unless SESSION_WORKFLOW allows `name` in the session's status."""
        SESSION_WORKFLOW.check(name, self.status)

    def transition(self, name: str) -> None:
        """Move to the status SESSION_WORKFLOW's `name` leads to; ValidationError where it is refused."""
        self.status = SESSION_WORKFLOW.check(name, self.status)


class ReviewQuerySet(models.QuerySet):
    def on_agenda(self):
        return self.filter(session__isnull=False).order_by("position", "pk")

    def imported(self):
        """Past reviews imported from beta.gouv.fr committee events: no session."""
        return self.filter(session__isnull=True)

    def undecided(self):
        return self.filter(decision__isnull=True)


class Review(Provenance, models.Model):
    """One startup's item on a session's agenda (or, imported from beta.gouv.fr, a past review
    without a session), with what the team asks for, entered before the session."""

    session = models.ForeignKey(
        CommitteeSession,
        verbose_name=_("séance"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
    )
    startup = models.ForeignKey(Startup, verbose_name=_("startup"), on_delete=models.CASCADE, related_name="reviews")
    date = models.DateField(_("date"))
    position = models.PositiveSmallIntegerField(_("ordre de passage"), default=0)
    starts_at = models.TimeField(_("heure de passage"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=doctrine.SLOT_MINUTES)
    requested_team = models.TextField(_("équipe demandée"), blank=True)
    requested_budget_eur = models.PositiveIntegerField(_("budget demandé (€)"), null=True, blank=True)
    hypotheses_to_test = models.TextField(_("hypothèses à tester"), blank=True)
    success_criteria = models.TextField(_("critères de succès à 6 mois"), blank=True)
    request_updated_at = models.DateTimeField(_("demande renseignée le"), null=True, blank=True)
    request_updated_by = actor_field(_("demande renseignée par"))

    objects = ReviewQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("passage en comité")
        verbose_name_plural = _("passages en comité")
        ordering = ["date", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "startup"], name="review_once_per_session", condition=Q(session__isnull=False)
            ),
        ]
        indexes = [models.Index(fields=["startup", "date"])]

    def __str__(self):
        return f"{self.startup} — {short_date(self.date)}"

    @property
    def ends_at(self):
        if self.starts_at is None:
            return None
        start = datetime.datetime.combine(self.date, self.starts_at)
        return (start + datetime.timedelta(minutes=self.duration_minutes)).time()

    @property
    def breakdown(self):
        return slot_breakdown(self.duration_minutes)

    @property
    def has_request(self):
        return bool(
            self.requested_team
            or self.requested_budget_eur is not None
            or self.hypotheses_to_test
            or self.success_criteria
        )


def review_document_path(document: "ReviewDocument", filename: str) -> str:
    """Where the storage keeps a review's document: committees/reviews/<review pk>/<random prefix>-<safe name>
    (the name is made by committees.documents.stored_name)."""
    return f"committees/reviews/{document.review_id}/{filename}"


class ReviewDocumentQuerySet(models.QuerySet):
    def listed(self):
        """In the order a review lists them: first attached first."""
        return self.select_related("uploaded_by").order_by("uploaded_at", "pk")


class ReviewDocument(models.Model):
    """A file attached to a review (a presentation, a budget table…), stored through Django's storage API and
    served only by committees.views.document_download to those who read the review. Attached and removed through
    services.document_attach / document_remove, while the session is not closed; then it stays as it is."""

    review = models.ForeignKey(
        Review, verbose_name=_("passage en comité"), on_delete=models.CASCADE, related_name="documents"
    )
    file = models.FileField(_("fichier"), upload_to=review_document_path, max_length=255)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    title = models.CharField(_("titre"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    content_type = models.CharField(_("type de contenu"), max_length=100)
    uploaded_at = models.DateTimeField(_("déposé le"), default=timezone.now)
    uploaded_by = actor_field(_("déposé par"))

    objects = ReviewDocumentQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document de passage")
        verbose_name_plural = _("documents de passage")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.title or self.original_name

    @property
    def label(self) -> str:
        """How a list names it: its title, else its file name."""
        return self.title or self.original_name


class DecisionState:
    """Where a decision stands, from its review: its session still open, or its minutes closed, or imported."""

    OPEN = "open"
    MINUTED = "minuted"
    IMPORTED = "imported"


# What may be done to a decision (services.decision_update, decision_amend): changed directly while its session
# is open; afterwards — and for the imported history — only through an amendment that keeps the reason.
DECISION_WORKFLOW = Workflow(
    Transition(
        "update",
        frozenset({DecisionState.OPEN}),
        None,
        _("Cette séance est close : la décision ne peut plus être modifiée. Enregistrez un amendement."),
        {
            DecisionState.IMPORTED: _(
                "Cette décision vient de l'historique importé de beta.gouv.fr : elle ne peut plus être modifiée. "
                "Enregistrez un amendement."
            )
        },
    ),
    Transition(
        "amend",
        frozenset({DecisionState.MINUTED, DecisionState.IMPORTED}),
        None,
        _("La séance n'est pas close : modifiez directement la décision, sans amendement."),
    ),
)


class DecisionQuerySet(models.QuerySet):
    def imported(self):
        return self.filter(review__session__isnull=True)

    def of_closed_sessions(self):
        return self.filter(review__session__status=SessionStatus.CLOSED)

    def since(self, day: datetime.date):
        return self.filter(date__gte=day)

    def with_evidence_count(self):
        """`evidence_count`: insights + quotes + interviews cited, as subqueries (no row multiplication)."""

        def cited(field):
            through = Decision._meta.get_field(field).remote_field.through
            return Coalesce(
                Subquery(
                    through.objects.filter(decision_id=OuterRef("pk"))
                    .order_by()
                    .values("decision_id")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )

        return self.annotate(evidence_count=cited("cited_insights") + cited("cited_quotes") + cited("cited_interviews"))


class Decision(Provenance, models.Model):
    """The outcome of a review. One per review, enforced by the database."""

    review = models.OneToOneField(
        Review, verbose_name=_("passage en comité"), on_delete=models.CASCADE, related_name="decision"
    )
    startup = models.ForeignKey(Startup, verbose_name=_("startup"), on_delete=models.CASCADE, related_name="decisions")
    date = models.DateField(_("date"))
    outcome = models.CharField(_("décision"), max_length=40, choices=Outcome)
    rationale = models.TextField(_("motivation"))
    budget_eur = models.PositiveIntegerField(_("budget accordé (€)"), null=True, blank=True)
    budget_period_start = models.DateField(_("début de la période financée"), null=True, blank=True)
    budget_period_end = models.DateField(_("fin de la période financée"), null=True, blank=True)
    next_committee_on = models.DateField(_("prochain comité"), null=True, blank=True)
    no_evidence_reason = models.TextField(
        _("motif de la décision sans preuve citée"),
        blank=True,
        help_text=_("Pourquoi le comité décide sans citer d'apprentissage, de verbatim ni d'entretien."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistrée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions_recorded",
    )
    phase = models.OneToOneField(
        Phase, verbose_name=_("phase"), on_delete=models.SET_NULL, null=True, blank=True, related_name="decision"
    )
    event = models.OneToOneField(
        Event, verbose_name=_("événement"), on_delete=models.SET_NULL, null=True, blank=True, related_name="decision"
    )
    cited_insights = models.ManyToManyField(
        Insight, verbose_name=_("apprentissages cités"), blank=True, related_name="citing_decisions"
    )
    cited_quotes = models.ManyToManyField(
        Quote, verbose_name=_("verbatims cités"), blank=True, related_name="citing_decisions"
    )
    cited_interviews = models.ManyToManyField(
        Interview, verbose_name=_("entretiens cités"), blank=True, related_name="citing_decisions"
    )
    checklist = models.JSONField(
        _("grille go / stop"),
        default=list,
        blank=True,
        help_text=_("Chaque critère : la réponse pré-remplie et sa source, la réponse du comité et son motif."),
    )
    created_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    history = HistoricalRecords()
    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["-date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_period_end__isnull=True)
                | Q(budget_period_start__isnull=True)
                | Q(budget_period_end__gte=F("budget_period_start")),
                name="decision_budget_period_in_order",
            ),
        ]
        indexes = [models.Index(fields=["startup", "date"]), models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.startup} — {self.get_outcome_display()} ({short_date(self.date)})"

    def clean(self):
        super().clean()
        # Also enforced by database triggers (migration 0005): the copy serves the dashboard's queries.
        if self.review_id and self.startup_id and self.review.startup_id != self.startup_id:
            raise ValidationError({"startup": DECISION_STARTUP_MESSAGE})

    @property
    def session(self):
        return self.review.session

    @property
    def is_imported(self):
        return self.review.session_id is None

    @property
    def state(self) -> str:
        if self.review.session_id is None:
            return DecisionState.IMPORTED
        return DecisionState.MINUTED if self.review.session.is_closed else DecisionState.OPEN

    @property
    def is_immutable(self):
        """Decisions of a closed session, and the imported history, change only through amendments."""
        return not DECISION_WORKFLOW.can("update", self.state)

    def require(self, name: str) -> None:
        """ValidationError unless DECISION_WORKFLOW allows `name` in the decision's state."""
        DECISION_WORKFLOW.check(name, self.state)


class ConditionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ConditionStatus.OPEN)

    def overdue(self, on: datetime.date | None = None):
        return self.open().filter(due_on__lt=on or timezone.localdate())


class Condition(models.Model):
    """A condition set by a decision, with a due date and an owner, later marked met or not."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("décision"), on_delete=models.CASCADE, related_name="conditions"
    )
    text = models.TextField(_("condition"))
    due_on = models.DateField(_("échéance"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsable"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conditions_owned",
    )
    status = models.CharField(_("statut"), max_length=20, choices=ConditionStatus, default=ConditionStatus.OPEN)
    resolution_note = models.TextField(_("note"), blank=True)
    resolved_at = models.DateTimeField(_("levée le"), null=True, blank=True)
    resolved_by = actor_field(_("levée par"))

    history = HistoricalRecords()
    objects = ConditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            stamped_iff_status(
                status=("status", ConditionStatus.OPEN),
                stamp="resolved_at",
                stamped=False,
                name="condition_resolved_at_iff_resolved",
                message=_("Une condition levée porte sa date de levée, et seulement elle."),
            ),
        ]

    def __str__(self):
        return self.text[:100]

    @property
    def is_open(self):
        return self.status == ConditionStatus.OPEN

    def is_overdue(self, on: datetime.date | None = None):
        return self.is_open and self.due_on < (on or timezone.localdate())


class Amendment(models.Model):
    """A correction to a decision of a closed session: what changed, why, and who did it."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("décision"), on_delete=models.CASCADE, related_name="amendments"
    )
    reason = models.TextField(_("motif"))
    changes = models.JSONField(_("modifications"), default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), on_delete=models.PROTECT, related_name="amendments"
    )
    created_at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("amendement")
        verbose_name_plural = _("amendements")
        ordering = ["decision", "created_at"]

    def __str__(self):
        return f"{self.decision} — {short_date(timezone.localdate(self.created_at))}"


class PostMortem(models.Model):
    """What a startup's ending leaves behind: why it stopped or was transferred, what was learnt, what is reused,
    where its code and data go. One per stop decision (`enums.TERMINAL_OUTCOMES`), recorded with it or right after
    from the decision page; one per startup for a transfer (the phase « Transféré », reached with or without a
    committee), recorded from the startup page. The database holds it: a stop has its decision, a transfer none."""

    startup = models.ForeignKey(
        Startup, verbose_name=_("startup"), on_delete=models.CASCADE, related_name="post_mortems"
    )
    kind = models.CharField(_("fin"), max_length=20, choices=PostMortemKind, default=PostMortemKind.ARRET)
    decision = models.OneToOneField(
        Decision,
        verbose_name=_("décision"),
        on_delete=models.CASCADE,
        related_name="post_mortem",
        null=True,
        blank=True,
    )
    why = models.TextField(_("pourquoi la startup s'arrête ou est transférée"))
    learnt = models.TextField(_("ce qui a été appris"))
    reused = models.TextField(_("ce qui est réutilisé"))
    code_and_data = models.TextField(_("où vont le code et les données"))
    recorded_by = actor_field(_("enregistré par"))
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bilan de fin")
        verbose_name_plural = _("bilans de fin")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=PostMortemKind.ARRET, decision__isnull=False)
                | Q(kind=PostMortemKind.TRANSFERT, decision__isnull=True),
                name="post_mortem_stop_has_its_decision_transfer_none",
                violation_error_message=_(
                    "Le bilan d'un arrêt porte sur sa décision ; celui d'un transfert, sur la startup seule."
                ),
            ),
            models.UniqueConstraint(
                fields=["startup"],
                condition=Q(kind=PostMortemKind.TRANSFERT),
                name="one_transfer_post_mortem_per_startup",
                violation_error_message=_("Cette startup a déjà son bilan de transfert."),
            ),
        ]

    def __str__(self):
        if self.decision_id is None:
            return _("Bilan de transfert — %(startup)s") % {"startup": self.startup}
        return _("Bilan de fin — %(decision)s") % {"decision": self.decision}

    def clean(self):
        if self.decision_id is not None and self.startup_id is not None and self.decision.startup_id != self.startup_id:
            raise ValidationError(DECISION_STARTUP_MESSAGE)
