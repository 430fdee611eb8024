"""proxima locate LAT LON: the territories holding a point, one line each."""

import math

from django.core.management.base import BaseCommand, CommandError

from proxima.territories.services import territories_at


class Command(BaseCommand):
    help = "Print the territories holding a point (latitude, longitude): LEVEL CODE NAME."

    def add_arguments(self, parser):
        parser.add_argument("latitude", type=float)
        parser.add_argument("longitude", type=float)

    def handle(self, *args, **options):
        latitude, longitude = options["latitude"], options["longitude"]
        if not (math.isfinite(latitude) and math.isfinite(longitude)) or not (
            -90 <= latitude <= 90 and -180 <= longitude <= 180
        ):
            raise CommandError("The latitude is within -90..90 and the longitude -180..180.")
        for territory in territories_at(latitude, longitude):
            self.stdout.write(f"{territory.level} {territory.code} {territory.name_fr}")
