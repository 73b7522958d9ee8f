from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "portfolio"

    def ready(self):
        from core import versions

        from . import watch

        # The "à surveiller" flags follow every write about a startup (portfolio.watch).
        versions.listen(watch.startups_changed)
        from committees.selectors import post_mortem_panel
        from committees.selectors import startup_panel as committee_panel
        from investigations.selectors import startup_panel as investigation_panel
        from products.impact_report import startup_panel as impact_panel
        from products.views import STARTUP_PANELS

        from .selectors import startup_alerts_panel

        # The sections of the startup page (products), in order: alerts, investigation, committees, the post-mortem of
        # its ending, impact.
        STARTUP_PANELS[:] = [
            startup_alerts_panel,
            investigation_panel,
            committee_panel,
            post_mortem_panel,
            impact_panel,
        ]
