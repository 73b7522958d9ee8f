from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import Form, ModelForm, ServiceModelFormMixin, date_input

from .enums import PhaseName
from .models import (
    Incubator,
    Indicator,
    IndicatorTarget,
    Invitation,
    Measurement,
    Membership,
    Spending,
    StartupQuerySet,
    User,
)


class IncubatorChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        # PostgreSQL refuses NUL characters in a query: such a value is just not an incubator.
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class StartupFilterForm(Form):
    """The portfolio's filters, read from the query string (GET) so that a filtered list has a URL."""

    q = forms.CharField(
        label=_("Rechercher une startup"),
        help_text=_("Tout ou partie du nom"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    phase = forms.ChoiceField(
        label=_("Phase actuelle"),
        required=False,
        choices=[("", _("Toutes les phases")), *PhaseName.choices],
    )
    incubator = IncubatorChoiceField(
        label=_("Incubateur"),
        required=False,
        queryset=Incubator.objects.order_by("title"),
        to_field_name="slug",
        empty_label=_("Tous les incubateurs"),
        error_messages={"invalid_choice": _("Cet incubateur n'existe pas : choisissez-en un dans la liste.")},
    )

    def filter(self, startups: StartupQuerySet) -> StartupQuerySet:
        """Apply every filter that holds a valid value; an invalid one is ignored (and reported by the form)."""
        self.is_valid()
        data = self.cleaned_data
        if data.get("phase"):
            startups = startups.in_phase(data["phase"])
        if data.get("incubator"):
            startups = startups.of_incubator(data["incubator"])
        if data.get("q"):
            startups = startups.search(data["q"])
        return startups

    @property
    def is_filtering(self) -> bool:
        return any(self.cleaned_data.get(name) for name in ("q", "phase", "incubator"))


class _TeamForm(ModelForm):
    """Role, time share and dates of a person on the team, dates typed as dates."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start", "end"):
            if name in self.fields:
                self.fields[name].widget = date_input()


class MembershipForm(_TeamForm):
    class Meta:
        model = Membership
        fields = ["role", "time_share", "start", "end"]


class MembershipAddForm(_TeamForm):
    """Put a person who already has an account on the team, by their e-mail address."""

    email = forms.EmailField(
        label=_("Adresse électronique"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )

    class Meta:
        model = Membership
        fields = ["email", "role", "time_share", "start"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        self.person = User.objects.filter(email__iexact=email, is_active=True).first()
        if self.person is None:
            raise ValidationError(_("Aucun compte n'a cette adresse : invitez plutôt cette personne par e-mail."))
        return email


class InvitationForm(_TeamForm):
    class Meta:
        model = Invitation
        fields = ["email", "role", "time_share", "start"]
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "off"})}


class MembershipEndForm(Form):
    on = forms.DateField(label=_("Date de fin"), widget=date_input())


class InvitationSignUpForm(Form):
    """Create the account of an invited person, with the invited address."""

    full_name = forms.CharField(
        label=_("Nom complet"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label=_("Mot de passe"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        from django.contrib.auth.password_validation import validate_password

        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        elif password1:
            try:
                validate_password(password1, User(email=self.email, full_name=cleaned.get("full_name", "")))
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


# --- Impact and money ---------------------------------------------------------------------------------
class _DatesForm(ServiceModelFormMixin, ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = date_input()


class IndicatorForm(_DatesForm):
    class Meta:
        model = Indicator
        fields = ["name", "unit", "direction", "kind", "is_north_star"]
        widgets = {"direction": forms.RadioSelect, "kind": forms.RadioSelect}


class _ForIndicatorForm(_DatesForm):
    """A form about one of the startup's indicators, chosen in a list, with a value typed as freely as the
    indicator needs (any number of decimals)."""

    def __init__(self, *args, startup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(startup=startup)
        self.fields["indicator"].empty_label = None
        self.fields["value"].widget.attrs["step"] = "any"


class MeasurementForm(_ForIndicatorForm):
    class Meta:
        model = Measurement
        fields = ["indicator", "date", "value"]


class IndicatorTargetForm(_ForIndicatorForm):
    class Meta:
        model = IndicatorTarget
        fields = ["indicator", "period_start", "period_end", "value"]


class SpendingForm(_DatesForm):
    class Meta:
        model = Spending
        fields = ["period_start", "period_end", "amount_eur", "nature", "comment"]


class MeasurementImportForm(Form):
    file = forms.FileField(
        label=_("Fichier CSV des mesures"),
        help_text=_("Colonnes date, indicator, value (ou date, indicateur, valeur) ; une ligne par mesure."),
    )
