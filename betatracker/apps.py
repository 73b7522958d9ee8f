from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BetatrackerConfig(AppConfig):
    name = "betatracker"
    verbose_name = _("Accès et intégrations")

    def ready(self):
        from products.admin import CREDENTIAL_REVOKERS

        from .services import api_tokens_revoke_all

        # An account deactivated, or given a password, in the admin (products) loses its API tokens.
        if api_tokens_revoke_all not in CREDENTIAL_REVOKERS:
            CREDENTIAL_REVOKERS.append(api_tokens_revoke_all)
