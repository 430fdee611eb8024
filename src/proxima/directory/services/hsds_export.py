"""Exporting HSDS 3.0: nested objects as the HSDS API returns them, or the tabular package.

A public export never contains the address, coordinates or directions of a confidential
location (a shelter for victims of violence); staff exports may, on request.
"""

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from proxima.directory.models import Location, Service
from proxima.directory.services.hsds_spec import (
    INTEGER,
    KINDS,
    NUMBER,
    WRITE_ORDER,
    Child,
    HsdsKind,
)
from proxima.directory.services.proxima_extension import extension_of

CONFIDENTIAL_LOCATION_FIELDS = (
    "latitude",
    "longitude",
    "transportation",
    "external_identifier",
    "external_identifier_type",
)
HSDS_VERSION = "3.0"


def _value(kind: HsdsKind, name: str, instance: Any) -> Any:
    value = getattr(instance, kind.id_field if name == "id" else name)
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if kind.fields[name] in (NUMBER, INTEGER) and value is not None:
        return int(value) if float(value).is_integer() else float(value)
    return value


def scalars(kind: HsdsKind, instance: Any, *, public: bool) -> dict[str, Any]:
    """The record's HSDS fields, leaving out empty optional ones."""
    data: dict[str, Any] = {}
    hidden = (
        CONFIDENTIAL_LOCATION_FIELDS
        if public and kind.name == "location" and instance.is_confidential
        else ()
    )
    for name in kind.fields:
        if name in hidden:
            continue
        value = _value(kind, name, instance)
        if value is None or value == "":
            if name in kind.required:
                data[name] = "" if kind.fields[name] not in (NUMBER, INTEGER) else None
            continue
        data[name] = value
    return data


def serialize(
    kind_name: str,
    instance: Any,
    *,
    public: bool = True,
    extensions: bool = True,
    skip: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """One record with everything it nests, as in the HSDS API's full responses."""
    return serialize_many(kind_name, [instance], public=public, extensions=extensions, skip=skip)[0]


def serialize_many(
    kind_name: str,
    instances: list,
    *,
    public: bool = True,
    extensions: bool = True,
    skip: frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    """Records with everything they nest, read a kind at a time for all of them (a page
    of 100 full services took 9,000 queries, one per nested list of each record)."""
    kind = KINDS[kind_name]
    datas = [scalars(kind, instance, public=public) for instance in instances]
    if not instances:
        return datas
    for single_name, single in kind.singles.items():
        if single_name in skip:
            continue
        wanted = {getattr(i, single.link, None) for i in instances} - {None, ""}
        targets = _rows(KINDS[single.kind].model.objects.filter(pk__in=wanted))
        inner_skip = {"organization": {"services"}, "service": {"service_at_locations"}}
        nested = serialize_many(
            single.kind,
            targets,
            public=public,
            extensions=extensions,
            skip=frozenset(inner_skip.get(single.kind, ())),
        )
        by_id = {target.pk: data for target, data in zip(targets, nested, strict=True)}
        for instance, data in zip(instances, datas, strict=True):
            target_id = getattr(instance, single.link, None)
            if target_id in by_id:
                data[single_name] = by_id[target_id]
    children = dict(kind.children)
    if kind.name == "organization" and "services" not in skip:
        children["services"] = Child("service", "organization_id")
    own_ids = [data["id"] for data in datas]
    for child_name, child in children.items():
        if child_name in skip:
            continue
        child_kind = KINDS[child.kind]
        rows = _rows(
            child_kind.model.objects.filter(**{f"{child.link}__in": own_ids}).order_by(
                child_kind.id_field, "pk"
            )
        )
        nested_skip = frozenset({"organization"}) if child_name == "services" else frozenset()
        nested = serialize_many(
            child.kind, rows, public=public, extensions=extensions, skip=nested_skip
        )
        by_parent: dict[str, list] = {}
        for row, data in zip(rows, nested, strict=True):
            by_parent.setdefault(getattr(row, child.link), []).append(data)
        for instance, data in zip(instances, datas, strict=True):
            if (
                public
                and kind.name == "location"
                and instance.is_confidential
                and child_name == "addresses"
            ):
                continue
            data[child_name] = by_parent.get(data["id"], [])
    if extensions:
        for instance, data in zip(instances, datas, strict=True):
            extension = extension_of(kind_name, instance)
            if extension:
                data["proxima"] = extension
    return datas


def _rows(queryset) -> list:
    if any(f.name == "territory" for f in queryset.model._meta.fields):
        queryset = queryset.select_related("territory")
    return list(queryset)


def serialize_service(service: Service, *, public: bool = True) -> dict[str, Any]:
    return serialize("service", service, public=public)


def export_json(path: Path, *, public: bool = True) -> int:
    """All services, fully nested, as a JSON array; returns the count."""
    everyone = list(Service.objects.order_by("id"))
    services = []
    for start in range(0, len(everyone), 500):  # read a kind at a time, 500 services
        services += serialize_many("service", everyone[start : start + 500], public=public)
    path.write_text(json.dumps(services, ensure_ascii=False, indent=1), encoding="utf-8")
    return len(services)


def export_tabular(folder: Path, *, public: bool = True) -> dict[str, int]:
    """One CSV per HSDS table, a datapackage.json describing them, and proxima.json."""
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    extensions: dict[str, dict[str, dict]] = {}
    confidential = (
        set(Location.objects.filter(is_confidential=True).values_list("id", flat=True))
        if public
        else set()
    )
    resources = []
    for kind_name in WRITE_ORDER:
        kind = KINDS[kind_name]
        columns = list(kind.fields)
        rows = kind.model.objects.order_by(kind.id_field)
        if public and kind_name == "address":
            rows = rows.exclude(location_id__in=confidential)
        path = folder / f"{kind.table}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            count = 0
            for row in rows.iterator():
                data = scalars(kind, row, public=public)
                writer.writerow({k: "" if v is None else v for k, v in data.items()})
                extension = extension_of(kind_name, row)
                if extension:
                    extensions.setdefault(kind_name, {})[data["id"]] = extension
                count += 1
        counts[kind_name] = count
        resources.append(
            {
                "name": kind.table,
                "path": f"{kind.table}.csv",
                "profile": "tabular-data-resource",
                "schema": {
                    "fields": [
                        {
                            "name": c,
                            "type": {NUMBER: "number", INTEGER: "integer"}.get(
                                kind.fields[c], "string"
                            ),
                        }
                        for c in columns
                    ],
                    "primaryKey": "id",
                },
            }
        )
    (folder / "datapackage.json").write_text(
        json.dumps(
            {
                "name": "proxima-hsds",
                "title": "Proxima directory (HSDS 3.0 tabular)",
                "profile": "tabular-data-package",
                "version": HSDS_VERSION,
                "resources": resources,
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    (folder / "proxima.json").write_text(
        json.dumps(extensions, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return counts
