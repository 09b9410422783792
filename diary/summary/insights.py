"""What seems to help: mean pain on days with and without each relief measure and trigger.

Over the last four weeks of a diary, a measure used on at least MIN_DAYS logged days and not
used on at least MIN_DAYS others is compared: the mean pain on the days with it and on the
days without it, and the same for the day after. Fewer days say too little to be shown.
These are patterns in her own diary, never proof that a measure helps; the words that show
them say so. Pure: entries (DayEntry) in, figures out.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from diary.entries.codes import CODE_SETS
from diary.entries.entry import DayEntry
from diary.summary.figures import mean_pain, round_half_up

#: The fields compared, in the order they are shown: what she did, then what set it off.
INSIGHT_FIELDS = ("relief", "triggers")
#: How many days back from the last day the comparison looks: four weeks.
INSIGHT_DAYS = 28
#: Each side of a comparison needs at least this many days.
MIN_DAYS = 3


@dataclass(frozen=True)
class Comparison:
    """Mean pain on the days with a measure and on the days without it, and how many of each."""

    days_with: int
    days_without: int
    mean_with: float
    mean_without: float


@dataclass(frozen=True)
class Insight:
    field: str  # "relief" or "triggers"
    code: str
    same_day: Comparison
    day_after: Comparison | None  # None when too few following days were logged

    def as_dict(self) -> dict:
        """The insight as the weekly summary's API shows it."""
        shown = {"field": self.field, "code": self.code, **_comparison_dict(self.same_day)}
        shown["day_after"] = _comparison_dict(self.day_after) if self.day_after else None
        return shown


def _comparison_dict(comparison: Comparison) -> dict:
    return {
        "days_with": comparison.days_with,
        "days_without": comparison.days_without,
        "mean_with": comparison.mean_with,
        "mean_without": comparison.mean_without,
    }


def compare(with_days: list[DayEntry], without_days: list[DayEntry]) -> Comparison | None:
    """The comparison of two groups of entries, or None when either has fewer than MIN_DAYS."""
    if len(with_days) < MIN_DAYS or len(without_days) < MIN_DAYS:
        return None
    return Comparison(
        days_with=len(with_days),
        days_without=len(without_days),
        mean_with=round_half_up(mean_pain([entry.pain for entry in with_days])),
        mean_without=round_half_up(mean_pain([entry.pain for entry in without_days])),
    )


def insight_window(last_day: date) -> tuple[date, date]:
    """The first and last day the insights of a day look at: the four weeks up to it."""
    return last_day - timedelta(days=INSIGHT_DAYS - 1), last_day


def find_insights(entries: list[DayEntry], last_day: date) -> list[Insight]:
    """The comparisons the last four weeks up to last_day have days enough for.

    In INSIGHT_FIELDS order, then the largest difference first (code order on a tie).
    """
    first, last = insight_window(last_day)
    by_day = {entry.date: entry for entry in entries if first <= entry.date <= last}
    found = []
    for field in INSIGHT_FIELDS:
        in_field = []
        for code in CODE_SETS[field]:
            insight = _insight(by_day, field, code.code)
            if insight is not None:
                in_field.append(insight)
        in_field.sort(key=lambda one: -abs(one.same_day.mean_with - one.same_day.mean_without))
        found.extend(in_field)
    return found


def _insight(by_day: dict[date, DayEntry], field: str, code: str) -> Insight | None:
    with_it = [entry for entry in by_day.values() if code in getattr(entry, field)]
    without_it = [entry for entry in by_day.values() if code not in getattr(entry, field)]
    same_day = compare(with_it, without_it)
    if same_day is None:
        return None
    after_with, after_without = [], []
    for day, entry in by_day.items():
        following = by_day.get(day + timedelta(days=1))
        if following is not None:
            (after_with if code in getattr(entry, field) else after_without).append(following)
    return Insight(field, code, same_day, compare(after_with, after_without))
