"""proxima import-territories FILE.geojson --level LEVEL --code-field F --name-field F ..."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from proxima.territories.models import TerritoryLevel
from proxima.territories.services import TerritoryImportError, import_territories


class Command(BaseCommand):
    help = (
        "Import territories' outlines from a GeoJSON FeatureCollection: one territory per "
        "feature, created or updated by level and code; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--level", required=True, choices=TerritoryLevel.values)
        parser.add_argument("--code-field", required=True)
        parser.add_argument("--name-field", required=True, help="the French (or only) name")
        parser.add_argument("--name-en-field")
        parser.add_argument("--population-field")
        parser.add_argument("--parent", help="the code of the territory that holds them")
        parser.add_argument("--source", default="", help="where the file comes from")

    def handle(self, *args, **options):
        try:
            report = import_territories(
                Path(options["path"]),
                level=options["level"],
                code_field=options["code_field"],
                name_field=options["name_field"],
                name_en_field=options["name_en_field"],
                population_field=options["population_field"],
                parent=options["parent"],
                source=options["source"] or Path(options["path"]).name,
            )
        except TerritoryImportError as error:
            labels = {
                "file": _("file"),
                "crs": _("coordinate system"),
                "parent": _("parent"),
                "level": _("level"),
            }
            lines = [
                f"  {labels.get(where, where)} : {message}"
                for where, message in error.errors.items()
            ]
            raise CommandError(_("Nothing imported:") + "\n" + "\n".join(lines)) from None
        self.stdout.write(
            _("created: %(created)d, updated: %(updated)d")
            % {"created": report.created, "updated": report.updated}
            + " "
            f"({options['level']}: {', '.join(report.codes[:10])}"
            f"{' …' if len(report.codes) > 10 else ''})"
        )
