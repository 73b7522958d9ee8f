from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "committees"
    verbose_name = _("Comités")

    def ready(self):
        from products.importers.betagouv import register_startup_sync
        from products.importers.betagouv_export import register_committee_events

        from .sync import committee_events_for_export, sync_reviews

        # import_betagouv (products) calls it for each startup, once the startup's phases and events are written.
        register_startup_sync(kind="reviews", label=_("Passages en comité"), sync=sync_reviews, order=20)
        # export_betagouv (products) writes the app's committees as beta.gouv.fr events.
        register_committee_events("committees", committee_events_for_export)
