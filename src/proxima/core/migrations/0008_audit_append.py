"""The audit chain links each entry as SHA-256("sequence\\nprevious_hash\\ncontent hash"),
so that PostgreSQL can append in one statement: `proxima_audit_append()` takes the advisory
lock, reads the head, links and inserts (a read of personal data costs one round trip, as
a plain INSERT did). Existing entries are re-linked in the new form, in their order.
"""

import hashlib

from django.db import migrations

# core.audit_chain.APPEND_LOCK ("PRXAUDIT" as a signed 64-bit integer).
APPEND_LOCK = -3435586528103610028

POSTGRESQL_APPEND = f"""
CREATE OR REPLACE FUNCTION proxima_audit_append(
    p_at timestamptz,
    p_actor_id bigint,
    p_actor_role varchar,
    p_action varchar,
    p_object_type varchar,
    p_object_id varchar,
    p_region_id bigint,
    p_reason varchar,
    p_detail jsonb,
    p_content_hash varchar
) RETURNS TABLE (
    new_id bigint, new_sequence bigint, new_previous_hash varchar, new_entry_hash varchar
)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    head_sequence bigint;
    head_hash varchar;
BEGIN
    PERFORM pg_advisory_xact_lock({APPEND_LOCK});
    -- A new statement after the lock: it sees the last holder's commit (READ COMMITTED).
    SELECT e.sequence, e.entry_hash INTO head_sequence, head_hash
        FROM core_auditevent e ORDER BY e.sequence DESC LIMIT 1;
    IF head_sequence IS NULL THEN
        head_sequence := 0;
        head_hash := repeat('0', 64);
    END IF;
    RETURN QUERY
    INSERT INTO core_auditevent AS e (
        sequence, at, actor_id, actor_role, action, object_type, object_id, region_id,
        reason, detail, previous_hash, entry_hash
    ) VALUES (
        head_sequence + 1, p_at, p_actor_id, p_actor_role, p_action, p_object_type,
        p_object_id, p_region_id, p_reason, p_detail, head_hash,
        encode(sha256(convert_to(
            (head_sequence + 1)::text || E'\\n' || head_hash || E'\\n' || p_content_hash,
            'UTF8'
        )), 'hex')
    )
    RETURNING e.id, e.sequence, e.previous_hash, e.entry_hash;
END;
$$
"""


def _relink(apps, schema_editor, entry_hash):
    from proxima.core.audit_chain import GENESIS_HASH, audit_maintenance

    db = schema_editor.connection.alias
    events = apps.get_model("core", "AuditEvent").objects.using(db)
    previous = GENESIS_HASH
    with audit_maintenance(using=db):
        batch = []
        for event in events.order_by("sequence").iterator(chunk_size=2000):
            event.previous_hash = previous
            event.entry_hash = previous = entry_hash(event)
            batch.append(event)
        for start in range(0, len(batch), 2000):
            events.bulk_update(batch[start : start + 2000], ["previous_hash", "entry_hash"])


def relink(apps, schema_editor):
    from proxima.core.audit_chain import entry_hash

    _relink(apps, schema_editor, entry_hash)


def relink_in_the_first_form(apps, schema_editor):
    from proxima.core.audit_chain import canonical, hashed_fields

    def first_form(event):
        fields = hashed_fields(
            sequence=event.sequence,
            at=event.at,
            actor_id=event.actor_id,
            actor_role=event.actor_role,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            region_id=event.region_id,
            reason=event.reason,
            detail=event.detail,
            previous_hash=event.previous_hash,
        )
        return hashlib.sha256(canonical(fields)).hexdigest()

    _relink(apps, schema_editor, first_form)


def install_append(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_APPEND, params=None)


def remove_append(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP FUNCTION IF EXISTS proxima_audit_append("
            "timestamptz, bigint, varchar, varchar, varchar, varchar, bigint, varchar, jsonb, varchar)",
            params=None,
        )


class Migration(migrations.Migration):

    dependencies = [("core", "0007_audit_chain")]

    operations = [
        migrations.RunPython(relink, relink_in_the_first_form),
        migrations.RunPython(install_append, remove_append),
    ]
