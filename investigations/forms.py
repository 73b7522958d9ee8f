import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import forms as forms_base
from core.durations import short_date
from products.models import Membership, User

from . import doctrine
from .csv_io import max_bytes, size_error
from .enums import INTENSITY_SCALE_LABELS, Channel, Intensity, RitualKind
from .models import Hypothesis, Insight, Interview, Investigation, Quote, Tag
from .selectors import tag_suggestions
from .services import _clean_names, retention_check

EARLIEST_DATE = datetime.date(2010, 1, 1)
MAX_INVESTIGATION_LENGTH = datetime.timedelta(days=3 * 366)
GROUP_NAME_MAX = 150
YES_NO = [("oui", _("Oui")), ("non", _("Non"))]


class Form(forms_base.Form):
    field_marks = "required"
    autofocus_on_load = True


class ModelForm(forms_base.ModelForm):
    field_marks = "required"
    autofocus_on_load = True


def _lines(text: str) -> list[str]:
    return _clean_names(text.splitlines())


# --- Investigations -------------------------------------------------------------------------------
class InvestigationForm(forms_base.ServiceModelFormMixin, ModelForm):
    """Open an investigation (no `instance`) or change one; `investigation_open` / `investigation_update` save."""

    target_groups = forms.CharField(
        label=_("Groupes cibles"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Un groupe par ligne, nommé par l'équipe (ex. « TPE », « Grande entreprise (> 500) »). "
            "La doctrine conseille au plus 4 groupes."
        ),
    )
    # Stricter than the model, which takes any positive number.
    interview_goal = forms.IntegerField(
        label=_("Objectif d'entretiens"),
        min_value=1,
        max_value=10000,
        help_text=_("La doctrine conseille une trentaine d'entretiens (entre 20 et 80)."),
    )

    class Meta:
        model = Investigation
        fields = ["started_on", "planned_end", "problem_statement", "target_groups", "interview_goal"]
        labels = {"started_on": _("Date de début"), "problem_statement": _("Problème investigué")}
        help_texts = {
            "planned_end": _("Laissez vide pour 9 semaines après le début, comme le veut la doctrine."),
            "problem_statement": _(
                "Le problème dont l'investigation doit établir qu'il est réel, majeur et actionnable."
            ),
        }
        widgets = {
            "started_on": forms_base.date_input(),
            "planned_end": forms_base.date_input(),
            "problem_statement": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, instance: Investigation | None = None, **kwargs):
        if instance is None:
            instance = Investigation(started_on=timezone.localdate())
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["planned_end"].required = False  # left blank: the doctrine's duration, see clean()
        if instance.pk:
            self.initial["target_groups"] = "\n".join(group.name for group in instance.target_groups.order_by("pk"))

    def clean_started_on(self):
        started_on = self.cleaned_data["started_on"]
        if not EARLIEST_DATE <= started_on <= timezone.localdate() + datetime.timedelta(days=366):
            raise ValidationError(
                _("Indiquez une date de début entre 2010 et l'an prochain (reçu : %(date)s).")
                % {"date": short_date(started_on)}
            )
        return started_on

    def clean_target_groups(self):
        groups = _lines(self.cleaned_data["target_groups"])
        too_long = [name for name in groups if len(name) > GROUP_NAME_MAX]
        if too_long:
            raise ValidationError(
                _("Un nom de groupe cible tient en %(max)s caractères au plus : « %(name)s… ».")
                % {"max": GROUP_NAME_MAX, "name": too_long[0][:40]}
            )
        return groups

    def clean(self):
        cleaned = super().clean()
        started_on, planned_end = cleaned.get("started_on"), cleaned.get("planned_end")
        if started_on and not planned_end:
            cleaned["planned_end"] = started_on + doctrine.DURATION
        elif started_on and planned_end and planned_end < started_on:
            self.add_error("planned_end", _("La fin prévue ne peut pas précéder le début de l'investigation."))
        elif started_on and planned_end and planned_end > started_on + MAX_INVESTIGATION_LENGTH:
            self.add_error("planned_end", _("Une investigation dure quelques semaines : pas plus de trois ans."))
        return cleaned

    @property
    def too_many_groups(self) -> bool:
        return len(self.cleaned_data.get("target_groups") or []) > doctrine.MAX_TARGET_GROUPS


def _not_in_the_future(day: datetime.date) -> datetime.date:
    if day > timezone.localdate():
        raise ValidationError(_("La date ne peut pas être dans le futur."))
    return day


class SuspendForm(Form):
    reason = forms.CharField(
        label=_("Note d'étape"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Pourquoi l'investigation est suspendue, ce qui a été appris, ce qui est documenté. "
            "Mise en forme Markdown acceptée."
        ),
    )
    on = forms.DateField(label=_("Date de suspension"), widget=forms_base.date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate

    def clean_on(self):
        return _not_in_the_future(self.cleaned_data["on"])


class ResumeForm(Form):
    autofocus_on_load = False  # also shown inside the investigation page
    reason = forms.CharField(
        label=_("Raison de la reprise"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ajoutée à la note d'étape, sous la raison de la suspension. Mise en forme Markdown acceptée."),
    )


class RitualForm(Form):
    autofocus_on_load = False  # also shown inside the synthesis page, which it must not scroll
    kind = forms.ChoiceField(label=_("Rituel"), choices=RitualKind.choices)
    date = forms.DateField(label=_("Date"), widget=forms_base.date_input())
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Qui était là, ce qui a été dit ou décidé."),
    )

    def __init__(self, *args, missing=None, **kwargs):
        super().__init__(*args, **kwargs)
        if missing:
            self.fields["kind"].initial = missing[0]

    def clean_date(self):
        return _not_in_the_future(self.cleaned_data["date"])


class ConcludeForm(Form):
    conclusive = forms.TypedChoiceField(
        label=_("Conclusion"),
        choices=[
            ("oui", _("Concluante : le problème est réel, majeur et actionnable")),
            ("non", _("Non concluante : la startup passe en « investigation non concluante »")),
        ],
        coerce=lambda value: value == "oui",
        widget=forms.RadioSelect,
    )
    on = forms.DateField(label=_("Date de conclusion"), widget=forms_base.date_input())
    note = forms.CharField(
        label=_("Note de conclusion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Facultative. Mise en forme Markdown acceptée."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate

    def clean_on(self):
        return _not_in_the_future(self.cleaned_data["on"])


# --- Interviews -----------------------------------------------------------------------------------
class InterviewForm(forms_base.ServiceModelFormMixin, ModelForm):
    """The fast form: an intrapreneur logs an interview in under a minute, keyboard alone. Its quotes and tags are
    typed as text; `interview_log` / `interview_update` save them with the interview."""

    # Stricter than the model, which takes any positive number.
    headcount = forms.IntegerField(
        label=_("Effectif de l'organisation"), min_value=0, max_value=10_000_000, required=False
    )
    quotes = forms.CharField(
        label=_("Verbatims"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Un verbatim par ligne, mot pour mot : chacun pourra être cité comme preuve."),
    )
    tags = forms.CharField(
        label=_("Étiquettes"),
        required=False,
        max_length=1000,
        help_text=_(
            "Séparées par des virgules. Les étiquettes existantes sont proposées ; "
            "une nouvelle étiquette se crée en la tapant."
        ),
    )
    # A question answered yes or no, never left at a default.
    consent = forms.TypedChoiceField(
        label=_("La personne a-t-elle donné son consentement ?"),
        choices=YES_NO,
        coerce=lambda value: value == "oui",
        widget=forms.RadioSelect,
        help_text=_(
            "Sans consentement, l'entretien compte dans la synthèse (date, groupe, intensité, "
            "étiquettes) mais ses notes, verbatims et organisation ne sont pas enregistrés."
        ),
    )

    class Meta:
        model = Interview
        fields = [
            "date",
            "interviewer",
            "channel",
            "interviewee",
            "consent",
            "target_group",
            "organisation",
            "headcount",
            "sector",
            "intensity",
            "notes",
            "quotes",
            "tags",
            "retention_until",
        ]
        labels = {"date": _("Date de l'entretien"), "interviewer": _("Intervieweur ou intervieweuse")}
        help_texts = {
            "interviewee": _("Pas de nom réel : un pseudonyme, par exemple « DRH-PME-3 »."),
            "intensity": _("À quel point la personne ressent le problème."),
            "retention_until": _(
                "Par défaut : fin de l'investigation + 6 mois ; au plus : fin de l'investigation + 24 mois. "
                "Ensuite l'entretien est anonymisé."
            ),
        }
        widgets = {
            "date": forms_base.date_input(),
            "channel": forms.RadioSelect,
            "intensity": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 6}),
            "retention_until": forms_base.date_input(),
        }

    def __init__(self, *args, investigation, user, instance: Interview | None = None, **kwargs):
        self.investigation = investigation
        self.user = user
        if instance is None:
            instance = Interview(
                investigation=investigation,
                date=timezone.localdate(),
                interviewer=user,
                retention_until=investigation.default_retention(),
            )
        super().__init__(*args, instance=instance, **kwargs)
        groups = investigation.target_groups.order_by("pk")
        self.fields["target_group"].queryset = groups
        self.fields["target_group"].required = bool(groups)
        self.fields["target_group"].empty_label = _("— Choisir un groupe —")
        startup_members = Membership.objects.current().filter(startup_id=investigation.startup_id)
        people = Q(pk=user.pk) | Q(memberships__in=startup_members)
        if instance.interviewer_id:
            people |= Q(pk=instance.interviewer_id)
        self.fields["interviewer"].queryset = User.objects.filter(people).distinct().order_by("full_name")
        self.fields["interviewer"].empty_label = _("— Non précisé —")
        self.fields["channel"].choices = Channel.choices  # radio buttons: no blank choice, none checked
        self.fields["intensity"].choices = [(level.value, INTENSITY_SCALE_LABELS[level]) for level in Intensity]
        self.fields["tags"].widget.attrs["list"] = "etiquettes-existantes"
        self.fields["tags"].widget.attrs["autocomplete"] = "off"
        if instance.pk:
            self.initial["consent"] = "oui" if instance.consent else "non"
            self.initial["quotes"] = "\n".join(
                quote.text for quote in instance.quotes.all() if quote.withdrawn_at is None
            )
            self.initial["tags"] = ", ".join(tag.name for tag in instance.tags.all())
        else:
            self.initial["consent"] = self.initial["tags"] = None  # not the model's `False` and `[]`

    def existing_tags(self):
        """Suggestions for the tags field: only tags of investigations the person may read."""
        return tag_suggestions(self.user)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise ValidationError(_("La date de l'entretien ne peut pas être dans le futur."))
        if date < self.investigation.started_on:
            raise ValidationError(
                _("L'entretien ne peut pas précéder le début de l'investigation (%(date)s).")
                % {"date": short_date(self.investigation.started_on)}
            )
        return date

    def clean(self):
        cleaned = super().clean()
        try:
            retention_check(self.investigation, cleaned.get("date"), cleaned.get("retention_until"))
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class HypothesisForm(ModelForm):
    """A hypothesis, its status, and each interview of the investigation once: does it confirm the hypothesis,
    contradict it, or say nothing about it? (One radio group per interview: an interview cannot be ticked on both
    sides.) `cleaned_data` gives `hypothesis_save` its `supporting_interviews` and `contradicting_interviews`."""

    SUPPORTS, CONTRADICTS = "pour", "contre"
    CHOICES = [("", _("Sans lien")), (SUPPORTS, _("La confirme")), (CONTRADICTS, _("La contredit"))]

    class Meta:
        model = Hypothesis
        fields = ["statement", "status"]
        labels = {"statement": _("Hypothèse"), "status": _("Statut")}
        help_texts = {"statement": _("Un énoncé que les entretiens peuvent confirmer ou contredire.")}
        widgets = {"statement": forms.Textarea(attrs={"rows": 3}), "status": forms.RadioSelect}

    def __init__(self, *args, investigation, **kwargs):
        super().__init__(*args, **kwargs)
        self.interviews = list(interview_choices(investigation))
        supported, contradicted = set(), set()
        if self.instance.pk:
            supported = set(self.instance.supporting_interviews.values_list("pk", flat=True))
            contradicted = set(self.instance.contradicting_interviews.values_list("pk", flat=True))
        for interview in self.interviews:
            name = self.interview_field(interview)
            self.fields[name] = forms.ChoiceField(
                label=interview_label(interview), choices=self.CHOICES, required=False, widget=forms.RadioSelect
            )
            self.initial[name] = (
                self.SUPPORTS if interview.pk in supported else self.CONTRADICTS if interview.pk in contradicted else ""
            )

    @staticmethod
    def interview_field(interview) -> str:
        return f"interview_{interview.pk}"

    def interview_fields(self):
        return [self[self.interview_field(interview)] for interview in self.interviews]

    def clean(self):
        cleaned = super().clean()
        answers = {interview: cleaned.pop(self.interview_field(interview), "") for interview in self.interviews}
        cleaned["supporting_interviews"] = [i for i, answer in answers.items() if answer == self.SUPPORTS]
        cleaned["contradicting_interviews"] = [i for i, answer in answers.items() if answer == self.CONTRADICTS]
        return cleaned


def interview_choices(investigation):
    return investigation.interviews.select_related("target_group").order_by("date", "pk")


def interview_label(interview: Interview) -> str:
    parts = [short_date(interview.date), interview.interviewee or _("sans pseudonyme")]
    if interview.target_group:
        parts.append(interview.target_group.name)
    parts.append(str(INTENSITY_SCALE_LABELS[Intensity(interview.intensity)]))
    return " — ".join(str(part) for part in parts)


class InterviewHypothesesForm(Form):
    """From the interview page: for each hypothesis of the investigation, does this interview support it,
    contradict it, or say nothing about it?"""

    autofocus_on_load = False

    CHOICES = [("", _("Sans lien")), ("pour", _("La confirme")), ("contre", _("La contredit"))]

    def __init__(self, *args, interview, hypotheses, **kwargs):
        super().__init__(*args, **kwargs)
        self.hypotheses = list(hypotheses)
        supported = set(interview.supported_hypotheses.values_list("pk", flat=True))
        contradicted = set(interview.contradicted_hypotheses.values_list("pk", flat=True))
        for hypothesis in self.hypotheses:
            name = f"h{hypothesis.pk}"
            self.fields[name] = forms.ChoiceField(
                label=hypothesis.statement, choices=self.CHOICES, required=False, widget=forms.RadioSelect
            )
            self.initial[name] = (
                "pour" if hypothesis.pk in supported else "contre" if hypothesis.pk in contradicted else ""
            )

    def chosen(self, value: str):
        return [h for h in self.hypotheses if self.cleaned_data.get(f"h{h.pk}") == value]


class InsightForm(ModelForm):
    class Meta:
        model = Insight
        fields = ["statement", "interviews", "quotes"]
        labels = {
            "statement": _("Apprentissage"),
            "interviews": _("Entretiens qui l'étayent"),
            "quotes": _("Verbatims qui l'étayent"),
        }
        help_texts = {"statement": _("Ce que les entretiens ont appris, en une ou deux phrases.")}
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
            "interviews": forms.CheckboxSelectMultiple,
            "quotes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, investigation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviews"].queryset = interview_choices(investigation)
        self.fields["interviews"].label_from_instance = interview_label
        self.fields["quotes"].queryset = (
            Quote.objects.filter(interview__investigation=investigation)
            .select_related("interview")
            .order_by("interview__date", "pk")
        )
        self.fields["quotes"].label_from_instance = quote_label

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("interviews") and not cleaned.get("quotes"):
            self.add_error("interviews", _("Un apprentissage s'appuie sur au moins un entretien ou un verbatim."))
        return cleaned


class ImportForm(Form):
    autofocus_on_load = False
    file = forms.FileField(
        label=_("Fichier CSV d'entretiens"),
        help_text=_(
            "UTF-8, séparateur virgule ou point-virgule, 5 Mo au plus. Colonnes : date, interviewee, "
            "target_group, organisation, headcount, sector, channel, intensity, tags, notes, quote, consent."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise ValidationError(size_error())
        name = (upload.name or "").lower()
        content_type = (upload.content_type or "").split(";")[0].strip().lower()
        if not (name.endswith(".csv") or content_type in {"text/csv", "text/plain"}):
            raise ValidationError(_("Seuls les fichiers CSV (.csv) sont acceptés."))
        return upload


class EraseForm(Form):
    """What else to remove when erasing an interviewee on request: words in the quotes, tags naming them."""

    autofocus_on_load = False
    extra_terms = forms.CharField(
        label=_("Autres mots à retirer des verbatims (facultatif)"),
        help_text=_(
            "Un par ligne : prénom, nom, lieu… Le pseudonyme et l'organisation enregistrés sont retirés d'office."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Étiquettes qui désignent la personne (facultatif)"),
        help_text=_("Cochées, elles sont retirées de cet entretien."),
        queryset=Tag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, interview: Interview, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].queryset = interview.tags.order_by("name")
        if not self.fields["tags"].queryset.exists():
            del self.fields["tags"]

    def service_data(self) -> dict:
        return {
            "extra_terms": [line.strip() for line in self.cleaned_data["extra_terms"].splitlines() if line.strip()],
            "tags": list(self.cleaned_data.get("tags", ())),
        }


def quote_label(quote) -> str:
    """A verbatim among an insight's choices, quoted the language's way, with its interview's date (and pseudonym)."""
    values = {"text": quote.text, "date": short_date(quote.interview.date), "who": quote.interview.interviewee}
    if quote.interview.interviewee:
        return gettext("« %(text)s » (%(date)s, %(who)s)") % values
    return gettext("« %(text)s » (%(date)s)") % values
