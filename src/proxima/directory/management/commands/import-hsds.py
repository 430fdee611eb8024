from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from proxima.directory.services.hsds_import import HsdsImportError, import_hsds
from proxima.directory.services.hsds_spec import TOP_LEVEL_KINDS


class Command(BaseCommand):
    help = "Import HSDS 3.0 data: a JSON file (service, list, organization...) or a tabular CSV folder. All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--kind",
            choices=TOP_LEVEL_KINDS,
            help="What the JSON holds (guessed from the file name otherwise).",
        )
        parser.add_argument(
            "--legacy-ids",
            nargs="?",
            const="",
            default=None,
            metavar="SOURCE",
            help="Convert ids that are not UUIDs (older directories) to stable UUIDs, "
            "the same on every import of SOURCE (default: the file or folder name); the "
            "originals are kept as metadata.",
        )

    def handle(self, path: Path, kind: str | None = None, **options):
        legacy = options.get("legacy_ids")
        source = (legacy or path.resolve().name) if legacy is not None else ""
        with tqdm(desc="Import", unit=" records", disable=options["verbosity"] == 0) as bar:
            try:
                report = import_hsds(path, kind=kind, on_progress=bar.update, legacy_ids=source)
            except HsdsImportError as error:
                raise CommandError(str(error)) from error
        created = sum(report.created.values())
        updated = sum(report.updated.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path}: {created} created, {updated} updated, "
                f"{report.indexed_services} services indexed."
            )
        )
