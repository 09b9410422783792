"""The midwife report's content, computed from a period's entries: pure data in, data out."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from diary.entries.codes import CODE_SETS, RED_FLAGS
from diary.entries.entry import DayEntry
from diary.entries.pregnancy import Stage, stage_on
from diary.summary.figures import change_between, mean_pain, round_half_up
from diary.summary.weeks import week_name, week_of

# A week's average must move by at least this many points (0-10 scale) to be called worse
# or better: smaller changes are within how the same pain is rated from day to day.
TREND_THRESHOLD = 1.0
# Fewer logged days than this make a week's average too thin to compare.
TREND_MIN_DAYS = 3


@dataclass(frozen=True)
class WeekRow:
    week: str
    start: date  # the first of the week's days inside the period
    end: date  # the last of them
    days_in_period: int  # 7, or fewer for a week the period cuts
    days_logged: int
    mean: float | None
    worst: int | None
    nights_disrupted: int
    change: float | None  # average pain minus the week before's, when both can be compared
    trend: str  # "worse", "better", "same" (under the threshold) or "" (nothing to compare)
    stage: Stage | None

    @property
    def partial(self) -> bool:
        """Whether the period holds only part of this week."""
        return self.days_in_period < 7


@dataclass(frozen=True)
class Report:
    name: str
    start: date
    end: date
    due_date: date | None
    birth_date: date | None
    stage_start: Stage | None
    stage_end: Stage | None
    days_in_period: int
    days_logged: int
    mean_pain: float | None
    max_pain: int | None
    nights_disrupted: int
    night_wakings: int
    days: list[dict]  # every day of the period: date, pain, night_wakings (None when not logged)
    location_shares: dict[str, float]  # code -> share of logged days, 0..1
    locations: list[tuple[str, int]]
    triggers: list[tuple[str, int]]
    sensations: list[tuple[str, int]]
    relief: list[tuple[str, int]]
    red_flags: list[
        tuple[str, list[tuple[date, date]]]
    ]  # each sensation that is not PGP, and the runs of days she logged it
    weeks: list[WeekRow]
    notes: list[tuple[date, str]] | None  # None when the diarist chose not to share them
    made_on: date


def _mean(entries) -> float | None:
    return round_half_up(mean_pain([entry.pain for entry in entries])) if entries else None


def day_runs(days: list[date]) -> list[tuple[date, date]]:
    """Days in order, as runs of consecutive days (first, last): 1, 2, 3 and 5 are 1–3 and 5."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and day - runs[-1][1] == timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _ranked(entries, field: str) -> list[tuple[str, int]]:
    counts = Counter(code for entry in entries for code in getattr(entry, field))
    order = [code.code for code in CODE_SETS[field]]
    return sorted(counts.items(), key=lambda item: (-item[1], order.index(item[0])))


def _trend(change: float) -> str:
    if change >= TREND_THRESHOLD:
        return "worse"
    if change <= -TREND_THRESHOLD:
        return "better"
    return "same"


def _weeks(entries, start: date, end: date, due_date, birth_date) -> list[WeekRow]:
    """One row per ISO week the period touches; each compared with the week before it."""
    by_week: dict[date, list[DayEntry]] = {}
    for entry in entries:  # one pass, so the cost grows with the period, not with weeks x days
        by_week.setdefault(week_of(entry.date), []).append(entry)
    rows, previous = [], None
    monday = week_of(start)
    while monday <= end:
        first, last = max(monday, start), min(monday + timedelta(days=6), end)
        days = by_week.get(monday, [])
        mean = _mean(days)
        change, trend = None, ""
        comparable = len(days) >= TREND_MIN_DAYS
        if comparable and previous is not None:
            change = change_between(mean, previous)
            trend = _trend(change)
        rows.append(
            WeekRow(
                week=week_name(monday),
                start=first,
                end=last,
                days_in_period=(last - first).days + 1,
                days_logged=len(days),
                mean=mean,
                worst=max((e.pain for e in days), default=None),
                nights_disrupted=sum(1 for e in days if e.night_wakings > 0),
                change=change,
                trend=trend,
                stage=stage_on(first, due_date, birth_date),
            )
        )
        previous = mean if comparable else None
        monday += timedelta(days=7)
    return rows


def build_report(
    entries: list[DayEntry],
    start: date,
    end: date,
    *,
    name: str,
    due_date,
    birth_date,
    include_notes: bool,
    made_on: date,
) -> Report:
    """The report of the entries between start and end."""
    entries = [entry for entry in entries if start <= entry.date <= end]
    by_day = {entry.date: entry for entry in entries}
    period = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
    logged = len(entries)
    locations = _ranked(entries, "locations")
    return Report(
        name=name,
        start=start,
        end=end,
        due_date=due_date,
        birth_date=birth_date,
        stage_start=stage_on(start, due_date, birth_date),
        stage_end=stage_on(end, due_date, birth_date),
        days_in_period=len(period),
        days_logged=logged,
        mean_pain=_mean(entries),
        max_pain=max((e.pain for e in entries), default=None),
        nights_disrupted=sum(1 for e in entries if e.night_wakings > 0),
        night_wakings=sum(e.night_wakings for e in entries),
        days=[
            {
                "date": day,
                "pain": by_day[day].pain if day in by_day else None,
                "night_wakings": by_day[day].night_wakings if day in by_day else None,
            }
            for day in period
        ],
        location_shares={code: days / logged for code, days in locations} if logged else {},
        locations=locations,
        triggers=_ranked(entries, "triggers"),
        # The red flags have a section of their own, with their days.
        sensations=[
            (code, days)
            for code, days in _ranked(entries, "sensations")
            if code not in RED_FLAGS["sensations"]
        ],
        relief=_ranked(entries, "relief"),
        red_flags=[
            (code, day_runs(days))
            for code in RED_FLAGS["sensations"]
            if (days := [e.date for e in entries if code in e.sensations])
        ],
        weeks=_weeks(entries, start, end, due_date, birth_date),
        notes=[(e.date, e.note) for e in entries if e.note] if include_notes else None,
        made_on=made_on,
    )
