"""The function score and the leg-raise sum week by week, with the change from the check before.

Pure: takes the stored scores and returns rows for the words and the geometry of a small
chart, shared by the week page and the report.
"""

from dataclasses import dataclass
from datetime import date, timedelta

#: A change at least this large is told as "harder" or "easier"; a smaller one as "a little".
#: On the function score one answer one step up is 3 to 10 points (by how many items apply);
#: on the leg raise one leg one step is 1 point of 10.
CLEAR_CHANGE = {"score": 10, "leg_raise_sum": 2}
SCORE_MAX = 100
LEG_RAISE_MAX = 10


@dataclass(frozen=True)
class TrendPoint:
    week: date  # the Monday of the ISO week
    score: int | None  # the function score 0-100, higher = more limited
    leg_raise_sum: int | None  # 0-10, higher = harder


@dataclass(frozen=True)
class Change:
    """One measure of one check beside the check before that had it."""

    value: int
    previous: int | None
    change: int | None
    direction: str  # "harder", "a_little_harder", "same", "a_little_easier", "easier", or "" (first)

    @property
    def amount(self) -> int:
        return abs(self.change or 0)


@dataclass(frozen=True)
class TrendRow:
    week: date
    score: Change | None
    leg_raise: Change | None


@dataclass(frozen=True)
class ChartWeek:
    week: date
    x: float
    score_y: float | None
    bar_y: float | None
    bar_height: float


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    baseline: int
    bar_width: float
    weeks: list[ChartWeek]
    segments: list[str]  # "x,y x,y" polylines of the score, broken where a week has none
    gridlines: list[tuple[int, float]]  # score, y
    leg_ticks: list[tuple[int, float]]  # leg-raise sum, y


@dataclass(frozen=True)
class FunctionTrend:
    rows: list[TrendRow]  # the checks of the weeks shown, oldest first
    chart: TrendChart | None  # None when no week shown has a check

    @property
    def latest(self) -> TrendRow | None:
        return self.rows[-1] if self.rows else None

    @property
    def has_leg_raise(self) -> bool:
        return any(row.leg_raise for row in self.rows)


def _direction(change: int, clear: int) -> str:
    if change == 0:
        return "same"
    size = "" if abs(change) >= clear else "a_little_"
    return size + ("harder" if change > 0 else "easier")


def _change(value: int | None, previous: int | None, clear: int) -> Change | None:
    if value is None:
        return None
    if previous is None:
        return Change(value, None, None, "")
    change = value - previous
    return Change(value, previous, change, _direction(change, clear))


def function_trend(points: list[TrendPoint], first: date, last: date, width=340, height=150) -> FunctionTrend:
    """The rows and chart of the weeks from ``first`` to ``last``; points before ``first`` are
    only the check before, to compare the first shown check with."""
    rows, previous = [], {"score": None, "leg_raise_sum": None}
    for point in sorted(points, key=lambda point: point.week):
        if point.week > last:
            break
        changes = {
            name: _change(getattr(point, name), previous[name], CLEAR_CHANGE[name]) for name in previous
        }
        for name in previous:
            if getattr(point, name) is not None:
                previous[name] = getattr(point, name)
        if point.week >= first and (point.score is not None or point.leg_raise_sum is not None):
            rows.append(TrendRow(point.week, changes["score"], changes["leg_raise_sum"]))
    chart = trend_chart(rows, first, last, width, height) if rows else None
    return FunctionTrend(rows, chart)


def trend_chart(rows: list[TrendRow], first: date, last: date, width: int, height: int) -> TrendChart:
    """Where each week's score point and leg-raise bar go: the score on the left scale (0-100),
    the leg-raise sum as bars on the right one (0-10)."""
    left, right, top, baseline = 34, width - 26, 10, height - 24
    mondays = []
    monday = first
    while monday <= last:
        mondays.append(monday)
        monday += timedelta(weeks=1)
    step = (right - left) / len(mondays)
    by_week = {row.week: row for row in rows}

    def y_of(value: int, top_value: int) -> float:
        return round(baseline - (baseline - top) * value / top_value, 1)

    weeks, segments, run = [], [], []
    for index, monday in enumerate(mondays):
        x = round(left + step * (index + 0.5), 1)
        row = by_week.get(monday)
        score = row.score.value if row and row.score else None
        leg = row.leg_raise.value if row and row.leg_raise else None
        score_y = y_of(score, SCORE_MAX) if score is not None else None
        bar_y = y_of(leg, LEG_RAISE_MAX) if leg is not None else None
        weeks.append(
            ChartWeek(monday, x, score_y, bar_y, round(baseline - bar_y, 1) if bar_y is not None else 0)
        )
        if score_y is None:
            if run:
                segments.append(" ".join(run))
            run = []
        else:
            run.append(f"{x},{score_y}")
    if run:
        segments.append(" ".join(run))
    return TrendChart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        baseline=baseline,
        bar_width=round(min(step * 0.45, 18), 1),
        weeks=weeks,
        segments=[segment for segment in segments if " " in segment],
        gridlines=[(value, y_of(value, SCORE_MAX)) for value in (0, 50, 100)],
        leg_ticks=[(value, y_of(value, LEG_RAISE_MAX)) for value in (0, 5, 10)],
    )
