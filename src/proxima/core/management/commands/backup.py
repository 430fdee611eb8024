"""`proxima backup [PATH]`: a consistent copy of the database, taken while the app serves
(SQLite's online backup API, or pg_dump on PostgreSQL); see proxima.core.backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError

from proxima.core.backup import BackupError, backup_database, describe_database, human_size


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database to PATH (default: "
        "backups/proxima-YYYYmmdd-HHMMSS.sqlite3, or .dump on PostgreSQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, help="the file to write (new)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias")

    def handle(self, path: Path | None, database: str, **options):
        self.stdout.write(f"Backing up the {describe_database(database)}...")
        try:
            report = backup_database(path, using=database)
        except (BackupError, DatabaseError) as error:
            raise CommandError(f"Backup failed: {error}") from error
        if options["verbosity"] >= 2:
            for table, rows in report.tables.items():
                self.stdout.write(f"  {table:<45} {rows:>10,} rows")
        self.stdout.write(
            f"Wrote {report.path} ({human_size(report.size)}): {len(report.tables)} tables, "
            f"{report.rows:,} rows, in {report.seconds:.1f} s."
        )
        self.stdout.write(self.style.SUCCESS(f"Backup complete: {report.path}"))
