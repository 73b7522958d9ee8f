from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
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

    field_order = ["name", "startups"]

    def __init__(self, *args, user, **kwargs):
        from .services import api_token_readable_startups

        super().__init__(*args, **kwargs)
        self.fields["startups"].queryset = api_token_readable_startups(user)


def service_error_show(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the fields of `form` it names, else at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


def submitted(request, form, action) -> bool:
    """True once `form`, POSTed and valid, has gone through `action(form.cleaned_data)` — a service call,
    whose result is then `form.outcome`. A GET, an invalid form or a ValidationError from the service (shown
    on the form: its own `add_service_error` if it has one, else `service_error_show`) give False: the view
    renders the form again.

        if submitted(request, form, lambda data: services.investigation_update(investigation=…, **data)):
            messages.success(…)
            return redirect(…)
    """
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        form.outcome = action(form.cleaned_data)
    except ValidationError as error:
        if hasattr(form, "add_service_error"):
            form.add_service_error(error)
        else:
            service_error_show(form, error)
        return False
    return True
