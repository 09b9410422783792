"""The week's summary as the week page and the API show it: the figures, the tips as of the
week's last day, what seems to help, and which weeks there are to show."""

from datetime import date, timedelta

from diary.advice.tips import tips_as_of
from diary.checkins.store import function_figures
from diary.clock import local_today
from diary.entries.pregnancy import stage_on
from diary.entries.store import entries_between
from diary.summary.insights import Insight, find_insights, insight_window
from diary.summary.weekly import weekly_summary
from diary.summary.weeks import parse_week

EARLIEST_WEEK = date(2000, 1, 3)


def started_week(text: str) -> date | None:
    """The Monday of a week written YYYY-Www that exists and has begun; None for any other text."""
    monday = parse_week(text)
    if monday is None or monday > local_today() or monday < EARLIEST_WEEK:
        return None
    return monday


def week_insights(user, monday: date) -> list[Insight]:
    """What seems to help, over the four weeks up to the week's last day (or today)."""
    last_day = min(monday + timedelta(days=6), local_today())
    return find_insights(entries_between(user, *insight_window(last_day)), last_day)


def summary_with_tips(user, monday: date, language: str, insights: list[Insight] | None = None) -> dict:
    """The weekly summary: figures from SQL, the tips as of the week's last day, and insights."""
    last_day = min(monday + timedelta(days=6), local_today())
    summary = weekly_summary(user, monday, stage_on(last_day, user.due_date, user.birth_date))
    # A week with nothing logged has nothing to explain a tip by.
    summary["tips"] = tips_as_of(user, last_day, language) if summary["days_logged"] else []
    summary["function"] = function_figures(user, monday)
    insights = week_insights(user, monday) if insights is None else insights
    summary["insights"] = [insight.as_dict() for insight in insights]
    return summary
