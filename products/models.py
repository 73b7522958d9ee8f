import datetime
import hashlib
import re

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import versions
from core.durations import short_date
from core.fields import actor_field
from core.search import SearchQuerySet

from .enums import (
    LIFECYCLE_RANK,
    SERVICE_PHASES,
    AccessibilityStatus,
    Direction,
    EventKind,
    IndicatorKind,
    InvitationStatus,
    MeasurementVia,
    MembershipRole,
    OrganisationType,
    PhaseName,
    Source,
    SpendingNature,
    Via,
)
from .sections import STARTUP_SECTIONS, markdown_without_sections


# --- People -------------------------------------------------------------------------------------
class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address."""

    email = models.EmailField(_("adresse électronique"), unique=True)
    full_name = models.CharField(_("nom complet"), max_length=150)
    is_staff = models.BooleanField(_("accès à l'administration"), default=False)
    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)
    # The language of the e-mails Betatracker sends to the person (reminders); the pages follow the browser.
    language = models.CharField(_("langue des courriels"), max_length=10, choices=settings.LANGUAGES, default="fr")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


# --- Provenance ---------------------------------------------------------------------------------
class ImportRun(models.Model):
    """One run of `import_betagouv`: the records it created or changed point to it."""

    started_at = models.DateTimeField(_("lancé le"), default=timezone.now)
    path = models.CharField(_("dossier importé"), max_length=500)
    summary = models.JSONField(_("bilan"), default=dict, blank=True)

    class Meta:
        verbose_name = _("import beta.gouv.fr")
        verbose_name_plural = _("imports beta.gouv.fr")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return _("Import du %(date)s") % {"date": short_date(timezone.localtime(self.started_at))}


class Provenance(models.Model):
    """Where a phase, event, investigation, review or decision comes from: the beta.gouv.fr files (and the
    import that last set it) or the app (the person and the moment it was last set there).

    Records are the app's by default: only the importer writes `Source.BETAGOUV`. A service that changes a
    record of the files takes it over (`take_over`): from then on the import keeps the app's values and
    reports where the files disagree."""

    source = models.CharField(_("origine"), max_length=20, choices=Source, default=Source.APP)
    source_import = models.ForeignKey(
        ImportRun,
        verbose_name=_("import qui l'a écrit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    set_by = actor_field(_("saisi par"))
    set_at = models.DateTimeField(_("saisi le"), null=True, blank=True)
    set_via = models.CharField(_("saisi par le biais de"), max_length=30, choices=Via, blank=True)

    class Meta:
        abstract = True

    @property
    def is_from_file(self) -> bool:
        return self.source == Source.BETAGOUV

    @property
    def is_from_app(self) -> bool:
        return self.source == Source.APP

    def take_over(self, *, by=None, via: str = "") -> None:
        """The app now holds this record (not saved here: the service that changes it saves it)."""
        self.source = Source.APP
        self.set_by = by
        self.set_at = timezone.now()
        self.set_via = via

    def mark_imported(self, run) -> None:
        self.source = Source.BETAGOUV
        self.source_import = run
        self.set_by = None
        self.set_at = None
        self.set_via = ""

    def provenance(self) -> str:
        """Where the record comes from, in a few words for the pages ("source : fichier beta.gouv.fr (import du …)").
        Reads `source_import` and `set_by`: select them with the record on list pages."""
        if self.is_from_file:
            if self.source_import_id is None:
                return _("source : fichier beta.gouv.fr")
            return _("source : fichier beta.gouv.fr (import du %(date)s)") % {
                "date": short_date(timezone.localtime(self.source_import.started_at))
            }
        if self.set_via == Via.OPENED_BY_DECISION:
            return _("ouverte par la décision du comité du %(date)s") % {"date": short_date(self.start)}
        if self.set_via == Via.CLOSED_BY_DECISION and getattr(self, "end", None):
            return _("close par la décision du comité du %(date)s") % {"date": short_date(self.end)}
        if self.set_at is None:
            return _("source : Betatracker")
        values = {"date": short_date(timezone.localtime(self.set_at)), "person": self.set_by}
        if self.set_via == Via.ADMIN:
            return _("source : administration, le %(date)s") % values
        if self.set_by_id is None:
            return _("source : Betatracker, le %(date)s") % values
        return _("source : Betatracker, %(person)s le %(date)s") % values


class SourceFile(models.Model):
    """The beta.gouv.fr file a record was imported from, kept as it was read (front matter and body), so that
    `export_betagouv` writes back every key it had, even those the app does not use."""

    source_front_matter = models.TextField(_("en-tête du fichier beta.gouv.fr"), blank=True, editable=False)
    source_body = models.TextField(_("corps du fichier beta.gouv.fr"), blank=True, editable=False)

    class Meta:
        abstract = True


# --- Sponsors and incubators --------------------------------------------------------------------
def mentions(text: str, word: str) -> bool:
    """Whether `text` already holds `word` as a whole word, whatever the case: « La Fabrique
    Numérique de l'Ecologie (MTE) » mentions « MTE »."""
    return bool(word) and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) is not None


def with_acronym(name: str, acronym: str) -> str:
    """« Ministère des Exemples (MDE) »; the name alone when it already holds its acronym."""
    return f"{name} ({acronym})" if acronym and not mentions(name, acronym) else name


class Organisation(SourceFile, models.Model):
    """A sponsor administration."""

    slug = models.CharField(_("identifiant"), max_length=200, unique=True)
    name = models.CharField(_("nom"), max_length=300)
    acronym = models.CharField(_("sigle"), max_length=100, blank=True)
    type = models.CharField(_("type"), max_length=40, choices=OrganisationType, blank=True)
    ministerial_domain = models.CharField(_("domaine ministériel"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.acronym or self.name

    @property
    def name_with_acronym(self) -> str:
        return with_acronym(self.name, self.acronym)


class Incubator(SourceFile, models.Model):
    slug = models.CharField(_("identifiant"), max_length=200, unique=True)
    title = models.CharField(_("nom"), max_length=300)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation porteuse"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incubators",
    )
    short_description = models.TextField(_("description"), blank=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    website = models.URLField(_("site"), max_length=500, blank=True)
    staff = models.ManyToManyField(
        User, verbose_name=_("équipe d'incubateur"), blank=True, related_name="staffed_incubators"
    )

    class Meta:
        verbose_name = _("incubateur")
        verbose_name_plural = _("incubateurs")
        ordering = ["title"]

    def __str__(self):
        return self.title

    @property
    def title_with_owner(self) -> str:
        """« Fabrique des Solidarités (MSOL) »; the title alone when it already names its owner."""
        owner = str(self.owner) if self.owner else ""
        return f"{self.title} ({owner})" if owner and not mentions(self.title, owner) else self.title


class Theme(models.Model):
    name = models.CharField(_("nom"), max_length=150, unique=True)

    class Meta:
        verbose_name = _("thématique")
        verbose_name_plural = _("thématiques")
        ordering = ["name"]

    def __str__(self):
        return self.name


# --- Startups -----------------------------------------------------------------------------------
class StartupQuerySet(SearchQuerySet):
    # The site search (`matching`, core/search.py) reads the sheet's texts; `search` below is the list's filter.
    search_fields = ("name", "mission", "problem", "solution", "description")

    def in_phase(self, *names):
        return self.filter(current_phase__in=names)

    def public(self):
        """Startups whose sheet has a public page: every one not marked private."""
        return self.filter(is_private=False)

    def of_incubator(self, incubator):
        return self.filter(Q(incubator=incubator) | Q(co_incubators=incubator)).distinct()

    def search(self, text):
        """Startups whose name contains `text`, whatever the case.

        Accents: the name is compared as typed (no `unaccent`, so that SQLite and PostgreSQL agree),
        and the identifier is compared with the text slugified, so that « demarches » still finds
        « Démarches simplifiées » (`demarches-simplifiees`), whatever separator the slug uses.
        """
        text = (text or "").strip()
        if not text:
            return self
        condition = Q(name__icontains=text)
        slugged = slugify(text)
        if slugged:
            for separator in ("-", ".", "_"):
                condition |= Q(slug__icontains=slugged.replace("-", separator))
        return self.filter(condition)

    def rgaa_non_conformes(self):
        """Startups past investigation, their service live, that beta.gouv.fr says are « non conforme »
        to the RGAA."""
        return self.filter(accessibility_status=AccessibilityStatus.NON_CONFORME, current_phase__in=SERVICE_PHASES)

    def followed_by(self, user):
        """The startups a person is a member of (any role), now."""
        return self.filter(memberships__in=Membership.objects.current().filter(user=user)).distinct()


class Startup(SourceFile, models.Model):
    """A Startup d'État: the product followed through its phases."""

    slug = models.CharField(_("identifiant"), max_length=200, unique=True)
    name = models.CharField(_("nom"), max_length=300)
    mission = models.TextField(_("mission"), blank=True)
    problem = models.TextField(_("problème"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    objectives = models.TextField(_("objectifs à 6 mois"), blank=True)
    strategy = models.TextField(_("stratégie"), blank=True)
    description = models.TextField(_("présentation (markdown)"), blank=True)
    link = models.URLField(_("site"), max_length=500, blank=True)
    repository = models.URLField(_("dépôt de code"), max_length=500, blank=True)
    stats_url = models.URLField(_("statistiques"), max_length=500, blank=True)
    budget_url = models.URLField(_("budget"), max_length=500, blank=True)
    impact_url = models.URLField(_("impact"), max_length=500, blank=True)
    usertypes = models.JSONField(_("publics"), default=list, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("thématiques"), blank=True, related_name="startups")
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    # Quality and compliance, as the beta.gouv.fr file says (None: the file does not say).
    techno = models.JSONField(_("technologies"), default=list, blank=True)
    stats = models.BooleanField(_("statistiques publiques"), null=True, blank=True)
    accessibility_status = models.CharField(
        _("conformité RGAA"), max_length=200, blank=True, help_text=_("Tel qu'écrit dans beta.gouv.fr.")
    )
    analyse_risques = models.BooleanField(_("analyse de risques"), null=True, blank=True)
    analyse_risques_url = models.URLField(_("lien vers l'analyse de risques"), max_length=500, blank=True)
    mon_service_securise = models.BooleanField(_("inscrit sur MonServiceSécurisé"), null=True, blank=True)
    dashlord_url = models.URLField(_("DashLord"), max_length=500, blank=True)
    fast = models.JSONField(
        _("financement FAST"), null=True, blank=True, help_text=_("Numéro de promotion et montant en euros.")
    )
    contact_dinum = models.CharField(_("contact DINUM"), max_length=300, blank=True)
    contact_incubator = models.CharField(_("contact à l'incubateur"), max_length=300, blank=True)
    incubator = models.ForeignKey(
        Incubator, verbose_name=_("incubateur"), on_delete=models.PROTECT, related_name="startups"
    )
    co_incubators = models.ManyToManyField(
        Incubator, verbose_name=_("co-incubateurs"), blank=True, related_name="co_incubated_startups"
    )
    sponsors = models.ManyToManyField(
        Organisation, verbose_name=_("sponsors"), blank=True, related_name="sponsored_startups"
    )
    # Kept in step with the phases by the phase services (see Startup.refresh_current_phase): the
    # dashboard filters, counts and sorts 10,000 startups on these without a subquery per row.
    current_phase = models.CharField(_("phase actuelle"), max_length=40, choices=PhaseName, blank=True, db_index=True)
    current_phase_start = models.DateField(_("dans cette phase depuis"), null=True, blank=True)
    is_private = models.BooleanField(
        _("fiche privée"), default=False, help_text=_("Une fiche privée n'a pas de page publique.")
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True, db_index=True)

    history = HistoricalRecords()
    objects = StartupQuerySet.as_manager()

    class Meta:
        verbose_name = _("startup d'État")
        verbose_name_plural = _("startups d'État")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["incubator", "current_phase"]),
            # The dashboard's and the admin's default order: a page of names without sorting them all.
            models.Index(fields=["name", "id"], name="startup_name_id_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("products:startup_detail", kwargs={"slug": self.slug})

    def ordered_phases(self):
        """Phases in lifecycle order: by start date, ties broken by the lifecycle rank."""
        return self.phases.order_by("start", "rank")

    def refresh_current_phase(self, *, save=True):
        last = self.ordered_phases().last()
        self.current_phase = last.name if last else ""
        self.current_phase_start = last.start if last else None
        if save:
            Startup.objects.filter(pk=self.pk).update(
                current_phase=self.current_phase, current_phase_start=self.current_phase_start
            )
            versions.touch(startups=[self.pk], topics=["network"])  # an update: no model signal

    def presentation(self) -> str:
        """The description without the sections the page shows under their own title (problem,
        solution, objectives, strategy), so that none is printed twice."""
        shown = (self.problem, self.solution, self.objectives, self.strategy)
        return markdown_without_sections(
            self.description, [words for words, text in zip(STARTUP_SECTIONS, shown, strict=True) if text]
        )

    @property
    def contacts(self) -> list[tuple[str, str]]:
        """The contacts beta.gouv.fr gives (DINUM, incubator), each with its label; the empty ones left out."""
        contacts = [(_("Contact DINUM"), self.contact_dinum), (_("Contact à l'incubateur"), self.contact_incubator)]
        return [(label, contact) for label, contact in contacts if contact]

    @property
    def accessibility_label(self):
        """The RGAA status in the reader's language; a value unknown to the app as written."""
        if self.accessibility_status in AccessibilityStatus.values:
            return AccessibilityStatus(self.accessibility_status).label
        return self.accessibility_status

    @property
    def current_phase_label(self):
        return PhaseName(self.current_phase).label if self.current_phase else _("Aucune phase")

    def days_in_current_phase(self, today=None):
        if not self.current_phase_start:
            return None
        today = today or timezone.localdate()
        return (today - self.current_phase_start).days


class PhaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(end__isnull=True)

    def in_order(self):
        return self.order_by("startup_id", "start", "rank")


class Phase(Provenance, models.Model):
    """A dated stage of a startup. Half-open interval [start, end): a phase may last zero days."""

    startup = models.ForeignKey(Startup, verbose_name=_("startup"), on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("phase"), max_length=40, choices=PhaseName)
    rank = models.PositiveSmallIntegerField(_("rang dans le cycle de vie"), editable=False)
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"), null=True, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)

    history = HistoricalRecords()
    objects = PhaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["startup", "start", "rank"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="phase_ends_after_it_starts",
                violation_error_message=_("Une phase ne peut pas finir avant d'avoir commencé."),
            ),
            models.UniqueConstraint(
                fields=["startup", "name"],
                name="phase_name_once_per_startup",
                violation_error_message=_("Cette startup a déjà une phase de ce nom."),
            ),
            models.UniqueConstraint(
                fields=["startup"],
                condition=Q(end__isnull=True),
                name="one_open_phase_per_startup",
                violation_error_message=_("Cette startup a déjà une phase en cours."),
            ),
        ]
        indexes = [models.Index(fields=["startup", "start", "rank"]), models.Index(fields=["name", "start"])]

    def __str__(self):
        return f"{self.get_name_display()} ({short_date(self.start)})"

    def save(self, *args, **kwargs):
        self.rank = LIFECYCLE_RANK[self.name]
        super().save(*args, **kwargs)

    def overlaps(self, other):
        """Half-open intervals: [a, b) and [c, d) overlap when a < d and c < b (open end = ∞)."""
        self_end = self.end or datetime.date.max
        other_end = other.end or datetime.date.max
        if self.start == self_end or other.start == other_end:
            # A zero-day phase is a point: it overlaps only if strictly inside the other one.
            point, interval = (self, other) if self.start == self_end else (other, self)
            interval_end = interval.end or datetime.date.max
            return interval.start < point.start < interval_end
        return self.start < other_end and other.start < self_end

    def clean(self):
        super().clean()
        if self.name:
            self.rank = LIFECYCLE_RANK[self.name]
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("Une phase ne peut pas finir avant d'avoir commencé.")})
        if not self.startup_id or not self.start:
            return
        for other in Phase.objects.filter(startup_id=self.startup_id).exclude(pk=self.pk):
            if self.overlaps(other):
                raise ValidationError(_("Cette phase chevauche la phase « %(other)s ».") % {"other": other})

    @property
    def duration_days(self):
        end = self.end or timezone.localdate()
        return (end - self.start).days


class Event(Provenance, models.Model):
    """A dated milestone of a startup."""

    startup = models.ForeignKey(Startup, verbose_name=_("startup"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("type"), max_length=30, choices=EventKind)
    date = models.DateField(_("date"))
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["startup", "date", "pk"]
        indexes = [models.Index(fields=["kind", "date"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({short_date(self.date)})"


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(start__isnull=True) | Q(start__lte=on), Q(end__isnull=True) | Q(end__gte=on))

    def with_role(self, role):
        return self.filter(role=role)


class TeamPlace(models.Model):
    """A place on a startup's team: held by a person (Membership) or offered to one (Invitation)."""

    role = models.CharField(_("rôle"), max_length=30, choices=MembershipRole)
    time_share = models.PositiveSmallIntegerField(_("temps consacré (%)"), default=100)
    start = models.DateField(_("début"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.holder} — {self.get_role_display()} — {self.startup}"


class Membership(TeamPlace):
    """A person on a startup, with their role and time share."""

    user = models.ForeignKey(User, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="memberships")
    startup = models.ForeignKey(
        Startup, verbose_name=_("startup"), on_delete=models.CASCADE, related_name="memberships"
    )
    end = models.DateField(_("fin"), null=True, blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        ordering = ["startup", "role", "user"]
        constraints = [
            models.CheckConstraint(condition=Q(time_share__lte=100), name="membership_time_share_at_most_100"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=F("start")),
                name="membership_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "role"]),
            models.Index(fields=["startup", "role"]),
            # The dashboard's list of coaches, read from the index alone: every current coach of the network.
            models.Index(fields=["role", "user", "start", "end"], name="membership_role_user_idx"),
        ]

    @property
    def holder(self):
        return self.user


# --- Invitations --------------------------------------------------------------------------------
INVITATION_DAYS = 7  # an invitation link is valid this many days after it was (re)sent


def token_hash(token: str) -> str:
    """What is stored of a one-time link's secret: its SHA-256 (the link itself is only in the e-mail)."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        """Neither accepted nor revoked, and not expired."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class Invitation(TeamPlace):
    """A person invited by e-mail to join a startup's team, with the role and time share they will hold.

    The e-mail holds a one-time link; only the hash of its secret is stored. Accepting creates the membership."""

    startup = models.ForeignKey(
        Startup, verbose_name=_("startup"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("adresse électronique"))
    token_hash = models.CharField(_("empreinte du lien"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, verbose_name=_("invitée par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    expires_at = models.DateTimeField(_("valable jusqu'au"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, verbose_name=_("acceptée par"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)

    history = HistoricalRecords()
    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["startup", "-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(time_share__lte=100), name="invitation_time_share_at_most_100"),
        ]
        indexes = [models.Index(fields=["email"])]

    @property
    def holder(self):
        return self.email

    def status(self, now=None) -> str:
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    @property
    def status_label(self) -> str:
        return InvitationStatus(self.status()).label

    @property
    def is_pending(self) -> bool:
        return self.status() == InvitationStatus.PENDING


# --- Impact and money ---------------------------------------------------------------------------
class Indicator(models.Model):
    """What a startup measures of its impact. At most one per startup is its North Star."""

    startup = models.ForeignKey(Startup, verbose_name=_("startup"), on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("nom"), max_length=200)
    unit = models.CharField(_("unité"), max_length=50, help_text=_("Par exemple « dossiers », « usagers », « jours »."))
    direction = models.CharField(_("sens"), max_length=10, choices=Direction, default=Direction.HIGHER)
    kind = models.CharField(_("nature"), max_length=10, choices=IndicatorKind, default=IndicatorKind.STOCK)
    is_north_star = models.BooleanField(
        _("étoile polaire"), default=False, help_text=_("L'indicateur principal de la startup : un seul par startup.")
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicateur d'impact")
        verbose_name_plural = _("indicateurs d'impact")
        ordering = ["startup", "-is_north_star", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["startup"],
                condition=Q(is_north_star=True),
                name="one_north_star_per_startup",
                violation_error_message=_("Cette startup a déjà un indicateur étoile polaire."),
            ),
            models.UniqueConstraint(
                fields=["startup", "name"],
                name="indicator_name_once_per_startup",
                violation_error_message=_("Cette startup a déjà un indicateur de ce nom."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})"


class IndicatorTarget(models.Model):
    """The value an indicator should reach by the end of a period."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicateur"), on_delete=models.CASCADE, related_name="targets"
    )
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    value = models.DecimalField(_("cible"), max_digits=18, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cible d'indicateur")
        verbose_name_plural = _("cibles d'indicateur")
        ordering = ["indicator", "period_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="indicator_target_period_in_order",
                violation_error_message=_("La fin de la période ne peut pas précéder son début."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator} : {self.value} ({short_date(self.period_start)} – {short_date(self.period_end)})"


class Measurement(models.Model):
    """A dated value of an indicator, entered by the team (form, CSV import or API). One per indicator and date."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicateur"), on_delete=models.CASCADE, related_name="measurements"
    )
    date = models.DateField(_("date"))
    value = models.DecimalField(_("valeur"), max_digits=18, decimal_places=4)
    entered_by = actor_field(_("saisie par"))
    entered_at = models.DateTimeField(_("saisie le"), default=timezone.now)
    via = models.CharField(
        _("saisie par le biais de"), max_length=10, choices=MeasurementVia, default=MeasurementVia.PAGE
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mesure")
        verbose_name_plural = _("mesures")
        ordering = ["indicator", "date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "date"],
                name="one_measurement_per_indicator_and_date",
                violation_error_message=_("Cet indicateur a déjà une mesure à cette date."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator.name} : {self.value} ({short_date(self.date)})"


class Spending(models.Model):
    """Money a startup's team declares it spent over a period."""

    startup = models.ForeignKey(Startup, verbose_name=_("startup"), on_delete=models.CASCADE, related_name="spendings")
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    amount_eur = models.DecimalField(_("montant (€)"), max_digits=12, decimal_places=2)
    nature = models.CharField(_("nature"), max_length=20, choices=SpendingNature)
    comment = models.CharField(_("précision"), max_length=300, blank=True)
    entered_by = actor_field(_("déclarée par"))
    entered_at = models.DateTimeField(_("déclarée le"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dépense")
        verbose_name_plural = _("dépenses")
        ordering = ["startup", "period_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="spending_period_in_order",
                violation_error_message=_("La fin de la période ne peut pas précéder son début."),
            ),
            models.CheckConstraint(
                condition=Q(amount_eur__gte=0),
                name="spending_amount_not_negative",
                violation_error_message=_("Le montant ne peut pas être négatif."),
            ),
        ]
        indexes = [models.Index(fields=["startup", "period_start"])]

    def __str__(self):
        return f"{self.startup} — {self.get_nature_display()} : {self.amount_eur} €"
