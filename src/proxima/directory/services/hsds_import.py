"""Importing HSDS 3.0 data: API-style JSON (nested) or the tabular CSV data package.

All or nothing: every record is read and checked first (types, required fields, allowed
values, sizes, duplicate ids, links to records that exist), and nothing is written unless
everything is right. Each problem names the file, the record and the field. Records are
matched by id, so importing the same data twice changes nothing.

A record's nested list is all of its items of that kind: a phone, schedule, language,
category (attribute)... that the directory holds for the record but the list no longer
names is deleted (`"attributes": []` takes its categories away). A list left out changes
nothing; records that others point to (locations, services, services at locations,
programs) are never deleted by an import.
"""

import csv
import json
import math
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from proxima.core.forms import iso_moment
from proxima.core.links import safe_link
from proxima.directory.models import ServiceAtLocation, TaxonomyTerm
from proxima.directory.services.hsds_spec import (
    INTEGER,
    KINDS,
    NUMBER,
    REQUIRED_LINKS,
    TOP_LEVEL_KINDS,
    WRITE_ORDER,
    Child,
    HsdsKind,
)
from proxima.directory.services.indexing import reindex_services
from proxima.directory.services.proxima_extension import apply_extension, check_extension
from proxima.directory.services.taxonomy import forget_taxonomy_stamp

MAX_TEXT_LENGTH = 100_000
MAX_ID_LENGTH = 250
# Numbers a directory holds (ages, capacities, coordinates): beyond these, a typing error.
LARGEST_NUMBER = 1_000_000_000
OLDEST_AGE = 150
# Links people click on a listing page: only http, https, mailto and tel are kept.
LINK_FIELDS = frozenset({"url", "website"})
MAX_PROBLEMS = 50


@dataclass
class ImportProblem:
    source: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}: {self.record}"
        return (
            f"{where}, field '{self.field}': {self.message}"
            if self.field
            else f"{where}: {self.message}"
        )


class HsdsImportError(Exception):
    """The data was refused; nothing was written. `problems` says where and why."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:MAX_PROBLEMS])
        more = (
            f"\n  ... and {len(problems) - MAX_PROBLEMS} more"
            if len(problems) > MAX_PROBLEMS
            else ""
        )
        super().__init__(
            f"Import refused, nothing was changed ({len(problems)} problem(s)):\n{shown}{more}"
        )


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    # Details a record's nested list no longer names (see the module's docstring).
    deleted: dict[str, int] = field(default_factory=dict)
    indexed_services: int = 0
    # The HSDS version read, and for older ones the source their ids were converted with.
    from_version: str = "3.0"
    legacy_source: str = ""
    # What was left out without refusing the import (a placeholder date, a column with no
    # place in HSDS 3.0), said where, as the problems are.
    warnings: list[ImportProblem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())


def _key(kind: HsdsKind, record: dict) -> Any:
    if kind.name == "attribute":
        return (record["id"], record.get("link_id", ""))
    if kind.name == "metadata":
        return (record["id"], record.get("resource_id", ""))
    return record["id"]


class _Collector:
    """Gathers and checks records before anything is written."""

    # Links that must resolve to a record in the data or the directory.
    links: dict[tuple[str, str], str] = REQUIRED_LINKS

    def __init__(self, *, legacy_ids: str = "") -> None:
        # --legacy-ids: ids that are not UUIDs become uuid5(source, id) (`legacy_ids`
        # names the source); the originals are kept as HSDS metadata.
        self.legacy_ids = legacy_ids
        self.converted: dict[tuple[str, str], str] = {}  # (kind, new id) → original id
        self.records: dict[str, dict[Any, dict]] = {name: {} for name in KINDS}
        self.origins: dict[tuple[str, Any], str] = {}
        self.extensions: dict[tuple[str, str], dict] = {}
        self.problems: list[ImportProblem] = []
        self.warnings: list[ImportProblem] = []
        self._top_level_seen: set[tuple[str, str, str]] = set()
        # Values read from CSV files are all text: numbers are read from it.
        self.text_values = False
        # (child kind, link field) → parent id → the ids its nested list names
        # (child kind, link field, parent kind) → parent id → the ids its list names
        self.listed: dict[tuple[str, str, str], dict[str, set[str]]] = {}

    def problem(self, source: str, record: str, field_name: str, message: str) -> None:
        self.problems.append(ImportProblem(source, record, field_name, message))

    def warn(self, source: str, record: str, field_name: str, message: str) -> None:
        self.warnings.append(ImportProblem(source, record, field_name, message))

    def check_value(self, kind: HsdsKind, name: str, value: Any, source: str, where: str) -> Any:
        """The value converted to its stored form, or a problem (and None)."""
        expected = kind.fields[name]
        if value is None:
            return None
        if expected in (NUMBER, INTEGER):
            if isinstance(value, str) and not self.text_values:
                # (JSON has numbers: "12" in quotes is text, as HSDS 3.0's schema says.)
                self.problem(source, where, name, f"expected a number, got text {value[:40]!r}")
                return None
            if isinstance(value, str):
                try:
                    value = float(value.strip()) if value.strip() else None
                except ValueError:
                    self.problem(source, where, name, f"expected a number, got {value[:40]!r}")
                    return None
                if value is None:
                    return None
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.problem(source, where, name, f"expected a number, got {type(value).__name__}")
                return None
            if not math.isfinite(value) or abs(value) > LARGEST_NUMBER:
                self.problem(source, where, name, f"expected a number, got {value!r}")
                return None
            if name.endswith("_age") and not 0 <= value <= OLDEST_AGE:
                self.problem(source, where, name, f"an age is from 0 to {OLDEST_AGE}, got {value}")
                return None
            if expected == INTEGER:
                if value != int(value):
                    self.problem(source, where, name, f"expected a whole number, got {value}")
                    return None
                return int(value)
            return float(value)
        if not isinstance(value, str):
            self.problem(source, where, name, f"expected text, got {type(value).__name__}")
            return None
        limit = MAX_ID_LENGTH if name == "id" or name.endswith("_id") else MAX_TEXT_LENGTH
        if len(value) > limit:
            self.problem(
                source, where, name, f"text too long ({len(value):,} characters, at most {limit:,})"
            )
            return None
        unstorable = _unstorable(value)
        if unstorable:
            self.problem(source, where, name, unstorable)
            return None
        is_reference = name == "id" or (name in kind.link_fields and name not in NOT_REFERENCES)
        if is_reference and value and not is_uuid(value):
            if not self.legacy_ids:
                self.problem(
                    source,
                    where,
                    name,
                    f"{value[:60]!r} is not a UUID (HSDS 3.0 ids are UUIDs; "
                    "import with --legacy-ids to convert them)",
                )
                return None
            converted = legacy_uuid(self.legacy_ids, value)
            if name == "id":
                self.converted[(kind.name, converted)] = value
            return converted
        allowed = kind.enums.get(name)
        if allowed and value and value not in allowed:
            self.problem(source, where, name, f"{value!r} is not one of: {', '.join(allowed)}")
            return None
        if name in LINK_FIELDS and value and not safe_link(value):
            self.problem(
                source,
                where,
                name,
                f"{value[:60]!r} is not a web, email or telephone link (http, https, mailto, tel)",
            )
            return None
        if name == "last_modified" and value and iso_moment(value) is None:
            self.problem(source, where, name, f"{value!r} is not a date and time (ISO 8601)")
            return None
        if kind.name == "schedule" and name in ("freq", "wkst"):
            return value.strip().upper()  # as HSDS 3.0 spells them ("weekly": WEEKLY)
        return value

    def add(
        self,
        kind: HsdsKind,
        data: Any,
        source: str,
        where: str,
        links: dict[str, str],
        top_level: bool = False,
    ) -> str | None:
        """Check one record (and what it nests); returns its id."""
        if not isinstance(data, dict):
            self.problem(
                source, where, "", f"expected a {kind.name} object, got {type(data).__name__}"
            )
            return None
        label = f"{kind.name} {data.get('id')!r}" if isinstance(data.get("id"), str) else where
        record: dict[str, Any] = {}
        for name in kind.fields:
            if name in data:
                value = self.check_value(kind, name, data[name], source, label)
                if value is not None and value != "":
                    record[name] = value
        for name in kind.required:
            missing = data.get(name) is None
            if missing and not (name in links and name != "id"):
                self.problem(source, label, name, "required field is missing")
            elif (
                name in ("name", "number")
                and isinstance(data.get(name), str)
                and not any(c.isalnum() for c in data[name])
            ):
                # (A name of spaces showed as a blank link; a blank description is common
                # in older directories, HSDS 3.0 requiring one, and harms nothing.)
                self.problem(source, label, name, "required field is blank")
        if "id" not in record:
            return None
        for link, parent_id in links.items():
            given = record.get(link)
            if given and given != parent_id and kind.name not in ("attribute", "metadata"):
                self.problem(
                    source,
                    label,
                    link,
                    f"is {given!r} but the record is nested under {parent_id!r}",
                )
            record.setdefault(link, parent_id)
        for single_name, single in kind.singles.items():
            if single_name in data and data[single_name] is not None:
                child_id = self.add(
                    KINDS[single.kind], data[single_name], source, f"{label}.{single_name}", {}
                )
                if child_id:
                    if record.get(single.link, child_id) != child_id:
                        self.problem(
                            source, label, single.link, "does not match the nested object's id"
                        )
                    record[single.link] = child_id
        for field_name, message in semantic_problems(kind.name, record):
            self.problem(source, label, field_name, message)
        if "proxima" in data:
            message = check_extension(kind.name, data["proxima"])
            if message:
                self.problem(source, label, "proxima", message)
            else:
                self.extensions[(kind.name, record["id"])] = data["proxima"]
        self._merge(kind, record, source, label, top_level)
        children = dict(kind.children)
        if kind.name == "organization":
            children["services"] = Child("service", "organization_id")
        for child_name, child in children.items():
            items = data.get(child_name)
            if items is None:
                continue
            if not isinstance(items, list):
                self.problem(source, label, child_name, "expected a list")
                continue
            named = None
            if child.kind in REPLACED_BY_THEIR_LIST:
                named = self.listed.setdefault((child.kind, child.link, kind.name), {})
                named = named.setdefault(record["id"], set())
            for index, item in enumerate(items):
                child_id = self.add(
                    KINDS[child.kind],
                    item,
                    source,
                    f"{label}.{child_name}[{index}]",
                    {child.link: record["id"]},
                )
                if child_id and named is not None:
                    named.add(child_id)
                if child_id and child.kind in ("attribute", "metadata"):
                    # Say which table the annotation belongs to when the data does not.
                    entity_field = "link_entity" if child.kind == "attribute" else "resource_type"
                    stored = self.records[child.kind].get((child_id, record["id"]))
                    if stored is not None:
                        stored.setdefault(entity_field, kind.name)
        return record["id"]

    def _merge(
        self, kind: HsdsKind, record: dict, source: str, label: str, top_level: bool
    ) -> None:
        key = _key(kind, record)
        if top_level:
            marker = (source, kind.name, str(key))
            if marker in self._top_level_seen:
                self.problem(source, label, "id", "duplicate id: this record appears twice")
                return
            self._top_level_seen.add(marker)
        existing = self.records[kind.name].get(key)
        if existing is None:
            self.records[kind.name][key] = record
            self.origins[(kind.name, key)] = f"{source}: {label}"
            return
        for name, value in record.items():
            if name in existing and existing[name] != value:
                self.problem(
                    source,
                    label,
                    name,
                    f"{value!r} conflicts with {existing[name]!r} given for the same id "
                    f"at {self.origins[(kind.name, key)]}",
                )
            else:
                existing[name] = value


def _check_links(collector: _Collector) -> None:
    from_db: dict[str, set[str]] = {}
    for (kind_name, link), target in collector.links.items():
        wanted = {r[link] for r in collector.records[kind_name].values() if r.get(link)}
        missing = wanted - {k for k in collector.records[target]}
        if not missing:
            continue
        model = KINDS[target].model
        known = from_db.setdefault(target, set())
        known |= set(model.objects.filter(pk__in=missing).values_list("pk", flat=True))
        for key, record in collector.records[kind_name].items():
            value = record.get(link)
            if value in missing and value not in known:
                source, _, label = collector.origins[(kind_name, key)].partition(": ")
                collector.problem(
                    source,
                    label,
                    link,
                    f"{value!r} does not match any {target} in the data or the directory",
                )


def _model_values(kind: HsdsKind, record: dict) -> dict[str, Any]:
    values = {}
    for name, value in record.items():
        target = kind.id_field if name == "id" else name
        if name == "last_modified":
            value = iso_moment(value)
        values[target] = value
    return values


def _write(
    collector: _Collector, report: ImportReport, progress: Callable[[int], None] | None
) -> None:
    for kind_name in WRITE_ORDER:
        kind = KINDS[kind_name]
        records = collector.records[kind_name]
        if not records:
            continue
        model = kind.model
        if kind.id_field == "id":
            existing = model.objects.in_bulk(list(records))
            lookup = existing.get
        else:
            ids = {key[0] for key in records}
            rows = model.objects.filter(hsds_id__in=ids)
            link_field = "link_id" if kind_name == "attribute" else "resource_id"
            by_key = {(row.hsds_id, getattr(row, link_field)): row for row in rows}
            lookup = by_key.get
        to_create, to_update, changed_fields = [], [], set()
        names = _TerritoryNames() if kind_name == "service_area" else None
        for key, record in records.items():
            values = _model_values(kind, record)
            instance = lookup(key)
            if instance is None:
                instance = model(**values)
                to_create.append(instance)
            else:
                for name, value in values.items():
                    setattr(instance, name, value)
                changed_fields |= set(values) - {kind.id_field}
                to_update.append(instance)
            extension = collector.extensions.get((kind_name, record["id"]))
            if extension:
                changed_fields |= apply_extension(kind_name, instance, extension)
            if kind_name == "service_area" and "territory" not in (extension or {}):
                changed_fields |= _area_by_name(instance, names)
        model.objects.bulk_create(to_create, batch_size=500)
        if to_update and changed_fields:
            model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=500)
        if model is TaxonomyTerm:
            forget_taxonomy_stamp()  # bulk writes send no signal
        report.created[kind_name] = len(to_create)
        report.updated[kind_name] = len(to_update)
        if progress:
            progress(len(records))
    _delete_unlisted(collector, report)


# The details a record's nested list replaces. Nothing points to them but their record.
REPLACED_BY_THEIR_LIST = frozenset(
    {
        "accessibility",
        "address",
        "attribute",
        "contact",
        "cost_option",
        "funding",
        "language",
        "organization_identifier",
        "phone",
        "required_document",
        "schedule",
        "service_area",
    }
)


def _delete_unlisted(collector: _Collector, report: ImportReport) -> None:
    """Delete the details a record holds that its nested list of that kind no longer
    names (a few queries a kind, whatever the number of records)."""
    for (kind_name, link, parent_kind), named_by_parent in collector.listed.items():
        kind = KINDS[kind_name]
        model = kind.model
        pk_name = model._meta.pk.attname
        own_id = kind.id_field
        imported = collector.records[kind_name]
        keyed_by_link = kind_name in ("attribute", "metadata")
        # A category or metadata names its record by id and table: only this table's
        # (ids of two tables may meet, as legacy ids converted from "1" do).
        table = {"attribute": "link_entity", "metadata": "resource_type"}.get(kind_name)
        # A detail that also belongs to another record (a phone of the service and of
        # its location) leaves this one, it is not deleted.
        others = sorted(
            {
                child.link
                for parent in KINDS.values()
                for child in parent.children.values()
                if child.kind == kind_name and child.link != link
            }
        )
        parents = list(named_by_parent)
        stale, elsewhere = [], []
        for start in range(0, len(parents), 500):
            rows = model.objects.filter(**{f"{link}__in": parents[start : start + 500]})
            if table:  # (one saying another table; a value naming none tells nothing)
                rows = rows.exclude(**{f"{table}__in": [k for k in KINDS if k != parent_kind]})
            for pk, own, parent, *other_links in rows.values_list(pk_name, own_id, link, *others):
                if own in named_by_parent[parent]:
                    continue
                record = imported.get((own, parent) if keyed_by_link else own)
                if record is None and not any(other_links):
                    stale.append(pk)
                elif record is None or record.get(link) != parent:
                    elsewhere.append(pk)  # the data, or the directory, gives it to another
        for start in range(0, len(elsewhere), 500):
            chunk = elsewhere[start : start + 500]
            model.objects.filter(pk__in=chunk).update(**{link: None})
        for start in range(0, len(stale), 500):
            _delete_details(model, stale[start : start + 500])
        if stale:
            report.deleted[kind_name] = report.deleted.get(kind_name, 0) + len(stale)


def _delete_details(model, pks: list) -> None:
    """Delete these rows. What hangs on them alone goes with them (a deleted phone's
    languages); a row that also belongs to another record stays there (HSDS data may
    give one language both to a service and to its phone); their categories and
    metadata, which name them by id, go too."""
    from proxima.directory.models import Attribute, Metadata

    for relation in model._meta.related_objects:
        if not relation.one_to_many:
            continue
        link = relation.field
        others = [
            f.attname
            for f in relation.related_model._meta.fields
            if f.many_to_one and f is not link and f.related_model._meta.app_label == "directory"
        ]
        if others:
            elsewhere = Q()
            for other in others:
                elsewhere |= Q(**{f"{other}__isnull": False})
            relation.related_model.objects.filter(elsewhere, **{f"{link.name}__in": pks}).update(
                **{link.attname: None}
            )
    if model._meta.pk.name == "id":
        Attribute.objects.filter(link_id__in=pks).delete()
        Metadata.objects.filter(resource_id__in=pks).delete()
    model.objects.filter(pk__in=pks).delete()


class _TerritoryNames:
    """The territory an area's name names, each name looked up once an import."""

    def __init__(self):
        self.found: dict[str, int | None] = {}

    def __call__(self, name: str) -> int | None:
        from proxima.territories.services import territory_named

        if name not in self.found:
            territory = territory_named(name)
            self.found[name] = territory.pk if territory else None
        return self.found[name]


def _area_by_name(area, names: _TerritoryNames) -> set[str]:
    """An area named exactly like one current territory (and linked to none) is that
    territory: "Vanier" alone is not, when two territories have that name."""
    if area.territory_id or not area.name:
        return set()
    found = names(area.name)
    if found is None:
        return set()
    area.territory_id = found
    return {"territory_id"}


def _services_to_reindex(collector: _Collector) -> list[str] | None:
    if collector.records["taxonomy_term"]:
        return None  # the hierarchy may have changed: rebuild everything
    records = collector.records
    ids = set(records["service"])
    ids |= {r["service_id"] for r in records["service_at_location"].values() if r.get("service_id")}
    for kind_name in ("phone", "schedule", "language", "cost_option", "contact", "service_area"):
        ids |= {r["service_id"] for r in records[kind_name].values() if r.get("service_id")}
    ids |= {r["link_id"] for r in records["attribute"].values() if r.get("link_id")}
    locations = set(records["location"]) | {
        r["location_id"]
        for name in ("address", "accessibility", "schedule")
        for r in records[name].values()
        if r.get("location_id")
    }
    if locations:
        ids |= set(
            ServiceAtLocation.objects.filter(location_id__in=locations).values_list(
                "service_id", flat=True
            )
        )
    return sorted(i for i in ids if i)


# Fields only one kind of top-level record has: what a file holds is read from them.
_KIND_MARKS = {
    "service_at_location": {"service_id", "location_id", "service", "location"},
    "location": {"location_type", "latitude", "longitude", "addresses", "accessibility"},
    "organization": {
        "services",
        "legal_status",
        "year_incorporated",
        "organization_identifiers",
        "parent_organization_id",
        "tax_status",
        "tax_id",
        "locations",
        "programs",
    },
    "service": {
        "organization",
        "service_at_locations",
        "service_areas",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "application_process",
        "cost_options",
        "required_documents",
        "fees_description",
        "program",
        "status",
    },
    "taxonomy_term": {"code", "term", "taxonomy_id", "taxonomy_detail", "parent_id"},
    "taxonomy": {"version"},
}


def _guess_kind(path: Path, data: Any) -> str:
    """The kind a file's records are: read from the fields they hold ("services.json"
    of organizations is organizations), from the file's name when they do not say (a
    list of records of one name and description), else services."""
    items = data.get("contents") if isinstance(data, dict) else data
    items = items if isinstance(items, list) else [data]
    fields: set[str] = set()
    for item in items[:50]:
        if isinstance(item, dict):
            fields |= set(item)
    said = [kind for kind, marks in _KIND_MARKS.items() if fields & marks]
    named = next(
        (
            kind
            for kind in (
                "service_at_location",
                "taxonomy_term",
                "organization",
                "location",
                "taxonomy",
            )
            if kind in path.name.lower()
        ),
        None,
    )
    if len(said) == 1:
        return said[0]
    if said:  # the kind most of its marks point to; the name's if it is among them
        if named in said:
            return named
        return max(said, key=lambda kind: (len(fields & _KIND_MARKS[kind]), kind == "service"))
    return named or "service"


_SURROGATE = re.compile("[\ud800-\udfff]")


def _unstorable(text: str) -> str:
    """Why no database can hold this text (a NUL, or half of a UTF-16 pair that JSON's
    escapes can spell: "\\ud800"), or ""."""
    if "\x00" in text:
        return "contains a NUL character (U+0000), which no text may hold"
    found = _SURROGATE.search(text)
    if found:
        return (
            f"contains U+{ord(found.group()):04X}, half of a UTF-16 pair alone, "
            "which is no character"
        )
    return ""


def _unstorable_paths(data: Any, where: str = "file", found: list | None = None) -> list[tuple]:
    """Where a text no database can hold (a NUL, a lone surrogate) hides in a JSON
    document (keys and values), with why, at most ten."""
    found = [] if found is None else found
    stack = [(data, where)]
    while stack and len(found) < 10:
        value, path = stack.pop()
        if isinstance(value, str):
            if why := _unstorable(value):
                found.append((path, why))
        elif isinstance(value, dict):
            for key, inner in value.items():
                if why := _unstorable(key):
                    found.append((path, why))
                stack.append((inner, f"{path}.{key}"))
        elif isinstance(value, list):
            stack.extend((inner, f"{path}[{index}]") for index, inner in enumerate(value))
    return found


def _read_json(path: Path, collector: _Collector, kind_name: str | None) -> None:
    source = path.name
    twice: list[str] = []

    def without_repeats(pairs: list[tuple]) -> dict:
        found: dict = {}
        for key, value in pairs:
            if key in found and len(twice) < 10:
                twice.append(key)
            found[key] = value
        return found

    try:
        # (A byte-order mark is fine.)
        data = json.loads(path.read_text(encoding="utf-8-sig"), object_pairs_hook=without_repeats)
    except UnicodeDecodeError as error:
        collector.problem(source, "file", "", f"not UTF-8 text ({error.reason})")
        return
    except json.JSONDecodeError as error:
        collector.problem(
            source, f"line {error.lineno}, column {error.colno}", "", f"invalid JSON: {error.msg}"
        )
        return
    except RecursionError:
        collector.problem(source, "file", "", "invalid JSON: nested too deeply")
        return
    for key in twice:  # JSON does not say which of the two values holds
        collector.problem(source, "file", str(key)[:60], "the same key twice in one object")
    if twice:
        return
    unstorable = _unstorable_paths(data)  # anywhere, Proxima's extensions included
    for where, why in unstorable:
        collector.problem(source, where, "", why)
    if unstorable:
        return
    kind = KINDS[kind_name or _guess_kind(path, data)]
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]
    items = data if isinstance(data, list) else [data]
    for index, item in enumerate(items):
        collector.add(kind, item, source, f"{kind.name}[{index}]", {}, top_level=True)


# HSDS 3.0's tabular_required: links a CSV row cannot do without (nested JSON has them
# from the record it sits in).
TABULAR_REQUIRED = {
    "service": ("organization_id",),
    "service_at_location": ("service_id", "location_id"),
    "organization_identifier": ("organization_id",),
    "cost_option": ("service_id",),
    "attribute": ("link_id", "taxonomy_term_id", "link_entity"),
    "metadata": ("resource_id", "resource_type"),
    "program": ("organization_id",),
}


def _read_tabular(folder: Path, collector: _Collector) -> None:
    collector.text_values = True
    found = False
    for kind_name in WRITE_ORDER:
        kind = KINDS[kind_name]
        path = folder / f"{kind.table}.csv"
        if not path.exists():
            continue
        found = True
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle, strict=True)  # an unclosed quote: an error
                if not reader.fieldnames:
                    collector.problem(path.name, "header", "", "the file is empty (no header)")
                    continue
                if "id" not in reader.fieldnames:
                    collector.problem(path.name, "header", "id", "the file has no 'id' column")
                    continue
                repeated = sorted({c for c in reader.fieldnames if reader.fieldnames.count(c) > 1})
                if repeated:  # which of the two columns holds, the file does not say
                    for column in repeated:
                        collector.problem(path.name, "header", column, "a column named twice")
                    continue
                for number, row in enumerate(reader, start=2):
                    if None in row:
                        collector.problem(
                            path.name, f"row {number}", "", "more values than columns"
                        )
                        continue
                    if None in row.values():  # (an empty line is skipped by the reader)
                        collector.problem(
                            path.name, f"row {number}", "", "fewer values than columns"
                        )
                        continue
                    data = {
                        k: v for k, v in row.items() if k in kind.fields and v not in ("", None)
                    }
                    for required in kind.required:
                        if required in row and row[required] == "":
                            data[required] = None
                    for link in TABULAR_REQUIRED.get(kind_name, ()):
                        if not row.get(link):  # a nested record has it from its parent
                            collector.problem(
                                path.name,
                                f"row {number}",
                                link,
                                "required in the tabular format (HSDS 3.0 tabular_required)",
                            )
                    collector.add(kind, data, path.name, f"row {number}", {}, top_level=True)
        except UnicodeDecodeError as error:
            collector.problem(path.name, "file", "", f"not UTF-8 text ({error.reason})")
        except csv.Error as error:
            collector.problem(path.name, "file", "", f"unreadable CSV: {error}")
    extension_file = folder / "proxima.json"
    if extension_file.exists():
        try:
            extensions = json.loads(extension_file.read_text(encoding="utf-8-sig"))
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:
            collector.problem(extension_file.name, "file", "", f"invalid JSON: {error}")
            return
        for kind_name, by_id in extensions.items():
            for record_id, extension in by_id.items():
                message = check_extension(kind_name, extension)
                if message:
                    collector.problem(
                        extension_file.name, f"{kind_name} {record_id!r}", "proxima", message
                    )
                elif record_id in collector.records.get(kind_name, {}):
                    collector.extensions[(kind_name, record_id)] = extension
    if not found:
        collector.problem(
            folder.name, "folder", "", "no HSDS table (services.csv, organizations.csv, ...) found"
        )


WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
BYDAY_PATTERN = re.compile(r"([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)")
TIME_PATTERN = re.compile(
    r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)?"
)
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
LANGUAGE_PATTERN = re.compile(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*")
EMAIL_FIELDS = frozenset({"email", "assurer_email"})


def semantic_problems(kind_name: str, record: dict) -> list[tuple[str, str]]:
    """What the schema lets through but cannot be: ages reversed, coordinates off the
    globe, a weekday or an hour that does not exist (overnight hours, 20:00 to 08:00,
    are fine), an email that is not one, a language code of no shape. (Links are checked
    with the values: check_value.)"""
    found = []
    low, high = record.get("minimum_age"), record.get("maximum_age")
    if low is not None and high is not None and low > high:
        found.append(("minimum_age", f"{low:g} is above maximum_age {high:g}"))
    for name, limit in (("latitude", 90), ("longitude", 180)):
        value = record.get(name)
        if value is not None and not -limit <= value <= limit:
            found.append((name, f"{value:g} is not a {name} (from -{limit} to {limit})"))
    if kind_name == "schedule":
        for day in str(record.get("byday") or "").split(","):
            if day.strip() and not BYDAY_PATTERN.fullmatch(day.strip().upper()):
                found.append(("byday", f"{day.strip()!r} is not a weekday (MO to SU)"))
        wkst = record.get("wkst")
        if wkst and str(wkst).upper() not in WEEKDAYS:
            found.append(("wkst", f"{wkst!r} is not a weekday (MO to SU)"))
        for name in ("opens_at", "closes_at"):
            value = record.get(name)
            if value and not TIME_PATTERN.fullmatch(str(value).strip()):
                found.append((name, f"{value!r} is not a time of day (HH:MM, 00:00 to 23:59)"))
    if kind_name == "schedule":
        freq = record.get("freq")
        if freq and str(freq).strip().upper() not in FREQUENCIES:
            found.append(("freq", f"{freq!r} is not one of: {', '.join(FREQUENCIES)}"))
        for name, limit in (("bymonthday", 31), ("byweekno", 53), ("byyearday", 366)):
            for part in str(record.get(name) or "").split(","):
                if part.strip() and not _is_ordinal(part.strip(), limit):
                    found.append(
                        (name, f"{part.strip()!r} is not from 1 to {limit} (or -1 to -{limit})")
                    )
        for name in ("interval", "count"):
            value = record.get(name)
            if value is not None and value < 1:
                found.append((name, f"{value:g} is not 1 or more"))
    days = {}  # each date field given, as the day it names (None: no day)
    for name in DATE_FIELDS.get(kind_name, ()):
        value = record.get(name)
        if value:
            days[name] = _iso_day(str(value))
            if days[name] is None:
                found.append((name, f"{value!r} is not a date (YYYY-MM-DD)"))
    if days.get("valid_from") and days.get("valid_to") and days["valid_from"] > days["valid_to"]:
        found.append(
            ("valid_from", f"{record['valid_from']} is after valid_to {record['valid_to']}")
        )
    if days.get("dtstart") and days.get("until") and days["until"] < days["dtstart"]:
        found.append(("until", f"{record['until']} is before dtstart {record['dtstart']}"))
    for name in EMAIL_FIELDS:
        value = record.get(name)
        if value and not EMAIL_PATTERN.fullmatch(str(value).strip()):
            found.append((name, f"{value!r} is not an email address"))
    if kind_name == "phone" and "number" in record and not str(record["number"] or "").strip():
        found.append(("number", "a phone without a number"))
    if kind_name == "language":
        code = record.get("code")
        if "code" in record and not str(code or "").strip() and not record.get("name"):
            found.append(("code", "a language with neither a code nor a name"))
        if code and not is_language_code(str(code)):
            found.append(
                ("code", f"{code!r} is not an ISO 639 language code (such as fr, en, es, cr, iu)")
            )
    return found


FREQUENCIES = ("WEEKLY", "MONTHLY")  # HSDS 3.0's schedule.freq
# The fields holding a day (a date and time is read for its day: RFC 5545's DTSTART).
DATE_FIELDS = {
    "schedule": ("valid_from", "valid_to", "dtstart", "until"),
    "cost_option": ("valid_from", "valid_to"),
    "service": ("assured_date",),
}


def _iso_day(text: str) -> date | None:
    """The day an ISO 8601 date (or date and time) names, or None (February 30th)."""
    text = text.strip()
    if not ISO_DAY.match(text):  # (Python reads week dates too: "2024-W05-1")
        return None
    try:
        return date.fromisoformat(text) if len(text) <= 10 else datetime.fromisoformat(text).date()
    except ValueError:
        return None


ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:$|[T ])")


def _is_ordinal(text: str, limit: int) -> bool:
    """RFC 5545's ordinals: 1 to `limit`, or -1 to -`limit` counted from the end."""
    return bool(re.fullmatch(r"[+-]?[0-9]{1,3}", text)) and 1 <= abs(int(text)) <= limit


def is_language_code(value: str) -> bool:
    """An ISO 639 language (639-1, 639-2 or 639-3 code), optionally with a region or
    script as BCP 47 adds them ("fr-CA", "cr-Cans")."""
    import pycountry

    text = value.strip()
    if not LANGUAGE_PATTERN.fullmatch(text):
        return False
    base, *subtags = text.split("-")
    base = base.lower()
    if len(base) == 2:
        known = pycountry.languages.get(alpha_2=base) is not None
    else:
        known = (
            pycountry.languages.get(alpha_3=base) is not None
            or pycountry.languages.get(bibliographic=base) is not None
        )
    return known and all(_is_subtag(tag) for tag in _public_subtags(subtags))


def _public_subtags(subtags: list[str]) -> list[str]:
    """The subtags before a private use part ("x-..."), which BCP 47 leaves free."""
    lowered = [tag.lower() for tag in subtags]
    return subtags[: lowered.index("x")] if "x" in lowered else subtags


def _is_subtag(tag: str) -> bool:
    """A BCP 47 script ("Cans"), region ("CA", "419") or variant ("1996", "fonipa")."""
    import pycountry

    if len(tag) == 4 and tag.isalpha():
        return pycountry.scripts.get(alpha_4=tag.title()) is not None
    if len(tag) == 2 and tag.isalpha():
        return pycountry.countries.get(alpha_2=tag.upper()) is not None
    if len(tag) == 3:
        return tag.isdigit()
    return 5 <= len(tag) <= 8 or (len(tag) == 4 and tag[0].isdigit())


def is_uuid(value: str) -> bool:
    """HSDS 3.0's `format: uuid`: 8-4-4-4-12 hexadecimal digits."""
    return bool(UUID_PATTERN.fullmatch(value))


# Fields named *_id that name no record (an organization's tax number).
NOT_REFERENCES = frozenset({"tax_id"})
UUID_PATTERN = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
LEGACY_NAMESPACE = uuid.UUID("0b8a6f2e-3c1d-5e7a-9f4b-6d2c8e1a7b30")


def legacy_uuid(source: str, value: str) -> str:
    """The UUID an id that is not one becomes: the same for the same source and id, so a
    re-import updates what the first one made."""
    return str(uuid.uuid5(LEGACY_NAMESPACE, f"{source}\x1f{value}"))


def import_hsds(
    path: Path | str,
    *,
    kind: str | None = None,
    on_progress: Callable[[int], None] | None = None,
    legacy_ids: str = "",
    from_version: str | None = None,
    text_language: str = "en",
) -> ImportReport:
    """Import an HSDS JSON file or tabular folder; raises HsdsImportError and writes nothing
    on any problem. Ids must be UUIDs, unless `legacy_ids` names the source: then other
    ids become stable UUIDs and the originals are kept as metadata.

    `from_version` (1.0, 1.1, 2.0 or 3.0; detected from the files when None): an older
    tabular folder, Ohana's CSV layout included, is turned into HSDS 3.0 records first
    (hsds_legacy), its ids converted (source: `legacy_ids`, else the folder name) and its
    texts taken to be in `text_language`; then the same checks and the same write apply."""
    from proxima.directory.services import hsds_legacy

    path = Path(path)
    if kind is not None and kind not in TOP_LEVEL_KINDS:
        raise ValueError(f"kind must be one of {', '.join(TOP_LEVEL_KINDS)}")
    version = from_version or hsds_legacy.detect_version(path)
    if version not in hsds_legacy.HSDS_VERSIONS:
        raise HsdsImportError(
            [
                ImportProblem(
                    path.name,
                    "option --from",
                    "from_version",
                    f"{version!r} is not an HSDS version this import reads "
                    f"({', '.join(hsds_legacy.HSDS_VERSIONS)})",
                )
            ]
        )
    if version in hsds_legacy.LEGACY_VERSIONS:
        collector: _Collector = hsds_legacy.LegacyCollector(
            legacy_ids=legacy_ids or path.resolve().name
        )
        hsds_legacy.read_legacy(path, collector, text_language=text_language)
    else:
        collector = _Collector(legacy_ids=legacy_ids)
        if path.is_dir():
            _read_tabular(path, collector)
        elif path.is_file():
            _read_json(path, collector, kind)
        else:
            collector.problem(str(path), "path", "", "no such file or folder")
    if not collector.problems:
        _check_links(collector)
    if collector.problems:
        raise HsdsImportError(collector.problems)
    report = ImportReport(from_version=version, warnings=collector.warnings)
    if version in hsds_legacy.LEGACY_VERSIONS:
        report.legacy_source = collector.legacy_ids
    with transaction.atomic():
        _write(collector, report, on_progress)
        _keep_legacy_ids(collector)
        from proxima.directory.services.taxonomy import link_open_eligibility_equivalents

        link_open_eligibility_equivalents()
        report.indexed_services = reindex_services(_services_to_reindex(collector))
    return report


def _keep_legacy_ids(collector: _Collector) -> None:
    """Each converted id, as HSDS metadata on its record: field `id`, the original as the
    previous value (one row per record, updated on re-import)."""
    from proxima.directory.models import Metadata

    today = timezone.localdate().isoformat()
    for (kind_name, new_id), original in collector.converted.items():
        Metadata.objects.update_or_create(
            hsds_id=legacy_uuid(collector.legacy_ids, f"metadata:{kind_name}:{original}"),
            resource_id=new_id,
            defaults={
                "resource_type": kind_name,
                "field_name": "id",
                "previous_value": original,
                "replacement_value": new_id,
                "last_action_type": "legacy id converted",
                "last_action_date": today,
                "updated_by": f"proxima import-hsds --legacy-ids {collector.legacy_ids}",
            },
        )


def record_counts(report: ImportReport) -> dict[str, int]:
    return {k: report.created.get(k, 0) + report.updated.get(k, 0) for k in WRITE_ORDER}
