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


# Places a worker can pick without a postal code (our own list, coordinates of each centre).
PLACES = [
    Place("vanier", "Vanier (Ottawa)", 45.4400, -75.6600),
    Place("ottawa-centre", "Ottawa — Centre-ville / Downtown", 45.4215, -75.6972),
    Place("ottawa-lowertown", "Ottawa — Basse-Ville / Lowertown", 45.4336, -75.6900),
    Place("gatineau", "Gatineau", 45.4765, -75.7013),
    Place("quebec-saint-roch", "Québec — Saint-Roch", 46.8139, -71.2247),
    Place("quebec-limoilou", "Québec — Limoilou", 46.8283, -71.2164),
    Place("quebec-vieux-quebec", "Québec — Vieux-Québec", 46.8123, -71.2145),
    Place("quebec-charlesbourg", "Québec — Charlesbourg", 46.8600, -71.2700),
    Place("quebec-beauport", "Québec — Beauport", 46.8590, -71.1920),
    Place("quebec-sainte-foy", "Québec — Sainte-Foy", 46.7760, -71.2890),
    Place("levis", "Lévis", 46.8033, -71.1779),
]
PLACES_BY_KEY = {place.key: place for place in PLACES}


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
