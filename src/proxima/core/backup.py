"""Backups: a consistent copy of the database while the app serves, and its restoration.

SQLite: sqlite3's online backup API copies every page in one step under a read lock, so the
copy is consistent and writers go on (WAL). PostgreSQL: `pg_dump --format=custom`, taken in
the same snapshot as the row counts it reports, and `pg_restore`. The password reaches
pg_dump and pg_restore through PGPASSWORD, never on a command line; nothing here prints it.
Backups hold personal information: files and folders are created readable by their owner only.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
# Without these a file is not a Proxima database, whatever else it holds.
REQUIRED_TABLES = ("django_migrations", "django_content_type", "core_user")
PG_BIN_DIRS = ("/usr/lib/postgresql/{major}/bin", "/usr/pgsql-{major}/bin")
# sqlite3 retries a locked database forever; a backup gives up after this many seconds.
LOCK_WAIT = 60.0


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason for the operator."""


@dataclass(frozen=True)
class BackupReport:
    """What a backup wrote: the file, its size, and the rows of each table it holds."""

    path: Path
    vendor: str
    size: int
    tables: dict[str, int]
    seconds: float

    @property
    def rows(self) -> int:
        """Rows in every table together."""
        return sum(self.tables.values())


@dataclass(frozen=True)
class RestoreReport:
    """What a restore put back, and how its schema compares with the code's migrations."""

    path: Path
    vendor: str
    tables: dict[str, int]
    seconds: float
    unapplied_migrations: list[str] = field(default_factory=list)
    unknown_migrations: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Rows in every table together."""
        return sum(self.tables.values())


def describe_database(using: str = DEFAULT_DB_ALIAS) -> str:
    """Which database an alias points at, for people to read (never its password)."""
    settings_dict = connections[using].settings_dict
    if connections[using].vendor == "sqlite":
        return f"SQLite database {settings_dict['NAME']}"
    host = settings_dict.get("HOST") or "local socket"
    port = settings_dict.get("PORT") or 5432
    return f'PostgreSQL database "{settings_dict["NAME"]}" on {host}:{port}'


def human_size(size: int) -> str:
    """A file size for people: 1536 -> '1.5 KB'."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


def default_backup_path(
    vendor: str, *, folder: Path = Path("backups"), now: datetime | None = None
) -> Path:
    """backups/proxima-YYYYmmdd-HHMMSS.sqlite3 (SQLite) or .dump (PostgreSQL), local time."""
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    return folder / f"proxima-{stamp}.{'sqlite3' if vendor == 'sqlite' else 'dump'}"


def backup_database(path: Path | None = None, *, using: str = DEFAULT_DB_ALIAS) -> BackupReport:
    """Write a consistent copy of the database to `path` (a new file) and count its rows."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    path = Path(path) if path else default_backup_path(connection.vendor)
    if path.exists():
        raise BackupError(f"{path} already exists: choose another file name.")
    started = time.monotonic()
    partial = path.with_name(f".{path.name}.partial")
    try:
        _private_folder(path.parent)
        _create_private_file(partial)
    except OSError as error:  # not a folder, no right to write there, a read-only disk...
        raise BackupError(f"cannot write {path}: {error.strerror or error}.") from error
    try:
        if connection.vendor == "sqlite":
            tables = _backup_sqlite(connection, partial)
        else:
            tables = _backup_postgresql(using, partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(
        path, connection.vendor, path.stat().st_size, tables, time.monotonic() - started
    )


def restore_database(
    path: Path, *, using: str = DEFAULT_DB_ALIAS, force: bool = False
) -> RestoreReport:
    """Put a backup back into the database; refuses one that holds tables unless `force`."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    connection = connections[using]
    started = time.monotonic()
    kind = _backup_kind(path)
    if kind != connection.vendor:
        raise BackupError(
            f"{path} is a {_VENDOR_NAMES.get(kind, 'not a Proxima backup')} file, but the database "
            f"is {_VENDOR_NAMES.get(connection.vendor, connection.vendor)}."
        )
    existing = database_tables(using)
    if existing and not force:
        raise BackupError(
            f"{describe_database(using)} is not empty ({len(existing)} tables): restore into an "
            "empty database, or pass --force to replace its contents."
        )
    if connection.vendor == "sqlite":
        _restore_sqlite(connection, path)
    else:
        _restore_postgresql(using, path, clean=bool(existing))
    unapplied, unknown = migration_state(using)
    return RestoreReport(
        path,
        connection.vendor,
        count_rows(using),
        time.monotonic() - started,
        unapplied,
        unknown,
    )


def database_tables(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Every table of the database (all schemas on PostgreSQL), whatever created it."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(_PG_TABLES_SQL)
        return [row[0] for row in cursor.fetchall()]


def count_rows(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows in each table of the database."""
    tables = database_tables(using)
    with connections[using].cursor() as cursor:
        return _count(
            cursor, tables, _pg_quote if connections[using].vendor != "sqlite" else _quote
        )


def migration_state(using: str = DEFAULT_DB_ALIAS) -> tuple[list[str], list[str]]:
    """Migrations of the code not applied to the database (it is older than the code), and
    migrations applied to it that the code does not know (it is newer)."""
    executor = MigrationExecutor(connections[using])
    loader = executor.loader
    plan = executor.migration_plan(loader.graph.leaf_nodes())
    unapplied = [f"{migration.app_label}.{migration.name}" for migration, _back in plan]
    unknown = sorted(
        f"{app_label}.{name}"
        for app_label, name in loader.applied_migrations
        if app_label in loader.migrated_apps and (app_label, name) not in loader.disk_migrations
    )
    return unapplied, unknown


def model_tables() -> set[str]:
    """The tables of every installed app's models, many-to-many tables included."""
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


# --- SQLite --------------------------------------------------------------------------------


def _backup_sqlite(connection: BaseDatabaseWrapper, target_path: Path) -> dict[str, int]:
    connection.ensure_connection()
    target = sqlite3.connect(target_path)
    try:
        # pages=-1: every page in one step, so no write can slip in between two parts.
        connection.connection.backup(target, pages=-1, progress=_give_up_after(LOCK_WAIT))
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside
        _check_sqlite(target, target_path)
        return _count(target.cursor(), _sqlite_tables(target), _quote)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not copy the database: {error}") from error
    finally:
        target.close()


def _restore_sqlite(connection: BaseDatabaseWrapper, path: Path) -> None:
    try:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupError(f"{path} cannot be opened by SQLite: {error}") from error
    try:
        _check_sqlite(source, path)
        connection.ensure_connection()
        # Through SQLite's own locking: other connections of a running app see the whole
        # restored database or the old one, never a half-copied file.
        source.backup(connection.connection, pages=-1, progress=_give_up_after(LOCK_WAIT))
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not restore {path}: {error}") from error
    finally:
        source.close()


def _give_up_after(seconds: float):
    """A backup progress callback that stops a copy still waiting for a lock after `seconds`."""
    deadline = time.monotonic() + seconds

    def progress(status: int, remaining: int, total: int) -> None:
        if status in (5, 6) and time.monotonic() > deadline:  # SQLITE_BUSY, SQLITE_LOCKED
            raise BackupError(f"the database stayed locked for {seconds:.0f} s; try again.")

    return progress


def _check_sqlite(database: sqlite3.Connection, path: Path) -> None:
    try:
        verdict = database.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a readable SQLite database: {error}") from error
    if verdict != "ok":
        raise BackupError(f"{path} is damaged (SQLite quick_check: {verdict}).")
    missing = set(REQUIRED_TABLES) - set(_sqlite_tables(database))
    if missing:
        raise BackupError(
            f"{path} is not a Proxima database: no {', '.join(sorted(missing))} table."
        )


def _sqlite_tables(database: sqlite3.Connection) -> list[str]:
    rows = database.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
    )
    return [row[0] for row in rows]


# --- PostgreSQL ----------------------------------------------------------------------------

_PG_TABLES_SQL = (
    "SELECT CASE WHEN schemaname = 'public' THEN tablename "
    "ELSE schemaname || '.' || tablename END FROM pg_tables "
    "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
)
_VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _backup_postgresql(using: str, target_path: Path) -> dict[str, int]:
    pg_dump = _pg_tool("pg_dump", _server_major(using))
    exporter = connections[using].copy()  # its own session, for its own transaction
    try:
        with exporter.cursor() as cursor:
            # The dump and the counts read one snapshot: the counts are what the file holds.
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run_pg_tool(
                using,
                [pg_dump, "--format=custom", f"--file={target_path}", f"--snapshot={snapshot}"],
                "pg_dump",
            )
            cursor.execute(_PG_TABLES_SQL)
            tables = [row[0] for row in cursor.fetchall()]
            counts = _count(cursor, tables, _pg_quote)
            cursor.execute("COMMIT")
    finally:
        exporter.close()
    return counts


def _restore_postgresql(using: str, path: Path, *, clean: bool) -> None:
    pg_restore = _pg_tool("pg_restore", _server_major(using))
    command = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error"]
    command += ["--single-transaction", *(["--clean", "--if-exists"] if clean else [])]
    connections[using].close()  # no session of ours holds a lock on what is replaced
    _run_pg_tool(using, [*command, str(path)], "pg_restore")


def _run_pg_tool(using: str, command: list[str], name: str) -> None:
    settings_dict = connections[using].settings_dict
    arguments, env = _pg_connection_arguments(settings_dict)
    arguments.append(f"--dbname={settings_dict['NAME']}")
    done = subprocess.run(  # noqa: S603 - a PostgreSQL tool found by _pg_tool, no shell
        [*command, *arguments], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-5:]
        raise BackupError(f"{name} failed (exit code {done.returncode}): " + " / ".join(detail))


def _pg_connection_arguments(settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    """Host, port and user as arguments; password and TLS options in the environment."""
    arguments = ["--no-password"]
    if settings_dict.get("HOST"):
        arguments.append(f"--host={settings_dict['HOST']}")
    if settings_dict.get("PORT"):
        arguments.append(f"--port={settings_dict['PORT']}")
    if settings_dict.get("USER"):
        arguments.append(f"--username={settings_dict['USER']}")
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS") or {}
    for option, variable in _PG_ENV_OPTIONS.items():
        if options.get(option):
            env[variable] = str(options[option])
    return arguments, env


_PG_ENV_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


def _server_major(using: str) -> int:
    connection = connections[using]
    connection.ensure_connection()
    return connection.pg_version // 10000


def _pg_tool(name: str, server_major: int) -> str:
    """The PostgreSQL tool of the server's major version, or a newer one."""
    candidates = [Path(folder.format(major=server_major)) / name for folder in PG_BIN_DIRS]
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    found = []
    for candidate in candidates:
        if not candidate.is_file():
            continue
        major = _tool_major(candidate)
        if major is not None and major >= server_major:
            return str(candidate)
        found.append(f"{candidate} (version {major})")
    if not found:
        raise BackupError(
            f"{name} not found: install PostgreSQL {server_major}'s client tools "
            f"(Debian: apt-get install postgresql-client-{server_major})."
        )
    raise BackupError(
        f"{name} must be of version {server_major} or newer, like the server; found "
        + ", ".join(found)
        + "."
    )


def _tool_major(path: Path) -> int | None:
    done = subprocess.run(  # noqa: S603 - a PostgreSQL tool's own --version
        [str(path), "--version"], capture_output=True, text=True, check=False
    )
    match = re.search(r"(\d+)(?:\.\d+)?", done.stdout)
    return int(match.group(1)) if match else None


# --- Shared --------------------------------------------------------------------------------


def _backup_kind(path: Path) -> str:
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(
        f"{path} is neither a SQLite database nor a pg_dump custom-format file: "
        "not a Proxima backup."
    )


def _private_folder(folder: Path) -> None:
    """The folder, created with every missing parent readable by the owner only."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        made.mkdir(mode=0o700)


def _create_private_file(path: Path) -> None:
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def _count(cursor, tables: list[str], quote) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - quoted names
        counts[table] = cursor.fetchone()[0]
    return counts


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _pg_quote(name: str) -> str:
    return ".".join(_quote(part) for part in name.split(".", 1))
