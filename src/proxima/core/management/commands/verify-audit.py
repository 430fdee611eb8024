"""`proxima verify-audit`: check the audit log's hash chain, first entry to last."""

import time

from django.core.management.base import BaseCommand, CommandError

from proxima.core.audit import check_audit_chain
from proxima.core.audit_chain import entry_matches, parse_head


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain: prints OK with the number of entries and the "
        "head, or the first broken entry (exit code 1). The check itself is logged."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect",
            action="append",
            default=[],
            metavar="NUMBER:HASH",
            help="an entry noted outside the database by an earlier run (its head): it "
            "must still be there, unchanged; catches a log cut short (repeatable)",
        )

    def handle(self, **options):
        noted = [parse_head(value) for value in options["expect"]]
        started = time.monotonic()
        report = check_audit_chain()
        seconds = time.monotonic() - started
        if not report.ok:
            raise CommandError(
                f"Audit chain BROKEN at entry #{report.broken_at}: {report.problem} "
                f"({report.entries} entries before it are intact).",
                returncode=1,
            )
        for sequence, digest in noted:
            if not entry_matches(sequence, digest):
                gone = sequence > report.last_sequence
                what = (
                    f"is gone (the chain now ends at #{report.last_sequence}: it was cut short)"
                    if gone
                    else "was changed, and the chain rewritten after it"
                )
                raise CommandError(
                    f"Audit chain BROKEN: entry #{sequence} noted earlier {what}.", returncode=1
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit chain OK: {report.entries} entries checked in {seconds:.2f} s."
            )
        )
        self.stdout.write(f"Head: {report.last_sequence}:{report.last_hash}")
