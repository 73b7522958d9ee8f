"""A decision's go / stop checklist. As in 0009, SQLite rebuilds the table to add the column: the triggers of
migration 0007 are dropped before and created again after."""

import importlib

from django.db import migrations, models

triggers = importlib.import_module("committees.migrations.0007_decision_startup_is_review_startup")
sqlite = importlib.import_module("committees.migrations.0009_decision_no_evidence_reason")._sqlite

FIELD = dict(
    blank=True,
    default=list,
    help_text="Chaque critère : la réponse pré-remplie et sa source, la réponse du comité et son motif.",
    verbose_name="grille go / stop",
)


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0011_post_mortem"),
    ]

    operations = [
        migrations.RunPython(sqlite(triggers.SQLITE_BACKWARD), sqlite(triggers.SQLITE_FORWARD)),
        migrations.AddField(model_name="decision", name="checklist", field=models.JSONField(**FIELD)),
        migrations.AddField(model_name="historicaldecision", name="checklist", field=models.JSONField(**FIELD)),
        migrations.RunPython(sqlite(triggers.SQLITE_FORWARD), sqlite(triggers.SQLITE_BACKWARD)),
    ]
