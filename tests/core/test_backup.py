"""`proxima backup` and `proxima restore` on the database under test (SQLite or PostgreSQL):
a network's data, backed up and restored into an empty database, comes back whole, table by
table and row by row; a damaged copy is noticed; refusals say why."""

import copy
import io
import sqlite3
import time
import uuid
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.db.utils import load_backend
from django.test import Client
from django.utils import timezone

from proxima.core import backup
from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.intake.services.episodes import open_episode, record_screening
from proxima.intake.services.questionnaires import load_questionnaires
from proxima.outcomes.services.instruments import load_instruments
from proxima.outcomes.services.measures import record_measurement
from proxima.people.services.consent import ConsentInput, record_consent
from proxima.people.services.records import PersonInput, create_person, link_household
from proxima.prescriptions.services.plans import (
    PrescriptionInput,
    SupportInput,
    create_prescription,
)
from proxima.referrals.services.workflow import ReferralInput, create_referral, send
from tests.factories import (
    OrganizationFactory,
    UserFactory,
    make_confidential_shelter,
    make_service,
)

# pg_dump runs in another process: it sees committed rows only.
committed = pytest.mark.django_db(transaction=True)

RESTORED = "restored"


def fill_network() -> None:
    """A little of everything: directory, accounts, people, consents, contacts with an
    escalation, a referral sent (notifications, tasks), a prescription with a measure."""
    from proxima.directory.services.taxonomy import load_need_domains

    load_need_domains()
    load_questionnaires()
    load_instruments()
    region = Region.objects.create(code="03", name="Capitale-Nationale")
    partner_org = OrganizationFactory(name="Comptoir alimentaire Limoilou")
    food = make_service(
        "Comptoir alimentaire",
        "Dépannage alimentaire",
        domain="food",
        organization=partner_org,
        point=(46.8139, -71.2247),
        address={"address_1": "12, rue du Parvis", "city": "Québec", "postal_code": "G1K 3B2"},
        hours=[("MO,TU,WE", "09:00", "17:00")],
        languages=("fr", "en"),
    )
    music = make_service("Orchestre des jeunes", "Cours de musique", domain="arts")
    make_confidential_shelter()
    worker = UserFactory(role=Role.WORKER_811, region=region, team="info_social")
    UserFactory(role=Role.PARTNER_ADMIN, organization=partner_org, email="p@example.org")
    prescriber = UserFactory(role=Role.SOCIAL_PRESCRIBER, region=region, team="social_prescribing")
    person = create_person(
        PersonInput("Élise", "Côté", date(1988, 3, 14), phone="418 555-0101"),
        by=worker,
        confirmed_new=True,
    )
    child = create_person(
        PersonInput("Ousmane", "Diallo", date(2015, 9, 10)), by=prescriber, confirmed_new=True
    )
    link_household(person, child, "parent", by=worker)
    record_consent(
        person,
        ConsentInput(
            categories=["identity", "needs"],
            purpose="Référence au comptoir alimentaire",
            method="verbal",
            recipient_organization=partner_org,
        ),
        by=worker,
    )
    call = open_episode(by=worker, channel="phone_811", reason="Je n'en peux plus.")
    record_screening(
        call,
        "cssrs-screen",
        {"q1": True, "q2": True, "q3": True, "q4": True, "q5": False, "q6": False},
        by=worker,
    )
    draft = create_referral(
        ReferralInput(
            need_domain="food",
            request_text="Dépannage alimentaire cette semaine",
            priority="72h",
            service=food,
            person=person,
        ),
        by=worker,
    )
    send(draft, by=worker, version=draft.version)
    prescription = create_prescription(
        child,
        PrescriptionInput(
            what_matters="Jouer du violon",
            co_produced_with="Ousmane et sa mère",
            goals=["Aller à la musique deux fois par semaine"],
            service_ids=[music.pk],
            supports=[SupportInput("transport", "Billets d’autobus", music.pk)],
            follow_ups=[timezone.localdate() + timedelta(days=14)],
        ),
        by=prescriber,
    )
    record_measurement(
        child,
        "k10",
        {f"k10_{i}": 3 for i in range(1, 11)},
        by=prescriber,
        occasion="baseline",
        prescription=prescription,
    )
    call_command("start-schedules", stdout=io.StringIO())  # rows in the task queue
    Client().force_login(worker)  # a session row


def every_row(alias: str) -> dict[str, list[tuple]]:
    """Each table's rows, sorted, by table name (SQLite's own tables such as sqlite_sequence
    included); on PostgreSQL also where each sequence stands."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        else:
            cursor.execute(
                "SELECT schemaname || '.' || tablename FROM pg_tables "
                "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            )
        tables = sorted(row[0] for row in cursor.fetchall())
        rows = {}
        for table in tables:
            quoted = ".".join(connection.ops.quote_name(part) for part in table.split("."))
            cursor.execute(f"SELECT * FROM {quoted}")
            rows[table] = sorted(
                (tuple(_plain(value) for value in row) for row in cursor.fetchall()), key=repr
            )
        if connection.vendor == "postgresql":
            cursor.execute("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences")
            rows["(sequences)"] = sorted(cursor.fetchall())
    return rows


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def differences(source: dict[str, list], restored: dict[str, list]) -> list[str]:
    """What differs between two databases' rows, one line per table."""
    found = [f"{table}: missing" for table in sorted(source.keys() - restored.keys())]
    found += [f"{table}: not in the source" for table in sorted(restored.keys() - source.keys())]
    for table in sorted(source.keys() & restored.keys()):
        before, after = source[table], restored[table]
        if len(before) != len(after):
            found.append(f"{table}: {len(before)} rows, {len(after)} restored")
        elif before != after:
            row = next(a for a, b in zip(before, after, strict=True) if a != b)
            found.append(f"{table}: a row differs: {row!r}")
    return found


@pytest.fixture
def empty_database(tmp_path):
    """A second, empty database beside the one under test, reached as the alias 'restored':
    a new SQLite file, or a new PostgreSQL database dropped afterwards."""
    source = connections["default"]
    settings_dict = copy.deepcopy(source.settings_dict)
    name = None
    if source.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        name = f"ops_restore_{uuid.uuid4().hex[:12]}"
        admin = source.copy()  # its own session, outside the test's transaction if any
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        settings_dict["NAME"] = name
    # Registered as a connection but not in settings: Django's test case lets it connect.
    connections[RESTORED] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
        settings_dict, RESTORED
    )
    try:
        yield RESTORED
    finally:
        connections[RESTORED].close()
        del connections[RESTORED]
        if name:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


@pytest.fixture
def backed_up_and_restored(empty_database, tmp_path):
    """The network filled, backed up by the command and restored by the command into the
    empty database; with the two commands' output and timings."""
    fill_network()
    path = tmp_path / ("proxima.dump" if connections["default"].vendor != "sqlite" else "p.db")
    output = io.StringIO()
    started = time.monotonic()
    call_command("backup", str(path), stdout=output)
    backed_up = time.monotonic() - started
    call_command("restore", str(path), database=empty_database, stdout=output)
    restored = time.monotonic() - started - backed_up
    print(  # shown with -s: the figures of the note
        f"\n{connections['default'].vendor}: backup {path.stat().st_size:,} bytes in "
        f"{backed_up:.2f} s, restore in {restored:.2f} s"
    )
    return path, output.getvalue()


@committed
def test_a_restored_backup_holds_every_row_of_every_table(backed_up_and_restored):
    path, output = backed_up_and_restored
    source, restored = every_row("default"), every_row(RESTORED)
    names = {table.removeprefix("public.") for table in source}
    assert backup.model_tables() <= names, "every installed app's tables are compared"
    filled = {table.removeprefix("public.") for table, rows in source.items() if rows}
    assert {
        "core_user",
        "core_region",
        "core_auditevent",
        "django_session",
        "django_tasks_database_dbtaskresult",
        "directory_service",
        "directory_searchdocument",
        "people_person",
        "people_consent",
        "people_householdlink",
        "intake_contactepisode",
        "intake_escalation",
        "referrals_referral",
        "referrals_notification",
        "prescriptions_prescription",
        "outcomes_measurement",
    } <= filled
    assert differences(source, restored) == []
    assert f"Backup complete: {path}" in output
    assert "Restore complete" in output
    assert backup.migration_state(RESTORED) == backup.migration_state("default")


@committed
def test_a_damaged_or_partial_restore_is_noticed(backed_up_and_restored):
    source = every_row("default")
    connection = connections[RESTORED]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_person SET family_name = 'Tremblay' WHERE given_name = 'Élise'"
        )
        cursor.execute("DELETE FROM people_consent")
        cursor.execute("DROP TABLE django_session")
    found = differences(source, every_row(RESTORED))
    names = [line.split(":")[0].removeprefix("public.") for line in found]
    assert names == ["django_session", "people_consent", "people_person"]
    assert "missing" in found[0] and "1 rows, 0 restored" in found[1]
    assert "a row differs" in found[2]


@committed
def test_restore_refuses_a_database_that_holds_tables_and_a_file_that_is_not_a_backup(
    empty_database, tmp_path
):
    path = tmp_path / "backup"
    call_command("backup", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not empty.*--force"):
        call_command("restore", str(path), stdout=io.StringIO())
    stranger = tmp_path / "notes.txt"
    stranger.write_text("pas une sauvegarde")
    with pytest.raises(CommandError, match="not a Proxima backup"):
        call_command("restore", str(stranger), database=empty_database, stdout=io.StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(path), stdout=io.StringIO())


@committed
def test_restore_tells_when_the_backup_is_older_than_the_code(empty_database, tmp_path):
    call_command("backup", str(tmp_path / "now"), stdout=io.StringIO())
    call_command("restore", str(tmp_path / "now"), database=empty_database, stdout=io.StringIO())
    with connections[empty_database].cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'referrals'")
    call_command("backup", str(tmp_path / "old"), database=empty_database, stdout=io.StringIO())
    output = io.StringIO()
    call_command(
        "restore", str(tmp_path / "old"), database=empty_database, force=True, stdout=output
    )
    assert "The backup is older than the code" in output.getvalue()
    assert "referrals.0001_initial" in output.getvalue()


def test_missing_or_older_postgresql_tools_are_named(monkeypatch):
    monkeypatch.setattr(backup, "PG_BIN_DIRS", ())
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(backup.BackupError, match="pg_dump not found.*postgresql-client-15"):
        backup._pg_tool("pg_dump", 15)
    monkeypatch.setattr(backup.shutil, "which", lambda name: "/bin/true")
    monkeypatch.setattr(backup, "_tool_major", lambda path: 13)
    with pytest.raises(backup.BackupError, match="version 15 or newer.*version 13"):
        backup._pg_tool("pg_restore", 15)


def test_the_password_goes_in_the_environment_never_on_the_command_line():
    arguments, env = backup._pg_connection_arguments(
        {"HOST": "db", "PORT": "5433", "USER": "proxima", "PASSWORD": "s3cret", "OPTIONS": {}}
    )
    assert "s3cret" not in " ".join(arguments) and env["PGPASSWORD"] == "s3cret"


def test_a_copy_that_waits_for_a_lock_gives_up_with_the_reason(tmp_path):
    source = sqlite3.connect(tmp_path / "source.db", timeout=0.1)
    source.execute("CREATE TABLE t (x)")
    source.commit()
    writer = sqlite3.connect(tmp_path / "source.db")
    writer.execute("BEGIN EXCLUSIVE")  # a rollback-journal database, held by a writer
    with pytest.raises(backup.BackupError, match="stayed locked"):
        source.backup(sqlite3.connect(tmp_path / "copy.db"), progress=backup._give_up_after(0.3))
    writer.rollback()


@committed
def test_a_backup_whose_audit_log_was_edited_restores_its_guards_and_fails(
    empty_database, tmp_path
):
    """Someone drops the guard triggers, edits an audit line, then takes a backup: the
    restore said "complete", with the chain broken and the log editable."""
    from proxima.core import audit_chain
    from proxima.core.audit import SYSTEM, record_audit_event

    for n in range(3):
        record_audit_event(SYSTEM, "verify_audit", detail={"n": n})
    call_command("backup", str(tmp_path / "now"), stdout=io.StringIO())
    call_command("restore", str(tmp_path / "now"), database=empty_database, stdout=io.StringIO())
    assert audit_chain.missing_guards(empty_database) == []
    connection = connections[empty_database]
    with connection.cursor() as cursor:
        for name in audit_chain.GUARDS[connection.vendor]:
            on = " ON core_auditevent" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER {name}{on}")
        cursor.execute("UPDATE core_auditevent SET reason = 'edited' WHERE sequence = 2")
    assert audit_chain.missing_guards(empty_database) == sorted(
        audit_chain.GUARDS[connection.vendor]
    )
    call_command("backup", str(tmp_path / "edited"), database=empty_database, stdout=io.StringIO())
    output = io.StringIO()
    with pytest.raises(CommandError, match="audit chain is BROKEN: entry #2 was altered"):
        call_command(
            "restore",
            str(tmp_path / "edited"),
            database=empty_database,
            force=True,
            stdout=output,
        )
    assert "had lost its guards" in output.getvalue()
    assert audit_chain.missing_guards(empty_database) == []  # the log is guarded again
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET reason = 'again' WHERE sequence = 1")


def test_the_guards_put_back_are_those_the_migration_installs():
    import importlib

    from proxima.core import audit_chain

    migration = importlib.import_module("proxima.core.migrations.0007_audit_chain")

    def words(sql: str) -> str:
        return " ".join(sql.split())

    assert [words(s) for s in migration.SQLITE_GUARD] == [
        words(s) for s in audit_chain.GUARDS["sqlite"].values()
    ]
    assert [words(s) for s in migration.POSTGRESQL_GUARD] == [
        words(audit_chain.POSTGRESQL_GUARD_FUNCTION),
        *[words(s) for s in audit_chain.GUARDS["postgresql"].values()],
    ]


def test_a_backup_to_a_place_it_cannot_write_says_so(tmp_path):
    """A file where a folder should be was a traceback (NotADirectoryError)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(CommandError, match="Backup failed: cannot write"):
        call_command("backup", str(blocker / "b.sqlite3"), stdout=io.StringIO())
    deep = tmp_path / "new" / "deeper" / "b"
    backup._private_folder(deep)
    modes = {folder: folder.stat().st_mode & 0o777 for folder in (deep, deep.parent)}
    assert set(modes.values()) == {0o700}, modes  # every folder made, not only the last


@committed
def test_a_restore_is_not_fooled_by_a_forged_migration_a_hollow_guard_or_a_cut_tail(
    empty_database, tmp_path
):
    from proxima.core import audit_chain
    from proxima.core.audit import SYSTEM, record_audit_event

    for n in range(4):
        record_audit_event(SYSTEM, "verify_audit", detail={"n": n})
    head = audit_chain.verify_chain()
    noted = f"{head.last_sequence}:{head.last_hash.upper()}"
    call_command("backup", str(tmp_path / "now"), stdout=io.StringIO())
    call_command("restore", str(tmp_path / "now"), database=empty_database, stdout=io.StringIO())
    connection = connections[empty_database]
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        # The guards keep their names but let everything through...
        if postgresql:
            cursor.execute(
                "CREATE OR REPLACE FUNCTION proxima_audit_append_only() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END; $$"
            )
        else:
            for name in audit_chain.GUARDS["sqlite"]:
                cursor.execute(f"DROP TRIGGER {name}")
                cursor.execute(
                    f"CREATE TRIGGER {name} BEFORE UPDATE ON core_auditevent BEGIN SELECT 1; END"
                )
        # ...the last entry is cut off, and a migration row says the backup is newer.
        cursor.execute("DELETE FROM core_auditevent WHERE sequence = %s", [head.last_sequence])
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('core', '9999_x', %s)",
            [timezone.now()],
        )
    assert audit_chain.missing_guards(empty_database) == sorted(
        audit_chain.GUARDS[connection.vendor]
    )
    call_command("backup", str(tmp_path / "cut"), database=empty_database, stdout=io.StringIO())
    output = io.StringIO()
    with pytest.raises(CommandError, match=f"entry #{head.last_sequence} noted earlier"):
        call_command(
            "restore",
            str(tmp_path / "cut"),
            database=empty_database,
            force=True,
            expect=[noted],
            stdout=output,
        )
    assert "newer than the code" in output.getvalue()
    assert "had lost its guards" in output.getvalue()
    assert audit_chain.missing_guards(empty_database) == []
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET reason = 'again' WHERE sequence = 1")
