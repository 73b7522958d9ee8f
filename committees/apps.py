from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "committees"
    verbose_name = _("Comités")

    def ready(self):
        from core import versions
        from products import perms as product_perms
        from products.impact import grant_source_register
        from products.importers.betagouv import register_startup_sync
        from products.importers.betagouv_export import register_committee_events

        from . import perms
        from .grants import decision_grants
        from .sync import committee_events_for_export, sync_reviews

        # Cached reads about a startup are renewed by every write to its reviews and decisions (core.versions); the
        # network view's figures by decisions and sessions.
        versions.track_app("committees", topics={"Decision": ("network",), "CommitteeSession": ("network",)})
        # Sitting on a session gives the COMMITTEE role on the startups of its agenda (products.perms).
        product_perms.role_register(
            product_perms.COMMITTEE, holds=perms.sits_on_a_session_of, startup_ids=perms.startups_on_the_agenda_of
        )

        # import_betagouv (products) calls it for each startup, once the startup's phases and events are written.
        register_startup_sync(kind="reviews", label=_("Passages en comité"), sync=sync_reviews, order=20)
        # export_betagouv (products) writes the app's committees as beta.gouv.fr events.
        register_committee_events("committees", committee_events_for_export)

        # The budgets granted by decisions, for the impact and money of a startup (products.impact).
        grant_source_register(decision_grants)
