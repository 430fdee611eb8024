import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from proxima.outcomes.services.instruments import (
    InstrumentError,
    conversion_from_csv,
    load_definition,
    load_instruments,
)


class Command(BaseCommand):
    help = (
        "Load the shipped instruments, or an instrument definition (JSON) your organization "
        "holds a licence for, with its conversion table (CSV: raw, converted) if it has one."
    )

    def add_arguments(self, parser):
        parser.add_argument("definition", nargs="?", type=Path)
        parser.add_argument("--conversion", type=Path, help="CSV table raw score → score")

    def handle(self, definition: Path | None, conversion: Path | None, **options):
        definition = Path(definition) if definition else None
        conversion = Path(conversion) if conversion else None
        try:
            if definition is None:
                created = load_instruments()
                self.stdout.write(self.style.SUCCESS(f"{created} instrument version(s) loaded."))
                return
            data = json.loads(definition.read_text(encoding="utf-8"))
            if conversion is not None:
                data.setdefault("scoring", {})["conversion"] = conversion_from_csv(conversion)
            loaded = load_definition(data)
        except (OSError, ValueError, InstrumentError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"{loaded} loaded."))
