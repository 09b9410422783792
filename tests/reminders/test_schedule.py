"""When the daily reminder is due: time zones, the daylight-saving days, sent and logged days."""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from diary.reminders.schedule import (
    InvalidReminder,
    ReminderSettings,
    due_day,
    due_moment,
    parse_time,
    parse_timezone,
    validate_settings,
)

CPH = ZoneInfo("Europe/Copenhagen")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def on(at="20:00", zone=CPH, last_sent_on=None) -> ReminderSettings:
    return ReminderSettings(enabled=True, at=parse_time(at), zone=zone, last_sent_on=last_sent_on)


def test_it_is_due_at_her_time_in_copenhagen_winter():
    # 20:00 in December is 19:00 UTC.
    assert due_day(on(), utc(2026, 12, 4, 18, 59), False) is None
    assert due_day(on(), utc(2026, 12, 4, 19, 0), False) == date(2026, 12, 4)


def test_it_is_due_at_her_time_in_copenhagen_summer():
    assert due_day(on(), utc(2026, 7, 1, 18, 0), False) == date(2026, 7, 1)
    assert due_day(on(), utc(2026, 7, 1, 17, 59), False) is None


@pytest.mark.parametrize(
    ("zone", "moment", "day"),
    [
        ("America/New_York", utc(2026, 12, 5, 1, 0), date(2026, 12, 4)),  # 20:00 EST the day before in UTC
        ("Asia/Tokyo", utc(2026, 12, 4, 11, 0), date(2026, 12, 4)),
        ("Australia/Adelaide", utc(2026, 12, 4, 9, 30), date(2026, 12, 4)),  # +10:30 in summer
        ("Asia/Kolkata", utc(2026, 12, 4, 14, 30), date(2026, 12, 4)),
    ],
)
def test_it_uses_her_own_time_zone_and_her_own_date(zone, moment, day):
    settings = on(zone=ZoneInfo(zone))
    assert due_day(settings, moment, False) == day
    assert due_day(settings, moment - timedelta(minutes=1), False) is None


@pytest.mark.parametrize(
    ("change_day", "utc_hour"),
    [
        (date(2026, 3, 29), 18),  # spring forward: 20:00 CEST
        (date(2026, 10, 25), 19),  # fall back: 20:00 CET
        (date(2027, 3, 28), 18),
        (date(2027, 10, 31), 19),
    ],
)
def test_it_is_due_at_her_wall_clock_time_on_the_daylight_saving_days(change_day, utc_hour):
    moment = utc(change_day.year, change_day.month, change_day.day, utc_hour)
    assert due_day(on(), moment, False) == change_day
    assert due_day(on(), moment - timedelta(minutes=1), False) is None
    # The day before and after keep their own offsets.
    before = change_day - timedelta(days=1)
    assert due_moment(before, time(20), CPH).astimezone(CPH).hour == 20


@pytest.mark.parametrize("change_day", [date(2026, 3, 29), date(2027, 3, 28)])
def test_a_time_skipped_by_spring_forward_comes_as_far_after_the_change(change_day):
    # 02:30 does not exist that night; the reminder comes at 03:30 CEST, 01:30 UTC.
    moment = due_moment(change_day, time(2, 30), CPH)
    assert moment == utc(change_day.year, change_day.month, change_day.day, 1, 30)
    settings = on("02:30")
    assert due_day(settings, moment, False) == change_day
    assert due_day(settings, moment - timedelta(minutes=1), False) is None


@pytest.mark.parametrize("change_day", [date(2026, 10, 25), date(2027, 10, 31)])
def test_a_time_that_happens_twice_at_fall_back_is_due_once(change_day):
    first = utc(change_day.year, change_day.month, change_day.day, 0, 30)  # 02:30 CEST
    second = first + timedelta(hours=1)  # 02:30 CET
    settings = on("02:30")
    assert due_day(settings, first, False) == change_day
    sent = on("02:30", last_sent_on=change_day)
    assert due_day(sent, second, False) is None


@pytest.mark.parametrize(
    ("zone", "spring", "autumn"),
    [
        ("America/New_York", date(2026, 3, 8), date(2026, 11, 1)),
        ("America/New_York", date(2027, 3, 14), date(2027, 11, 7)),
        ("Australia/Sydney", date(2026, 10, 4), date(2026, 4, 5)),
    ],
)
def test_it_keeps_her_local_time_across_other_zones_changes(zone, spring, autumn):
    tz = ZoneInfo(zone)
    for day in (spring, autumn):
        moment = due_moment(day, time(20), tz)
        assert moment.astimezone(tz).hour == 20 and moment.astimezone(tz).date() == day
        assert due_day(on(zone=tz), moment, False) == day


def test_it_sends_nothing_when_today_is_already_logged():
    assert due_day(on(), utc(2026, 12, 4, 19, 5), True) is None


def test_it_sends_nothing_twice_on_one_day():
    settings = on(last_sent_on=date(2026, 12, 4))
    assert due_day(settings, utc(2026, 12, 4, 19, 5), False) is None
    # The next day it is due again.
    assert due_day(settings, utc(2026, 12, 5, 19, 5), False) == date(2026, 12, 5)


def test_it_skips_a_reminder_more_than_an_hour_late():
    assert due_day(on(), utc(2026, 12, 4, 20, 0), False) == date(2026, 12, 4)  # exactly an hour late
    assert due_day(on(), utc(2026, 12, 4, 20, 1), False) is None


def test_it_sends_nothing_when_turned_off():
    settings = ReminderSettings(enabled=False, at=time(20), zone=CPH)
    assert due_day(settings, utc(2026, 12, 4, 19, 0), False) is None


def test_a_late_evening_time_near_midnight_is_not_carried_into_the_next_day():
    settings = on("23:30")
    assert due_day(settings, utc(2026, 12, 4, 22, 30), False) == date(2026, 12, 4)
    # 00:20 the next day: that day's 23:30 has not come, and yesterday's belongs to yesterday.
    assert due_day(settings, utc(2026, 12, 4, 23, 20), False) is None


@pytest.mark.parametrize("raw", ["20:00", "00:00", "23:59", "07:05"])
def test_it_reads_a_24_hour_time(raw):
    assert parse_time(raw).strftime("%H:%M") == raw


@pytest.mark.parametrize("raw", ["24:00", "7:05", "20:60", "20.00", "", None, 2000, "20:00:00", " 20:00"])
def test_it_refuses_other_times(raw):
    assert parse_time(raw) is None


@pytest.mark.parametrize("raw", ["Mars/Olympus", "../../etc/passwd", "", None, "europe/copenhagen", 5])
def test_it_refuses_unknown_time_zones(raw):
    assert parse_timezone(raw) is None


def test_it_validates_a_whole_settings_body():
    assert validate_settings({"enabled": True, "time": "21:15", "timezone": "Europe/Paris"}) == (
        True,
        time(21, 15),
        ZoneInfo("Europe/Paris"),
    )
    with pytest.raises(InvalidReminder) as raised:
        validate_settings({"enabled": "yes", "time": "25:00", "timezone": "Nowhere", "extra": 1})
    assert set(raised.value.errors) == {"enabled", "time", "timezone", "extra"}
