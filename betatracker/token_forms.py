"""The form of the profile page that creates a personal API token."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import Form


class ApiTokenForm(Form):
    startups = forms.ModelMultipleChoiceField(
        label=_("Startups accessibles (facultatif)"),
        help_text=_(
            "Cochez des startups pour limiter le jeton à leur lecture ; sans choix, il lit tout ce que vous "
            "pouvez lire."
        ),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=100,
        help_text=_("Pour vous rappeler son usage, par exemple « tableau de bord de l'incubateur »."),
        error_messages={
            "required": _("Donnez un nom au jeton."),
            "max_length": _("Le nom du jeton tient en 100 caractères au plus."),
        },
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Donnez un nom au jeton."))
        return name

    can_write = forms.BooleanField(
        label=_("Écriture des mesures d'impact (facultatif)"),
        help_text=_(
            "Cochez pour qu'un programme enregistre les mesures des indicateurs d'impact des startups dont vous "
            "faites partie ; sans cela, le jeton ne fait que lire."
        ),
        required=False,
    )

    field_order = ["name", "startups", "can_write"]

    def __init__(self, *args, user, **kwargs):
        from .services import api_token_readable_startups

        super().__init__(*args, **kwargs)
        self.fields["startups"].queryset = api_token_readable_startups(user)
