from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
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
