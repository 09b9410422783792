"""ISO weeks (Monday to Sunday), as the weekly summary names them: "2026-W47"."""

import re
from datetime import date, timedelta

WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_week(text: str) -> date | None:
    """The Monday of an ISO week written YYYY-Www, or None if there is no such week."""
    match = WEEK_PATTERN.match(text)
    if not match:
        return None
    try:
        return date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None


def week_of(day: date) -> date:
    """The Monday of the ISO week that holds a day."""
    return day - timedelta(days=day.weekday())


def week_name(monday: date) -> str:
    """The ISO name of the week that starts on a Monday: "2026-W47"."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_days(monday: date) -> list[date]:
    """Monday to Sunday."""
    return [monday + timedelta(days=offset) for offset in range(7)]
