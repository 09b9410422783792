"""Diaries for the rules tests: entries as the API shows them, and profiles at a stage."""

from datetime import date, timedelta

from diary.advice.rules import Profile
from diary.entries.pregnancy import PREGNANCY_DAYS

TODAY = date(2026, 11, 22)  # a Sunday
PREGNANT = Profile(due_date=TODAY + timedelta(weeks=12))  # week 28+0 today


def entry(offset, pain=3, **codes):
    """An entry ``offset`` days before TODAY."""
    body = {"date": (TODAY - timedelta(days=offset)).isoformat(), "pain": pain, "night_wakings": 0}
    for field in ("locations", "sensations", "triggers", "relief"):
        body[field] = list(codes.get(field, []))
    if "night_wakings" in codes:
        body["night_wakings"] = codes["night_wakings"]
    return body


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
