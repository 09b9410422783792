"""Geometry of a daily chart (pain line over night-waking bars, each with its own labelled
scale), drawn as SVG by a template: the week page's seven days and the report's period alike.

A long period is drawn by week (or by several weeks) once a day's bar would be too thin to
read, and its date labels are spaced by the room they have: days, Mondays, months.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from diary.summary.figures import mean_pain, round_half_up

WIDTH, HEIGHT = 340, 180
LEFT, RIGHT, TOP, BOTTOM = 30, 30, 12, 30  # margins for the pain scale, the wakings scale and the dates
PAIN_MAX = 10
MIN_WAKINGS_SCALE = 3  # so one waking is not drawn as tall as the worst night
MIN_BAR_WIDTH = 3  # SVG units: about 0.8 mm on the A4 report; thinner bars cannot be read
MAX_BAR_WIDTH = 24
# SVG units from one date label to the next: room for "30/11" at the size a phone shows the
# report's chart (its labels are enlarged to 18 units there).
MIN_LABEL_GAP = 60
BIN_WEEKS = (1, 2, 4, 8, 13, 26, 52)  # the spans a long period may be drawn in
LABEL_UNITS = (("day", 1), ("week", 7), ("month", 1), ("month", 2), ("month", 3), ("month", 6), ("month", 12))
DAYS_IN_MONTH = Fraction(36525, 1200)


@dataclass(frozen=True)
class ChartDay:
    """One point and bar of the chart: a day, or a span of days when drawn by week."""

    date: date  # its first day
    days: int  # how many days of the period it stands for
    label: str
    x: float
    pain: float | int | None  # the day's pain, or the span's average; None when nothing was logged
    pain_y: float | None
    wakings: int | None  # the night's wakings, or the span's nights woken
    bar_y: float
    bar_height: float

    @property
    def end(self) -> date:
        """Its last day."""
        return self.date + timedelta(days=self.days - 1)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    days: list[ChartDay]
    segments: list[str]  # SVG polyline points of the pain line; a gap splits it
    gridlines: list[tuple[int, float]]  # (pain level, y)
    wakings_ticks: list[tuple[int, float]]  # (wakings, y) on the right-hand scale
    bar_width: float
    baseline: float
    wakings_scale: int
    left: float
    right: float
    bin_days: int  # 1 when drawn day by day, else the days each point and bar stand for

    @property
    def bin_weeks(self) -> int:
        """What each point and bar stand for: 0 for a day, else that many weeks."""
        return self.bin_days // 7


def _wakings_scale(largest: int) -> tuple[int, int]:
    """The top of the wakings scale and its tick step: a round number, at most four ticks."""
    largest = max(largest, MIN_WAKINGS_SCALE)
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        if largest <= step * 4:
            return -(-largest // step) * step, step
    return largest, largest


def _layout(points: list[dict], labels: list[str], width: int, height: int, bin_days: int) -> Chart:
    plot_width = width - LEFT - RIGHT
    plot_height = height - TOP - BOTTOM
    step = plot_width / len(points)
    baseline = TOP + plot_height
    scale, tick_step = _wakings_scale(max([0] + [point["night_wakings"] or 0 for point in points]))

    def pain_y(pain: float) -> float:
        return round(baseline - pain / PAIN_MAX * plot_height, 1)

    def wakings_y(count: int) -> float:
        # Bars use the lower half, so the pain line stays readable above them.
        return round(baseline - count / scale * plot_height / 2, 1)

    chart_days, segments, current = [], [], []
    for index, (point, label) in enumerate(zip(points, labels)):
        x = round(LEFT + step * (index + 0.5), 1)
        wakings, pain = point["night_wakings"], point["pain"]
        bar_y = wakings_y(wakings or 0)
        chart_days.append(
            ChartDay(
                point["date"],
                point.get("days", 1),
                label,
                x,
                pain,
                pain_y(pain) if pain is not None else None,
                wakings,
                bar_y,
                round(baseline - bar_y, 1),
            )
        )
        if pain is None:
            if current:
                segments.append(" ".join(current))
            current = []
        else:
            current.append(f"{x},{pain_y(pain)}")
    if current:
        segments.append(" ".join(current))
    return Chart(
        width=width,
        height=height,
        days=chart_days,
        segments=[segment for segment in segments if " " in segment],
        gridlines=[(level, pain_y(level)) for level in (0, 5, 10)],
        wakings_ticks=[(count, wakings_y(count)) for count in range(0, scale + 1, tick_step)],
        bar_width=round(min(step * 0.55, MAX_BAR_WIDTH), 1),
        baseline=baseline,
        wakings_scale=scale,
        left=LEFT,
        right=width - RIGHT,
        bin_days=bin_days,
    )


def daily_chart(days: list[dict], labels: list[str], width: int = WIDTH, height: int = HEIGHT) -> Chart:
    """Lay out days ({date, pain, night_wakings}, either None when not logged) with one label each."""
    return _layout(days, labels, width, height, 1)


def _bins(days: list[dict], weeks: int) -> list[dict]:
    """Days grouped into spans of whole ISO weeks: average pain, and nights woken."""
    first_monday = days[0]["date"] - timedelta(days=days[0]["date"].weekday())
    spans: dict[int, list[dict]] = {}
    for day in days:
        spans.setdefault((day["date"] - first_monday).days // (7 * weeks), []).append(day)
    bins = []
    for members in spans.values():
        logged = [day for day in members if day["pain"] is not None]
        bins.append(
            {
                "date": members[0]["date"],
                "days": len(members),
                "pain": round_half_up(mean_pain([day["pain"] for day in logged])) if logged else None,
                "night_wakings": sum(1 for day in logged if day["night_wakings"]) if logged else None,
            }
        )
    return bins


def _bin_weeks(first: date, last: date, plot_width: float) -> int:
    """The shortest span in BIN_WEEKS whose bars are wide enough, counted without making the bins."""
    first_monday = first - timedelta(days=first.weekday())
    for weeks in BIN_WEEKS:
        if plot_width / ((last - first_monday).days // (7 * weeks) + 1) * 0.55 >= MIN_BAR_WIDTH:
            return weeks
    return BIN_WEEKS[-1]


def _has_boundary(first: date, days: int, unit: str, every: int) -> date | None:
    """The first day from `first` on, within `days` days, that starts a unit (a Monday, a month)."""
    for offset in range(days):
        day = first + timedelta(days=offset)
        if (
            unit == "day"
            or (unit == "week" and day.weekday() == 0)
            or (unit == "month" and day.day == 1 and (day.month - 1) % every == 0)
        ):
            return day
    return None


def label_unit(day_count: int, bin_days: int, plot_width: float) -> tuple[str, int]:
    """The finest labelling (every day, every Monday, every n months) whose labels keep MIN_LABEL_GAP apart."""
    per_day = plot_width / day_count
    for unit, every in LABEL_UNITS:
        length = {"day": 1, "week": 7}.get(unit) or every * DAYS_IN_MONTH
        if length >= bin_days and length * per_day >= MIN_LABEL_GAP:
            return unit, every
    return LABEL_UNITS[-1]


def period_chart(days: list[dict], format_label, width: int, height: int) -> Chart:
    """Lay out a whole period's days, by week once days are too narrow, with dates spaced to fit.

    format_label(day, unit) writes a label: unit "day" ("3/11"), "month" ("nov.") or "year" ("2027").
    """
    plot_width = width - LEFT - RIGHT
    bin_days, points = 1, days
    if plot_width / len(days) * 0.55 < MIN_BAR_WIDTH:
        weeks = _bin_weeks(days[0]["date"], days[-1]["date"], plot_width)
        points, bin_days = _bins(days, weeks), 7 * weeks
    unit, every = label_unit(len(days), bin_days, plot_width)
    labels, last_x = [], None
    step = plot_width / len(points)
    for index, point in enumerate(points):
        boundary = _has_boundary(point["date"], point.get("days", 1), unit, every)
        x = step * index
        # A period that starts just before a boundary would crowd its first two labels.
        if boundary is None or (last_x is not None and x - last_x < MIN_LABEL_GAP):
            labels.append("")
            continue
        kind = "day" if unit in ("day", "week") else "year" if boundary.month == 1 else "month"
        labels.append(format_label(boundary, kind))
        last_x = x
    return _layout(points, labels, width, height, bin_days)
