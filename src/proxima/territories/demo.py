"""The demo's territories: fictional outlines around the demo's places (no real boundary
file is available offline; docs/territories.md says where a region gets the real ones).

Four regions, their edges drawn along a rough line of the rivers so that each place falls
in one: Capitale-Nationale (03, split into two local networks and four CLSC
territories), Chaudière-Appalaches (12), Outaouais (07) and, for Ontario, an eastern
region. Each region's neighbourhoods are the cells of its named places (every point goes
to the nearest place), cut to the region: the places a worker picks in search.
"""

import shapely
from shapely.geometry import Polygon, box

from proxima.territories.services import save_territory

SOURCE = "Démo Proxima : contours fictifs / Proxima demo: fictional outlines"

# The St. Lawrence at Quebec City, west to east, roughly: north of it is region 03.
ST_LAWRENCE = [(-71.45, 46.70), (-71.30, 46.745), (-71.22, 46.805), (-71.05, 46.84)]
# The Ottawa River between Gatineau and Ottawa, roughly.
OTTAWA_RIVER = [(-75.85, 45.455), (-75.55, 45.455)]

REGIONS = [
    {
        "code": "03",
        "name": "Capitale-Nationale",
        "name_en": "Capitale-Nationale",
        "outline": Polygon([*ST_LAWRENCE, (-71.05, 46.95), (-71.45, 46.95)]),
        "population": 560_000,
        "places": [
            ("quebec-saint-roch", "Saint-Roch", 46.8139, -71.2247),
            ("quebec-limoilou", "Limoilou", 46.8283, -71.2164),
            ("quebec-vieux-quebec", "Vieux-Québec", 46.8123, -71.2145),
            ("quebec-charlesbourg", "Charlesbourg", 46.8600, -71.2700),
            ("quebec-beauport", "Beauport", 46.8590, -71.1920),
            ("quebec-sainte-foy", "Sainte-Foy", 46.7760, -71.2890),
        ],
        "split": (46.83, -71.25),  # two local networks north and south, CLSC west and east
        # Fictional material and social deprivation quintiles (1 least deprived, 5 most),
        # so the indicators of equity have something to show.
        "deprivation": {
            "quebec-saint-roch": (5, 4),
            "quebec-limoilou": (4, 4),
            "quebec-vieux-quebec": (3, 5),
            "quebec-beauport": (3, 3),
            "quebec-charlesbourg": (2, 2),
            "quebec-sainte-foy": (1, 3),
        },
    },
    {
        "code": "12",
        "name": "Chaudière-Appalaches",
        "name_en": "Chaudière-Appalaches",
        "outline": Polygon([*ST_LAWRENCE, (-71.05, 46.60), (-71.45, 46.60)]),
        "population": 430_000,
        "places": [("levis", "Lévis", 46.8033, -71.1779)],
    },
    {
        "code": "07",
        "name": "Outaouais",
        "name_en": "Outaouais",
        "outline": Polygon([*OTTAWA_RIVER, (-75.55, 45.60), (-75.85, 45.60)]),
        "population": 400_000,
        "places": [("gatineau", "Gatineau", 45.4765, -75.7013)],
    },
    {
        "code": "ON-E",
        "name": "Est de l'Ontario",
        "name_en": "Eastern Ontario",
        "outline": Polygon([*OTTAWA_RIVER, (-75.55, 45.30), (-75.85, 45.30)]),
        "population": 1_100_000,
        "places": [
            ("vanier", "Vanier (Ottawa)", 45.4400, -75.6600),
            ("ottawa-centre", "Ottawa — Centre-ville", 45.4215, -75.6972),
            ("ottawa-lowertown", "Ottawa — Basse-Ville", 45.4336, -75.6900),
        ],
        "places_en": {
            "ottawa-centre": "Ottawa — Downtown",
            "ottawa-lowertown": "Ottawa — Lowertown",
        },
    },
]


def load_demo_territories() -> int:
    """Create or refresh the demo's territories; how many there are."""
    count = 0
    for spec in REGIONS:
        outline = spec["outline"]
        region, _ = save_territory(
            "region",
            spec["code"],
            spec["name"],
            outline,
            name_en=spec["name_en"],
            population=spec["population"],
            source=SOURCE,
        )
        count += 1
        holders = [(region, outline)]
        if "split" in spec:
            holders = _networks_and_clsc(spec, region, outline)
            count += 6
        count += _neighbourhoods(spec, region, outline, holders)
    return count


def _networks_and_clsc(spec: dict, region, outline) -> list:
    """Two local networks (north and south of a latitude), each with a CLSC west and
    east of a longitude; the CLSC territories, to hold the neighbourhoods."""
    west, south, east, north = outline.bounds
    latitude, longitude = spec["split"]
    code = spec["code"]
    clsc_areas = []
    for suffix, side, area in (
        ("11", "Nord", box(west, latitude, east, north)),
        ("12", "Sud", box(west, south, east, latitude)),
    ):
        part = outline.intersection(area)
        network, _ = save_territory(
            "local_network",
            f"{code}{suffix}",
            f"RLS de Québec-{side} (fictif)",
            part,
            name_en=f"Québec-{side} network (fictional)",
            parent=region,
            source=SOURCE,
        )
        for letter, label, label_en, (lo, hi) in (
            ("O", "Ouest", "West", (west, longitude)),
            ("E", "Est", "East", (longitude, east)),
        ):
            piece = part.intersection(box(lo, south, hi, north))
            clsc, _ = save_territory(
                "clsc",
                f"{code}{suffix}{letter}",
                f"CLSC {label} de Québec-{side} (fictif)",
                piece,
                name_en=f"CLSC Québec-{side} {label_en} (fictional)",
                parent=network,
                population=140_000,
                source=SOURCE,
            )
            clsc_areas.append((clsc, piece))
    return clsc_areas


def _neighbourhoods(spec: dict, region, outline, holders) -> int:
    places = spec["places"]
    points = [shapely.Point(lon, lat) for _key, _name, lat, lon in places]
    if len(points) > 1:
        cells = list(shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=outline).geoms)
    else:
        cells = [outline]
    for (key, name, _lat, _lon), point in zip(places, points, strict=True):
        cell = next(c for c in cells if c.covers(point)).intersection(outline)
        holder = next((t for t, area in holders if area.covers(point)), region)
        neighbourhood, _ = save_territory(
            "neighbourhood",
            key,
            name,
            cell,
            name_en=spec.get("places_en", {}).get(key, ""),
            parent=holder,
            source=SOURCE,
        )
        material, social = spec.get("deprivation", {}).get(key, (None, None))
        if (neighbourhood.material_deprivation, neighbourhood.social_deprivation) != (
            material,
            social,
        ):
            neighbourhood.material_deprivation = material
            neighbourhood.social_deprivation = social
            neighbourhood.save(update_fields=["material_deprivation", "social_deprivation"])
    return len(places)
