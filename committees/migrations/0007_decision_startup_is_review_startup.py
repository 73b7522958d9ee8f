"""A decision's startup is its review's: Decision.startup is a copy the dashboard filters on, so the database
keeps it equal to the review's startup with triggers (Django cannot express a check across two tables).
SQLite and PostgreSQL each get their own SQL; both refuse a violating write with an integrity error."""

from django.db import migrations

ERROR = "decision_startup_is_review_startup"

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER decision_startup_is_review_startup_insert
    BEFORE INSERT ON committees_decision
    FOR EACH ROW
    WHEN NEW.startup_id IS NOT (SELECT startup_id FROM committees_review WHERE id = NEW.review_id)
    BEGIN
        SELECT RAISE(ABORT, '{ERROR}');
    END;
    """,
    f"""
    CREATE TRIGGER decision_startup_is_review_startup_update
    BEFORE UPDATE OF startup_id, review_id ON committees_decision
    FOR EACH ROW
    WHEN NEW.startup_id IS NOT (SELECT startup_id FROM committees_review WHERE id = NEW.review_id)
    BEGIN
        SELECT RAISE(ABORT, '{ERROR}');
    END;
    """,
    f"""
    CREATE TRIGGER review_startup_is_its_decision_startup
    BEFORE UPDATE OF startup_id ON committees_review
    FOR EACH ROW
    WHEN EXISTS (
        SELECT 1 FROM committees_decision WHERE review_id = NEW.id AND startup_id IS NOT NEW.startup_id
    )
    BEGIN
        SELECT RAISE(ABORT, '{ERROR}');
    END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS decision_startup_is_review_startup_insert;",
    "DROP TRIGGER IF EXISTS decision_startup_is_review_startup_update;",
    "DROP TRIGGER IF EXISTS review_startup_is_its_decision_startup;",
]

POSTGRESQL_FORWARD = [
    f"""
    CREATE FUNCTION committees_decision_startup_is_review_startup() RETURNS trigger AS $$
    BEGIN
        IF NEW.startup_id IS DISTINCT FROM (SELECT startup_id FROM committees_review WHERE id = NEW.review_id) THEN
            RAISE EXCEPTION '{ERROR}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER decision_startup_is_review_startup
    BEFORE INSERT OR UPDATE OF startup_id, review_id ON committees_decision
    FOR EACH ROW EXECUTE FUNCTION committees_decision_startup_is_review_startup();
    """,
    f"""
    CREATE FUNCTION committees_review_startup_is_its_decision_startup() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM committees_decision
            WHERE review_id = NEW.id AND startup_id IS DISTINCT FROM NEW.startup_id
        ) THEN
            RAISE EXCEPTION '{ERROR}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER review_startup_is_its_decision_startup
    BEFORE UPDATE OF startup_id ON committees_review
    FOR EACH ROW EXECUTE FUNCTION committees_review_startup_is_its_decision_startup();
    """,
]
POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS review_startup_is_its_decision_startup ON committees_review;",
    "DROP FUNCTION IF EXISTS committees_review_startup_is_its_decision_startup();",
    "DROP TRIGGER IF EXISTS decision_startup_is_review_startup ON committees_decision;",
    "DROP FUNCTION IF EXISTS committees_decision_startup_is_review_startup();",
]

STATEMENTS = {
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
    "postgresql": (POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD),
}


def _run(schema_editor, backward: bool) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise NotImplementedError(f"No decision/review startup trigger for the {vendor} database.")
    for statement in STATEMENTS[vendor][1 if backward else 0]:
        schema_editor.execute(statement)


def forward(apps, schema_editor):
    _run(schema_editor, backward=False)


def backward(apps, schema_editor):
    _run(schema_editor, backward=True)


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0006_provenance_via"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
