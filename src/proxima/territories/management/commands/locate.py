"""proxima locate LAT LON: the territories holding a point, one line each."""

import math
import re

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from proxima.territories.services import territories_at

NUMBER = re.compile(r"^-?[0-9]+([.,][0-9]+)?$")


def _degrees(text: str) -> float:
    """A latitude or longitude as typed: ASCII digits, a point or a comma for decimals."""
    if not NUMBER.match(text.strip()):
        raise CommandError(_("%s is not a number of degrees (e.g. 46.81 or 46,81).") % text[:40])
    return float(text.strip().replace(",", "."))


class Command(BaseCommand):
    help = "Print the territories holding a point (latitude, longitude): LEVEL CODE NAME."

    def add_arguments(self, parser):
        # "-71,35" is a longitude, not an option (argparse knows only "-71.35").
        parser._negative_number_matcher = re.compile(r"^-[0-9]+([.,][0-9]+)?$")
        parser.add_argument("latitude")
        parser.add_argument("longitude")

    def handle(self, *args, **options):
        latitude, longitude = _degrees(options["latitude"]), _degrees(options["longitude"])
        if not (math.isfinite(latitude) and math.isfinite(longitude)) or not (
            -90 <= latitude <= 90 and -180 <= longitude <= 180
        ):
            raise CommandError(
                _("The latitude is within -90..90 and the longitude within -180..180.")
            )
        found = territories_at(latitude, longitude)
        if not found:
            self.stderr.write(_("No territory holds this point."))
        for territory in found:
            self.stdout.write(f"{territory.level} {territory.code} {territory.name_fr}")
