"""Reading and writing one user's weekly checks: every check-in query goes through here."""

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from peewee import IntegrityError

from diary.checkins.questionnaires import function_check
from diary.checkins.trend import FunctionTrend, TrendPoint, function_trend
from diary.checkins.validation import CleanCheckin
from diary.db import locked, write_transaction
from diary.entries.entry import format_timestamp
from diary.entries.store import ONE_MILLISECOND
from diary.models import Checkin, utc_now
from diary.summary.weeks import week_name, week_of

#: How many weeks the week page's trend looks back over, the shown week included.
TREND_WEEKS = 8
#: How far before the first shown week a check is still "the check before" to compare with.
LOOK_BACK = timedelta(weeks=26)


def checkin_as_dict(row: Checkin) -> dict:
    """A stored check-in in the API's shape (API.md, "The weekly check")."""
    stored = json.loads(row.answers)
    leg_raise = None
    if row.leg_raise_left is not None and row.leg_raise_right is not None:
        left, right = row.leg_raise_left, row.leg_raise_right
        leg_raise = {"left": left, "right": right, "sum": left + right}
    return {
        "week": week_name(row.week),
        "answers": {item: stored.get(item) for item in function_check().item_ids},
        "leg_raise": leg_raise,
        "function_score": row.function_score,
        "updated_at": format_timestamp(row.updated_at),
    }


def checkins_between(user, start: date | None = None, end: date | None = None) -> list[dict]:
    """The user's check-ins of the weeks that begin from start to end (either may be open), oldest first."""
    query = Checkin.of(user).order_by(Checkin.week)
    if start is not None:
        query = query.where(Checkin.week >= start)
    if end is not None:
        query = query.where(Checkin.week <= end)
    return [checkin_as_dict(row) for row in query]


def get_checkin(user, week: date) -> dict | None:
    """The user's check-in of the ISO week that starts on ``week``, or None."""
    row = Checkin.of(user).where(Checkin.week == week).first()
    return checkin_as_dict(row) if row else None


def save_checkin(user, clean: CleanCheckin) -> tuple[dict, bool]:
    """Create or replace the user's check-in of clean.week; return it and whether it is new."""
    try:
        return _save_once(user, clean)
    except IntegrityError:
        # Two first writes of the same week raced: the loser replaces the winner's row.
        return _save_once(user, clean)


def _save_once(user, clean: CleanCheckin) -> tuple[dict, bool]:
    with write_transaction():
        stored = locked(Checkin.of(user).where(Checkin.week == clean.week)).first()
        left, right = clean.leg_raise or (None, None)
        values = {
            "answers": json.dumps(clean.answers),
            "function_score": clean.function_score,
            "leg_raise_left": left,
            "leg_raise_right": right,
        }
        if stored is None:
            Checkin.insert(
                user=user, week=clean.week, updated_at=clean.updated_at or utc_now(), **values
            ).execute()
        else:
            # An edit made here and now follows the stored one, even from a phone whose clock ran ahead.
            updated_at = clean.updated_at or max(utc_now(), stored.updated_at + ONE_MILLISECOND)
            Checkin.update(updated_at=updated_at, **values).where(Checkin.id == stored.id).execute()
    return get_checkin(user, clean.week), stored is None


def edit_times(user) -> dict[date, datetime]:
    """When each of the user's check-ins was last edited, by week."""
    return dict(Checkin.of(user).select(Checkin.week, Checkin.updated_at).tuples())


def trend_points(user, start: date, end: date) -> list[TrendPoint]:
    """The scores of the user's check-ins of the weeks from start to end, oldest first, and
    those of up to LOOK_BACK before, to compare the first with."""
    query = (
        Checkin.of(user)
        .where(Checkin.week.between(week_of(start) - LOOK_BACK, end))
        .order_by(Checkin.week)
        .select(Checkin.week, Checkin.function_score, Checkin.leg_raise_left, Checkin.leg_raise_right)
    )
    return [
        TrendPoint(
            week=row.week,
            score=row.function_score,
            leg_raise_sum=None
            if row.leg_raise_left is None or row.leg_raise_right is None
            else row.leg_raise_left + row.leg_raise_right,
        )
        for row in query
    ]


def trend_for_week(user, week: date) -> FunctionTrend:
    """The trend of the weeks up to and including ``week``, as the week page shows it."""
    first = week - timedelta(weeks=TREND_WEEKS - 1)
    return function_trend(trend_points(user, first, week), first, week)


def _latest_before(user, week: date, field) -> int | None:
    row = (
        Checkin.of(user)
        .where((Checkin.week < week) & field.is_null(False))
        .order_by(Checkin.week.desc())
        .select(field)
        .first()
    )
    return getattr(row, field.name) if row else None


def function_figures(user, week: date) -> dict:
    """The summary's "function": this week's scores and those of the check before (API.md)."""
    row = Checkin.of(user).where(Checkin.week == week).first()
    leg_sum = None
    if row is not None and row.leg_raise_left is not None and row.leg_raise_right is not None:
        leg_sum = row.leg_raise_left + row.leg_raise_right
    previous_leg = (
        Checkin.of(user)
        .where((Checkin.week < week) & Checkin.leg_raise_left.is_null(False))
        .order_by(Checkin.week.desc())
        .first()
    )
    return {
        "score": row.function_score if row else None,
        "previous_score": _latest_before(user, week, Checkin.function_score),
        "leg_raise_sum": leg_sum,
        "previous_leg_raise_sum": previous_leg.leg_raise_left + previous_leg.leg_raise_right
        if previous_leg
        else None,
    }


@dataclass(frozen=True)
class CheckStatus:
    """Whether this week's check is done, for the log page's reminder of it."""

    week: date
    done: bool


def check_status(user, today: date) -> CheckStatus:
    """This ISO week's check: done or still due."""
    week = week_of(today)
    return CheckStatus(week=week, done=Checkin.of(user).where(Checkin.week == week).exists())
