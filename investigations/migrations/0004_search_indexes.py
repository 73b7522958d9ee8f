"""Full-text search indexes for notes and quotes (French configuration), PostgreSQL only.

The expressions match what `investigations.selectors.search` asks for
(SearchVector(field, config="french") compiles to to_tsvector('french'::regconfig, COALESCE(field, ''))),
so PostgreSQL can use them. SQLite has no such index: its search is a plain `icontains`.
"""

from django.db import migrations

INDEXES = [
    ("investigations_interview_notes_fts", "investigations_interview", "notes"),
    ("investigations_quote_text_fts", "investigations_quote", "text"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (to_tsvector('french'::regconfig, COALESCE({column}, '')))"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("investigations", "0003_quote_anonymised_personal_data_log")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
