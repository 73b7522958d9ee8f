"""A decision's "sans preuve citée" reason. SQLite adds the column by rebuilding the table, which its triggers
(migration 0007) would name while the table is renamed: they are dropped before and created again after."""

import importlib

from django.db import migrations, models

triggers = importlib.import_module("committees.migrations.0007_decision_startup_is_review_startup")


def _sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


FIELD = dict(
    blank=True,
    help_text="Pourquoi le comité décide sans citer d'apprentissage, de verbatim ni d'entretien.",
    verbose_name="motif de la décision sans preuve citée",
)


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0008_history_of_sessions_reviews"),
    ]

    operations = [
        migrations.RunPython(_sqlite(triggers.SQLITE_BACKWARD), _sqlite(triggers.SQLITE_FORWARD)),
        migrations.AddField(model_name="decision", name="no_evidence_reason", field=models.TextField(**FIELD)),
        migrations.AddField(
            model_name="historicaldecision", name="no_evidence_reason", field=models.TextField(**FIELD)
        ),
        migrations.RunPython(_sqlite(triggers.SQLITE_FORWARD), _sqlite(triggers.SQLITE_BACKWARD)),
    ]
