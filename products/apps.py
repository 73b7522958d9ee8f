from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "products"
    verbose_name = _("Portefeuille")

    def ready(self):
        from core import versions

        # Cached reads about a startup are renewed by every write to its rows (core.versions); the network view's
        # figures by its phases, its incubators and the money spent.
        versions.track_app(
            "products",
            topics={
                "Startup": ("network", "teams"),
                "Phase": ("network",),
                "Spending": ("network",),
                "Membership": ("teams",),
            },
        )
