"""History: a month calendar and a list of the month's days, each coloured by pain."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from .clock import local_today
from .entries import entries_between

bp = Blueprint("history", __name__)


@dataclass(frozen=True)
class CalendarDay:
    day: date
    pain: int | None  # None: nothing logged
    in_month: bool
    is_future: bool
    is_today: bool


def month_grid(year: int, month: int, pain: dict[date, int], today: date) -> list[list[CalendarDay]]:
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
            )
            for day in week
        ]
        for week in weeks
    ]


def parse_month(text: str | None, today: date) -> date:
    """The first day of the month named YYYY-MM, or of today's month."""
    if not text:
        return today.replace(day=1)
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        abort(404)


def shift_month(first: date, months: int) -> date:
    """The first day of the month ``months`` before or after."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@bp.get("/history")
@login_required
def month():
    today = local_today()
    first = parse_month(request.args.get("month"), today)
    if not date(2000, 1, 1) <= first <= today.replace(day=1):
        abort(404)
    last = shift_month(first, 1) - timedelta(days=1)
    entries = entries_between(current_user, first, last)
    pain = {date.fromisoformat(entry["date"]): entry["pain"] for entry in entries}
    previous = shift_month(first, -1)
    following = shift_month(first, 1)
    return render_template(
        "history.html",
        first=first,
        weeks=month_grid(first.year, first.month, pain, today),
        entries=[entry | {"day": date.fromisoformat(entry["date"])} for entry in reversed(entries)],
        previous=previous if previous >= date(2000, 1, 1) else None,
        following=following if following <= today else None,
        today=today,
    )
