"""The full-text indexes of notes and quotes on the configuration core/search.py now queries
(`french_unaccent`: French stemming, accents ignored), PostgreSQL only. They match the expression
SearchVector(field, config="french_unaccent") compiles to."""

from django.db import migrations

INDEXES = [
    ("investigations_interview_notes_fts", "investigations_interview", "notes"),
    ("investigations_quote_text_fts", "investigations_quote", "text"),
]


def _create(schema_editor, config):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(
            f"CREATE INDEX {name} ON {table} USING gin (to_tsvector('{config}'::regconfig, COALESCE({column}, '')))"
        )


def forwards(apps, schema_editor):
    _create(schema_editor, "french_unaccent")


def backwards(apps, schema_editor):
    _create(schema_editor, "french")


class Migration(migrations.Migration):
    dependencies = [
        ("investigations", "0012_interview_import"),
        ("products", "0009_search_configuration"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
