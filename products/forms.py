from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import Form

from .enums import PhaseName
from .models import Incubator, StartupQuerySet


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
