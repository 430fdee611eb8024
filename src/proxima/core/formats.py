"""Numbers, distances and hours as a person reads them, in the active language.

French follows Quebec public-service usage (the Office québécois de la langue
française): "13 h", "16 h 30", "de 9 h à 17 h", a decimal comma ("1,8 km"). English
follows Canadian usage: "9 a.m.", "4:30 p.m.", "9 a.m. to 5 p.m."."""

import gettext
from functools import lru_cache

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

MINUTES_PER_DAY = 24 * 60


def _french() -> bool:
    return (get_language() or "fr").startswith("fr")


def time_of_day(minutes: int) -> str:
    """A time of day given in minutes since midnight (24:00 for the end of the day)."""
    hour, minute = divmod(int(minutes), 60)
    if _french():
        return f"{hour} h {minute:02d}" if minute else f"{hour} h"
    if hour % 24 == 0 and not minute:
        return "midnight"
    if hour == 12 and not minute:
        return "noon"
    suffix = "a.m." if hour % 24 < 12 else "p.m."
    twelve = hour % 12 or 12
    return f"{twelve}:{minute:02d} {suffix}" if minute else f"{twelve} {suffix}"


def time_span(opens: int, closes: int) -> str:
    """ "13 h à 16 h 30" / "1 p.m. to 4:30 p.m."; a whole day "24 h sur 24"."""
    if opens == 0 and closes >= MINUTES_PER_DAY:
        return _("24 hours a day")
    return _("%(opens)s to %(closes)s") % {
        "opens": time_of_day(opens),
        "closes": time_of_day(closes),
    }


def decimal(value: float, places: int = 1) -> str:
    """A number with the active language's separators ("1 234,5" / "1,234.5")."""
    return formats.number_format(round(value, places), places, use_l10n=True, force_grouping=True)


def distance_km(km: float) -> str:
    """ "1,8 km" / "1.8 km" (no decimal from 10 km on)."""
    return f"{decimal(km, 0 if round(km, 1) >= 10 else 1)} km"


def language_name(code: str) -> str:
    """A language's name in the reader's language ("arabe" / "Arabic") from its ISO 639
    code (the ISO 639-3 names and their French translations kept by pycountry); the code
    itself when unknown."""
    import pycountry

    base = (code or "").strip().lower().split("-")[0]
    found = pycountry.languages.get(alpha_2=base) if len(base) == 2 else None
    found = found or (pycountry.languages.get(alpha_3=base) if len(base) == 3 else None)
    if found is None:
        return code
    if _french():
        return _french_language_names().gettext(found.name).lower()
    return found.name


@lru_cache(maxsize=1)
def _french_language_names():
    import pycountry

    return gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=["fr"])


def collation_key(text) -> str:
    """Sorting words as a reader expects: accents and case aside ("Éducation" between
    "Droit" and "Emploi", not after "Z")."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


CSV_UNSAFE_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: str) -> str:
    """A text a spreadsheet never runs as a formula (names and reasons may be typed or
    imported by anyone)."""
    return f"'{value}" if value.startswith(CSV_UNSAFE_START) else value


def csv_text(header: list, rows) -> str:
    """A table as CSV, UTF-8 with a byte-order mark (so spreadsheets read the accents):
    the header as given; in the rows, dates in ISO 8601, nothing for None, numbers as
    they are, and text never run as a formula."""
    import csv
    import io
    from datetime import date

    def cell(value):
        if value is None:
            return ""
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, (int, float)):
            return value
        return spreadsheet_cell(str(value))

    output = io.StringIO()
    output.write("\ufeff")
    writer = csv.writer(output)
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return output.getvalue()
