from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import Form

from .enums import ReminderKind
from .models import ReminderOptOut


class ReminderPreferencesForm(Form):
    """On the profile page: the language of the e-mails and the kinds of reminders the person receives."""

    language = forms.ChoiceField(label=_("Langue des courriels"), choices=settings.LANGUAGES, widget=forms.RadioSelect)
    kinds = forms.MultipleChoiceField(
        label=_("Rappels reçus"),
        help_text=_("Par courriel et dans vos notifications. Décochez ceux que vous ne voulez plus recevoir."),
        choices=ReminderKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        off = set(ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True))
        kinds = [kind for kind in ReminderKind.values if kind not in off]
        kwargs.setdefault("auto_id", "reminder-%s")
        kwargs.setdefault("initial", {"language": user.language, "kinds": kinds})
        super().__init__(*args, **kwargs)
