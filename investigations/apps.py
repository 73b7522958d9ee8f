from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestigationsConfig(AppConfig):
    name = "investigations"
    verbose_name = _("Investigations")

    def ready(self):
        from products.importers.betagouv import register_startup_sync

        from .sync import sync_investigation

        # import_betagouv (products) calls it for each startup, once the startup's phases and events are written.
        register_startup_sync(kind="investigations", label=_("Investigations"), sync=sync_investigation, order=10)
