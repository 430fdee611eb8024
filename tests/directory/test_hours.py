from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from proxima.directory.services import hours

LOCAL = ZoneInfo("America/Toronto")


def schedule(**fields):
    base = dict(opens_at="", closes_at="", freq="WEEKLY", byday="", valid_from="", valid_to="")
    return SimpleNamespace(**{**base, **fields})


def test_weekday_hours():
    intervals = hours.schedule_intervals(
        schedule(byday="MO,WE", opens_at="09:00", closes_at="17:30")
    )
    assert intervals == [[0, 540, 1050, "", "", 0], [2, 540, 1050, "", "", 0]]
    assert hours.is_open_at(intervals, datetime(2026, 11, 23, 17, 29, tzinfo=LOCAL))
    assert not hours.is_open_at(intervals, datetime(2026, 11, 23, 17, 30, tzinfo=LOCAL))
    assert not hours.is_open_at(intervals, datetime(2026, 11, 24, 10, 0, tzinfo=LOCAL))


def test_past_midnight_is_split_over_two_days():
    intervals = hours.schedule_intervals(schedule(byday="SA", opens_at="22:00", closes_at="03:00"))
    assert hours.is_open_at(intervals, datetime(2026, 11, 29, 2, 0, tzinfo=LOCAL))  # Sunday 2:00


def test_monthly_nth_weekday():
    intervals = hours.schedule_intervals(
        schedule(freq="MONTHLY", byday="2TU,-1FR", opens_at="13:00", closes_at="15:00")
    )
    assert hours.is_open_at(intervals, datetime(2026, 11, 10, 14, 0, tzinfo=LOCAL))  # 2nd Tuesday
    assert not hours.is_open_at(
        intervals, datetime(2026, 11, 17, 14, 0, tzinfo=LOCAL)
    )  # 3rd Tuesday
    assert hours.is_open_at(intervals, datetime(2026, 11, 27, 14, 0, tzinfo=LOCAL))  # last Friday


def test_validity_dates_are_respected():
    intervals = hours.schedule_intervals(
        schedule(byday="MO", opens_at="09:00", closes_at="12:00", valid_from="2026-12-01")
    )
    assert not hours.is_open_at(intervals, datetime(2026, 11, 23, 10, 0, tzinfo=LOCAL))
    assert hours.is_open_at(intervals, datetime(2026, 12, 7, 10, 0, tzinfo=LOCAL))


def test_bitmasks_cover_every_half_hour_touched():
    masks = hours.weekly_bitmasks([[1, 9 * 60 + 15, 10 * 60, "", "", 0]])
    assert masks[1] == (1 << 18) | (1 << 19) and masks[0] == 0


def test_unusable_times_give_no_interval():
    assert hours.schedule_intervals(schedule(byday="MO", opens_at="soon", closes_at="late")) == []
