"""`proxima restore PATH`: put a backup made by `proxima backup` back into an empty database
(or, with --force, over the one there), then tell whether it is older than the code."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError

from proxima.core import audit_chain
from proxima.core.backup import BackupError, describe_database, restore_database


class Command(BaseCommand):
    help = "Restore a backup made by `proxima backup` into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="a backup file (.sqlite3 or .dump)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the contents of a database that is not empty",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias")
        parser.add_argument(
            "--expect",
            action="append",
            default=[],
            metavar="NUMBER:HASH",
            help="an audit entry noted outside the database (a head printed by "
            "verify-audit or the nightly check): it must be in the backup, unchanged",
        )

    def handle(self, path: Path, database: str, force: bool, expect: list, **options):
        noted = [audit_chain.parse_head(value) for value in expect]
        target = describe_database(database)
        self.stdout.write(f"Restoring {path} into the {target}...")
        try:
            report = restore_database(path, using=database, force=force)
        except (BackupError, DatabaseError) as error:
            raise CommandError(f"Restore failed: {error}") from error
        if options["verbosity"] >= 2:
            for table, rows in report.tables.items():
                self.stdout.write(f"  {table:<45} {rows:>10,} rows")
        self.stdout.write(
            f"Restored {len(report.tables)} tables, {report.rows:,} rows, "
            f"in {report.seconds:.1f} s."
        )
        if report.unapplied_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup is older than the code: {len(report.unapplied_migrations)} "
                    f"migrations to apply ({', '.join(report.unapplied_migrations)}). "
                    "Run `proxima migrate`."
                )
            )
        if report.unknown_migrations:
            self.stdout.write(
                self.style.WARNING(
                    "The backup is newer than the code: it has migrations this code does "
                    f"not know ({', '.join(report.unknown_migrations)}). Run the version of "
                    "Proxima that made it."
                )
            )
        if "core.0008_audit_append" in report.unapplied_migrations:
            self.stdout.write(
                self.style.WARNING(
                    "The backup predates the audit chain: run `proxima migrate`, then "
                    "`proxima verify-audit`."
                )
            )
        else:  # whatever else the backup says of itself (a migration row can be forged)
            self.check_audit(database, noted)
        self.stdout.write(self.style.SUCCESS(f"Restore complete: {target}"))

    def check_audit(self, database: str, noted: list[tuple[int, str]]) -> None:
        """A backup may have been tampered with: the audit table's guards are put back
        if they were gone, and the chain is checked whole; a broken chain fails the
        command (the data is restored, for whoever must investigate)."""
        put_back = audit_chain.put_back_guards(database)
        if put_back:
            self.stdout.write(
                self.style.WARNING(
                    "The backup's audit table had lost its guards against changes "
                    f"({', '.join(put_back)}): they are put back. Someone may have edited "
                    "the log before the backup; the chain check follows."
                )
            )
        chain = audit_chain.verify_chain(using=database)
        if not chain.ok:
            raise CommandError(
                f"Restored, but the audit chain is BROKEN: {chain.problem}. The log of this "
                "backup cannot be trusted past that entry; keep the file and tell the "
                "privacy officer."
            )
        for sequence, digest in noted:
            if not audit_chain.entry_matches(sequence, digest, using=database):
                raise CommandError(
                    f"Restored, but audit entry #{sequence} noted earlier is not in this "
                    f"backup as it was (its chain ends at #{chain.last_sequence}): the log "
                    "was cut short or rewritten. Keep the file and tell the privacy officer."
                )
        self.stdout.write(
            f"Audit chain whole: {chain.entries:,} entries, head {chain.last_sequence}:"
            f"{chain.last_hash}."
        )
