from pathlib import Path

from django.core.management.base import BaseCommand

from proxima.core.audit import record_audit_event
from proxima.directory.services.hsds_export import export_json, export_tabular


class Command(BaseCommand):
    help = "Export the directory as HSDS 3.0: PATH ending in .json gives nested services, otherwise a tabular folder."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--include-confidential",
            action="store_true",
            help="Keep the addresses and coordinates of confidential locations (staff use only).",
        )

    def handle(self, path: Path, include_confidential: bool = False, **options):
        public = not include_confidential
        if include_confidential:
            record_audit_event(
                None,
                "export_confidential_locations",
                object_type="directory.location",
                object_id="*",
                reason=f"export-hsds --include-confidential {path}",
            )
        if path.suffix.lower() == ".json":
            count = export_json(path, public=public)
            self.stdout.write(self.style.SUCCESS(f"Exported {count} services to {path}"))
        else:
            counts = export_tabular(path, public=public)
            self.stdout.write(
                self.style.SUCCESS(f"Exported {sum(counts.values())} records to {path}/")
            )
