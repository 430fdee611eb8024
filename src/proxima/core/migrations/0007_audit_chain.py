"""The audit log becomes a hash chain, with a region per line, guarded in the database.

Existing lines get their region (the person's, contact's or referral's, else the actor's)
and are chained in the order they were written (time, then id). Then triggers refuse
UPDATE, DELETE (and TRUNCATE on PostgreSQL) on core_auditevent.

On SQLite, a later migration that alters this table rebuilds it and drops its triggers:
such a migration must install them again (tests/core/test_audit_chain.py notices).
"""

import hashlib
import uuid

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

BATCH = 2000

POSTGRESQL_GUARD = [
    """
    CREATE OR REPLACE FUNCTION proxima_audit_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION USING
            MESSAGE = 'audit events are append-only: ' || TG_OP || ' refused',
            HINT = 'See docs/privacy.md.';
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION proxima_audit_append_only()
    """,
    """
    CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION proxima_audit_append_only()
    """,
]
POSTGRESQL_UNGUARD = [
    "DROP TRIGGER IF EXISTS audit_no_truncate ON core_auditevent",
    "DROP TRIGGER IF EXISTS audit_append_only ON core_auditevent",
    "DROP FUNCTION IF EXISTS proxima_audit_append_only()",
]
SQLITE_GUARD = [
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON core_auditevent BEGIN "
    "SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON core_auditevent BEGIN "
    "SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END",
]
SQLITE_UNGUARD = ["DROP TRIGGER IF EXISTS audit_no_update", "DROP TRIGGER IF EXISTS audit_no_delete"]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement, params=None)


def install_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_GUARD)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_GUARD)


def remove_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_UNGUARD)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_UNGUARD)


def _object_regions(apps, db, object_ids_by_type):
    regions = {}
    for label in ("people.Person", "intake.ContactEpisode", "referrals.Referral"):
        ids = []
        for value in object_ids_by_type.get(label.lower(), ()):
            try:
                ids.append(uuid.UUID(value))
            except ValueError:
                continue
        found = apps.get_model(label).objects.using(db).filter(pk__in=ids)
        regions[label.lower()] = {str(pk): region for pk, region in found.values_list("pk", "region_id")}
    return regions


def chain_existing_entries(apps, schema_editor):
    from proxima.core.audit_chain import GENESIS_HASH, canonical, hashed_fields

    db = schema_editor.connection.alias
    AuditEvent = apps.get_model("core", "AuditEvent")
    User = apps.get_model("core", "User")
    events = AuditEvent.objects.using(db)
    object_ids_by_type = {}
    for object_type, object_id in events.values_list("object_type", "object_id").distinct():
        object_ids_by_type.setdefault(object_type, set()).add(object_id)
    regions = _object_regions(apps, db, object_ids_by_type)
    actor_regions = dict(User.objects.using(db).values_list("pk", "region_id"))
    ids = list(events.order_by("at", "id").values_list("id", flat=True))
    previous, sequence = GENESIS_HASH, 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        loaded = events.in_bulk(chunk)
        batch = []
        for pk in chunk:
            event = loaded[pk]
            sequence += 1
            event.region_id = regions.get(event.object_type, {}).get(event.object_id)
            if event.region_id is None and event.actor_id is not None:
                event.region_id = actor_regions.get(event.actor_id)
            event.sequence, event.previous_hash = sequence, previous
            fields = hashed_fields(
                sequence=sequence,
                at=event.at,
                actor_id=event.actor_id,
                actor_role=event.actor_role,
                action=event.action,
                object_type=event.object_type,
                object_id=event.object_id,
                region_id=event.region_id,
                reason=event.reason,
                detail=event.detail,
                previous_hash=previous,
            )
            event.entry_hash = previous = hashlib.sha256(canonical(fields)).hexdigest()
            batch.append(event)
        events.bulk_update(batch, ["sequence", "previous_hash", "entry_hash", "region"])


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0006_roles_matrix"),
        ("people", "0001_initial"),
        ("intake", "0003_call_draft"),
        ("referrals", "0002_external_fhir"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(editable=False, null=True, verbose_name="number"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="previous hash"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="entry_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="region",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.region",
                verbose_name="region",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, editable=False, verbose_name="at"
            ),
        ),
        migrations.RunPython(chain_existing_entries, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(editable=False, unique=True, verbose_name="number"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["region", "-sequence"], name="audit_region_recent"),
        ),
        migrations.RunPython(install_guard, remove_guard),
    ]
