import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import forms as forms_base
from core.durations import short_date
from investigations.models import Insight, Interview, Quote
from products.models import Membership, Startup, User

from . import doctrine, rules
from .enums import RECORDABLE_OUTCOMES, Outcome, SessionKind
from .models import CommitteeSession, Condition, Decision, Review
from .selectors import committee_member_candidates
from .services import MAX_SLOT_MINUTES, MIN_SLOT_MINUTES, suggested_next_committee

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


# --- Decisions -----------------------------------------------------------------------------------
class InsightChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.statement


class QuoteChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _("« %(text)s » (entretien du %(date)s)") % {
            "text": obj.text,
            "date": short_date(obj.interview.date),
        }


def interview_label(interview) -> str:
    """An interview as a committee may name it: date, target group, intensity — no name, no organisation."""
    parts = [_("Entretien du %(date)s") % {"date": short_date(interview.date)}]
    if interview.target_group_id:
        parts.append(interview.target_group.name)
    parts.append(_("intensité : %(level)s") % {"level": interview.get_intensity_display().lower()})
    return " — ".join(str(part) for part in parts)


class InterviewChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return interview_label(obj)


class DecisionFieldsForm(forms_base.ServiceModelFormMixin, ModelForm):
    """The decision's own fields, as a decision (`DecisionForm`) and an amendment (`AmendmentForm`) show them."""

    class Meta:
        model = Decision
        fields = ["outcome", "rationale", "budget_eur", "budget_period_start", "budget_period_end", "next_committee_on"]
        labels = {
            "rationale": _("Motivation"),
            "budget_eur": _("Budget accordé (€)"),
            "budget_period_start": _("Période financée : du"),
            "budget_period_end": _("au"),
        }
        widgets = {
            "rationale": forms.Textarea(attrs={"rows": 6}),
            "budget_period_start": date_input(),
            "budget_period_end": date_input(),
            "next_committee_on": date_input(),
        }

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


class DecisionForm(DecisionFieldsForm):
    """Record a decision (no `instance`) or change one of an open session; `decision_record` / `decision_update`
    save it with its conditions (`ConditionFormSet`)."""

    class Meta(DecisionFieldsForm.Meta):
        fields = [*DecisionFieldsForm.Meta.fields, "cited_insights", "cited_quotes", "cited_interviews"]
        help_texts = {"rationale": _("Sur quoi la décision repose : résultats, impact, preuves, points d'attention.")}
        error_messages = {"rationale": {"required": _("La motivation de la décision est obligatoire.")}}
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

    def __init__(self, *args, startup: Startup, on: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(o.value, o.label) for o in RECORDABLE_OUTCOMES]
        self.fields["cited_insights"].queryset = Insight.objects.filter(investigation__startup=startup).order_by("pk")
        self.fields["cited_quotes"].queryset = (
            Quote.objects.filter(interview__investigation__startup=startup)
            .select_related("interview")
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

    @staticmethod
    def initial_for(*, outcome: str | None, on: datetime.date) -> dict:
        """Prefill: the next committee in 6 months (2 after a provisional extension), the budget period to match."""
        initial = {"budget_period_start": on}
        if outcome in {o.value for o in RECORDABLE_OUTCOMES}:
            initial["outcome"] = outcome
        next_committee = suggested_next_committee(outcome=outcome, on=on)
        if next_committee is not None:
            initial["next_committee_on"] = next_committee
            initial["budget_period_end"] = next_committee - datetime.timedelta(days=1)
        return initial

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            **data,
            "cited_insights": list(data["cited_insights"]),
            "cited_quotes": list(data["cited_quotes"]),
            "cited_interviews": list(data["cited_interviews"]),
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
        help_texts = {"outcome": _("Un amendement corrige le relevé : il ne change pas la phase de la startup.")}

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
