"""Older directories into HSDS 3.0: the tabular layouts of HSDS 1.0, 1.1 and 2.0, and
Ohana's CSV layout (the one Code for America's ohana-api reads).

Each older table becomes HSDS 3.0 records handed to the import's collector, so the same
checks (schema, semantic checks, links) and the same all-or-nothing write apply:
regular_schedules become weekly schedules (byday MO..SU), holiday_schedules dated ones,
physical and postal addresses one address table, services.location_id a service at a
location, comma lists (languages, accessibility, funding sources, service areas, required
documents, keywords, Open Eligibility taxonomy_ids) records of their own. Ids are not
UUIDs in these formats: each becomes uuid5(source, table and id), the same on every
import, and the original is kept as metadata. What has no place in HSDS 3.0 is left out
with a warning, never silently.
"""

import csv
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from proxima.directory.models import TaxonomyTerm
from proxima.directory.services.hsds_import import (
    UUID_PATTERN,
    _Collector,
    is_language_code,
    is_uuid,
    legacy_uuid,
)
from proxima.directory.services.hsds_spec import KINDS, REQUIRED_LINKS
from proxima.directory.services.taxonomy import (
    OPEN_ELIGIBILITY_TAXONOMY_ID,
    open_eligibility_term_id,
)

LEGACY_VERSIONS = ("1.0", "1.1", "2.0")
HSDS_VERSIONS = (*LEGACY_VERSIONS, "3.0")

# The file names each older table goes by: HSDS 1.0 singular, 1.1 and 2.0 plural, Ohana's.
TABLE_FILES: dict[str, tuple[str, ...]] = {
    "organization": ("organizations", "organization"),
    "program": ("programs", "program"),
    "service": ("services", "service"),
    "location": ("locations", "location"),
    "service_at_location": ("service_at_location", "services_at_location"),
    "physical_address": ("physical_addresses", "physical_address", "addresses", "address"),
    "postal_address": ("postal_addresses", "postal_address", "mail_addresses", "mail_address"),
    "phone": ("phones", "phone"),
    "contact": ("contacts", "contact"),
    "regular_schedule": ("regular_schedules", "regular_schedule"),
    "holiday_schedule": ("holiday_schedules", "holiday_schedule"),
    "schedule": ("schedules", "schedule"),
    "language": ("languages", "language"),
    "accessibility": ("accessibility_for_disabilities", "accessibility"),
    "service_area": ("service_areas", "service_area"),
    "required_document": ("required_documents", "required_document"),
    "funding": ("funding", "fundings"),
    "eligibility": ("eligibility", "eligibilities"),
    "payment_accepted": ("payment_accepted", "payments_accepted"),
    "taxonomy": ("taxonomies",),
    "taxonomy_term": ("taxonomy_terms", "taxonomy_term", "taxonomy"),
    "service_taxonomy": ("service_taxonomy", "service_attributes", "service_attribute"),
    "other_attribute": ("other_attributes", "other_attribute"),
    "metadata": ("metadata",),
    "meta_table_description": ("meta_table_description", "meta_table_descriptions"),
}
NOT_IMPORTED = {
    "metadata": "older metadata rows name records without their table; not imported",
    "meta_table_description": "table descriptions of the older format; not imported",
}
# Tables only older layouts have: one of them present means an older folder.
OLDER_ONLY = {
    stem
    for name in (
        "regular_schedule",
        "holiday_schedule",
        "physical_address",
        "postal_address",
        "service_taxonomy",
        "other_attribute",
        "eligibility",
        "payment_accepted",
    )
    for stem in TABLE_FILES[name]
    if stem not in ("addresses", "address")
} | {"accessibility_for_disabilities", "taxonomy", "organization", "service", "location"}
# Columns of 3.0 tables that only older layouts have.
OLDER_COLUMNS = {
    "services": {"taxonomy_ids", "keywords", "location_id", "languages", "service_areas"},
    "locations": {"accessibility", "languages", "virtual", "short_desc"},
}

# Links an older folder must resolve in the data or the directory (3.0 keeps some loose).
LEGACY_LINKS = {
    **REQUIRED_LINKS,
    ("location", "organization_id"): "organization",
    ("address", "location_id"): "location",
    ("schedule", "location_id"): "location",
    ("schedule", "service_id"): "service",
    ("schedule", "service_at_location_id"): "service_at_location",
    ("phone", "location_id"): "location",
    ("phone", "service_id"): "service",
    ("phone", "organization_id"): "organization",
    ("phone", "contact_id"): "contact",
    ("phone", "service_at_location_id"): "service_at_location",
    ("contact", "location_id"): "location",
    ("contact", "service_id"): "service",
    ("contact", "organization_id"): "organization",
    ("contact", "service_at_location_id"): "service_at_location",
    ("language", "location_id"): "location",
    ("language", "service_id"): "service",
    ("language", "phone_id"): "phone",
    ("accessibility", "location_id"): "location",
    ("service_area", "service_id"): "service",
    ("required_document", "service_id"): "service",
    ("funding", "service_id"): "service",
    ("funding", "organization_id"): "organization",
}

WEEKDAYS = {
    **dict.fromkeys(("monday", "mon", "mo", "lundi", "lun", "1"), "MO"),
    **dict.fromkeys(("tuesday", "tue", "tues", "tu", "mardi", "mar", "2"), "TU"),
    **dict.fromkeys(("wednesday", "wed", "we", "mercredi", "mer", "3"), "WE"),
    **dict.fromkeys(("thursday", "thu", "thur", "thurs", "th", "jeudi", "jeu", "4"), "TH"),
    **dict.fromkeys(("friday", "fri", "fr", "vendredi", "ven", "5"), "FR"),
    **dict.fromkeys(("saturday", "sat", "sa", "samedi", "sam", "6"), "SA"),
    **dict.fromkeys(("sunday", "sun", "su", "dimanche", "dim", "7", "0"), "SU"),
}
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
CLOCK = re.compile(
    r"(?P<hour>\d{1,2})(?:[:h.](?P<minute>\d{2})?|(?P<compact>\d{2}))?"
    r"(?::(?P<second>\d{2}))?(?P<half>am|pm|a|p|a\.m\.|p\.m\.)?"
)
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y")
DATE_FORMATS += ("%d %B %Y", "%d %b %Y", "%Y/%m/%d")
# Dates before this year are placeholders (Ohana writes "January 01, 0001" for "no date").
EARLIEST_REAL_YEAR = 1900
TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1", "x", "closed", "oui", "vrai"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "0", "", "open", "non", "faux"})

# Language names older directories write, in English and French, to ISO 639 codes.
LANGUAGE_CODES = {
    "english": "en",
    "anglais": "en",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "spanish": "es",
    "espagnol": "es",
    "español": "es",
    "chinese": "zh",
    "chinois": "zh",
    "mandarin": "zh",
    "cantonese": "zh",
    "cantonais": "zh",
    "taiwanese": "nan",
    "tagalog": "tl",
    "filipino": "fil",
    "italian": "it",
    "italien": "it",
    "hindi": "hi",
    "vietnamese": "vi",
    "vietnamien": "vi",
    "korean": "ko",
    "coréen": "ko",
    "russian": "ru",
    "russe": "ru",
    "arabic": "ar",
    "arabe": "ar",
    "portuguese": "pt",
    "portugais": "pt",
    "german": "de",
    "allemand": "de",
    "japanese": "ja",
    "japonais": "ja",
    "punjabi": "pa",
    "persian": "fa",
    "farsi": "fa",
    "dari": "prs",
    "pashto": "ps",
    "urdu": "ur",
    "bengali": "bn",
    "tamil": "ta",
    "gujarati": "gu",
    "somali": "so",
    "amharic": "am",
    "tigrinya": "ti",
    "swahili": "sw",
    "haitian creole": "ht",
    "créole haïtien": "ht",
    "creole": "ht",
    "polish": "pl",
    "polonais": "pl",
    "greek": "el",
    "grec": "el",
    "hebrew": "he",
    "ukrainian": "uk",
    "ukrainien": "uk",
    "romanian": "ro",
    "roumain": "ro",
    "turkish": "tr",
    "turc": "tr",
    "thai": "th",
    "khmer": "km",
    "cambodian": "km",
    "lao": "lo",
    "laotian": "lo",
    "hmong": "hmn",
    "burmese": "my",
    "nepali": "ne",
    "kurdish": "ku",
    "armenian": "hy",
    "samoan": "sm",
    "tongan": "to",
    "american sign language": "ase",
    "asl": "ase",
    "langue des signes québécoise": "fcs",
    "lsq": "fcs",
    "sign language": "sgn",
    "inuktitut": "iu",
    "cree": "cr",
    "cri": "cr",
    "ojibwe": "oj",
    "innu": "moe",
    "atikamekw": "atj",
    "mohawk": "moh",
    "mi'kmaq": "mic",
}
# Ohana's accessibility codes, in words (the search reads "wheelchair", "ramp", ...).
ACCESSIBILITY_WORDS = {
    "cd": "Information on CD",
    "deaf_interpreter": "Deaf interpreter",
    "disabled_parking": "Disabled parking",
    "elevator": "Elevator",
    "ramp": "Ramp",
    "restroom": "Accessible restroom",
    "tape_braille": "Information on tape or in Braille",
    "tty": "TTY",
    "wheelchair": "Wheelchair accessible",
    "wheelchair_van": "Wheelchair accessible van",
}
PHONE_TYPES = {
    "voice": "voice",
    "fax": "fax",
    "cell": "cell",
    "mobile": "cell",
    "sms": "text",
    "text": "text",
    "tty": "textphone",
    "tdd": "textphone",
    "textphone": "textphone",
    "video": "video",
    "pager": "pager",
    "hotline": "voice",
}
TRANSLATABLE = ("organization", "program", "service", "location")


class LegacyCollector(_Collector):
    """The import's collector, speaking of the older files' rows and ids in its problems
    (the records it checks carry converted UUIDs)."""

    links = LEGACY_LINKS

    def __init__(self, *, legacy_ids: str) -> None:
        super().__init__(legacy_ids=legacy_ids)
        self.text_values = True  # CSV files
        self.originals: dict[str, str] = {}  # converted UUID → the id the file gave
        self.rows: dict[str, str] = {}  # a record's UUID → "row N (id 'X')"

    def problem(self, source: str, record: str, field_name: str, message: str) -> None:
        kind, _, rest = record.partition(" ")
        match = re.match(r"'([0-9a-fA-F-]{36})'(.*)", rest)
        if kind in KINDS and match and match.group(1) in self.rows:
            record = self.rows[match.group(1)] + match.group(2)
        message = UUID_PATTERN.sub(lambda m: self.originals.get(m.group(0), m.group(0)), message)
        super().problem(source, record, field_name, message)


@dataclass
class _Table:
    name: str
    path: Path
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]
    used: set[str] = field(default_factory=lambda: {"id"})

    def get(self, row: dict[str, str], *names: str) -> str:
        """The first of these columns with a value, stripped ('' when none)."""
        self.used.update(names)
        for name in names:
            value = (row.get(name) or "").strip()
            if value:
                return value
        return ""


def detect_version(path: Path) -> str:
    """The HSDS version a path is in: an older layout when its tables or columns say so
    (regular_schedules.csv, physical_addresses.csv, mail_addresses.csv, addresses.csv without
    address_type, services.csv with taxonomy_ids or keywords...), else 3.0."""
    if not path.is_dir():
        return "3.0"
    stems = {p.stem.lower(): p for p in path.glob("*.csv")}
    older = bool(OLDER_ONLY & set(stems))
    if "addresses" in stems and "address_type" not in _header(stems["addresses"]):
        older = True
    for stem, columns in OLDER_COLUMNS.items():
        if stem in stems and columns & set(_header(stems[stem])):
            older = True
    if not older:
        return "3.0"
    if {"service_attributes", "other_attributes", "taxonomy_terms"} & set(stems) or (
        "schedules" in stems and {"freq", "byday"} & set(_header(stems["schedules"]))
    ):
        return "2.0"
    if {"organization", "service", "location"} & set(stems):
        return "1.0"
    return "1.1"


def _header(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [name.strip().lower() for name in next(csv.reader(handle), [])]
    except (UnicodeDecodeError, csv.Error, OSError):
        return []


def read_legacy(path: Path, collector: LegacyCollector, *, text_language: str = "en") -> None:
    """Turn an older tabular folder into HSDS 3.0 records in the collector."""
    if not path.is_dir():
        where = "file" if path.exists() else "path"
        message = (
            "older HSDS versions are read from a folder of CSV tables"
            if path.exists()
            else "no such file or folder"
        )
        collector.problem(path.name, where, "", message)
        return
    if not is_language_code(text_language):
        collector.problem(
            path.name,
            "option --text-language",
            "text_language",
            f"{text_language!r} is not a language code (such as en or fr)",
        )
        return
    _LegacyReader(path, collector, text_language).read()


class _LegacyReader:
    def __init__(self, folder: Path, collector: LegacyCollector, text_language: str) -> None:
        self.folder = folder
        self.c = collector
        self.source = collector.legacy_ids
        self.text_language = text_language
        self.tables: dict[str, _Table] = {}
        self.location_organization: dict[str, str] = {}  # raw location id → raw org id
        self.term_ids: dict[str, str] = {}  # raw taxonomy term id → term UUID
        self.oe_codes: set[str] = set()  # Open Eligibility codes the folder's taxonomy holds
        self._oe_loaded: set[str] | None = None
        self.service_extras: dict[str, dict[str, list[str]]] = {}

    # --- ids -------------------------------------------------------------------------

    def ref(self, kind: str, raw: str, table: str = "") -> str:
        """The UUID a reference to an older id becomes (UUIDs are kept)."""
        if not raw or is_uuid(raw):
            return raw
        converted = legacy_uuid(self.source, f"{table or kind}:{raw}")
        self.c.originals[converted] = raw
        return converted

    def own_id(self, kind: str, raw: str, table: _Table, number: int, name: str = "") -> str:
        """A record's own converted id; the original is kept as metadata."""
        converted = self.ref(kind, raw, name)
        if raw and converted != raw:
            self.c.converted[(kind, converted)] = f"{name}:{raw}" if name else raw
        if converted:
            self.c.rows[converted] = f"row {number} (id {raw!r})"
        return converted

    def derived_id(self, kind: str, table: _Table, number: int, *parts: str) -> str:
        """The id of a record made from part of a row (a language of a comma list)."""
        converted = legacy_uuid(self.source, ":".join((kind, *parts)))
        self.c.rows[converted] = f"row {number} ({kind.replace('_', ' ')})"
        return converted

    # --- reading ---------------------------------------------------------------------

    def read(self) -> None:
        stems = {p.stem.lower(): p for p in sorted(self.folder.glob("*.csv"))}
        claimed: set[str] = set()
        for name, files in TABLE_FILES.items():
            for stem in files:
                if stem in stems and stem not in claimed:
                    claimed.add(stem)
                    table = self._load(name, stems[stem])
                    if table is not None:
                        self.tables[name] = table
                    break
        for stem, found in stems.items():
            if stem not in claimed:
                self.c.warn(found.name, "file", "", "not a table of an older HSDS layout; skipped")
        if not {"organization", "service", "location"} & set(self.tables):
            if not self.c.problems:
                self.c.problem(
                    self.folder.name,
                    "folder",
                    "",
                    "no older HSDS table (organizations.csv, services.csv, locations.csv) found",
                )
            return
        for name, reason in NOT_IMPORTED.items():
            if name in self.tables:
                self.c.warn(self.tables.pop(name).path.name, "file", "", reason)
        self._prepare()
        for step in (
            self._taxonomies,
            self._terms,
            self._organizations,
            self._programs,
            self._locations,
            self._services,
            self._services_at_locations,
            self._addresses,
            self._contacts,
            self._phones,
            self._regular_schedules,
            self._holiday_schedules,
            self._schedules,
            self._languages,
            self._accessibility,
            self._service_areas,
            self._required_documents,
            self._funding,
            self._service_taxonomy,
            self._other_attributes,
        ):
            step()
        for table in self.tables.values():
            self._warn_unread_columns(table)

    def _load(self, name: str, path: Path) -> _Table | None:
        rows: list[tuple[int, dict[str, str]]] = []
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle, strict=True)  # an unclosed quote: an error
                columns = [c.strip().lower() for c in reader.fieldnames or []]
                reader.fieldnames = columns
                for number, row in enumerate(reader, start=2):
                    if None in row:
                        self.c.problem(path.name, f"row {number}", "", "more values than columns")
                        continue
                    rows.append((number, row))
        except UnicodeDecodeError as error:
            self.c.problem(path.name, "file", "", f"not UTF-8 text ({error.reason})")
            return None
        except csv.Error as error:
            self.c.problem(path.name, "file", "", f"unreadable CSV: {error}")
            return None
        return _Table(name, path, columns, rows)

    def _warn_unread_columns(self, table: _Table) -> None:
        for column in table.columns:
            if column in table.used:
                continue
            if any((row.get(column) or "").strip() for _, row in table.rows):
                self.c.warn(
                    table.path.name,
                    "header",
                    column,
                    "has no place in HSDS 3.0; its values were not imported",
                )

    def _add(self, kind: str, data: dict[str, Any], table: _Table, number: int) -> None:
        if kind in TRANSLATABLE:
            data["proxima"] = {"text_language": self.text_language}
        self.c.add(KINDS[kind], data, table.path.name, f"row {number}", {}, top_level=True)

    def _each(self, name: str):
        table = self.tables.get(name)
        if table is None:
            return
        for number, row in table.rows:
            yield table, number, row

    def _prepare(self) -> None:
        """What other tables need first: each location's organization, the service
        eligibility and payment rows that become service texts."""
        for table, _, row in self._each("location"):
            raw = table.get(row, "id")
            if raw:
                self.location_organization[raw] = table.get(row, "organization_id")
        for name, column in (("eligibility", "eligibility"), ("payment_accepted", "payment")):
            for table, _, row in self._each(name):
                service = table.get(row, "service_id")
                value = table.get(row, column)
                if service and value:
                    extras = self.service_extras.setdefault(service, {})
                    extras.setdefault(name, []).append(value)
            if name in self.tables:
                self.tables[name].used.add("service_id")

    # --- taxonomies --------------------------------------------------------------------

    def _taxonomies(self) -> None:
        for table, number, row in self._each("taxonomy"):
            data = {
                "id": self.own_id("taxonomy", table.get(row, "id"), table, number),
                "name": table.get(row, "name") or None,
                "description": table.get(row, "description"),
                "uri": table.get(row, "uri"),
                "version": table.get(row, "version"),
            }
            self._add("taxonomy", data, table, number)

    def _terms(self) -> None:
        """taxonomy.csv (1.x: id, name, parent_id, vocabulary; Ohana: taxonomy_id, name,
        parent_id) or taxonomy_terms.csv (2.0: id, term, parent_id, taxonomy). Open
        Eligibility codes become the ids `proxima load-taxonomy` gives them."""
        table = self.tables.get("taxonomy_term")
        if table is None:
            return
        ohana = "id" not in table.columns and "taxonomy_id" in table.columns
        for _, row in table.rows:
            raw = table.get(row, "taxonomy_id") if ohana else table.get(row, "id")
            vocabulary = table.get(row, "vocabulary", "taxonomy")
            if raw and (ohana or _is_open_eligibility(vocabulary)):
                self.term_ids[raw] = open_eligibility_term_id(raw)
                self.oe_codes.add(raw)
        for number, row in table.rows:
            raw = table.get(row, "taxonomy_id") if ohana else table.get(row, "id")
            parent = table.get(row, "parent_id")
            vocabulary = table.get(row, "vocabulary", "taxonomy")
            table.used.update(("parent_name", "language"))
            if raw in self.oe_codes:
                term_id = self.term_ids[raw]
                self.c.rows[term_id] = f"row {number} (id {raw!r})"
                vocabulary, taxonomy_id = "Open Eligibility", OPEN_ELIGIBILITY_TAXONOMY_ID
            else:
                term_id = self.own_id("taxonomy_term", raw, table, number)
                self.term_ids[raw] = term_id
                taxonomy_id = ""
            name = table.get(row, "name", "term")
            data = {
                "id": term_id or None,
                "name": name or None,
                "description": table.get(row, "description") or name,
                "parent_id": self.term_ids.get(parent) or self.ref("taxonomy_term", parent),
                "taxonomy": vocabulary,
                "taxonomy_id": taxonomy_id or self._taxonomy_ref(table.get(row, "taxonomy_id")),
                "code": raw if taxonomy_id else "",
                "language": table.get(row, "language"),
            }
            self.c.add(KINDS["taxonomy_term"], data, table.path.name, f"row {number}", {}, True)

    def _taxonomy_ref(self, raw: str) -> str:
        return self.ref("taxonomy", raw) if "taxonomy" in self.tables else ""

    def _term(self, raw: str) -> str:
        """The term a service_taxonomy row names: from the folder, else an Open
        Eligibility code already loaded, else a converted id (refused if unknown)."""
        if raw in self.term_ids:
            return self.term_ids[raw]
        known = raw in self._open_eligibility_loaded()
        return open_eligibility_term_id(raw) if known else self.ref("taxonomy_term", raw)

    # --- organizations, programs, locations ------------------------------------------------

    def _organizations(self) -> None:
        for table, number, row in self._each("organization"):
            raw = table.get(row, "id")
            data = {
                "id": self.own_id("organization", raw, table, number) or None,
                "name": table.get(row, "name") or None,
                "alternate_name": table.get(row, "alternate_name"),
                "description": table.get(row, "description") or None,
                "email": table.get(row, "email"),
                "website": table.get(row, "website", "url"),
                "tax_status": table.get(row, "tax_status"),
                "tax_id": table.get(row, "tax_id"),
                "legal_status": table.get(row, "legal_status"),
                "year_incorporated": _year(
                    table.get(row, "year_incorporated", "date_incorporated")
                ),
                "logo": table.get(row, "logo"),
                "uri": table.get(row, "uri"),
            }
            self._add("organization", data, table, number)
            self._list_of(
                "funding",
                "source",
                table.get(row, "funding_sources"),
                {"organization_id": data["id"]},
                table,
                number,
                ("organization", raw, "funding"),
            )

    def _programs(self) -> None:
        for table, number, row in self._each("program"):
            data = {
                "id": self.own_id("program", table.get(row, "id"), table, number) or None,
                "organization_id": self.ref("organization", table.get(row, "organization_id")),
                "name": table.get(row, "name") or None,
                "alternate_name": table.get(row, "alternate_name"),
                # HSDS 3.0 asks for a description older programs never had.
                "description": table.get(row, "description"),
            }
            self._add("program", data, table, number)

    def _locations(self) -> None:
        summary_dropped = False
        for table, number, row in self._each("location"):
            raw = table.get(row, "id")
            location_id = self.own_id("location", raw, table, number)
            virtual = _flag(table.get(row, "virtual"))
            description, summary = table.get(row, "description"), table.get(row, "short_desc")
            summary_dropped |= bool(description and summary)
            data = {
                "id": location_id or None,
                "organization_id": self.ref("organization", table.get(row, "organization_id")),
                "location_type": table.get(row, "location_type")
                or ("virtual" if virtual else "physical"),
                "name": table.get(row, "name"),
                "alternate_name": table.get(row, "alternate_name"),
                "description": description or summary,
                "transportation": table.get(row, "transportation"),
                "latitude": table.get(row, "latitude") or None,
                "longitude": table.get(row, "longitude") or None,
                "url": table.get(row, "website", "url"),
                "external_identifier": table.get(row, "external_identifier"),
                "external_identifier_type": table.get(row, "external_identifier_type"),
            }
            self._add("location", data, table, number)
            if not location_id:
                continue
            email = table.get(row, "email")
            if email:
                contact = {
                    "id": self.derived_id("contact", table, number, "location", raw, "email"),
                    "location_id": location_id,
                    "email": email,
                }
                self._child("contact", contact, table, number)
            for word in _split(table.get(row, "accessibility")):
                self._child(
                    "accessibility",
                    {
                        "id": self.derived_id(
                            "accessibility", table, number, "location", raw, word.lower()
                        ),
                        "location_id": location_id,
                        "description": ACCESSIBILITY_WORDS.get(
                            word.lower(), word.replace("_", " ").capitalize()
                        ),
                    },
                    table,
                    number,
                )
            self._languages_of(
                table.get(row, "languages"), "location_id", location_id, table, number, raw
            )
        if summary_dropped:
            self.c.warn(
                self.tables["location"].path.name,
                "header",
                "short_desc",
                "HSDS 3.0 has one description: short_desc was kept only where description is empty",
            )

    # --- services ----------------------------------------------------------------------

    def _services(self) -> None:
        oe_known = self._open_eligibility_loaded() | self.oe_codes
        for table, number, row in self._each("service"):
            raw = table.get(row, "id")
            service_id = self.own_id("service", raw, table, number)
            location = table.get(row, "location_id")
            organization = table.get(row, "organization_id") or self.location_organization.get(
                location, ""
            )
            extras = self.service_extras.get(raw, {})
            eligibility = [table.get(row, "eligibility"), *extras.get("eligibility", [])]
            audience = table.get(row, "audience")
            if audience:
                eligibility.append(f"Audience: {audience}")
            fees = [table.get(row, "fees", "fees_description")]
            payments = table.get(row, "accepted_payments")
            if payments:
                fees.append(f"Accepted payments: {payments}")
            fees += [f"Accepted payments: {p}" for p in extras.get("payment_accepted", [])]
            status = table.get(row, "status")
            data = {
                "id": service_id or None,
                "organization_id": self.ref("organization", organization),
                "program_id": self.ref("program", table.get(row, "program_id")),
                "name": table.get(row, "name") or None,
                "alternate_name": table.get(row, "alternate_name"),
                "description": table.get(row, "description"),
                "url": table.get(row, "website", "url"),
                "email": table.get(row, "email"),
                "status": status.lower() if status.lower() in _STATUSES else status or None,
                "interpretation_services": table.get(row, "interpretation_services"),
                "application_process": table.get(row, "application_process"),
                "wait_time": table.get(row, "wait_time"),
                "fees_description": "\n\n".join(f for f in fees if f),
                "accreditations": table.get(row, "accreditations"),
                "licenses": table.get(row, "licenses"),
                "eligibility_description": "\n\n".join(e for e in eligibility if e),
                "minimum_age": table.get(row, "minimum_age") or None,
                "maximum_age": table.get(row, "maximum_age") or None,
                "alert": table.get(row, "alert"),
            }
            self._add("service", data, table, number)
            if not service_id:
                continue
            if location:
                place = {
                    "id": self.derived_id(
                        "service_at_location", table, number, "service", raw, "location", location
                    ),
                    "service_id": service_id,
                    "location_id": self.ref("location", location),
                }
                self._child("service_at_location", place, table, number)
            link = {"service_id": service_id}
            for kind, value_field, column in (
                ("funding", "source", "funding_sources"),
                ("service_area", "name", "service_areas"),
                ("required_document", "document", "required_documents"),
            ):
                self._list_of(
                    kind,
                    value_field,
                    table.get(row, column),
                    link,
                    table,
                    number,
                    ("service", raw, column),
                )
            self._languages_of(
                table.get(row, "languages"), "service_id", service_id, table, number, raw
            )
            for keyword in _split(table.get(row, "keywords")):
                attribute = {
                    "id": self.derived_id(
                        "attribute", table, number, "service", raw, "keyword", keyword.casefold()
                    ),
                    "link_id": service_id,
                    "link_entity": "service",
                    "link_type": "keyword",
                    "value": keyword,
                }
                self._child("attribute", attribute, table, number)
            codes = _split(table.get(row, "taxonomy_ids"))
            if codes and not oe_known:
                self.c.warn(
                    table.path.name,
                    f"row {number} (id {raw!r})",
                    "taxonomy_ids",
                    "Open Eligibility is not loaded (proxima load-taxonomy --open-eligibility "
                    f"taxonomy.csv); the service was imported without its terms {', '.join(codes)}",
                )
                continue
            for code in codes:
                if code not in oe_known:
                    self.c.problem(
                        table.path.name,
                        f"row {number} (id {raw!r})",
                        "taxonomy_ids",
                        f"{code!r} is not an Open Eligibility code",
                    )
                    continue
                attribute = {
                    "id": self.derived_id(
                        "attribute", table, number, "service", raw, "taxonomy", code
                    ),
                    "link_id": service_id,
                    "link_entity": "service",
                    "taxonomy_term_id": open_eligibility_term_id(code),
                }
                self._child("attribute", attribute, table, number)

    def _open_eligibility_loaded(self) -> set[str]:
        """The Open Eligibility codes the directory holds (read once)."""
        if self._oe_loaded is None:
            self._oe_loaded = set(
                TaxonomyTerm.objects.filter(taxonomy_id=OPEN_ELIGIBILITY_TAXONOMY_ID).values_list(
                    "code", flat=True
                )
            )
        return self._oe_loaded

    def _services_at_locations(self) -> None:
        for table, number, row in self._each("service_at_location"):
            data = {
                "id": self.own_id("service_at_location", table.get(row, "id"), table, number)
                or None,
                "service_id": self.ref("service", table.get(row, "service_id")),
                "location_id": self.ref("location", table.get(row, "location_id")),
                "description": table.get(row, "description"),
            }
            self._add("service_at_location", data, table, number)

    # --- what hangs on them ------------------------------------------------------------

    def _links(self, table: _Table, row: dict[str, str], *kinds: str) -> dict[str, str]:
        return {f"{kind}_id": self.ref(kind, table.get(row, f"{kind}_id")) for kind in kinds}

    def _addresses(self) -> None:
        for name, address_type in (("physical_address", "physical"), ("postal_address", "postal")):
            for table, number, row in self._each(name):
                line_2 = ", ".join(
                    v
                    for v in (table.get(row, c) for c in ("address_2", "address_3", "address_4"))
                    if v
                )
                data = {
                    "id": self.own_id(
                        "address", table.get(row, "id"), table, number, table.path.stem
                    )
                    or None,
                    "location_id": self.ref("location", table.get(row, "location_id")),
                    "attention": table.get(row, "attention"),
                    "address_1": table.get(row, "address_1") or None,
                    "address_2": line_2,
                    "city": table.get(row, "city") or None,
                    "region": table.get(row, "region"),
                    "state_province": table.get(row, "state_province") or None,
                    "postal_code": table.get(row, "postal_code") or None,
                    "country": table.get(row, "country") or None,
                    "address_type": table.get(row, "address_type") or address_type,
                }
                self._add("address", data, table, number)

    def _contacts(self) -> None:
        for table, number, row in self._each("contact"):
            data = {
                "id": self.own_id("contact", table.get(row, "id"), table, number) or None,
                **self._links(
                    table, row, "organization", "service", "location", "service_at_location"
                ),
                "name": table.get(row, "name"),
                "title": table.get(row, "title"),
                "department": table.get(row, "department"),
                "email": table.get(row, "email"),
            }
            self._add("contact", data, table, number)

    def _phones(self) -> None:
        for table, number, row in self._each("phone"):
            raw = table.get(row, "id")
            kind = table.get(row, "type", "number_type")
            prefix = table.get(row, "country_prefix")
            number_text = table.get(row, "number")
            described = [table.get(row, "description", "department")]
            if kind.lower() == "hotline":
                described.insert(0, "Hotline")
            vanity = table.get(row, "vanity_number")
            if vanity:
                described.append(vanity)
            data = {
                "id": self.own_id("phone", raw, table, number) or None,
                **self._links(
                    table,
                    row,
                    "location",
                    "service",
                    "organization",
                    "contact",
                    "service_at_location",
                ),
                "number": f"{prefix} {number_text}" if prefix and number_text else number_text,
                "extension": table.get(row, "extension") or None,
                "type": PHONE_TYPES.get(kind.lower(), kind),
                "description": " ".join(d for d in described if d),
            }
            if not data["number"]:
                data["number"] = None
            self._add("phone", data, table, number)
            if data["id"]:
                self._languages_of(
                    table.get(row, "language"), "phone_id", data["id"], table, number, raw
                )

    def _regular_schedules(self) -> None:
        for table, number, row in self._each("regular_schedule"):
            raw = table.get(row, "id")
            weekday = table.get(row, "weekday")
            day = WEEKDAYS.get(weekday.lower().rstrip("."))
            if not day:
                self.c.problem(
                    table.path.name,
                    f"row {number} (id {raw!r})",
                    "weekday",
                    f"{weekday!r} is not a weekday (Monday to Sunday, or 1 to 7 with 1 = Monday)"
                    if weekday
                    else "required field is missing",
                )
                continue
            data = {
                "id": self.own_id("schedule", raw, table, number, table.path.stem) or None,
                **self._links(table, row, "service", "location", "service_at_location"),
                "freq": "WEEKLY",
                "byday": day,
                "opens_at": _clock(table.get(row, "opens_at")),
                "closes_at": _clock(table.get(row, "closes_at")),
            }
            self._add("schedule", data, table, number)

    def _holiday_schedules(self) -> None:
        for table, number, row in self._each("holiday_schedule"):
            raw = table.get(row, "id")
            where = f"row {number} (id {raw!r})"
            dates: list[date] = []
            for column in ("start_date", "end_date"):
                value = table.get(row, column)
                parsed = _date(value)
                if parsed is None:
                    self.c.problem(
                        table.path.name,
                        where,
                        column,
                        f"{value!r} is not a date (such as 2015-12-24, 12/24/2015 or "
                        "December 24, 2015)"
                        if value
                        else "required field is missing",
                    )
                    break
                if parsed.year < EARLIEST_REAL_YEAR:
                    self.c.warn(
                        table.path.name,
                        where,
                        column,
                        f"{value!r} is a placeholder, not a real date; this row was not imported",
                    )
                    break
                dates.append(parsed)
            if len(dates) < 2:
                continue
            start, end = dates
            if end < start:
                self.c.problem(table.path.name, where, "end_date", f"{end} is before {start}")
                continue
            closed_text = table.get(row, "closed")
            closed = _flag(closed_text)
            if closed is None:
                self.c.problem(
                    table.path.name, where, "closed", f"{closed_text!r} is not true or false"
                )
                continue
            data: dict[str, Any] = {
                "id": self.own_id("schedule", raw, table, number, table.path.stem) or None,
                **self._links(table, row, "service", "location", "service_at_location"),
                "valid_from": start.isoformat(),
                "valid_to": end.isoformat(),
                "dtstart": start.isoformat(),
                "description": "Closed" if closed else "Special hours",
            }
            if not closed:
                data.update(
                    freq="WEEKLY",
                    until=end.isoformat(),
                    byday=",".join(_weekdays_between(start, end)),
                    opens_at=_clock(table.get(row, "opens_at")),
                    closes_at=_clock(table.get(row, "closes_at")),
                )
            else:
                table.used.update(("opens_at", "closes_at"))
            self._add("schedule", data, table, number)

    def _schedules(self) -> None:
        """HSDS 2.0's schedules.csv is 3.0's but for ids and the times' spelling."""
        plain = [n for n, t in KINDS["schedule"].fields.items() if not n.endswith("_id")]
        for table, number, row in self._each("schedule"):
            data = {name: table.get(row, name) for name in plain if name != "id"}
            data = {k: v for k, v in data.items() if v}
            for name in ("opens_at", "closes_at"):
                if name in data:
                    data[name] = _clock(data[name])
            data["id"] = self.own_id("schedule", table.get(row, "id"), table, number) or None
            data |= self._links(table, row, "service", "location", "service_at_location")
            self._add("schedule", data, table, number)

    def _languages(self) -> None:
        for table, number, row in self._each("language"):
            raw = table.get(row, "id")
            name = table.get(row, "language", "name")
            code = table.get(row, "code") or _language_code(name)
            data = {
                "id": self.own_id("language", raw, table, number) or None,
                **self._links(table, row, "service", "location", "phone"),
                "name": name,
                "code": code,
                "note": table.get(row, "note"),
            }
            self._add("language", data, table, number)

    def _accessibility(self) -> None:
        for table, number, row in self._each("accessibility"):
            value = table.get(row, "accessibility", "description")
            data = {
                "id": self.own_id("accessibility", table.get(row, "id"), table, number) or None,
                "location_id": self.ref("location", table.get(row, "location_id")),
                "description": ACCESSIBILITY_WORDS.get(value.lower(), value),
                "details": table.get(row, "details"),
                "url": table.get(row, "url"),
            }
            self._add("accessibility", data, table, number)

    def _service_areas(self) -> None:
        for table, number, row in self._each("service_area"):
            data = {
                "id": self.own_id("service_area", table.get(row, "id"), table, number) or None,
                "service_id": self.ref("service", table.get(row, "service_id")),
                "name": table.get(row, "service_area", "name"),
                "description": table.get(row, "description"),
                "extent": table.get(row, "extent"),
                "extent_type": table.get(row, "extent_type"),
                "uri": table.get(row, "uri"),
            }
            self._add("service_area", data, table, number)

    def _required_documents(self) -> None:
        for table, number, row in self._each("required_document"):
            data = {
                "id": self.own_id("required_document", table.get(row, "id"), table, number) or None,
                "service_id": self.ref("service", table.get(row, "service_id")),
                "document": table.get(row, "document"),
                "uri": table.get(row, "uri"),
            }
            self._add("required_document", data, table, number)

    def _funding(self) -> None:
        for table, number, row in self._each("funding"):
            data = {
                "id": self.own_id("funding", table.get(row, "id"), table, number) or None,
                **self._links(table, row, "organization", "service"),
                "source": table.get(row, "source"),
            }
            self._add("funding", data, table, number)

    def _service_taxonomy(self) -> None:
        """1.1's service_taxonomy and 2.0's service_attributes: terms on services."""
        for table, number, row in self._each("service_taxonomy"):
            raw_term = table.get(row, "taxonomy_id", "taxonomy_term_id")
            data = {
                "id": self.own_id("attribute", table.get(row, "id"), table, number, "service")
                or None,
                "link_id": self.ref("service", table.get(row, "service_id")),
                "link_entity": "service",
                "taxonomy_term_id": self._term(raw_term) if raw_term else None,
                "value": table.get(row, "taxonomy_detail"),
            }
            self._add("attribute", data, table, number)

    def _other_attributes(self) -> None:
        """2.0's other_attributes: a term on a record of the table `link_type` names."""
        for table, number, row in self._each("other_attribute"):
            entity = table.get(row, "link_type").lower()
            raw_term = table.get(row, "taxonomy_term_id")
            data = {
                "id": self.own_id("attribute", table.get(row, "id"), table, number, "other")
                or None,
                "link_id": self.ref(entity if entity in KINDS else "", table.get(row, "link_id")),
                "link_entity": entity,
                "taxonomy_term_id": self._term(raw_term) if raw_term else None,
                "value": table.get(row, "taxonomy_detail"),
            }
            self._add("attribute", data, table, number)

    # --- helpers -------------------------------------------------------------------------

    def _child(self, kind: str, data: dict[str, Any], table: _Table, number: int) -> None:
        self.c.add(KINDS[kind], data, table.path.name, f"row {number}", {})

    def _list_of(
        self,
        kind: str,
        value_field: str,
        text: str,
        links: dict[str, str],
        table: _Table,
        number: int,
        parent: tuple[str, str, str],
    ) -> None:
        """One record per item of a comma list (funding sources, service areas...)."""
        if not all(links.values()):
            return
        for value in _split(text):
            record_id = self.derived_id(kind, table, number, *parent, value.casefold())
            self._child(kind, {"id": record_id, **links, value_field: value}, table, number)

    def _languages_of(
        self, text: str, link: str, target: str, table: _Table, number: int, raw: str
    ) -> None:
        for name in _split(text):
            code = _language_code(name)
            if not code:
                self.c.warn(
                    table.path.name,
                    f"row {number} (id {raw!r})",
                    "languages" if link != "phone_id" else "language",
                    f"no ISO 639 code known for {name!r}; kept as a name only",
                )
            record = {
                "id": self.derived_id("language", table, number, link, raw, name.casefold()),
                link: target,
                "name": name,
                "code": code,
            }
            self._child("language", record, table, number)


_STATUSES = KINDS["service"].enums["status"]


def _is_open_eligibility(vocabulary: str) -> bool:
    return vocabulary.replace(" ", "").casefold() in ("openeligibility", "oe")


def _split(text: str) -> list[str]:
    """The items of a comma list, once each, in order."""
    seen: dict[str, str] = {}
    for item in text.split(","):
        item = item.strip()
        if item and item.casefold() not in seen:
            seen[item.casefold()] = item
    return list(seen.values())


def _flag(text: str) -> bool | None:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def _clock(text: str) -> str:
    """A time of day as HH:MM ("4:00 PM", "3pm", "9am", "17h30", "0800"); a value that
    is no time is returned as given, for the import's check to refuse with its reason."""
    match = CLOCK.fullmatch(text.strip().lower().replace(" ", ""))
    if not match:
        return text
    hour = int(match["hour"])
    minute = int(match["minute"] or match["compact"] or 0)
    if match["half"]:
        if not 1 <= hour <= 12:
            return text
        hour = hour % 12 + (12 if match["half"].startswith("p") else 0)
    if hour > 23 or minute > 59 or int(match["second"] or 0) > 59:
        return text
    second = f":{match['second']}" if match["second"] else ""
    return f"{hour:02d}:{minute:02d}{second}"


def _date(text: str) -> date | None:
    text = " ".join(text.split())
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    return None


def _year(text: str) -> str:
    """A year of incorporation from "1970" or a date ("January 01, 1970")."""
    if not text or re.fullmatch(r"\d{4}(\.0)?", text):
        return text
    parsed = _date(text)
    return str(parsed.year) if parsed else text


def _weekdays_between(start: date, end: date) -> list[str]:
    days = {(start + timedelta(days=n)).weekday() for n in range(min((end - start).days + 1, 7))}
    return [DAY_CODES[d] for d in sorted(days)]


def _language_code(name: str) -> str:
    """The ISO 639 code of a language name ("Spanish", "Chinese (Mandarin)", "es"), or ''."""
    text = name.strip().casefold()
    if text in LANGUAGE_CODES:
        return LANGUAGE_CODES[text]
    base = re.sub(r"\s*\(.*\)\s*$", "", text)
    if base in LANGUAGE_CODES:
        return LANGUAGE_CODES[base]
    if re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{1,8})*", text) and len(text) <= 3:
        return text
    return ""
