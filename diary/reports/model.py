"""The report for the midwife or physiotherapist, computed from a period's entries: pure data in, data out."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from diary.checkins.trend import FunctionTrend, TrendPoint, function_trend
from diary.entries.codes import CODE_SETS, RED_FLAGS
from diary.entries.entry import DayEntry
from diary.entries.pregnancy import Stage, stage_on
from diary.summary.figures import change_between, mean_pain, round_half_up
from diary.summary.insights import Insight, find_insights, insight_window
from diary.summary.weeks import week_name, week_of

# A week's average must move by at least this many points (0-10 scale) to be called worse
# or better: smaller changes are within how the same pain is rated from day to day.
TREND_THRESHOLD = 1.0
# Fewer logged days than this make a week's average too thin to compare.
TREND_MIN_DAYS = 3
#: How many of "what seems to help" the report shows: the largest differences, on page one.
REPORT_INSIGHTS = 3
#: Where in the body the overall picture says it hurt most: each location's part of the pelvis.
REGIONS = {
    "front": ("symphysis", "groin"),
    "back": ("si_left", "si_right", "lower_back", "buttocks"),
    "sides": ("hips", "thighs"),
}


@dataclass(frozen=True)
class Overall:
    """The one-sentence picture at the top: how pain moved from the first week to the last, and where."""

    direction: str | None  # "worse", "better", "same", or None when fewer than two weeks can be compared
    first_mean: float | None  # the first comparable week's average pain
    last_mean: float | None  # the last one's
    region: str | None  # a key of REGIONS: where most logged days hurt, None on a tie or nothing noted


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
    overall: Overall
    medication_days: int  # logged days with pain medication among the relief
    safety: list[tuple[str, list[tuple[date, date]]]]  # each safety rule that held, and its runs of days
    insights: list[Insight]  # what seems to help over the period's last four weeks, largest difference first
    insight_window: tuple[date, date]
    function: FunctionTrend | None = None  # the weekly checks of the period's weeks, when she did any


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


def week_start(day: date, due_date, birth_date) -> date:
    """The first day of the week a day is in: her pregnancy week (27+0) or week after birth when
    known, so a row reads "week 27"; otherwise the ISO week's Monday."""
    stage = stage_on(day, due_date, birth_date)
    return week_of(day) if stage is None else day - timedelta(days=stage.days)


def _week_spans(start: date, end: date, due_date, birth_date) -> list[tuple[date, date]]:
    """The period cut into weeks (first and last day of each inside it); the birth starts a new one."""
    spans, first = [], start
    while first <= end:
        last = min(week_start(first, due_date, birth_date) + timedelta(days=6), end)
        if birth_date is not None and first < birth_date <= last:
            last = birth_date - timedelta(days=1)
        spans.append((first, last))
        first = last + timedelta(days=1)
    return spans


def _weeks(by_day: dict[date, DayEntry], start: date, end: date, due_date, birth_date) -> list[WeekRow]:
    """One row per week the period touches; each compared with the week before it."""
    rows, previous = [], None
    for first, last in _week_spans(start, end, due_date, birth_date):
        span = (last - first).days + 1
        days = [by_day[day] for day in (first + timedelta(days=n) for n in range(span)) if day in by_day]
        mean = _mean(days)
        change, trend = None, ""
        comparable = len(days) >= TREND_MIN_DAYS
        if comparable and previous is not None:
            change = change_between(mean, previous)
            trend = _trend(change)
        rows.append(
            WeekRow(
                week=week_name(week_of(first)),
                start=first,
                end=last,
                days_in_period=span,
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
    return rows


def _region(entries: list[DayEntry]) -> str | None:
    """The part of the pelvis that hurt on the most logged days; None on a tie or when none was noted."""
    days = {
        region: sum(1 for e in entries if set(e.locations) & set(codes)) for region, codes in REGIONS.items()
    }
    ranked = sorted(days.values(), reverse=True)
    if ranked[0] == 0 or ranked[0] == ranked[1]:
        return None
    return max(days, key=days.get)


def _difference(insight: Insight) -> float:
    return abs(insight.same_day.mean_with - insight.same_day.mean_without)


def overall_picture(weeks: list[WeekRow], entries: list[DayEntry]) -> Overall:
    """The first and last weeks with days enough to compare, and where it hurt most."""
    comparable = [row for row in weeks if row.days_logged >= TREND_MIN_DAYS]
    region = _region(entries)
    if len(comparable) < 2:
        return Overall(None, None, None, region)
    first, last = comparable[0].mean, comparable[-1].mean
    return Overall(_trend(change_between(last, first)), first, last, region)


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
    safety: list[tuple[str, list[date]]] = (),
    checkins: list[TrendPoint] = (),
) -> Report:
    """The report of the entries between start and end.

    safety: each safety rule that held on logged days of the period (diary.reports.safety).
    """
    entries = [entry for entry in entries if start <= entry.date <= end]
    by_day = {entry.date: entry for entry in entries}
    period = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
    logged = len(entries)
    locations = _ranked(entries, "locations")
    weeks = _weeks(by_day, start, end, due_date, birth_date)
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
        weeks=weeks,
        notes=[(e.date, e.note) for e in entries if e.note] if include_notes else None,
        made_on=made_on,
        overall=overall_picture(weeks, entries),
        medication_days=sum(1 for e in entries if "pain_medication" in e.relief),
        safety=[(rule, day_runs(days)) for rule, days in safety],
        insights=sorted(find_insights(entries, end), key=_difference, reverse=True),
        insight_window=(max(start, insight_window(end)[0]), end),
        function=function_trend(list(checkins), week_of(start), week_of(end)) if checkins else None,
    )
