from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BetatrackerConfig(AppConfig):
    name = "betatracker"
    verbose_name = _("Accès et intégrations")
