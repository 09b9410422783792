"""Geometry of a daily chart (pain line over night-waking bars), drawn as SVG by a template:
the week page's seven days and the report's weeks alike."""

from dataclasses import dataclass

WIDTH, HEIGHT = 340, 180
LEFT, RIGHT, TOP, BOTTOM = 30, 10, 12, 30  # margins for the axis labels
PAIN_MAX = 10


@dataclass(frozen=True)
class ChartDay:
    label: str
    x: float
    pain: int | None
    pain_y: float | None
    wakings: int | None
    bar_y: float
    bar_height: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    days: list[ChartDay]
    segments: list[str]  # SVG polyline points of the pain line; a gap splits it
    gridlines: list[tuple[int, float]]  # (pain level, y)
    bar_width: float
    baseline: float
    wakings_scale: int


def daily_chart(days: list[dict], labels: list[str], width: int = WIDTH, height: int = HEIGHT) -> Chart:
    """Lay out days ({pain, night_wakings}, either None when not logged) with one label each ("" for none)."""
    plot_width = width - LEFT - RIGHT
    plot_height = height - TOP - BOTTOM
    step = plot_width / len(days)
    baseline = TOP + plot_height
    wakings_scale = max([3] + [day["night_wakings"] or 0 for day in days])

    def pain_y(pain: int) -> float:
        return round(baseline - pain / PAIN_MAX * plot_height, 1)

    chart_days, segments, current = [], [], []
    for index, (day, label) in enumerate(zip(days, labels)):
        x = round(LEFT + step * (index + 0.5), 1)
        wakings = day["night_wakings"]
        # Bars use at most the lower half, so the pain line stays readable above them.
        bar_height = round((wakings or 0) / wakings_scale * plot_height / 2, 1)
        pain = day["pain"]
        chart_days.append(ChartDay(label, x, pain, pain_y(pain) if pain is not None else None, wakings, round(baseline - bar_height, 1), bar_height))
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
        bar_width=round(min(step * 0.5, 24), 1),
        baseline=baseline,
        wakings_scale=wakings_scale,
    )
