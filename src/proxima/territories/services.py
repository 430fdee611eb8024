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
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

from proxima.core.errors import InputError
from proxima.territories.models import LEVEL_ORDER, Territory, TerritoryLevel

MAX_FILE_BYTES = 100 * 1024 * 1024
# Outlines finer than this are simplified first (ogr2ogr -simplify, mapshaper): finding the
# territories of a point reads the whole outline.
MAX_POINTS_PER_FEATURE = 500_000
MAX_POINTS = 5_000_000
CODE_LENGTH, REGION_CODE_LENGTH, NAME_LENGTH = 32, 16, 200
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
    if "crs" not in collection or collection["crs"] is None:
        return None
    crs = collection["crs"]
    properties = crs.get("properties") if isinstance(crs, dict) else None
    name = properties.get("name") if isinstance(properties, dict) else None
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise TerritoryImportError(
            {
                "crs": _(
                    'The "crs" member must name a coordinate system: '
                    '{"type": "name", "properties": {"name": "EPSG:32198"}}.'
                )
            }
        )
    if name.upper().endswith(("CRS84", "EPSG::4326", "EPSG:4326")):
        return None
    return name.strip()


def _transformer(name: str):
    """The transformation to WGS 84, and the system's area of use (west, south, east,
    north), for a horizontal coordinate system (geographic or projected) only."""
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        crs = CRS.from_user_input(name)
    except CRSError:
        raise TerritoryImportError(
            {"crs": _("Unknown coordinate system: %s.") % name[:100]}
        ) from None
    if not (crs.is_geographic or crs.is_projected) or crs.is_vertical or crs.is_compound:
        raise TerritoryImportError(
            {
                "crs": _(
                    "%s is not a coordinate system of a map (longitude and latitude, or a projection)."
                )
                % name[:100]
            }
        )
    area = crs.area_of_use
    bounds = (area.west, area.south, area.east, area.north) if area else None
    return _Reprojection(Transformer.from_crs(crs, WGS84, always_xy=True), bounds, crs.is_projected)


@dataclass(frozen=True)
class _Reprojection:
    transformer: object
    area: tuple | None  # the system's area of use: west, south, east, north
    projected: bool


def _positions_are_numbers(coordinates, depth: int) -> bool:
    """Rings of positions, each two or three numbers (not true or false, not text)."""
    if depth == 0:
        return (
            isinstance(coordinates, list)
            and len(coordinates) in (2, 3)
            and all(type(v) in (int, float) for v in coordinates)
        )
    return isinstance(coordinates, list) and all(
        _positions_are_numbers(item, depth - 1) for item in coordinates
    )


def _rings(coordinates, kind: str):
    polygons = coordinates if kind == "MultiPolygon" else [coordinates]
    return [ring for polygon in polygons for ring in polygon]


def _geometry(feature: dict, where: str, reprojection, errors: dict, budget: list[int]):
    """The feature's outline as a valid shapely (Multi)Polygon in WGS 84, or None with
    the reason in `errors`."""
    raw = feature.get("geometry")
    if not isinstance(raw, dict) or raw.get("type") not in ("Polygon", "MultiPolygon"):
        errors[where] = _("The geometry must be a Polygon or a MultiPolygon.")
        return None
    kind, coordinates = raw["type"], raw.get("coordinates")
    if not _positions_are_numbers(coordinates, 3 if kind == "MultiPolygon" else 2):
        errors[where] = _("The geometry cannot be read (coordinates missing or malformed).")
        return None
    rings = _rings(coordinates, kind)
    if not rings:
        errors[where] = _("The geometry is empty.")
        return None
    points = sum(len(ring) for ring in rings)
    budget[0] += points
    if points > MAX_POINTS_PER_FEATURE or budget[0] > MAX_POINTS:
        errors[where] = _(
            "The outline has too many points: simplify the file first "
            "(ogr2ogr -simplify, or mapshaper)."
        )
        return None
    if any(len(ring) < 4 or ring[0][:2] != ring[-1][:2] for ring in rings):
        errors[where] = _("Invalid geometry: %s.") % _("a ring is not closed")
        return None
    try:
        outline = shape({"type": kind, "coordinates": coordinates})
        if shapely.has_z(outline):
            outline = shapely.force_2d(outline)
    except (
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
        IndexError,
        OverflowError,
        shapely.errors.GEOSException,
    ):
        errors[where] = _("The geometry cannot be read (coordinates missing or malformed).")
        return None
    if outline.is_empty:
        errors[where] = _("The geometry is empty.")
        return None
    if reprojection is not None:
        west, south, east, north = outline.bounds
        if reprojection.projected and -180 <= west <= east <= 180 and -90 <= south <= north <= 90:
            errors[where] = _(
                "The coordinates look like longitudes and latitudes, but the file's "
                '"crs" names a projection (in metres): remove its "crs", or name the right one.'
            )
            return None
        outline = shapely.transform(outline, lambda xy: _reproject(reprojection.transformer, xy))
    if not all(math.isfinite(v) for v in outline.bounds):
        errors[where] = _("The geometry cannot be read (coordinates missing or malformed).")
        return None
    if not outline.is_valid:
        errors[where] = _invalidity(explain_validity(outline))
        return None
    west, south, east, north = outline.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        errors[where] = _(
            "The coordinates are not longitudes and latitudes: name the file's coordinate "
            'system (its "crs").'
        )
        return None
    if (
        reprojection is not None
        and reprojection.area
        and not _within(outline.bounds, reprojection.area)
    ):
        errors[where] = _(
            "The outline falls outside the area its coordinate system is made for: are the "
            'coordinates really in that system (the file\'s "crs")?'
        )
        return None
    if east - west > 180:
        errors[where] = _(
            "The outline crosses the 180th meridian: cut it in two along the meridian."
        )
        return None
    return outline


def _within(bounds, area, margin: float = 0.1) -> bool:
    west, south, east, north = bounds
    a_west, a_south, a_east, a_north = area
    return (
        west >= a_west - margin
        and east <= a_east + margin
        and south >= a_south - margin
        and north <= a_north + margin
    )


def _invalidity(explanation: str) -> str:
    """GEOS's reason ("Self-intersection[-71.25 46.82]") in the reader's language."""
    reason, _bracket, where = explanation.partition("[")
    reasons = {
        "Ring Self-intersection": _("a ring crosses itself"),
        "Self-intersection": _("its outline crosses itself"),
        "Too few points": _("a ring has too few points"),
        "Hole lies outside shell": _("a hole lies outside its polygon"),
        "Nested holes": _("a hole lies inside another hole"),
        "Interior is disconnected": _("its inside is cut in two"),
        "Nested shells": _("a polygon lies inside another"),
        "Duplicate Rings": _("a ring is repeated"),
        "Invalid Coordinate": _("a coordinate is not a number"),
        "Ring is not closed": _("a ring is not closed"),
    }
    said = next(
        (text for key, text in reasons.items() if reason.strip().startswith(key)),
        _("it is not a valid outline"),
    )
    at = f" ({where.rstrip(']')})" if where else ""
    return _("Invalid geometry: %s.") % f"{said}{at}"


def _reproject(transformer, xy):
    import numpy

    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return numpy.column_stack([x, y])


def _has_control_characters(text: str) -> bool:
    """Line breaks, escapes, NUL, direction overrides: nothing a name should hold."""
    import unicodedata

    return any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text)


def _text(
    properties: dict,
    name: str | None,
    where: str,
    errors: dict,
    *,
    required: bool,
    longest: int,
):
    """A code or a name: text (or a whole number, for codes written as numbers)."""
    if not name:
        return ""
    value = properties.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[where] = _("The property %s is missing.") % name
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        errors[where] = _("The property %s must be text.") % name
        return ""
    text = str(value).strip()
    if _has_control_characters(text):
        errors[where] = _("The property %s holds control characters.") % name
        return ""
    if len(text) > longest:
        errors[where] = _("The property %(name)s is longer than %(n)d characters.") % {
            "name": name,
            "n": longest,
        }
        return ""
    return text


def _population(properties: dict, name: str | None, where: str, errors: dict) -> int | None:
    if not name or properties.get(name) in (None, ""):
        return None
    value = properties[name]
    number = None
    if type(value) is int:
        number = value
    elif type(value) is float and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    if number is None or not 0 <= number <= 2_000_000_000:
        errors[where] = _("The population %s is not a whole number.") % str(value)[:40]
        return None
    return number


def read_features(path: Path) -> dict:
    """The file's FeatureCollection, or why it cannot be read (at most MAX_FILE_BYTES,
    a regular file, UTF-8 with or without a byte-order mark)."""
    try:
        if not path.is_file():
            raise TerritoryImportError({"file": _("This is not a file.")})
        if path.stat().st_size > MAX_FILE_BYTES:
            raise TerritoryImportError({"file": _("The file is larger than 100 MB.")})
        with path.open("rb") as handle:
            content = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise TerritoryImportError(
            {"file": _("The file cannot be read: %s") % (error.strerror or error)}
        ) from None
    if len(content) > MAX_FILE_BYTES:
        raise TerritoryImportError({"file": _("The file is larger than 100 MB.")})
    try:
        collection = json.loads(content.decode("utf-8-sig"))
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
    reprojection = _transformer(crs) if crs else None
    parent_territory = None
    errors: dict[str, str] = {}
    if parent:
        above = LEVEL_ORDER[: LEVEL_ORDER.index(level)]
        # The nearest level above holding that code (a local network before its region).
        candidates = list(Territory.objects.filter(code=parent, level__in=above))
        candidates.sort(key=lambda t: -LEVEL_ORDER.index(t.level))
        parent_territory = candidates[0] if candidates else None
        if parent_territory is None:
            errors["parent"] = _("No territory of a higher level has the code %s.") % parent[:40]
    elif level != TerritoryLevel.REGION:
        errors["parent"] = _("Name the territory that holds these (--parent CODE).")
    longest_code = REGION_CODE_LENGTH if level == TerritoryLevel.REGION else CODE_LENGTH
    rows, seen, budget = [], set(), [0]
    for index, feature in enumerate(collection["features"], start=1):
        where = _("feature %d") % index
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors[where] = _("Not a GeoJSON Feature.")
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            errors[where] = _("Its properties are not an object.")
            continue
        code = _text(properties, code_field, where, errors, required=True, longest=longest_code)
        name = _text(properties, name_field, where, errors, required=True, longest=NAME_LENGTH)
        name_en = _text(
            properties, name_en_field, where, errors, required=False, longest=NAME_LENGTH
        )
        population = _population(properties, population_field, where, errors)
        outline = _geometry(feature, where, reprojection, errors, budget)
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


def outline_of(territory: Territory) -> shapely.Geometry:
    """A territory's outline (WGS 84, longitude first), parsed and prepared once."""
    return _outline(territory.pk, territory.updated_at)


def region_of(territory: Territory) -> Territory:
    """The region holding a territory (itself for a region); select_related its
    parents to walk them without queries."""
    region = territory
    while region.parent_id is not None and region.level != TerritoryLevel.REGION:
        region = region.parent
    return region


def territory_ids_within(region) -> list[int]:
    """The ids of a region's territory and of every territory within it (one query per
    level)."""
    root = Territory.objects.filter(region=region).values_list("pk", flat=True).first()
    return descendant_ids(root) if root is not None else []


def region_territories(region_id) -> QuerySet[Territory]:
    """A region's territories and every territory within them, by name: what a form
    offers."""
    return Territory.objects.filter(pk__in=territory_ids_within(region_id)).order_by("name_fr")


def descendant_ids(territory_id: int) -> list[int]:
    """The id of a territory and of every territory within it (one query per level)."""
    found, frontier = [territory_id], [territory_id]
    while frontier:
        frontier = list(
            Territory.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        found += frontier
    return found


def territories_of_region(region_id) -> list[Territory]:
    """The current territories within a region (its own row left out), from the region
    down, by level then code."""
    from proxima.core.models import Region

    region = Region.objects.filter(pk=region_id).first()
    ids = territory_ids_within(region) if region else []
    rows = current_territories().filter(pk__in=ids).exclude(level=TerritoryLevel.REGION)
    return sorted(rows, key=lambda t: (LEVEL_ORDER.index(t.level), t.code))


def current_territories(on: date | None = None):
    """The territories with an outline valid on a day (today by default)."""
    on = on or date.today()
    return (
        Territory.objects.exclude(geometry="")
        .exclude(valid_from__gt=on)
        .exclude(valid_until__lt=on)
    )


def territories_at(latitude: float, longitude: float, *, on: date | None = None) -> list[Territory]:
    """The territories holding a point, from the region down (a point on a border belongs
    to the territories on both sides: it is covered by each)."""
    candidates = current_territories(on).filter(
        min_latitude__lte=latitude,
        max_latitude__gte=latitude,
        min_longitude__lte=longitude,
        max_longitude__gte=longitude,
    )
    point = shapely.Point(longitude, latitude)
    found = [t for t in candidates if outline_of(t).covers(point)]
    return sorted(found, key=lambda t: (LEVEL_ORDER.index(t.level), t.code))


def assign_points(
    points: list[tuple[float, float]], *, level: str, on: date | None = None
) -> list[int | None]:
    """For many (latitude, longitude) points, the territory of a level holding each (its
    id; the lowest code when a point lies on a border), through a spatial index."""
    territories = list(current_territories(on).filter(level=level).order_by("code"))
    if not territories or not points:
        return [None] * len(points)
    outlines = [outline_of(t) for t in territories]
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
        current_territories(on)
        .filter(level=TerritoryLevel.NEIGHBOURHOOD)
        .select_related("parent__parent__parent")
    ):
        point = outline_of(territory).representative_point()
        found.append(
            NamedPlace(territory.code, territory.name, point.y, point.x, region_of(territory).name)
        )
    return sorted(found, key=lambda p: (collation_key(p.group), collation_key(p.label)))


def place(key: str, *, on: date | None = None) -> NamedPlace | None:
    """One neighbourhood by its code (None when there is none, or not today)."""
    return next((p for p in places(on=on) if p.key == key), None)


def _plain(name: str) -> str:
    """A name compared without case, accents (core.formats.collation_key), punctuation or
    repeated spaces."""
    from proxima.core.formats import collation_key

    return " ".join("".join(c if c.isalnum() else " " for c in collation_key(name)).split())


def territory_named(name: str, *, on: date | None = None) -> Territory | None:
    """The one current territory whose French or English name is `name` (without case or
    accents); None when none is, or when several are (two "Vanier": say which)."""
    wanted = _plain(name or "")
    if not wanted:
        return None
    found = [
        t
        for t in current_territories(on).only("pk", "name_fr", "name_en", "level", "code")
        if wanted in (_plain(t.name_fr), _plain(t.name_en))
    ]
    return found[0] if len(found) == 1 else None


def territory_coded(level: str, code: str, *, on: date | None = None) -> Territory | None:
    """The current territory of a level with a code, or None."""
    return current_territories(on).filter(level=level, code=code).first()


def lineage(on: date | None = None) -> dict[int, list[int]]:
    """Per current territory, its id and the ids of those holding it, up to the region."""
    parents = dict(current_territories(on).values_list("pk", "parent_id"))
    lines = {}
    for pk in parents:
        line, at = [], pk
        while at is not None and at not in line:
            line.append(at)
            at = parents.get(at)
        lines[pk] = line
    return lines


def territory_choices(*, on: date | None = None) -> list[tuple[str, list[tuple[int, str]]]]:
    """The current territories to pick from, grouped by region, each named with its level
    ("Vanier — quartier"), from the largest level down then by name."""
    from proxima.core.formats import collation_key

    groups: dict[str, list[tuple[int, str, tuple]]] = {}
    for territory in current_territories(on).select_related("parent__parent__parent"):
        region = region_of(territory)
        label = territory.name_and_level
        order = (LEVEL_ORDER.index(territory.level), collation_key(territory.name))
        groups.setdefault(region.name, []).append((territory.pk, label, order))
    return [
        (group, [(pk, label) for pk, label, _order in sorted(items, key=lambda i: i[2])])
        for group, items in sorted(groups.items(), key=lambda g: collation_key(g[0]))
    ]
