"""Places, ages and opening hours as index tokens: the full-text index narrows by them first.

A search with words and an age or a moment ("emploi jeunes", 70 years old, open Sunday
at 16:00) would otherwise take every listing holding the words and check each one's
ages and hours: tens of thousands of rows when few or none fit. With these tokens the
index keeps only the listings whose age band and block of hours can fit, and the exact
checks (the age columns, the half-hour masks, then each schedule's dates) run on those.

The tokens are coarse on purpose (a superset of the exact answer, few per listing):
- ages: the bands of AGE_BOUNDS a listing's ages overlap ("f_a3"), or "f_a_all" when it
  takes every age;
- hours: per weekday, the 4-hour blocks in which it opens at some moment ("f_o25":
  Wednesday, 20:00-24:00), or "f_o_all" when it is open in every block (a 24/7 line);
- places: the cells of a grid, at four sizes, holding its points ("f_g1_93_m143": the
  half-degree cell at 46.5..47 N, 71.5..71 W), and "f_remote" when it is reachable
  without travelling; a radius asks for the cells its bounding box touches, at the
  finest size that needs few of them.
"""

import math
from bisect import bisect_right
from datetime import datetime

from proxima.directory.services import geo, hours

# Band k holds the ages from AGE_BOUNDS[k] (included) to AGE_BOUNDS[k + 1] (excluded);
# the last band, from 75, has no end.
AGE_BOUNDS = (0, 2, 6, 12, 16, 18, 25, 35, 50, 65, 75, 130)
ALL_AGES = "f_a_all"
BLOCK_SLOTS = 8  # half-hour slots per block of hours: 4 hours
BLOCKS_PER_DAY = 48 // BLOCK_SLOTS
ALWAYS_OPEN = "f_o_all"


def age_tokens(minimum: float, maximum: float) -> list[str]:
    """The bands a listing taking ages minimum..maximum (both included) overlaps."""
    if minimum <= AGE_BOUNDS[0] and maximum >= AGE_BOUNDS[-1]:
        return [ALL_AGES]
    return [
        f"f_a{band}"
        for band in range(len(AGE_BOUNDS) - 1)
        if minimum < _upper(band) and maximum >= AGE_BOUNDS[band]
    ]


def _upper(band: int) -> float:
    """The first age past the band (the last band has no end: 130 and over)."""
    return AGE_BOUNDS[band + 1] if band < len(AGE_BOUNDS) - 2 else float("inf")


def age_query_tokens(age: float) -> list[str]:
    """The tokens a listing taking this age holds one of."""
    band = min(bisect_right(AGE_BOUNDS, age) - 1, len(AGE_BOUNDS) - 2)
    return [ALL_AGES, f"f_a{max(band, 0)}"]


def open_tokens(masks: list[int]) -> list[str]:
    """The blocks of hours, per weekday, in which the half-hour masks open at some slot."""
    block = (1 << BLOCK_SLOTS) - 1
    tokens = [
        f"f_o{weekday}{index}"
        for weekday, mask in enumerate(masks)
        for index in range(BLOCKS_PER_DAY)
        if mask & (block << (index * BLOCK_SLOTS))
    ]
    return [ALWAYS_OPEN] if len(tokens) == 7 * BLOCKS_PER_DAY else tokens


def open_query_tokens(moment: datetime) -> list[str]:
    """The tokens a listing open at this moment holds one of."""
    weekday, slot = hours.slot_of(moment)
    return [ALWAYS_OPEN, f"f_o{weekday}{slot // BLOCK_SLOTS}"]


CELL_DEGREES = (0.1, 0.5, 2.0, 10.0)  # the grid's sizes, finest first
MAX_CELLS = 24  # a radius asks for at most this many cells (of the finest size that fits)
REMOTE = "f_remote"


def _coordinate(value: int) -> str:
    return f"m{-value}" if value < 0 else str(value)


def _cell(level: int, row: int, column: int) -> str:
    return f"f_g{level}_{_coordinate(row)}_{_coordinate(column)}"


def place_tokens(points: list[tuple[float, float]], *, remote: bool) -> list[str]:
    """The cells holding these points, at every size; and whether it is reachable remotely."""
    tokens = {
        _cell(level, math.floor(lat / size), math.floor(lon / size))
        for lat, lon in points
        for level, size in enumerate(CELL_DEGREES)
    }
    return sorted(tokens) + ([REMOTE] if remote else [])


def place_query_tokens(
    latitude: float, longitude: float, km: float, *, include_remote: bool
) -> list[str] | None:
    """The tokens a listing within `km` of the point holds one of (the cells its bounding
    box touches; or the remote token); None when even the largest cells would be too
    many to ask for (near a pole): the exact distance alone then decides."""
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(latitude, longitude, km)
    if max_lat > 89 or min_lat < -89:
        return None  # near a pole the box (its cosine held above 0.01) no longer holds the circle
    for level, size in enumerate(CELL_DEGREES):
        rows = range(math.floor(min_lat / size), math.floor(max_lat / size) + 1)
        columns = range(math.floor(min_lon / size), math.floor(max_lon / size) + 1)
        if len(rows) * len(columns) <= MAX_CELLS:
            cells = [_cell(level, row, column) for row in rows for column in columns]
            return cells + ([REMOTE] if include_remote else [])
    return None
