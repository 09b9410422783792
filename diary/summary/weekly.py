"""The weekly summary: figures for one ISO week, compared with the week before.

The figures are computed in SQL (aggregates over one index), never by loading a year of
entries into Python; composing them into the summary is pure (compose_summary).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from peewee import Case, fn

from diary.entries.codes import CODE_SETS
from diary.entries.pregnancy import Stage
from diary.models import Entry, EntryCode
from diary.summary.figures import change_between, round_half_up
from diary.summary.weeks import week_days, week_name


@dataclass(frozen=True)
class WeekTotals:
    """What SQL sums up for one week of one user."""

    days_logged: int
    pain_sum: int
    pain_max: int | None
    pain_min: int | None
    nights_disrupted: int
    night_wakings: int


def week_totals(user, start: date, end: date) -> WeekTotals:
    """One aggregate query over the user's entries from start to end."""
    row = (
        Entry.of(user)
        .where(Entry.date.between(start, end))
        .select(
            fn.COUNT(Entry.id),
            fn.COALESCE(fn.SUM(Entry.pain), 0),
            fn.MAX(Entry.pain),
            fn.MIN(Entry.pain),
            fn.COALESCE(fn.SUM(Case(None, [(Entry.night_wakings > 0, 1)], 0)), 0),
            fn.COALESCE(fn.SUM(Entry.night_wakings), 0),
        )
        .tuples()
        .get()
    )
    return WeekTotals(*(int(value) if value is not None else None for value in row))


def code_days(user, start: date, end: date) -> dict[str, dict[str, int]]:
    """For each code set, the number of days each code was noted, in one grouped query."""
    counts: dict[str, dict[str, int]] = {name: {} for name in CODE_SETS}
    query = (
        EntryCode.of(user)
        .where(EntryCode.date.between(start, end))
        .select(EntryCode.field, EntryCode.code, fn.COUNT(EntryCode.id))
        .group_by(EntryCode.field, EntryCode.code)
        .tuples()
    )
    for field, code, days in query:
        counts[field][code] = days
    return counts


def daily_points(user, start: date, end: date) -> dict[date, tuple[int, int]]:
    """(pain, night wakings) of each logged day of a week: at most seven rows."""
    query = (
        Entry.of(user)
        .where(Entry.date.between(start, end))
        .select(Entry.date, Entry.pain, Entry.night_wakings)
    )
    return {entry.date: (entry.pain, entry.night_wakings) for entry in query}


def _ranked(field: str, counts: dict[str, int]) -> list[dict]:
    order = {code.code: index for index, code in enumerate(CODE_SETS[field])}
    ranked = sorted(counts.items(), key=lambda item: (-item[1], order[item[0]]))
    return [{"code": code, "days": days} for code, days in ranked]


def _mean(totals: WeekTotals) -> float | None:
    return round_half_up(Fraction(totals.pain_sum, totals.days_logged)) if totals.days_logged else None


def compose_summary(
    monday: date, totals: WeekTotals, previous: WeekTotals, codes, points, stage: Stage | None
) -> dict:
    """The summary of API.md from the week's totals, the previous week's and the codes; its days are dates."""
    mean, previous_mean = _mean(totals), _mean(previous)
    change = change_between(mean, previous_mean) if mean is not None and previous_mean is not None else None
    return {
        "week": week_name(monday),
        "start": monday,
        "end": monday + timedelta(days=6),
        "days_logged": totals.days_logged,
        "pain": {
            "mean": mean,
            "max": totals.pain_max,
            "min": totals.pain_min,
            "previous_mean": previous_mean,
            "change": change,
        },
        "nights_disrupted": totals.nights_disrupted,
        "night_wakings": totals.night_wakings,
        **{
            field: _ranked(field, codes[field]) for field in ("triggers", "locations", "sensations", "relief")
        },
        "gestational_week": stage.short if stage else None,
        "days": [
            {
                "date": day,
                "pain": points[day][0] if day in points else None,
                "night_wakings": points[day][1] if day in points else None,
            }
            for day in week_days(monday)
        ],
    }


def weekly_summary(user, monday: date, stage: Stage | None) -> dict:
    """The summary of one user's ISO week starting on a Monday (tips are added by the caller)."""
    sunday = monday + timedelta(days=6)
    totals = week_totals(user, monday, sunday)
    previous = week_totals(user, monday - timedelta(days=7), monday - timedelta(days=1))
    return compose_summary(
        monday, totals, previous, code_days(user, monday, sunday), daily_points(user, monday, sunday), stage
    )


def summary_json(summary: dict) -> dict:
    """A summary as the API shows it: its days written YYYY-MM-DD."""
    return summary | {
        "start": summary["start"].isoformat(),
        "end": summary["end"].isoformat(),
        "days": [day | {"date": day["date"].isoformat()} for day in summary["days"]],
    }
