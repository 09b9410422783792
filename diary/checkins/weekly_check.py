"""This week's check as the page and the API take it: a body validated against today's bounds."""

from datetime import date

from diary.checkins.questionnaires import function_check, leg_raise
from diary.checkins.validation import CleanCheckin, check_week, validate_checkin
from diary.clock import local_today
from diary.entries.validation import lower_bound
from diary.models import utc_now
from diary.summary.weeks import week_name


def validate_for(user, week: date, body) -> CleanCheckin:
    """Validate a check-in body for one of the user's weeks, within her diary's bounds today."""
    today = local_today()
    return validate_checkin(
        body,
        week=week,
        today=today,
        now=utc_now(),
        earliest=lower_bound(today, user.due_date),
        function_check=function_check(),
        leg_raise=leg_raise(),
        week_name=week_name(week),
    )


def week_problem(user, week: date) -> str | None:
    """Why the user's diary takes no check for this week today (an untranslated message), or None."""
    today = local_today()
    return check_week(week, today, lower_bound(today, user.due_date))
