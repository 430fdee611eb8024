"""The audit log is append-only in the database and tamper-evident: raw SQL cannot change
or remove a line, and `proxima verify-audit` finds a line changed, forged or removed by
someone who set the guard aside (as an attacker with the owner's rights would)."""

import hashlib
import io
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction

from proxima.core import audit_chain
from proxima.core.audit import SYSTEM, record_audit_event
from proxima.core.models import AuditEvent, Region
from proxima.core.roles import Role
from proxima.people.models import Person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# What an attacker with the table owner's rights does first: set the triggers aside.
as_an_attacker = audit_chain.audit_maintenance


@pytest.fixture
def region():
    return Region.objects.create(code="03", name="Capitale-Nationale")


@pytest.fixture
def five_entries(region):
    worker = UserFactory(role=Role.WORKER_811, region=region)
    person = Person.objects.create(region=region, given_name="Léa", family_name="Roy")
    for reason in ("person page", "intake", "household", "api", "person search"):
        record_audit_event(worker, "read_person", person, reason=reason)
    return list(AuditEvent.objects.order_by("sequence"))


def raw(sql: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify() -> str:
    output = io.StringIO()
    call_command("verify-audit", stdout=output)
    return output.getvalue()


def test_entries_are_numbered_and_chained_and_carry_their_region(five_entries, region):
    assert [e.sequence for e in five_entries] == [1, 2, 3, 4, 5]
    assert five_entries[0].previous_hash == audit_chain.GENESIS_HASH
    for before, after in zip(five_entries, five_entries[1:], strict=False):
        assert after.previous_hash == before.entry_hash
    assert all(e.entry_hash == audit_chain.entry_hash(e) for e in five_entries)
    assert {e.region_id for e in five_entries} == {region.pk}


def test_the_hash_covers_every_field_in_a_canonical_form(five_entries):
    event = five_entries[0]
    fields = audit_chain.content_fields(
        at=event.at,
        actor_id=event.actor_id,
        actor_role="worker_811",
        action="read_person",
        object_type="people.person",
        object_id=event.object_id,
        region_id=event.region_id,
        reason="person page",
        detail={},
    )
    content = hashlib.sha256(audit_chain.canonical(fields)).hexdigest()
    link = f"1\n{'0' * 64}\n{content}".encode()
    assert event.entry_hash == hashlib.sha256(link).hexdigest()  # on PostgreSQL, made in SQL
    assert audit_chain.canonical({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()


def test_postgresql_appends_with_the_lock_key_of_the_code(five_entries):
    if connection.vendor != "postgresql":
        pytest.skip("the append function exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'proxima_audit_append'")
        [(source,)] = cursor.fetchall()
    assert f"pg_advisory_xact_lock({audit_chain.APPEND_LOCK})" in source


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditevent SET reason = 'rien vu' WHERE sequence = 2",
        "DELETE FROM core_auditevent WHERE sequence = 2",
        "DELETE FROM core_auditevent",
    ],
)
def test_raw_sql_cannot_change_or_remove_a_line(five_entries, statement):
    with pytest.raises(DatabaseError, match="append-only"):
        raw(statement)
    assert list(AuditEvent.objects.order_by("sequence")) == five_entries
    assert AuditEvent.objects.get(sequence=2).reason == "intake"
    assert "Audit chain OK: 5 entries" in verify()


def test_the_orm_cannot_either(five_entries):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(sequence=3).update(reason="rien vu")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(sequence=3).delete()
    with pytest.raises(ValueError, match="append-only"):
        five_entries[2].save()
    assert AuditEvent.objects.get(sequence=3).reason == "household"


def test_truncate_is_refused_on_postgresql(five_entries):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (a DELETE without WHERE is refused above)")
    raw("SET CONSTRAINTS ALL IMMEDIATE")  # no foreign-key check pending from the inserts
    with pytest.raises(DatabaseError, match="TRUNCATE refused"):
        raw("TRUNCATE core_auditevent CASCADE")
    assert AuditEvent.objects.count() == 5


def test_verify_audit_prints_ok_with_the_count_and_the_head(five_entries):
    output = verify()
    assert "Audit chain OK: 5 entries" in output
    assert f"Head: 5:{five_entries[-1].entry_hash}" in output
    check = AuditEvent.objects.get(action="verify_audit")
    assert check.sequence == 6 and check.actor_role == "system"
    assert check.detail == {
        "ok": True,
        "entries": 5,
        "last_sequence": 5,
        "last_hash": five_entries[-1].entry_hash,
    }
    assert "Audit chain OK: 6 entries" in verify()


def test_a_line_changed_behind_the_guard_is_reported(five_entries):
    with as_an_attacker():
        raw("UPDATE core_auditevent SET reason = 'rien vu' WHERE sequence = 3")
    with pytest.raises(CommandError, match=r"BROKEN at entry #3: entry #3 was altered") as error:
        verify()
    assert error.value.returncode == 1
    assert "2 entries before it are intact" in str(error.value)
    check = AuditEvent.objects.get(action="verify_audit")
    assert check.detail["ok"] is False and check.detail["broken_at"] == 3


def test_a_line_forged_with_a_recomputed_hash_breaks_the_next_link(five_entries):
    forged = five_entries[2]
    forged.reason = "rien vu"
    new_hash = audit_chain.entry_hash(forged)
    with as_an_attacker():
        raw(
            "UPDATE core_auditevent SET reason = %s, entry_hash = %s WHERE sequence = 3",
            ["rien vu", new_hash],
        )
    with pytest.raises(CommandError, match="entry #4 does not follow entry #3"):
        verify()


def test_a_line_removed_in_the_middle_is_reported_as_a_gap(five_entries):
    with as_an_attacker():
        raw("DELETE FROM core_auditevent WHERE sequence = 3")
    with pytest.raises(CommandError, match=r"entry #3 is missing \(the next one is #4\)"):
        verify()


def test_a_log_cut_short_is_caught_against_a_head_noted_outside(five_entries):
    head = f"5:{five_entries[-1].entry_hash}"
    assert "Audit chain OK" in call_command_output(expect=[head.upper()])  # any case
    verify()  # entry 7, the check
    with as_an_attacker():
        raw("DELETE FROM core_auditevent WHERE sequence >= 5")
    assert "Audit chain OK: 4 entries" in verify()  # the chain alone cannot see a cut tail
    with pytest.raises(CommandError, match="entry #5 noted earlier was changed"):
        call_command("verify-audit", expect=[head], stdout=io.StringIO())
    with pytest.raises(CommandError, match="NUMBER:HASH"):
        call_command("verify-audit", expect=["5"], stdout=io.StringIO())


def test_the_guard_is_back_after_maintenance_and_restored_by_a_rollback(five_entries):
    with pytest.raises(RuntimeError), as_an_attacker():
        raise RuntimeError("interrupted")
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM core_auditevent")
    with as_an_attacker():
        pass
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE core_auditevent SET reason = ''")
    assert AuditEvent.objects.count() == 5


def test_system_and_anonymous_actors(region):
    record_audit_event(SYSTEM, "apply_retention", detail={"deleted": 0})
    record_audit_event(None, "read_confidential_location", object_type="directory.location")
    system, anonymous = AuditEvent.objects.order_by("sequence")
    assert (system.actor_id, system.actor_role, system.region_id) == (None, "system", None)
    assert (anonymous.actor_id, anonymous.actor_role) == (None, "anonymous")


def test_a_line_about_nothing_regional_belongs_to_the_actors_region(region):
    officer = UserFactory(role=Role.COORDINATOR, region=region)
    event = record_audit_event(
        officer, "read_confidential_location", object_type="x", object_id="1"
    )
    assert event.region_id == region.pk


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_and_leaves_it_guarded(region):
    worker = UserFactory(role=Role.WORKER_811, region=region)
    record_audit_event(worker, "read_person", object_type="people.person", object_id="x")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    record_audit_event(SYSTEM, "verify_audit")
    assert AuditEvent.objects.get().sequence == 1  # a new chain starts
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM core_auditevent")


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(region):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers at BEGIN IMMEDIATE; the race is run on PostgreSQL")
    worker = UserFactory(role=Role.WORKER_811, region=region)
    writers, each = 6, 25
    barrier = threading.Barrier(writers)
    failures = []

    def write(index):
        try:
            barrier.wait(timeout=10)
            for n in range(each):
                with transaction.atomic():  # as in an action: the line, then more work
                    record_audit_event(worker, "read_person", object_type="t", object_id=str(n))
                    Region.objects.filter(pk=region.pk).exists()
        except Exception as error:
            failures.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    report = audit_chain.verify_chain()
    assert report.ok and report.entries == writers * each


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_the_lines_written_before_it():
    from django.db.migrations.executor import MigrationExecutor

    before = [("core", "0006_roles_matrix")]
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    later_core = {node for node in graph.nodes if node[0] == "core" and node[1] > before[0][1]}

    def latest_without_later_core(node):
        """The app's latest migration that needs no core migration after `before`."""
        while node is not None and later_core & set(graph.forwards_plan(node)):
            parents = [p for p in graph.node_map[node].parents if p.key[0] == node[0]]
            node = parents[0].key if parents else None
        return node

    others = [
        kept
        for node in graph.leaf_nodes()
        if node[0] != "core" and (kept := latest_without_later_core(node)) is not None
    ]
    executor.migrate(before + others)
    old = executor.loader.project_state(before + others).apps
    quebec = old.get_model("core", "Region").objects.create(code="03", name="Capitale-Nationale")
    montreal = old.get_model("core", "Region").objects.create(code="06", name="Montréal")
    worker = old.get_model("core", "User").objects.create(username="w", region=montreal)
    person = old.get_model("people", "Person").objects.create(
        region=quebec, given_name="Léa", family_name="Roy", name_key="roy lea"
    )
    OldEvent = old.get_model("core", "AuditEvent")
    OldEvent.objects.create(
        actor=worker, action="read_person", object_type="people.person", object_id=str(person.pk)
    )
    OldEvent.objects.create(
        actor=worker, action="update_service", object_type="directory.service", object_id="s1"
    )
    OldEvent.objects.create(
        action="read_confidential_location", object_type="directory.location", object_id="l1"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    events = list(AuditEvent.objects.order_by("sequence"))
    assert [(e.sequence, e.action) for e in events] == [
        (1, "read_person"),
        (2, "update_service"),
        (3, "read_confidential_location"),
    ]
    assert [e.region_id for e in events] == [quebec.pk, montreal.pk, None]
    assert audit_chain.verify_chain().ok
    record_audit_event(SYSTEM, "verify_audit")
    assert AuditEvent.objects.order_by("sequence").last().previous_hash == events[-1].entry_hash
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM core_auditevent")


def call_command_output(**options) -> str:
    output = io.StringIO()
    call_command("verify-audit", stdout=output, **options)
    return output.getvalue()
