"""`proxima research-extract --region 03 --from 2026-01-01 --to 2026-12-31 [--k 5]
[--out FILE.csv]`: the region's de-identified research extract (indicators/extract.py),
as CSV in the file (readable by its owner only) or on standard output, with the report of
what was generalized (on standard error when the CSV goes to standard output). Run by an
administrator on the server: audited as Proxima itself, in the region's log."""

import os
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from proxima.core.audit import SYSTEM
from proxima.core.models import Region
from proxima.indicators.extract import DEFAULT_K, ExtractError, export_extract, extract_csv


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _('%(option)s: give a date as YYYY-MM-DD, not "%(value)s".')
            % {"option": option, "value": value}
        ) from None


class Command(BaseCommand):
    help = (
        "Write a region's de-identified research extract (pseudonyms, age bands, months, "
        "territories generalized until k-anonymous) as CSV, and print what was generalized."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="the region's code, e.g. 03")
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--k", type=int, default=DEFAULT_K, help="people per combination")
        parser.add_argument("--out", help="the CSV file to write (standard output otherwise)")

    def handle(self, *args, **options):
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            raise CommandError(_("Unknown region: %s.") % options["region"])
        start, end = _day(options["start"], "--from"), _day(options["end"], "--to")
        try:
            extract = export_extract(region.pk, start, end, by=SYSTEM, k=options["k"])
        except ExtractError as error:
            raise CommandError("\n".join(error.errors.values())) from None
        text = extract_csv(extract)
        if options["out"]:
            try:
                fd = os.open(options["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as file:
                    file.write(text)
            except OSError as error:
                raise CommandError(
                    _("Cannot write %(path)s: %(problem)s")
                    % {"path": options["out"], "problem": error.strerror}
                ) from None
            for line in extract.report_lines():
                self.stdout.write(line)
        else:  # the CSV on standard output, the report beside it, plain
            self.stdout.write(text, ending="")
            for line in extract.report_lines():
                self.stderr.write(line, style_func=str)
