"""Diaries for the rules tests: entries, and profiles at a stage."""

from datetime import date, timedelta

from diary.advice.rules import Profile
from diary.entries.entry import DayEntry
from diary.entries.pregnancy import PREGNANCY_DAYS

TODAY = date(2026, 11, 22)  # a Sunday
PREGNANT = Profile(due_date=TODAY + timedelta(weeks=12))  # week 28+0 today


def entry(offset, pain=3, **codes) -> DayEntry:
    """An entry ``offset`` days before TODAY, with the given codes (and night_wakings)."""
    return DayEntry(date=TODAY - timedelta(days=offset), pain=pain, **codes)


def days_with(count, total=7, **codes):
    """``total`` logged days, the first ``count`` of them with the given codes."""
    return [entry(offset, **(codes if offset < count else {})) for offset in range(total)]


def pregnant_in(weeks, days=0, today=TODAY):
    """A profile that is ``weeks``+``days`` pregnant on ``today``."""
    return Profile(due_date=today + timedelta(days=PREGNANCY_DAYS - (weeks * 7 + days)))


def born_ago(days, today=TODAY):
    """A profile that gave birth ``days`` days before ``today``."""
    born = today - timedelta(days=days)
    return Profile(due_date=born, birth_date=born)
