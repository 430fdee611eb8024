"""Opening hours from HSDS schedules: when is a service open?

A schedule (RRULE-style fields) becomes weekly intervals `[weekday, opens, closes,
valid_from, valid_to, nth]`, minutes from midnight, Monday = 0. `nth` is 0 for every week,
or the occurrence in the month for MONTHLY rules ("2MO" = second Monday, "-1FR" = last
Friday). Intervals that run past midnight are split. The search index keeps the
intervals as JSON and, per weekday, a bitmask of the half hours touched, so the database
can pre-filter "open now" and Python confirms it exactly.
"""

import calendar
import json
import re
from collections.abc import Iterable
from datetime import date, datetime

from django.utils import timezone

DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
_BYDAY = re.compile(r"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})")
MINUTES_PER_DAY = 24 * 60
SLOT_MINUTES = 30

Interval = list  # [weekday, opens, closes, valid_from, valid_to, nth]


def _minutes(value: str) -> int | None:
    match = _TIME.match(value.strip())
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours == 23 and minutes == 59:
        return MINUTES_PER_DAY
    return min(hours * 60 + minutes, MINUTES_PER_DAY)


def schedule_intervals(schedule) -> list[Interval]:
    """The weekly intervals of one schedule (empty when it has no usable times)."""
    opens, closes = _minutes(schedule.opens_at or ""), _minutes(schedule.closes_at or "")
    if opens is None or closes is None:
        return []
    freq = (schedule.freq or "").upper()
    if freq not in ("", "WEEKLY", "MONTHLY", "DAILY"):
        return []
    days: list[tuple[int, int]] = []
    byday = [part.strip().upper() for part in (schedule.byday or "").split(",") if part.strip()]
    for part in byday:
        match = _BYDAY.match(part)
        if match:
            nth = int(match.group(1)) if match.group(1) and freq == "MONTHLY" else 0
            days.append((DAY_CODES.index(match.group(2)), nth))
    if not byday:
        days = [(d, 0) for d in range(7)]
    valid_from, valid_to = (schedule.valid_from or "")[:10], (schedule.valid_to or "")[:10]
    intervals: list[Interval] = []
    for weekday, nth in days:
        if closes > opens:
            intervals.append([weekday, opens, closes, valid_from, valid_to, nth])
        elif closes < opens or (closes == opens == 0):
            # Past midnight (or 00:00-00:00, open all day).
            intervals.append([weekday, opens, MINUTES_PER_DAY, valid_from, valid_to, nth])
            if closes > 0:
                intervals.append([(weekday + 1) % 7, 0, closes, valid_from, valid_to, nth])
    return intervals


def weekly_bitmasks(intervals: Iterable[Interval]) -> list[int]:
    """Per weekday, the half-hour slots an interval touches (a superset of the exact hours)."""
    masks = [0] * 7
    for weekday, opens, closes, *_ in intervals:
        first, last = opens // SLOT_MINUTES, (closes - 1) // SLOT_MINUTES
        for slot in range(first, min(last, 47) + 1):
            masks[weekday] |= 1 << slot
    return masks


def encode(intervals: list[Interval]) -> str:
    return json.dumps(intervals, separators=(",", ":")) if intervals else ""


def decode(hours: str) -> list[Interval]:
    return json.loads(hours) if hours else []


def slot_of(moment: datetime) -> tuple[int, int]:
    """(weekday, half-hour slot) of a moment in local time."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return local.weekday(), (local.hour * 60 + local.minute) // SLOT_MINUTES


def _nth_matches(day: date, nth: int) -> bool:
    if nth == 0:
        return True
    if nth > 0:
        return (day.day - 1) // 7 + 1 == nth
    days_in_month = calendar.monthrange(day.year, day.month)[1]
    return -((days_in_month - day.day) // 7 + 1) == nth


def spans_on(intervals: Iterable[Interval], day: date) -> list[tuple[int, int]]:
    """The spans (minutes) a service opens on this date: its weekday's intervals whose
    dates and "nth weekday of the month" rule hold that day."""
    today = day.isoformat()
    return sorted(
        (opens, closes)
        for weekday, opens, closes, valid_from, valid_to, nth in intervals
        if weekday == day.weekday()
        and not (valid_from and today < valid_from)
        and not (valid_to and today > valid_to)
        and _nth_matches(day, nth)
    )


def is_open_at(intervals: Iterable[Interval], moment: datetime) -> bool:
    """Exactly: is any interval open at this moment (local time)?"""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    minute = local.hour * 60 + local.minute
    return any(opens <= minute < closes for opens, closes in spans_on(intervals, local.date()))


def service_intervals(service_schedules, location_schedules) -> list[Interval]:
    """A service's hours: its own schedules, else those of the places where it is given."""
    own = [i for s in service_schedules for i in schedule_intervals(s)]
    return own or [i for s in location_schedules for i in schedule_intervals(s)]


def describe(intervals: list[Interval]) -> list[tuple[int, list[tuple[int, int]]]]:
    """Per weekday, its spans in minutes: [(0, [(540, 1020)]), ...] (the words and the
    times in the reader's language are the presenter's: core/formats.py)."""
    by_day: dict[int, list[tuple[int, int]]] = {}
    for weekday, opens, closes, *_rest in sorted(intervals):
        by_day.setdefault(weekday, []).append((opens, closes))
    return sorted(by_day.items())
