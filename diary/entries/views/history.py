"""History: a month calendar and a list of the month's days, each coloured by pain."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext
from flask_login import current_user, login_required

from diary.clock import local_today
from diary.entries.store import entries_between
from diary.entries.validation import lower_bound
from diary.web.errors import refuse

bp = Blueprint("history", __name__)

MONTH_PATTERN = re.compile(r"(\d{4})-(\d{2})", re.ASCII)


@dataclass(frozen=True)
class CalendarDay:
    day: date
    pain: int | None  # None: nothing logged
    in_month: bool
    is_future: bool
    is_today: bool
    is_before: bool  # before the diary's lower bound: not offered


def month_grid(
    year: int, month: int, pain: dict[date, int], today: date, earliest: date
) -> list[list[CalendarDay]]:
    """The weeks (Monday first) of a month, each day with its logged pain, if any."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [
        [
            CalendarDay(
                day=day,
                pain=pain.get(day),
                in_month=day.month == month,
                is_future=day > today,
                is_today=day == today,
                is_before=day < earliest,
            )
            for day in week
        ]
        for week in weeks
    ]


def parse_month(text: str | None, today: date) -> date:
    """The first day of the month named YYYY-MM, or of today's month; a 400 for anything else."""
    if text is None:
        return today.replace(day=1)
    match = MONTH_PATTERN.fullmatch(text)
    if match and 1 <= int(match[1]) and 1 <= int(match[2]) <= 12:
        return date(int(match[1]), int(match[2]), 1)
    refuse(400, gettext("Write the month as YYYY-MM, for example 2026-11."))


def shift_month(first: date, months: int) -> date:
    """The first day of the month ``months`` before or after."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@bp.get("/history")
@login_required
def month():
    today = local_today()
    first = parse_month(request.args.get("month"), today)
    earliest = lower_bound(today, current_user.due_date).day
    if not earliest.replace(day=1) <= first <= today.replace(day=1):
        abort(404)  # a month outside her diary: there is no such page
    last = shift_month(first, 1) - timedelta(days=1)
    entries = entries_between(current_user, first, last)
    pain = {entry.date: entry.pain for entry in entries}
    previous = shift_month(first, -1)
    following = shift_month(first, 1)
    return render_template(
        "entries/history.html",
        first=first,
        weeks=month_grid(first.year, first.month, pain, today, earliest),
        entries=list(reversed(entries)),
        previous=previous if previous >= earliest.replace(day=1) else None,
        following=following if following <= today else None,
        today=today,
    )
