"""The week's summary as the week page and the API show it: the figures, the tips as of the
week's last day, and which weeks there are to show."""

from datetime import date, timedelta

from diary.advice.tips import tips_as_of
from diary.clock import local_today
from diary.entries.pregnancy import stage_on
from diary.summary.weekly import weekly_summary
from diary.summary.weeks import parse_week

EARLIEST_WEEK = date(2000, 1, 3)


def started_week(text: str) -> date | None:
    """The Monday of a week written YYYY-Www that exists and has begun; None for any other text."""
    monday = parse_week(text)
    if monday is None or monday > local_today() or monday < EARLIEST_WEEK:
        return None
    return monday


def summary_with_tips(user, monday: date, language: str) -> dict:
    """The weekly summary: figures from SQL, and the tips as of the week's last day."""
    last_day = min(monday + timedelta(days=6), local_today())
    summary = weekly_summary(user, monday, stage_on(last_day, user.due_date, user.birth_date))
    # A week with nothing logged has nothing to explain a tip by.
    summary["tips"] = tips_as_of(user, last_day, language) if summary["days_logged"] else []
    return summary
