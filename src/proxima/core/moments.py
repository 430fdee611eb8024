"""Days as moments: where a day of the network's local time begins."""

from datetime import date, datetime, time

from django.utils import timezone


def start_of_day(day: date) -> datetime:
    """The local midnight beginning a day, aware (a period of days is compared as the
    moments [start_of_day(first), start_of_day(last + 1 day)), which databases read
    through their indexes)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
