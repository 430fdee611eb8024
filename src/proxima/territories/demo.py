"""The demo's territories: fictional outlines around the demo's places (no real boundary
file is available offline; docs/territories.md says where a region gets the real ones).

Region 03 is a rough box around Quebec City, split into two local networks and four CLSC
territories; its neighbourhoods are the cells of the demo's named places (each point of
the box goes to the nearest place), cut to the box."""

import shapely
from shapely.geometry import box

from proxima.directory.services import geo
from proxima.territories.services import save_territory

SOURCE = "Démo Proxima : contours fictifs / Proxima demo: fictional outlines"
REGION_BOX = (-71.45, 46.70, -71.05, 46.95)  # west, south, east, north
SPLIT_LATITUDE, SPLIT_LONGITUDE = 46.83, -71.25


def load_demo_territories(region_code: str = "03", region_name: str = "Capitale-Nationale") -> int:
    """Create or refresh the demo's territories; how many there are."""
    west, south, east, north = REGION_BOX
    region, _ = save_territory(
        "region",
        region_code,
        region_name,
        box(*REGION_BOX),
        name_en=f"{region_name} (demo)",
        population=560_000,
        source=SOURCE,
    )
    count = 1
    networks = {
        "0311": (
            "RLS de Québec-Nord (fictif)",
            "Québec-Nord network (fictional)",
            box(west, SPLIT_LATITUDE, east, north),
        ),
        "0312": (
            "RLS de Québec-Sud (fictif)",
            "Québec-Sud network (fictional)",
            box(west, south, east, SPLIT_LATITUDE),
        ),
    }
    clsc_areas = []
    for code, (name, name_en, outline) in networks.items():
        network, _ = save_territory(
            "local_network", code, name, outline, name_en=name_en, parent=region, source=SOURCE
        )
        count += 1
        for side, (lo, hi) in (("O", (west, SPLIT_LONGITUDE)), ("E", (SPLIT_LONGITUDE, east))):
            part = outline.intersection(box(lo, south, hi, north))
            label = "Ouest" if side == "O" else "Est"
            clsc, _ = save_territory(
                "clsc",
                f"{code}{side}",
                f"CLSC {label} de {name.split(' de ')[1].replace(' (fictif)', '')} (fictif)",
                part,
                name_en=f"CLSC {'West' if side == 'O' else 'East'} {code} (fictional)",
                parent=network,
                population=140_000,
                source=SOURCE,
            )
            clsc_areas.append((clsc, part))
            count += 1
    places = [p for p in geo.PLACES if p.key.startswith("quebec-")]
    cells = shapely.voronoi_polygons(
        shapely.MultiPoint([(p.longitude, p.latitude) for p in places]), extend_to=box(*REGION_BOX)
    )
    for place in places:
        point = shapely.Point(place.longitude, place.latitude)
        cell = next(c for c in cells.geoms if c.covers(point)).intersection(box(*REGION_BOX))
        holder = next((clsc for clsc, part in clsc_areas if part.covers(point)), region)
        save_territory(
            "neighbourhood",
            place.key.removeprefix("quebec-"),
            place.label.split(" — ")[-1],
            cell,
            parent=holder,
            source=SOURCE,
        )
        count += 1
    return count
