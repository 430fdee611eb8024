"""Territories: importing their outlines (GeoJSON), finding the ones that hold a point.

Geometry is shapely's (GEOS): validity, containment, the spatial index for many points.
Other coordinate systems are reprojected with pyproj when the file names its system.
"""

import json
import math
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import shapely
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

from proxima.core.errors import InputError
from proxima.territories.models import LEVEL_ORDER, Territory, TerritoryLevel

MAX_FILE_BYTES = 200 * 1024 * 1024
WGS84 = "EPSG:4326"


class TerritoryImportError(InputError):
    """A file that cannot be imported; `errors` names each problem (nothing imported)."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    codes: list[str] = field(default_factory=list)


def _crs_of(collection: dict) -> str | None:
    """The coordinate system a GeoJSON file names (the 2008 "crs" member, still written by
    many GIS exports), as pyproj reads it; None for WGS 84 (RFC 7946's only one)."""
    crs = collection.get("crs")
    if not crs:
        return None
    name = (crs.get("properties") or {}).get("name", "") if isinstance(crs, dict) else ""
    if not isinstance(name, str) or not name:
        raise TerritoryImportError({"crs": _("The file names a coordinate system without a name.")})
    if name.upper().endswith(("CRS84", "EPSG::4326", "EPSG:4326")):
        return None
    return name


def _transformer(crs: str):
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        return Transformer.from_crs(CRS.from_user_input(crs), WGS84, always_xy=True)
    except CRSError:
        raise TerritoryImportError(
            {"crs": _("Unknown coordinate system: %s.") % crs[:100]}
        ) from None


def _geometry(feature: dict, where: str, transformer, errors: dict):
    """The feature's outline as a valid shapely (Multi)Polygon in WGS 84, or None with
    the reason in `errors`."""
    raw = feature.get("geometry")
    if not isinstance(raw, dict) or raw.get("type") not in ("Polygon", "MultiPolygon"):
        errors[where] = _("The geometry must be a Polygon or a MultiPolygon.")
        return None
    try:
        outline = shape(raw)
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.GEOSException):
        errors[where] = _("The geometry cannot be read (coordinates missing or malformed).")
        return None
    if outline.is_empty:
        errors[where] = _("The geometry is empty.")
        return None
    if transformer is not None:
        outline = shapely.transform(
            outline, lambda xy: _reproject(transformer, xy), interleaved=True
        )
    if not outline.is_valid:
        errors[where] = _invalidity(explain_validity(outline))
        return None
    west, south, east, north = outline.bounds
    if not all(math.isfinite(v) for v in outline.bounds) or not (
        -180 <= west <= east <= 180 and -90 <= south <= north <= 90
    ):
        errors[where] = _(
            "The coordinates are not longitudes and latitudes: name the file's coordinate "
            'system (its "crs").'
        )
        return None
    return outline


def _invalidity(explanation: str) -> str:
    """GEOS's reason ("Self-intersection[-71.25 46.82]") in the reader's language."""
    reason, _bracket, where = explanation.partition("[")
    reasons = {
        "Self-intersection": _("its outline crosses itself"),
        "Ring Self-intersection": _("a ring crosses itself"),
        "Too few points": _("a ring has too few points"),
        "Hole lies outside shell": _("a hole lies outside its polygon"),
        "Nested holes": _("a hole lies inside another hole"),
        "Interior is disconnected": _("its inside is cut in two"),
        "Nested shells": _("a polygon lies inside another"),
        "Duplicate Rings": _("a ring is repeated"),
        "Invalid Coordinate": _("a coordinate is not a number"),
        "Ring is not closed": _("a ring is not closed"),
    }
    said = reasons.get(reason.strip(), reason.strip())
    at = f" ({where.rstrip(']')})" if where else ""
    return _("Invalid geometry: %s.") % f"{said}{at}"


def _reproject(transformer, xy):
    import numpy

    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return numpy.column_stack([x, y])


def _text(properties: dict, name: str | None, where: str, errors: dict, *, required: bool):
    if not name:
        return ""
    value = properties.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[where] = _("The property %s is missing.") % name
        return ""
    return str(value).strip()


def _population(properties: dict, name: str | None, where: str, errors: dict) -> int | None:
    if not name or properties.get(name) in (None, ""):
        return None
    value = properties[name]
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors[where] = _("The population %s is not a number.") % str(value)[:40]
        return None
    if not math.isfinite(number) or number < 0 or number > 2_000_000_000:
        errors[where] = _("The population %s is not a number.") % str(value)[:40]
        return None
    return round(number)


def read_features(path: Path) -> dict:
    """The file's FeatureCollection, or why it cannot be read."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise TerritoryImportError({"file": _("The file is larger than 200 MB.")})
        collection = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise TerritoryImportError({"file": _("The file cannot be read: %s") % error}) from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise TerritoryImportError(
            {"file": _("The file is not GeoJSON (JSON in UTF-8).")}
        ) from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise TerritoryImportError({"file": _("The file must hold a GeoJSON FeatureCollection.")})
    if not isinstance(collection.get("features"), list) or not collection["features"]:
        raise TerritoryImportError({"file": _("The file holds no feature.")})
    return collection


@transaction.atomic
def import_territories(
    path: Path,
    *,
    level: str,
    code_field: str,
    name_field: str,
    name_en_field: str | None = None,
    population_field: str | None = None,
    parent: str | None = None,
    source: str = "",
) -> ImportReport:
    """Create or update one territory per feature (by level and code): all of them, or
    none with every problem named (invalid or empty outline, wrong type, a missing code or
    name, a code twice, an unknown parent). A region also becomes a `core.Region`."""
    if level not in TerritoryLevel.values:
        raise TerritoryImportError(
            {"level": _("The level is one of: %s.") % ", ".join(TerritoryLevel.values)}
        )
    collection = read_features(Path(path))
    crs = _crs_of(collection)
    transformer = _transformer(crs) if crs else None
    parent_territory = None
    errors: dict[str, str] = {}
    if parent:
        above = LEVEL_ORDER[: LEVEL_ORDER.index(level)]
        parent_territory = (
            Territory.objects.filter(code=parent, level__in=above).order_by("-level").first()
        )
        if parent_territory is None:
            errors["parent"] = _("No territory of a higher level has the code %s.") % parent
    elif level != TerritoryLevel.REGION:
        errors["parent"] = _("Name the territory that holds these (--parent CODE).")
    rows, seen = [], set()
    for index, feature in enumerate(collection["features"], start=1):
        where = f"feature {index}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors[where] = _("Not a GeoJSON Feature.")
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            errors[where] = _("Its properties are not an object.")
            continue
        code = _text(properties, code_field, where, errors, required=True)[:32]
        name = _text(properties, name_field, where, errors, required=True)[:200]
        name_en = _text(properties, name_en_field, where, errors, required=False)[:200]
        population = _population(properties, population_field, where, errors)
        outline = _geometry(feature, where, transformer, errors)
        if code and code in seen:
            errors[where] = _("The code %s is used twice.") % code
        seen.add(code)
        if outline is not None and code and name:
            rows.append((code, name, name_en, population, outline))
    if errors:
        raise TerritoryImportError(errors)
    report = ImportReport()
    for code, name, name_en, population, outline in rows:
        _territory, created = save_territory(
            level,
            code,
            name,
            outline,
            name_en=name_en,
            parent=parent_territory,
            population=population,
            source=source,
        )
        report.created += created
        report.updated += not created
        report.codes.append(code)
    return report


def save_territory(
    level: str,
    code: str,
    name: str,
    outline,
    *,
    name_en: str = "",
    parent: Territory | None = None,
    population: int | None = None,
    source: str = "",
) -> tuple[Territory, bool]:
    """Create or update a territory (by level and code) with a checked outline; a region
    is also the `core.Region` of that code."""
    from proxima.core.models import Region

    west, south, east, north = outline.bounds
    fields = {
        "name_fr": name,
        "name_en": name_en,
        "parent": parent,
        "geometry": json.dumps(mapping(outline), separators=(",", ":")),
        "min_latitude": south,
        "max_latitude": north,
        "min_longitude": west,
        "max_longitude": east,
        "population": population,
        "source": source[:300],
    }
    if level == TerritoryLevel.REGION:
        fields["region"], _created = Region.objects.update_or_create(
            code=code, defaults={"name": name}
        )
    return Territory.objects.update_or_create(level=level, code=code, defaults=fields)


@lru_cache(maxsize=4096)
def _outline(territory_id: int, updated_at) -> shapely.Geometry:
    """A territory's outline, parsed and prepared once per version."""
    territory = Territory.objects.only("geometry").get(pk=territory_id)
    outline = shape(json.loads(territory.geometry))
    shapely.prepare(outline)
    return outline


def _current(on: date | None):
    on = on or date.today()
    return (
        Territory.objects.exclude(geometry="")
        .exclude(valid_from__gt=on)
        .exclude(valid_until__lt=on)
    )


def territories_at(latitude: float, longitude: float, *, on: date | None = None) -> list[Territory]:
    """The territories holding a point, from the region down (a point on a border belongs
    to the territories on both sides: it is covered by each)."""
    candidates = _current(on).filter(
        min_latitude__lte=latitude,
        max_latitude__gte=latitude,
        min_longitude__lte=longitude,
        max_longitude__gte=longitude,
    )
    point = shapely.Point(longitude, latitude)
    found = [t for t in candidates if _outline(t.pk, t.updated_at).covers(point)]
    return sorted(found, key=lambda t: (LEVEL_ORDER.index(t.level), t.code))


def assign_points(
    points: list[tuple[float, float]], *, level: str, on: date | None = None
) -> list[int | None]:
    """For many (latitude, longitude) points, the territory of a level holding each (its
    id; the lowest code when a point lies on a border), through a spatial index."""
    territories = list(_current(on).filter(level=level).order_by("code"))
    if not territories or not points:
        return [None] * len(points)
    outlines = [_outline(t.pk, t.updated_at) for t in territories]
    tree = shapely.STRtree(outlines)
    geometries = shapely.points([(lon, lat) for lat, lon in points])
    point_index, outline_index = tree.query(geometries, predicate="covered_by")
    result: list[int | None] = [None] * len(points)
    for p, o in sorted(zip(point_index.tolist(), outline_index.tolist(), strict=True)):
        if result[p] is None:
            result[p] = territories[o].pk
    return result


@dataclass(frozen=True)
class NamedPlace:
    """A neighbourhood a worker can pick instead of a postal code: its point is inside
    its outline (shapely's representative point), its group the region holding it."""

    key: str
    label: str
    latitude: float
    longitude: float
    group: str


def places(*, on: date | None = None) -> list[NamedPlace]:
    """The current neighbourhoods, by region then name, in the reader's language."""
    from proxima.core.formats import collation_key

    found = []
    for territory in (
        _current(on)
        .filter(level=TerritoryLevel.NEIGHBOURHOOD)
        .select_related("parent__parent__parent")
    ):
        point = _outline(territory.pk, territory.updated_at).representative_point()
        region = territory
        while region.parent_id is not None and region.level != TerritoryLevel.REGION:
            region = region.parent
        found.append(NamedPlace(territory.code, territory.name, point.y, point.x, region.name))
    return sorted(found, key=lambda p: (collation_key(p.group), collation_key(p.label)))


def place(key: str, *, on: date | None = None) -> NamedPlace | None:
    """One neighbourhood by its code (None when there is none, or not today)."""
    return next((p for p in places(on=on) if p.key == key), None)
