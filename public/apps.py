from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """Public pages, open without signing in: product sheets and the results of investigations the team
    chose to publish. Reads products and investigations; no app imports it."""

    name = "public"
    verbose_name = _("Pages publiques")

    def ready(self):
        from core import versions

        versions.track_app("public")
