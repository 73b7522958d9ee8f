"""The table of Django's database cache (settings.CACHES, when REDIS_URL is not set), created by `migrate` so
that a deployment needs no extra `createcachetable` step."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(settings.CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("betatracker", "0003_login_attempt_kinds_api_token_expiry_and_scope")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
