"""The weekly summary page: /week/<YYYY-Www>, browsable week by week."""

from datetime import timedelta

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import format_date
from flask_login import current_user, login_required

from diary.checkins.store import trend_for_week
from diary.clock import local_today
from diary.entries.pregnancy import stage_on
from diary.summary.chart import daily_chart
from diary.summary.insights import insight_window
from diary.summary.week_summary import started_week, summary_with_tips, week_insights
from diary.summary.weeks import week_days, week_name, week_of
from diary.web.i18n import current_language

bp = Blueprint("week", __name__)


@bp.get("/week")
@login_required
def this_week():
    return redirect(url_for("week.page", week=week_name(week_of(local_today()))))


@bp.get("/week/<week>")
@login_required
def page(week: str):
    monday = started_week(week)
    if monday is None:
        abort(404)
    insights = week_insights(current_user, monday)
    summary = summary_with_tips(current_user, monday, current_language(), insights)
    labels = [format_date(day, "EEE") for day in week_days(monday)]
    following = monday + timedelta(days=7)
    this_week = monday == week_of(local_today())
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
        function_trend=trend_for_week(current_user, monday),
        checkin_url=url_for("checkins.page") if this_week else None,
        checkin_week=monday,
    )
