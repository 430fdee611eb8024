"""Places and distances: postal codes through their forward sortation area (FSA) centroid.

FSA points come from the `pypostalcode` package (Statistics Canada FSA boundary file 2011
and GeoNames, CC BY 4.0), read once from the SQLite file it ships.
"""

import math
import os
import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache

import pypostalcode
from django.utils.translation import get_language

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
_POSTAL = re.compile(r"^\s*([A-Za-z]\d[A-Za-z])\s*(\d[A-Za-z]\d)?\s*$")


@dataclass(frozen=True)
class Place:
    key: str
    label: str
    latitude: float
    longitude: float


def places() -> list[Place]:
    """The places a worker can pick instead of a postal code: the neighbourhoods of the
    territories (proxima.territories), by region."""
    from proxima.territories.services import places as neighbourhoods

    return [Place(p.key, p.label, p.latitude, p.longitude) for p in neighbourhoods()]


def place_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The same, grouped by region, for a list to pick from."""
    from proxima.territories.services import places as neighbourhoods

    groups: dict[str, list[tuple[str, str]]] = {}
    for p in neighbourhoods():
        groups.setdefault(p.group, []).append((p.key, p.label))
    return list(groups.items())


def place(key: str) -> Place | None:
    from proxima.territories.services import place as neighbourhood

    found = neighbourhood(key)
    return Place(found.key, found.label, found.latitude, found.longitude) if found else None


@lru_cache(maxsize=1)
def fsa_points() -> dict[str, tuple[float, float, str]]:
    path = os.path.join(os.path.dirname(pypostalcode.__file__), "postalcodes.db")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        rows = connection.execute("SELECT fsa, latitude, longitude, city FROM PostalCodes")
        return {fsa.upper(): (lat, lon, city) for fsa, lat, lon, city in rows}


def normalize_postal_code(value: str) -> str | None:
    """ "k1l 8c4" → "K1L 8C4"; "k1l" → "K1L"; None when it is not a Canadian postal code."""
    match = _POSTAL.match(value or "")
    if not match:
        return None
    fsa, ldu = match.group(1).upper(), (match.group(2) or "").upper()
    return f"{fsa} {ldu}" if ldu else fsa


def postal_code_point(value: str) -> Place | None:
    """The centroid of the postal code's FSA, or None when unknown."""
    code = normalize_postal_code(value)
    if code is None:
        return None
    found = fsa_points().get(code[:3])
    if found is None:
        return None
    lat, lon, city = found
    # The areas' names are English only (the points file): a French reader reads the code.
    english = (get_language() or "fr").startswith("en")
    return Place(code[:3], f"{code[:3]} — {city}" if english else code[:3], lat, lon)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def bounding_box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing a circle of `km` around the point."""
    dlat = km / KM_PER_DEGREE
    dlon = km / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def coarsen(lat: float, lon: float) -> tuple[float, float]:
    """A public stand-in for a confidential point: ~2 km grid, never the real place."""
    return round(lat * 50) / 50, round(lon * 50) / 50
