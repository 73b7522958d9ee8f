from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestigationsConfig(AppConfig):
    name = "investigations"
    verbose_name = _("Investigations")

    def ready(self):
        from core import versions
        from products.importers.betagouv import register_startup_sync

        # Cached reads about a startup are renewed by every write to its investigations (core.versions); the log of
        # who read personal data, the import jobs (the import renews its startup itself) and the shared tag
        # vocabulary change nothing a page shows.
        versions.track_app("investigations", ignore={"PersonalDataLog", "InterviewImport", "Tag"})

        from .sync import sync_investigation

        # import_betagouv (products) calls it for each startup, once the startup's phases and events are written.
        register_startup_sync(kind="investigations", label=_("Investigations"), sync=sync_investigation, order=10)
