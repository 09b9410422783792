"""The calendar fallback: an .ics file with a daily event at her time, an alarm, and the diary's address.

For phones without Web Push (iPhones before iOS 16.4, the app in a browser tab): her calendar
app rings every day at her time. Its UID is the same each time she downloads it, so a calendar
that already has it replaces it rather than adding a second.
"""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

EVENT_LENGTH = timedelta(minutes=5)


def reminder_calendar(
    *, uid: str, start: date, at: time, zone: ZoneInfo, url: str, title: str, description: str, now: datetime
) -> bytes:
    """The .ics file: one event every day from start at her local time, ringing as it begins."""
    calendar = Calendar()
    calendar.add("prodid", "-//Baekkendagbog//Daily reminder//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now.astimezone(timezone.utc))
    event.add("dtstart", datetime.combine(start, at).replace(tzinfo=zone))
    event.add("duration", EVENT_LENGTH)
    event.add("rrule", {"freq": "daily"})
    event.add("summary", title)
    event.add("description", f"{description}\n{url}")
    event.add("url", url)
    event.add("transp", "TRANSPARENT")  # a reminder, not a busy hour
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", timedelta(0))
    event.add_component(alarm)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
