"""When a daily reminder is due: pure date and time arithmetic in her own time zone.

The reminder is due at her chosen local time on each of her local days. A time that does
not exist on a spring-forward day (02:30 in Copenhagen on the last Sunday of March) falls at
the same distance after the change (03:30); a time that happens twice on a fall-back day
is due at its first occurrence. One more than LATE_LIMIT late (the server was down) is
skipped: a reminder at 23:40 for a 20:00 habit helps nobody.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from diary.entries.codes import N_

DEFAULT_TIME = time(20, 0)
DEFAULT_TIMEZONE = "Europe/Copenhagen"
LATE_LIMIT = timedelta(hours=1)
TIME_FORMAT = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


class InvalidReminder(ValueError):
    """Reminder settings the diary cannot use; errors maps each field to a message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class ReminderSettings:
    """Her reminder: on or off, a local time, a time zone, and the local day one last went out."""

    enabled: bool = False
    at: time = DEFAULT_TIME
    zone: ZoneInfo = ZoneInfo(DEFAULT_TIMEZONE)
    last_sent_on: date | None = None


def parse_time(raw) -> time | None:
    """A 24-hour HH:MM time, or None."""
    match = TIME_FORMAT.fullmatch(raw) if isinstance(raw, str) else None
    return time(int(match.group(1)), int(match.group(2))) if match else None


def parse_timezone(raw) -> ZoneInfo | None:
    """An IANA time zone by its canonical name (Europe/Copenhagen), or None."""
    if not isinstance(raw, str) or raw not in _zone_names():
        return None
    try:
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        return None


_ZONES: frozenset[str] = frozenset()


def _zone_names() -> frozenset[str]:
    """The names zoneinfo knows (read once): a path such as ../../etc/x is never one of them."""
    global _ZONES
    if not _ZONES:
        _ZONES = frozenset(available_timezones())
    return _ZONES


def validate_settings(body) -> tuple[bool, time, ZoneInfo]:
    """{"enabled", "time", "timezone"} as the API and the form send them; raise InvalidReminder."""
    if not isinstance(body, dict):
        raise InvalidReminder(
            {"reminder": N_("Send the reminder as an object with enabled, time and timezone.")}
        )
    errors = {}
    enabled = body.get("enabled")
    if not isinstance(enabled, bool):
        errors["enabled"] = N_("Use true or false.")
    at = parse_time(body.get("time"))
    if at is None:
        errors["time"] = N_("Use a time written HH:MM, such as 20:00.")
    zone = parse_timezone(body.get("timezone"))
    if zone is None:
        errors["timezone"] = N_("Use a time zone name such as Europe/Copenhagen.")
    unknown = set(body) - {"enabled", "time", "timezone"}
    if unknown:
        errors[sorted(unknown)[0]] = N_("The reminder has no such field.")
    if errors:
        raise InvalidReminder(errors)
    return enabled, at, zone


def local_day(now: datetime, zone: ZoneInfo) -> date:
    """Her calendar date at the moment now (an aware datetime)."""
    return now.astimezone(zone).date()


def due_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC moment of her reminder on one of her days."""
    wall = datetime.combine(day, at).replace(tzinfo=zone, fold=0)
    # A wall time in a spring-forward gap has no UTC moment of its own: zoneinfo gives it the
    # offset from before the change, which lands it as far past the change as it was meant to be.
    return wall.astimezone(timezone.utc)


def due_day(settings: ReminderSettings, now: datetime, logged_today: bool) -> date | None:
    """Her local day whose reminder should go out at now, or None.

    None when reminders are off, the time has not come, it passed more than LATE_LIMIT ago,
    one went out that day already, or the day is already logged (logged_today).
    """
    if not settings.enabled or logged_today:
        return None
    day = local_day(now, settings.zone)
    if settings.last_sent_on is not None and settings.last_sent_on >= day:
        return None
    moment = due_moment(day, settings.at, settings.zone)
    if now < moment or now - moment > LATE_LIMIT:
        return None
    return day


#: A reminder waits in the push service at most this long for a phone that is off or offline.
MAX_TIME_TO_LIVE = timedelta(hours=4)


def time_to_live(now: datetime, zone: ZoneInfo) -> int:
    """Seconds a reminder sent at now may wait for her phone: until her midnight, at most four hours."""
    tomorrow = local_day(now, zone) + timedelta(days=1)
    midnight = datetime.combine(tomorrow, time()).replace(tzinfo=zone).astimezone(timezone.utc)
    return max(60, int(min(midnight - now, MAX_TIME_TO_LIVE).total_seconds()))
