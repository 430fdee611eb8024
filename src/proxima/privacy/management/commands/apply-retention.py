"""`proxima apply-retention [--dry-run]`: apply the retention rules now (the daily task
does it at night) and print, per rule, how long it keeps and what was due."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from proxima.privacy.services.retention import RULES, apply_retention


class Command(BaseCommand):
    help = (
        "Delete what is past its retention time (table in docs/privacy.md); the audit log is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="count what is due, change nothing"
        )

    def handle(self, **options):
        report = apply_retention(dry_run=options["dry_run"])
        for rule in RULES:
            due = report.due[rule.code]
            if rule.delete and not report.dry_run:
                done = _("%(due)d deleted (%(rows)d rows with what hung on them)") % {
                    "due": due,
                    "rows": report.deleted_rows[rule.code],
                }
            elif rule.delete:
                done = _("%d due (dry run: nothing deleted)") % due
            else:
                done = _("%d older (kept)") % due
            kept = _("kept %(days)d days %(from_when)s") % {
                "days": rule.days,
                "from_when": rule.kept,
            }
            self.stdout.write(f"{rule.label}: {kept} · {done}")
        if not report.dry_run:
            self.stdout.write(
                self.style.SUCCESS(_("Retention applied; the run is in the audit log."))
            )
