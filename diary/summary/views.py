"""The weekly summary page: /week/<YYYY-Www>, browsable week by week."""

from datetime import date, timedelta

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import format_date
from flask_login import current_user, login_required

from diary.advice.tips import tips_as_of
from diary.clock import local_today
from diary.entries.pregnancy import stage_on
from diary.entries.store import entries_between
from diary.summary.chart import daily_chart
from diary.summary.insights import find_insights, insight_window
from diary.summary.weekly import weekly_summary
from diary.summary.weeks import parse_week, week_days, week_name, week_of
from diary.web.i18n import current_language

bp = Blueprint("week", __name__)

EARLIEST_WEEK = date(2000, 1, 3)


def week_insights(user, monday: date) -> list:
    """What seems to help, over the four weeks up to the week's last day (or today)."""
    last_day = min(monday + timedelta(days=6), local_today())
    return find_insights(entries_between(user, *insight_window(last_day)), last_day)


def summary_with_tips(user, monday: date, language: str, insights: list | None = None) -> dict:
    """The API's weekly summary: figures from SQL, the tips as of the week's last day, and insights."""
    last_day = min(monday + timedelta(days=6), local_today())
    summary = weekly_summary(user, monday, stage_on(last_day, user.due_date, user.birth_date))
    # A week with nothing logged has nothing to explain a tip by.
    summary["tips"] = tips_as_of(user, last_day, language) if summary["days_logged"] else []
    insights = week_insights(user, monday) if insights is None else insights
    summary["insights"] = [insight.as_dict() for insight in insights]
    return summary


def week_or_404(text: str):
    """The Monday of a week that exists and has begun, or a 404."""
    monday = parse_week(text)
    if monday is None or monday > local_today() or monday < EARLIEST_WEEK:
        abort(404)
    return monday


@bp.get("/week")
@login_required
def this_week():
    return redirect(url_for("week.page", week=week_name(week_of(local_today()))))


@bp.get("/week/<week>")
@login_required
def page(week: str):
    monday = week_or_404(week)
    insights = week_insights(current_user, monday)
    summary = summary_with_tips(current_user, monday, current_language(), insights)
    labels = [format_date(day, "EEE") for day in week_days(monday)]
    following = monday + timedelta(days=7)
    return render_template(
        "summary/week.html",
        summary=summary,
        monday=monday,
        sunday=monday + timedelta(days=6),
        chart=daily_chart(summary["days"], labels),
        insights=insights,
        insight_window=insight_window(min(monday + timedelta(days=6), local_today())),
        previous=week_name(monday - timedelta(days=7)),
        following=week_name(following) if following <= local_today() else None,
        stage=stage_on(
            min(monday + timedelta(days=6), local_today()), current_user.due_date, current_user.birth_date
        ),
    )
