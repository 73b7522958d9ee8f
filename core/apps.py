from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        from . import converters, search

        converters.register()
        connection_created.connect(search.register_sqlite_functions, dispatch_uid="core.search.sqlite_functions")
