import datetime
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import forms as forms_base
from core.durations import short_date
from investigations.models import Insight, Interview, Quote
from products.models import Membership, Startup, User

from . import doctrine, documents, rules
from .enums import RECORDABLE_OUTCOMES, Outcome, SessionKind
from .models import CommitteeSession, Condition, Decision, Review
from .selectors import committee_member_candidates, interview_source, interviewee_name
from .services import (
    AMENDABLE_FIELDS,
    CARRIED_OVER,
    MAX_SLOT_MINUTES,
    MET,
    MIN_SLOT_MINUTES,
    NOT_MET,
    suggested_next_committee,
)

date_input = forms_base.date_input


class Form(forms_base.Form):
    field_marks = "optional"


class ModelForm(forms_base.ModelForm):
    field_marks = "optional"


# --- Sessions ------------------------------------------------------------------------------------
def _members_field():
    return forms.ModelMultipleChoiceField(
        label=_("Membres du comité"),
        queryset=User.objects.none(),
        required=False,
        help_text=_(
            "Les membres enregistrent les décisions de la séance et lisent la synthèse des startups à son ordre "
            "du jour (Ctrl ou ⌘ pour en choisir plusieurs). Sont proposés l'équipe de l'incubateur, les personnes "
            "qui ont un rôle sur l'une de ses startups et celles qui ont déjà siégé à l'un de ses comités."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class SessionForm(ModelForm):
    """A new session (with its members), or the date, kind and first slot of an existing one."""

    members = _members_field()

    class Meta:
        model = CommitteeSession
        fields = ["date", "kind", "incubator", "first_slot_at", "members"]
        widgets = {
            "date": date_input(),
            "first_slot_at": forms_base.time_input(),
        }
        help_texts = {
            "first_slot_at": _(
                "Les passages s'enchaînent ensuite dans l'ordre du jour (50 minutes chacun par défaut)."
            ),
        }

    def __init__(self, *args, incubators=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["incubator"]
            del self.fields["members"]  # changed on their own page, by those who compose the session
        else:
            self.fields["incubator"].queryset = incubators
            if incubators is not None and len(incubators) == 1:
                self.fields["incubator"].initial = incubators[0].pk
            self.fields["members"].queryset = committee_member_candidates(incubators if incubators is not None else [])
        self.fields["kind"].choices = list(SessionKind.choices)

    def clean(self):
        cleaned = super().clean()
        incubator, members = cleaned.get("incubator"), cleaned.get("members")
        if incubator is not None and members:
            allowed = set(committee_member_candidates(incubator).values_list("pk", flat=True))
            strangers = [member for member in members if member.pk not in allowed]
            if strangers:
                self.add_error(
                    "members",
                    _("%(people)s ne peut pas siéger à un comité de « %(incubator)s ».")
                    % {"people": ", ".join(str(person) for person in strangers), "incubator": incubator},
                )
        return cleaned


class SessionMembersForm(forms_base.ServiceModelFormMixin, ModelForm):
    """Who sits on a session (`instance`): chosen among `committee_member_candidates` of its incubator;
    `session_members_set` saves them."""

    members = _members_field()

    class Meta:
        model = CommitteeSession
        fields = ["members"]

    def __init__(self, *args, instance: CommitteeSession, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["members"].queryset = committee_member_candidates(instance.incubator)


class AgendaItemForm(Form):
    startup = forms.ModelChoiceField(label=_("Startup"), queryset=Startup.objects.none(), required=False)
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"),
        min_value=MIN_SLOT_MINUTES,
        max_value=MAX_SLOT_MINUTES,
        initial=doctrine.SLOT_MINUTES,
        required=False,
    )

    def __init__(self, *args, startups=None, startup_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["startup"].queryset = startups if startups is not None else Startup.objects.none()
        if startup_choices is not None:
            self.fields["startup"].choices = startup_choices


class BaseAgendaFormSet(forms.BaseFormSet):
    _startup_choices = None

    def get_form_kwargs(self, index):
        """The startups' choices are read once for the whole agenda, not once per row."""
        kwargs = super().get_form_kwargs(index)
        if kwargs.get("startups") is not None:
            if self._startup_choices is None:
                self._startup_choices = list(forms.ModelChoiceField(kwargs["startups"], required=False).choices)
            kwargs["startup_choices"] = self._startup_choices
        return kwargs

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            startup = form.cleaned_data.get("startup")
            if startup is None:
                continue
            if startup.pk in seen:
                raise forms.ValidationError(
                    _("« %(startup)s » figure deux fois à l'ordre du jour.") % {"startup": startup}
                )
            seen.add(startup.pk)

    def items(self) -> list[tuple[Startup, int]]:
        """(startup, minutes) in the order given by the "Ordre" column, blank rows and removed ones left out."""
        return [
            (form.cleaned_data["startup"], form.cleaned_data.get("duration_minutes") or doctrine.SLOT_MINUTES)
            for form in self.ordered_forms
            if form.cleaned_data.get("startup") is not None
        ]


AgendaFormSet = forms.formset_factory(
    AgendaItemForm, formset=BaseAgendaFormSet, extra=3, can_order=True, can_delete=True, max_num=40
)


# --- The team's request --------------------------------------------------------------------------
class ReviewRequestForm(ModelForm):
    class Meta:
        model = Review
        fields = ["requested_team", "requested_budget_eur", "hypotheses_to_test", "success_criteria"]
        widgets = {
            "requested_team": forms.Textarea(attrs={"rows": 3}),
            "hypotheses_to_test": forms.Textarea(attrs={"rows": 4}),
            "success_criteria": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "requested_team": _("Les profils et le temps demandés pour la prochaine période."),
            "requested_budget_eur": _("En euros, pour la prochaine période (en général 6 mois)."),
            "success_criteria": _("Ce que l'équipe s'engage à mesurer dans 6 mois."),
        }

    def __init__(self, *args, indicators=(), targets=None, **kwargs):
        """`indicators`: the startup's, each offered as a success criterion (a target for the next period);
        `targets`: {indicator id: value} already stated."""
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        targets = targets or {}
        for indicator in self.indicators:
            self.fields[f"target_{indicator.pk}"] = forms.DecimalField(
                label=_("Objectif pour « %(name)s » (%(unit)s)") % {"name": indicator.name, "unit": indicator.unit},
                required=False,
                max_digits=18,
                decimal_places=4,
                initial=targets.get(indicator.pk),
                help_text=_("La valeur à atteindre à la fin de la prochaine période ; vide : pas d'objectif."),
            )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["targets"] = {indicator: data.pop(f"target_{indicator.pk}") for indicator in self.indicators}
        return data


class DecisionChecklistForm(Form):
    """The go / stop checklist: per line, the answer (pre-filled from the data) and the reason to change it."""

    def __init__(self, *args, lines=(), stored=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .checklist import ANSWERS

        self.lines = list(lines)
        stored = {entry["key"]: entry for entry in stored or []}
        for line in self.lines:
            kept = stored.get(line.key, {})
            self.fields[f"answer_{line.key}"] = forms.ChoiceField(
                label=line.label,
                choices=list(ANSWERS.items()),
                widget=forms.RadioSelect,
                initial=kept.get("answer", line.status),
                help_text=_("Pré-rempli : %(answer)s — %(detail)s (source : %(source)s)")
                % {"answer": line.status_label, "detail": line.detail, "source": line.source},
            )
            self.fields[f"reason_{line.key}"] = forms.CharField(
                label=_("Motif si vous changez la réponse pré-remplie"),
                required=False,
                max_length=500,
                initial=kept.get("reason", ""),
            )

    def answers(self) -> dict:
        return {
            line.key: (self.cleaned_data[f"answer_{line.key}"], self.cleaned_data[f"reason_{line.key}"])
            for line in self.lines
        }


class DocumentForm(Form):
    """A document for a review: the file (its size and type are checked by services.document_attach) and a title."""

    file = forms.FileField(label=_("Fichier"))
    title = forms.CharField(
        label=_("Titre"),
        max_length=200,
        required=False,
        help_text=_("Par exemple « Support de présentation » ; sans titre, le nom du fichier est affiché."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(max)s au plus. Types acceptés : %(types)s.") % {
            "max": documents.max_size_label(),
            "types": documents.accepted_types_label(),
        }
        self.fields["file"].widget.attrs["accept"] = documents.accept_attribute()


# --- Decisions -----------------------------------------------------------------------------------
def interview_facts(interview, when: str) -> str:
    """An interview as a committee may name it: `when` (its date), target group, intensity — no organisation."""
    parts = [when]
    if interview.target_group_id:
        parts.append(interview.target_group.name)
    parts.append(_("intensité : %(level)s") % {"level": interview.get_intensity_display().lower()})
    return " — ".join(str(part) for part in parts)


def interview_label(interview) -> str:
    return interview_facts(interview, _("Entretien du %(date)s") % {"date": short_date(interview.date)})


class InsightChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.statement

    @staticmethod
    def source_of(obj) -> str:
        support = getattr(obj, "support", None)
        started = _("investigation du %(date)s") % {"date": short_date(obj.investigation.started_on)}
        if support is None:
            return str(started)
        return f"{started} — " + ngettext("étayé par %(n)d entretien", "étayé par %(n)d entretiens", support) % {
            "n": support
        }


class QuoteChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        if obj.is_withdrawn:
            return str(_("Verbatim retiré (consentement retiré)"))
        return _("« %(text)s »") % {"text": obj.text}

    @staticmethod
    def source_of(obj) -> str:
        return interview_source(obj.interview)


class InterviewChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _("Entretien avec %(who)s") % {"who": interviewee_name(obj)}

    @staticmethod
    def source_of(obj) -> str:
        return interview_facts(obj, _("le %(date)s") % {"date": short_date(obj.date)})


def _folded(text: str) -> str:
    """Lower case, without accents: "Écoute" matches "ecoute"."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def matches(query: str, *texts) -> bool:
    """Every word of `query` appears in one of `texts` (case and accents ignored); an empty query matches all."""
    haystack = " ".join(_folded(text) for text in texts)
    return all(word in haystack for word in _folded(query).split())


OUTCOME_REQUIRED = _("Choisissez la décision du comité : aucune n'est cochée d'avance.")
NO_EVIDENCE_HELP = _(
    "Obligatoire quand la décision ne cite aucun apprentissage, verbatim ni entretien : pourquoi le comité décide "
    "sans preuve citée. Ce motif figure dans la décision et dans le relevé."
)


class DecisionFieldsForm(forms_base.ServiceModelFormMixin, ModelForm):
    """The decision's own fields, as a decision (`DecisionForm`) and an amendment (`AmendmentForm`) show them.
    The outcome is a radio group with nothing checked until the member chooses."""

    class Meta:
        model = Decision
        fields = list(AMENDABLE_FIELDS)
        labels = {
            "outcome": _("Décision"),
            "rationale": _("Motivation"),
            "budget_eur": _("Budget accordé (€)"),
            "budget_period_start": _("Période financée : du"),
            "budget_period_end": _("au"),
            "no_evidence_reason": _("Motif de la décision sans preuve citée"),
        }
        help_texts = {"no_evidence_reason": NO_EVIDENCE_HELP}
        error_messages = {"outcome": {"required": OUTCOME_REQUIRED}}
        widgets = {
            "outcome": forms.RadioSelect,
            "no_evidence_reason": forms.Textarea(attrs={"rows": 3}),
            "rationale": forms.Textarea(attrs={"rows": 6}),
            "budget_period_start": date_input(),
            "budget_period_end": date_input(),
            "next_committee_on": date_input(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].error_messages["required"] = OUTCOME_REQUIRED

    def clean(self):
        cleaned = super().clean()
        # The decision's budget rule, shown on the field it concerns; checked here, the model's own constraint on
        # the period never reports the same fault a second time.
        try:
            rules.budget_is_consistent(
                cleaned.get("budget_eur"), cleaned.get("budget_period_start"), cleaned.get("budget_period_end")
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


FOLLOW_UP_CHOICES = [
    ("", _("Pas examinée")),
    (MET, _("Tenue")),
    (NOT_MET, _("Non tenue")),
    (CARRIED_OVER, _("Reportée au prochain comité")),
]
EVIDENCE_FIELDS = ("cited_insights", "cited_quotes", "cited_interviews")


class DecisionForm(DecisionFieldsForm):
    """Record a decision (no `instance`) or change one of an open session; `decision_record` / `decision_update`
    save it with its conditions (`ConditionFormSet`).

    The evidence picker (`evidence_groups`): insights, quotes and interviews of the startup, each with its source,
    narrowed to those matching `evidence_filter` (the ones already ticked always stay). The startup's earlier
    open conditions (`open_conditions`, overdue first) each get a follow-up: met, not met, carried over."""

    without_evidence = forms.BooleanField(
        label=_("Décision sans preuve citée"),
        required=False,
        help_text=_("À cocher si le comité décide sans citer de preuve ; indiquez alors pourquoi."),
    )

    class Meta(DecisionFieldsForm.Meta):
        fields = [*DecisionFieldsForm.Meta.fields, *EVIDENCE_FIELDS]
        help_texts = {
            "rationale": _("Sur quoi la décision repose : résultats, impact, preuves, points d'attention."),
            "no_evidence_reason": _("Pourquoi le comité décide sans preuve citée. Il figure dans le relevé."),
        }
        error_messages = {
            **DecisionFieldsForm.Meta.error_messages,
            "rationale": {"required": _("La motivation de la décision est obligatoire.")},
        }
        widgets = {
            **DecisionFieldsForm.Meta.widgets,
            "cited_insights": forms.CheckboxSelectMultiple,
            "cited_quotes": forms.CheckboxSelectMultiple,
            "cited_interviews": forms.CheckboxSelectMultiple,
        }
        field_classes = {
            "cited_insights": InsightChoiceField,
            "cited_quotes": QuoteChoiceField,
            "cited_interviews": InterviewChoiceField,
        }

    def __init__(
        self,
        *args,
        startup: Startup,
        on: datetime.date,
        open_conditions=(),
        evidence_filter: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.evidence_filter = (evidence_filter or "").strip()
        self.today = timezone.localdate()
        self.fields["outcome"].choices = [(o.value, o.label) for o in RECORDABLE_OUTCOMES]
        if self.instance.pk and self.instance.no_evidence_reason:
            self.initial.setdefault("without_evidence", True)
        self.fields["cited_insights"].queryset = (
            Insight.objects.filter(investigation__startup=startup)
            .select_related("investigation")
            .annotate(support=Count("interviews", distinct=True))
            .order_by("pk")
        )
        self.fields["cited_quotes"].queryset = (
            Quote.objects.filter(interview__investigation__startup=startup)
            .select_related("interview__target_group")
            .order_by("interview__date", "pk")
        )
        self.fields["cited_interviews"].queryset = (
            Interview.objects.filter(investigation__startup=startup)
            .select_related("target_group")
            .order_by("date", "pk")
        )
        six = suggested_next_committee(outcome=None, on=on)
        two = suggested_next_committee(outcome=Outcome.PROLONGATION_PROVISOIRE, on=on)
        self.fields["next_committee_on"].help_text = _(
            "Suggestion : le %(six)s (6 mois) ; le %(two)s (2 mois) pour une prolongation provisoire. "
            "Ignoré pour un arrêt ou une investigation non concluante."
        ) % {"six": short_date(six), "two": short_date(two)}
        self.fields["budget_period_start"].help_text = _(
            "Seulement avec un budget accordé. Par exemple du %(start)s au %(end)s."
        ) % {"start": short_date(on), "end": short_date(six - datetime.timedelta(days=1))}
        self.open_conditions = sorted(open_conditions, key=lambda c: (not c.is_overdue(self.today), c.due_on, c.pk))
        for condition in self.open_conditions:
            overdue = _(" — en retard") if condition.is_overdue(self.today) else ""
            self.fields[f"follow_up_{condition.pk}"] = forms.ChoiceField(
                label=condition.text,
                choices=FOLLOW_UP_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                help_text=_(
                    "Échéance : %(due)s%(overdue)s ; fixée par la décision du %(date)s ; responsable : %(owner)s."
                )
                % {
                    "due": short_date(condition.due_on),
                    "overdue": overdue,
                    "date": short_date(condition.decision.date),
                    "owner": condition.owner or "—",
                },
            )
            self.fields[f"follow_up_{condition.pk}_note"] = forms.CharField(
                label=_("Note de suivi"),
                required=False,
                help_text=_("Ce que le comité a constaté. Sans note, la condition indique la date du comité."),
            )

    @staticmethod
    def initial_for(*, outcome: str | None, on: datetime.date) -> dict:
        """Prefill the next committee in 6 months (2 after a provisional extension). Nothing else: the outcome is
        the member's choice, and a budget period comes only with the budget the member enters."""
        next_committee = suggested_next_committee(outcome=outcome, on=on)
        return {"next_committee_on": next_committee} if next_committee is not None else {}

    # --- The evidence picker
    def evidence_groups(self) -> list[dict]:
        """Insights, quotes, interviews: for each, its field, title and the choices to show (label, source,
        checkbox); only those matching the filter, plus those already ticked. `open` when the filter is in use
        or a choice of the group is ticked."""
        titles = {
            "cited_insights": (_("Apprentissages"), _("Aucun apprentissage dans les investigations de cette startup.")),
            "cited_quotes": (_("Verbatims"), _("Aucun verbatim dans les investigations de cette startup.")),
            "cited_interviews": (_("Entretiens"), _("Aucun entretien dans les investigations de cette startup.")),
        }
        groups = []
        for name in EVIDENCE_FIELDS:
            bound = self[name]
            field = self.fields[name]
            choices, total, ticked = [], 0, 0
            for widget in bound.subwidgets:
                obj = getattr(widget.data["value"], "instance", None)
                if obj is None:
                    continue
                total += 1
                label, source = str(widget.choice_label), field.source_of(obj)
                selected = widget.data["selected"]
                ticked += selected
                if selected or matches(self.evidence_filter, label, source):
                    choices.append({"widget": widget, "label": label, "source": source, "selected": selected})
            title, empty = titles[name]
            groups.append(
                {
                    "field": bound,
                    "title": title,
                    "empty_text": empty,
                    "choices": choices,
                    "total": total,
                    "ticked": ticked,
                    "shown": len(choices),
                    "open": bool(ticked or (self.evidence_filter and choices)),
                }
            )
        return groups

    def follow_ups(self) -> list[dict]:
        """The open conditions, each with its two fields, for the template."""
        return [
            {
                "condition": condition,
                "overdue": condition.is_overdue(self.today),
                "result": self[f"follow_up_{condition.pk}"],
                "note": self[f"follow_up_{condition.pk}_note"],
            }
            for condition in self.open_conditions
        ]

    def silence(self) -> None:
        """Re-render the entered values without validating them (the evidence filter was used)."""
        self._errors = ErrorDict()
        self.cleaned_data = {}

    def clean(self):
        cleaned = super().clean()
        reason = (cleaned.get("no_evidence_reason") or "").strip()
        if cleaned.get("without_evidence") and not reason:
            self.add_error(
                "no_evidence_reason",
                _("Vous avez coché « Décision sans preuve citée » : indiquez pourquoi le comité décide sans preuve."),
            )
        if not cleaned.get("without_evidence"):
            cleaned["no_evidence_reason"] = ""
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        own = {name: data[name] for name in DecisionFieldsForm.Meta.fields}
        return {
            **own,
            "cited_insights": list(data["cited_insights"]),
            "cited_quotes": list(data["cited_quotes"]),
            "cited_interviews": list(data["cited_interviews"]),
            "condition_follow_ups": [
                {
                    "condition": condition,
                    "result": data.get(f"follow_up_{condition.pk}") or "",
                    "note": data.get(f"follow_up_{condition.pk}_note") or "",
                }
                for condition in self.open_conditions
                if data.get(f"follow_up_{condition.pk}")
            ],
        }


class ConditionForm(forms_base.ServiceModelFormMixin, ModelForm):
    """One condition of a decision, saved with it by the decision services; a blank row is left out
    (`BaseConditionFormSet.conditions`)."""

    class Meta:
        model = Condition
        fields = ["text", "due_on", "owner"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "due_on": date_input()}

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = self.fields["due_on"].required = False  # a blank row, see clean()
        self.fields["owner"].empty_label = _("— Aucun —")
        self.fields["owner"].queryset = User.objects.filter(
            pk__in=Membership.objects.current().filter(startup=startup).values("user_id")
        ).order_by("full_name")

    def clean(self):
        cleaned = super().clean()
        text, due_on = (cleaned.get("text") or "").strip(), cleaned.get("due_on")
        if text and not due_on and "due_on" not in self.errors:
            self.add_error("due_on", _("Indiquez l'échéance de cette condition."))
        if due_on and not text:
            self.add_error("text", _("Indiquez le texte de cette condition."))
        return cleaned


class BaseConditionFormSet(forms.BaseFormSet):
    def conditions(self) -> list[dict]:
        return [
            {key: form.cleaned_data[key] for key in ("text", "due_on", "owner")}
            for form in self.forms
            if (form.cleaned_data.get("text") or "").strip()
        ]


ConditionFormSet = forms.formset_factory(ConditionForm, formset=BaseConditionFormSet, extra=3, max_num=20)
AmendmentConditionFormSet = forms.formset_factory(ConditionForm, formset=BaseConditionFormSet, extra=2, max_num=20)


class AmendmentForm(DecisionFieldsForm):
    """A correction to a decision (`instance`) of a closed session: its reason, then the decision's fields as they
    should read; `decision_amend` records what changed."""

    reason = forms.CharField(
        label=_("Motif de l'amendement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pourquoi le relevé doit être corrigé. Le motif, l'auteur et chaque changement restent visibles."),
        error_messages={"required": _("Indiquez le motif de l'amendement.")},
    )

    class Meta(DecisionFieldsForm.Meta):
        fields = ["reason", *DecisionFieldsForm.Meta.fields]
        help_texts = {
            "outcome": _("Un amendement corrige le relevé : il ne change pas la phase de la startup."),
            "no_evidence_reason": NO_EVIDENCE_HELP,
        }

    def __init__(self, *args, instance: Decision, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        choices = [(o.value, o.label) for o in RECORDABLE_OUTCOMES]
        if instance.outcome == Outcome.NON_RENSEIGNE:
            choices.insert(0, (Outcome.NON_RENSEIGNE.value, Outcome.NON_RENSEIGNE.label))
        self.fields["outcome"].choices = choices

    def changes(self) -> dict:
        data = self.cleaned_data
        return {field: data[field] for field in self.fields if field != "reason"}


class ConditionResolveForm(Form):
    MET, NOT_MET = "met", "not_met"
    result = forms.ChoiceField(
        label=_("La condition est-elle tenue ?"),
        choices=[(MET, _("Tenue")), (NOT_MET, _("Non tenue"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Ajoutez une note qui explique si et comment la condition est tenue.")},
    )


class PostMortemForm(Form):
    field_marks = "required"
    why = forms.CharField(
        label=_("Pourquoi la startup s'arrête"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    learnt = forms.CharField(label=_("Ce qui a été appris"), widget=forms.Textarea(attrs={"rows": 4}))
    reused = forms.CharField(
        label=_("Ce qui est réutilisé"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Composants, apprentissages, contacts repris par une autre équipe ou une administration."),
    )
    code_and_data = forms.CharField(
        label=_("Où vont le code et les données"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dépôt archivé, administration qui reprend le service, données supprimées ou transmises."),
    )

    def __init__(self, *args, transfer=False, **kwargs):
        super().__init__(*args, **kwargs)
        if transfer:
            self.fields["why"].label = _("Pourquoi la startup est transférée")
