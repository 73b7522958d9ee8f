from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """Reminders by e-mail and in-app notifications. Reads products, investigations, committees and the
    dashboard's alerts: it sits at the top, and none of them imports it."""

    name = "reminders"
    verbose_name = _("Rappels et notifications")
