"""The audit log's hash chain and its guard in the database.

Each entry carries a `sequence` (1, 2, 3... with no gap), the `previous_hash` (the
`entry_hash` of the entry before it; 64 zeros for the first) and its own `entry_hash`:
SHA-256 of "sequence, previous_hash, content hash" (one per line), where the content hash
is the SHA-256 of the canonical JSON of the entry's own fields. Changing, removing or
inserting an entry breaks the chain from that entry on, and `verify_chain` names it.

Appends are serialized so the chain never forks. On PostgreSQL one statement does it,
`proxima_audit_append()` (migration core 0008): it takes a transaction-level advisory lock
(held until the transaction commits), reads the head, links and inserts the entry, so
that a read of personal data costs one round trip, as a plain INSERT did. On SQLite the
write lock every transaction takes at BEGIN (IMMEDIATE mode, settings.py) serializes the
same steps done here. A unique `sequence` is the backstop: a fork is refused, not stored.

In the database, triggers refuse UPDATE, DELETE and TRUNCATE on the table (migration
core 0007). `audit_maintenance()` sets them aside for one transaction, for what must
empty the table as a whole (`proxima flush`, used by the tests between transactional
tests); see docs/privacy.md for why that does not weaken the guarantee.
"""

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

GENESIS_HASH = "0" * 64
# pg_advisory_xact_lock key of the audit append ("PRXAUDIT" as a signed 64-bit integer),
# written into proxima_audit_append() by migration core 0008.
APPEND_LOCK = int.from_bytes(b"PRXAUDIT", "big") - 2**63
TABLE = "core_auditevent"
VERIFY_BATCH = 5000


def canonical(fields: dict) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same bytes for the same entry on any database."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _timestamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def content_fields(
    *, at, actor_id, actor_role, action, object_type, object_id, region_id, reason, detail
) -> dict:
    """What an entry says: every field but its place in the chain and the database id."""
    return {
        "at": _timestamp(at),
        "actor": actor_id,
        "actor_role": actor_role,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "region": region_id,
        "reason": reason,
        "detail": detail,
    }


def content_hash(event) -> str:
    fields = content_fields(
        at=event.at,
        actor_id=event.actor_id,
        actor_role=event.actor_role,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        region_id=event.region_id,
        reason=event.reason,
        detail=event.detail,
    )
    return hashlib.sha256(canonical(fields)).hexdigest()


def link_hash(sequence: int, previous_hash: str, content: str) -> str:
    """The entry's hash: its place in the chain and its content (proxima_audit_append
    computes the same in SQL)."""
    return hashlib.sha256(f"{sequence}\n{previous_hash}\n{content}".encode()).hexdigest()


def entry_hash(event) -> str:
    """The SHA-256 (hex) an AuditEvent must carry, from its fields."""
    return link_hash(event.sequence, event.previous_hash, content_hash(event))


def hashed_fields(
    *,
    sequence,
    at,
    actor_id,
    actor_role,
    action,
    object_type,
    object_id,
    region_id,
    reason,
    detail,
    previous_hash,
) -> dict:
    """The chain's first format (migration core 0007 wrote it; 0008 re-linked every entry
    in the current one): the content with the place in the chain (keys are sorted by
    `canonical`)."""
    content = content_fields(
        at=at,
        actor_id=actor_id,
        actor_role=actor_role,
        action=action,
        object_type=object_type,
        object_id=object_id,
        region_id=region_id,
        reason=reason,
        detail=detail,
    )
    return {"sequence": sequence, **content, "previous_hash": previous_hash}


# Lock, head, link and insert in one statement (PostgreSQL; see migration core 0008).
APPEND_SQL = (
    "SELECT new_id, new_sequence, new_previous_hash, new_entry_hash "
    "FROM proxima_audit_append(%s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s)"
)


def append(event):
    """Insert a new AuditEvent at the head of the chain (sequence, time, hashes set here)."""
    from proxima.core.models import AuditEvent

    using = event._state.db or DEFAULT_DB_ALIAS
    connection = connections[using]
    event.at = timezone.now()
    content = content_hash(event)
    if connection.vendor == "postgresql":
        # In autocommit the statement is its own transaction; in a caller's transaction
        # the lock is held until that one commits.
        values = [
            event.at,
            event.actor_id,
            event.actor_role,
            event.action,
            event.object_type,
            event.object_id,
            event.region_id,
            event.reason,
            json.dumps(event.detail),
            content,
        ]
        with connection.cursor() as cursor:
            cursor.execute(APPEND_SQL, values)
            event.pk, event.sequence, event.previous_hash, event.entry_hash = cursor.fetchone()
        event._state.adding, event._state.db = False, using
        return event
    # No savepoint inside a caller's transaction: a failed append fails that transaction.
    with transaction.atomic(using=using, savepoint=False):
        head = (
            AuditEvent.objects.using(using)
            .order_by("-sequence")
            .values_list("sequence", "entry_hash")
            .first()
        )
        event.sequence, event.previous_hash = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
        event.entry_hash = link_hash(event.sequence, event.previous_hash, content)
        event.save(using=using, force_insert=True)
    return event


@dataclass(frozen=True)
class ChainReport:
    """What a verification found: `ok`, how many entries it read, the head it reached,
    and where the chain breaks (`broken_at`, a sequence number) and why."""

    ok: bool
    entries: int
    last_sequence: int
    last_hash: str
    broken_at: int | None = None
    problem: str = ""


FIELDS = (
    "sequence",
    "at",
    "actor_id",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "region_id",
    "reason",
    "detail",
    "previous_hash",
    "entry_hash",
)


def _rows(using: str, after: int, limit: int | None) -> Iterator[tuple]:
    from proxima.core.models import AuditEvent

    rows = AuditEvent.objects.using(using).filter(sequence__gt=after).order_by("sequence")
    if limit is not None:
        rows = rows[:limit]
    return rows.values_list(*FIELDS).iterator(chunk_size=VERIFY_BATCH)


def verify_chain(
    *,
    after: tuple[int, str] | None = None,
    limit: int | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> ChainReport:
    """Recompute every entry's hash and link, from the first (or from `after`, a
    (sequence, hash) already verified) to the head or `limit` entries; stops at the first
    break: an altered entry, a missing one, or one that does not follow its predecessor."""
    expected, previous = (after[0] + 1, after[1]) if after else (1, GENESIS_HASH)
    count = 0
    for row in _rows(using, expected - 1, limit):
        values = dict(zip(FIELDS, row, strict=True))
        sequence = values["sequence"]
        broken = ""
        if sequence != expected:
            broken = f"entry #{expected} is missing (the next one is #{sequence})"
        elif values["previous_hash"] != previous:
            broken = f"entry #{sequence} does not follow entry #{sequence - 1}"
        else:
            stored = values.pop("entry_hash")
            del values["sequence"], values["previous_hash"]
            content = hashlib.sha256(canonical(content_fields(**values))).hexdigest()
            if link_hash(sequence, previous, content) != stored:
                broken = f"entry #{sequence} was altered"
        if broken:
            return ChainReport(False, count, expected - 1, previous, expected, broken)
        previous = stored
        expected += 1
        count += 1
    return ChainReport(True, count, expected - 1, previous)


def parse_head(value: str) -> tuple[int, str]:
    """NUMBER:HASH as verify-audit prints a head (the hash in any case)."""
    from django.core.management.base import CommandError

    sequence, _, digest = value.strip().partition(":")
    digest = digest.lower()
    if not sequence.isdecimal() or len(digest) != 64 or set(digest) - set("0123456789abcdef"):
        raise CommandError(f"--expect {value!r}: write NUMBER:HASH, as a previous run printed it")
    return int(sequence), digest


def entry_matches(sequence: int, expected_hash: str, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Is entry #sequence still there with this hash (a head noted outside the database)?"""
    from proxima.core.models import AuditEvent

    return (
        AuditEvent.objects.using(using).filter(sequence=sequence, entry_hash=expected_hash).exists()
    )


def _guard_triggers(cursor, vendor: str) -> list[tuple[str, str]]:
    """The triggers guarding the audit table now: (name, definition)."""
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [TABLE],
        )
    else:
        cursor.execute(
            "SELECT tgname, '' FROM pg_trigger WHERE tgrelid = %s::regclass "
            "AND NOT tgisinternal AND tgenabled <> 'D'",
            [TABLE],
        )
    return list(cursor.fetchall())


@contextmanager
def audit_maintenance(using: str = DEFAULT_DB_ALIAS):
    """One transaction in which the audit table's guard triggers are set aside, then put
    back before it commits (or restored by its rollback). Other connections never see the
    table unguarded: PostgreSQL holds an exclusive lock on it until the commit; SQLite
    writers are serialized and its schema changes are transactional. Only for emptying
    the whole database (`proxima flush`); it needs the rights of the table's owner."""
    connection = connections[using]
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            if postgresql:  # PostgreSQL alters no table with foreign-key checks pending
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            triggers = _guard_triggers(cursor, connection.vendor)
            for name, _definition in triggers:
                quoted = connection.ops.quote_name(name)
                if not postgresql:
                    cursor.execute(f"DROP TRIGGER {quoted}")
                else:
                    cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {quoted}")
        yield
        with connection.cursor() as cursor:
            for name, definition in triggers:
                if not postgresql:
                    cursor.execute(definition)
                else:
                    quoted = connection.ops.quote_name(name)
                    cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {quoted}")
            if postgresql:  # Django's foreign keys are checked at commit again
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# The guards migration 0007 installs (kept equal to it by tests/core/test_backup.py): a
# restored database must have them, whatever the backup held.
GUARDS = {
    "sqlite": {
        "audit_no_update": "CREATE TRIGGER audit_no_update BEFORE UPDATE ON core_auditevent "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END",
        "audit_no_delete": "CREATE TRIGGER audit_no_delete BEFORE DELETE ON core_auditevent "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END",
    },
    "postgresql": {
        "audit_append_only": "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON "
        "core_auditevent FOR EACH ROW EXECUTE FUNCTION proxima_audit_append_only()",
        "audit_no_truncate": "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON "
        "core_auditevent FOR EACH STATEMENT EXECUTE FUNCTION proxima_audit_append_only()",
    },
}
POSTGRESQL_GUARD_FUNCTION = """
    CREATE OR REPLACE FUNCTION proxima_audit_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION USING
            MESSAGE = 'audit events are append-only: ' || TG_OP || ' refused',
            HINT = 'See docs/privacy.md.';
    END;
    $$
"""


def missing_guards(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The guard triggers the audit table lacks now: dropped, disabled, or not the ones
    Proxima installs (same name, another body; on PostgreSQL, the function they call
    changed to let everything through)."""
    connection = connections[using]
    expected = GUARDS[connection.vendor]
    with connection.cursor() as cursor:
        present = dict(_guard_triggers(cursor, connection.vendor))
        if connection.vendor == "postgresql":
            present = _postgresql_guard_definitions(cursor, present)
    return sorted(
        name
        for name, definition in expected.items()
        if name not in present or _words(present[name]) != _words(definition)
    )


def _words(sql: str) -> str:
    """A definition compared word for word, as a sorted bag: PostgreSQL writes its
    triggers back in its own order ("DELETE OR UPDATE", "public.core_auditevent")."""
    words = sql.replace("(", " ( ").replace(")", " ) ").replace("public.", "").lower().split()
    return " ".join(sorted(words))


def _postgresql_guard_definitions(cursor, present: dict) -> dict:
    """Each enabled guard trigger as CREATE TRIGGER writes it, or "" when the function
    it calls is no longer Proxima's refusal."""
    cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'proxima_audit_append_only'")
    row = cursor.fetchone()
    body = _words(row[0]) if row else ""
    expected_body = _words(POSTGRESQL_GUARD_FUNCTION.split("$$")[1])
    definitions = {}
    for name in present:
        cursor.execute(
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = %s "
            "AND tgrelid = %s::regclass",
            [name, TABLE],
        )
        found = cursor.fetchone()
        definitions[name] = found[0] if found and body == expected_body else ""
    return definitions


def put_back_guards(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Reinstall the guards the table lacks (whatever stands under their names goes);
    the names put back. It needs the rights of the table's owner."""
    connection = connections[using]
    missing = missing_guards(using)
    if not missing:
        return []
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_GUARD_FUNCTION)
        for name in missing:
            quoted = connection.ops.quote_name(name)
            on = f" ON {TABLE}" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER IF EXISTS {quoted}{on}")
            cursor.execute(GUARDS[connection.vendor][name])
    return missing
