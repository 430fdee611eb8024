from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from proxima.directory.services.hsds_import import HsdsImportError, import_hsds
from proxima.directory.services.hsds_legacy import HSDS_VERSIONS
from proxima.directory.services.hsds_spec import TOP_LEVEL_KINDS


class Command(BaseCommand):
    help = (
        "Import HSDS data: a JSON file (service, list, organization...) or a tabular CSV "
        "folder, in HSDS 3.0 or an older layout (1.0, 1.1, 2.0, Ohana's CSV). All or nothing."
    )

    def add_arguments(self, parser):
        # (Optional here so that "--legacy-ids PATH", the option's value taken for the
        # path, is read as the path: handle.)
        parser.add_argument("path", type=Path, nargs="?")
        parser.add_argument(
            "--kind",
            choices=TOP_LEVEL_KINDS,
            help="What the JSON holds (read from its records' fields otherwise, then from the file name).",
        )
        parser.add_argument(
            "--from",
            dest="from_version",
            metavar="VERSION",
            help=f"The HSDS version of the data ({', '.join(HSDS_VERSIONS)}; detected from "
            "the files otherwise). Older tabular folders are converted to 3.0, their ids "
            "with --legacy-ids.",
        )
        parser.add_argument(
            "--legacy-ids",
            nargs="?",
            const="",
            default=None,
            metavar="SOURCE",
            help="Convert ids that are not UUIDs (older directories) to stable UUIDs, "
            "the same on every import of SOURCE (default: the file or folder name); the "
            "originals are kept as metadata. Always on for versions before 3.0.",
        )
        parser.add_argument(
            "--text-language",
            default="en",
            metavar="CODE",
            help="The language the texts of an older folder are written in (default: en).",
        )

    def handle(self, path: Path | None, kind: str | None = None, **options):
        legacy = options.get("legacy_ids")
        if path is None:
            if not legacy:
                raise CommandError("Give the path of the file or folder to import.")
            # "import-hsds --legacy-ids PATH": the path, its name the default source.
            path, legacy = Path(legacy), ""
        source = (legacy or path.resolve().name) if legacy is not None else ""
        with tqdm(desc="Import", unit=" records", disable=options["verbosity"] == 0) as bar:
            try:
                report = import_hsds(
                    path,
                    kind=kind,
                    on_progress=bar.update,
                    legacy_ids=source,
                    from_version=options.get("from_version"),
                    text_language=options.get("text_language") or "en",
                )
            except HsdsImportError as error:
                raise CommandError(str(error)) from error
        created = sum(report.created.values())
        updated = sum(report.updated.values())
        deleted = sum(report.deleted.values())
        origin = ""
        if report.legacy_source:
            origin = (
                f" (HSDS {report.from_version} layout, ids converted with source "
                f"{report.legacy_source!r})"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path}{origin}: {created} created, {updated} updated, "
                + (f"{deleted} no longer listed deleted, " if deleted else "")
                + f"{report.indexed_services} services indexed."
            )
        )
        if report.warnings:
            self.stdout.write(
                self.style.WARNING(f"{len(report.warnings)} warning(s), nothing refused:")
            )
            for warning in report.warnings:
                self.stdout.write(f"  - {warning}")
