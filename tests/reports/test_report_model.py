"""The midwife report's content and its chart, as pure functions: no app, no database."""

from datetime import date, timedelta

import pytest

from diary.entries.entry import DayEntry
from diary.entries.pregnancy import Stage
from diary.reports.model import TREND_THRESHOLD, build_report
from diary.summary.chart import MIN_BAR_WIDTH, MIN_LABEL_GAP, period_chart

MONDAY = date(2026, 11, 2)


def entry(day: date, pain: int, night_wakings: int = 0, note: str = "", **codes) -> DayEntry:
    return DayEntry(date=day, pain=pain, night_wakings=night_wakings, note=note, **codes)


def report(entries, start=MONDAY, end=MONDAY + timedelta(days=27), include_notes=False, due_date=None):
    return build_report(
        entries,
        start,
        end,
        name="K.Ø.",
        due_date=due_date,
        birth_date=None,
        include_notes=include_notes,
        made_on=end,
    )


def week_of_pains(monday: date, pains) -> list[DayEntry]:
    return [entry(monday + timedelta(days=offset), pain) for offset, pain in enumerate(pains)]


def test_it_ranks_codes_by_days_and_breaks_ties_in_the_code_lists_order():
    days = [MONDAY + timedelta(days=offset) for offset in range(4)]
    built = report(
        [
            entry(days[0], 3, triggers=["walking", "stairs", "sitting"]),
            entry(days[1], 3, triggers=["walking", "sitting"]),
            entry(days[2], 3, triggers=["sitting", "stairs"]),
            entry(days[3], 3, triggers=["cycling"]),
        ]
    )
    # sitting 3 days; walking and stairs 2 each (stairs comes first in the code list); cycling 1.
    assert built.triggers == [("sitting", 3), ("stairs", 2), ("walking", 2), ("cycling", 1)]


def test_it_shades_each_location_by_its_share_of_the_logged_days():
    days = [MONDAY + timedelta(days=offset) for offset in range(4)]
    built = report(
        [
            entry(days[0], 5, locations=["symphysis", "si_left"]),
            entry(days[1], 5, locations=["symphysis"]),
            entry(days[2], 5, locations=["symphysis"]),
            entry(days[3], 5),
        ]
    )
    assert built.location_shares == {"symphysis": 0.75, "si_left": 0.25}
    assert report([]).location_shares == {}


def test_it_gives_the_key_figures_and_every_day_of_the_period():
    built = report(
        [entry(MONDAY, 2, night_wakings=3), entry(MONDAY + timedelta(days=2), 7)],
        end=MONDAY + timedelta(days=6),
    )
    assert (built.days_in_period, built.days_logged, built.mean_pain, built.max_pain) == (7, 2, 4.5, 7)
    assert (built.nights_disrupted, built.night_wakings) == (1, 3)
    assert [day["pain"] for day in built.days] == [2, None, 7, None, None, None, None]
    assert built.days[0]["night_wakings"] == 3 and built.days[1]["night_wakings"] is None


def test_notes_are_none_unless_included_and_only_days_with_a_note_when_included():
    entries = [entry(MONDAY, 4, note="Trappen"), entry(MONDAY + timedelta(days=1), 4)]
    assert report(entries).notes is None
    assert report(entries, include_notes=True).notes == [(MONDAY, "Trappen")]
    assert report([], include_notes=True).notes == []


def test_it_knows_the_gestational_weeks_the_period_spans():
    built = report([], due_date=MONDAY + timedelta(weeks=12, days=27))
    assert built.stage_start == Stage(after_birth=False, weeks=24, days=1)
    assert built.stage_end == Stage(after_birth=False, weeks=28, days=0)


@pytest.mark.parametrize(
    "second_week, change, trend",
    [
        ([5, 5, 5, 5, 5, 5, 5], 1.0, "worse"),  # exactly the threshold
        ([5, 5, 5, 5, 5, 4, 4], 0.7, "same"),
        ([3, 3, 3, 3, 3, 3, 3], -1.0, "better"),
        ([4, 4, 4, 4, 3, 3, 3], -0.4, "same"),
        ([4, 4, 4, 4, 4, 4, 4], 0.0, "same"),
    ],
)
def test_a_week_is_worse_or_better_only_at_the_threshold_and_shows_its_change(second_week, change, trend):
    built = report(
        week_of_pains(MONDAY, [4] * 7) + week_of_pains(MONDAY + timedelta(days=7), second_week),
        end=MONDAY + timedelta(days=13),
    )
    first, second = built.weeks
    assert (first.change, first.trend) == (None, "")
    assert (second.change, second.trend) == (change, trend)
    assert TREND_THRESHOLD == 1.0


def test_a_week_with_fewer_than_three_logged_days_gets_no_trend_nor_does_the_week_after_it():
    entries = (
        week_of_pains(MONDAY, [2] * 7)
        + week_of_pains(MONDAY + timedelta(days=7), [9, 9])
        + week_of_pains(MONDAY + timedelta(days=14), [9] * 7)
    )
    built = report(entries, end=MONDAY + timedelta(days=20))
    assert [(row.days_logged, row.trend, row.change) for row in built.weeks] == [
        (7, "", None),
        (2, "", None),
        (7, "", None),
    ]


def test_a_period_that_starts_and_ends_mid_week_marks_its_partial_weeks():
    wednesday = MONDAY + timedelta(days=2)
    built = report(week_of_pains(MONDAY, [1] * 7), start=wednesday, end=wednesday + timedelta(days=27))
    rows = built.weeks
    assert [(row.start, row.end, row.days_in_period, row.partial) for row in (rows[0], rows[-1])] == [
        (wednesday, MONDAY + timedelta(days=6), 5, True),
        (MONDAY + timedelta(days=28), MONDAY + timedelta(days=29), 2, True),
    ]
    assert all(not row.partial and row.days_in_period == 7 for row in rows[1:-1])
    assert rows[0].days_logged == 5  # the Monday and Tuesday before the period are left out


def format_label(day: date, unit: str) -> str:
    return {"day": f"{day.day}/{day.month}", "month": f"m{day.month}", "year": str(day.year)}[unit]


def period_days(start: date, count: int, pain=4, wakings=1) -> list[dict]:
    return [
        {"date": start + timedelta(days=offset), "pain": pain, "night_wakings": wakings}
        for offset in range(count)
    ]


def labelled(chart):
    return [(day.x, day.label) for day in chart.days if day.label]


def test_a_year_is_drawn_by_week_with_legible_bars_and_month_labels_that_do_not_crowd():
    chart = period_chart(period_days(date(2025, 12, 1), 365), format_label, width=680, height=124)
    assert chart.bin_days == 7 and len(chart.days) == 53
    assert chart.bar_width >= MIN_BAR_WIDTH
    labels = labelled(chart)
    assert 5 <= len(labels) <= 12
    assert all(label.startswith("m") or label.isdigit() for _, label in labels)
    assert "2026" in [label for _, label in labels]  # January says which year it is
    assert min(b[0] - a[0] for a, b in zip(labels, labels[1:])) >= MIN_LABEL_GAP


def test_four_weeks_are_drawn_day_by_day_with_mondays_labelled():
    wednesday = date(2026, 11, 4)
    chart = period_chart(period_days(wednesday, 28), format_label, width=680, height=124)
    assert chart.bin_days == 1 and len(chart.days) == 28
    assert [label for _, label in labelled(chart)] == ["9/11", "16/11", "23/11", "30/11"]


def test_ten_days_label_every_day_and_ten_weeks_every_monday():
    assert len(labelled(period_chart(period_days(MONDAY, 10), format_label, 680, 124))) == 10
    ten_weeks = labelled(period_chart(period_days(MONDAY, 70), format_label, 680, 124))
    assert len(ten_weeks) == 10 and all("/" in label for _, label in ten_weeks)


def test_several_years_are_drawn_in_spans_wide_enough_to_read():
    chart = period_chart(period_days(date(2023, 1, 2), 3 * 365), format_label, width=680, height=124)
    assert chart.bin_days >= 14 and chart.bar_width >= MIN_BAR_WIDTH
    labels = labelled(chart)
    assert min(b[0] - a[0] for a, b in zip(labels, labels[1:])) >= MIN_LABEL_GAP


def test_a_week_span_averages_the_pain_and_counts_the_nights_woken():
    days = period_days(date(2025, 12, 1), 365, pain=None, wakings=None)
    days[0] |= {"pain": 2, "night_wakings": 3}
    days[1] |= {"pain": 5, "night_wakings": 0}
    days[2] |= {"pain": 6, "night_wakings": 1}
    first = period_chart(days, format_label, 680, 124).days[0]
    assert (first.pain, first.wakings, first.days, first.end) == (4.3, 2, 7, date(2025, 12, 7))


def test_night_wakings_have_their_own_labelled_scale_and_bars_reach_their_tick():
    days = period_days(MONDAY, 7, wakings=0)
    days[2]["night_wakings"] = 3
    days[4]["night_wakings"] = 7
    chart = period_chart(days, format_label, 680, 124)
    ticks = dict(chart.wakings_ticks)
    assert list(ticks) == [0, 2, 4, 6, 8] and chart.wakings_scale == 8
    assert ticks[0] == chart.baseline
    bar = chart.days[4]
    assert bar.bar_y == pytest.approx(ticks[6] - (ticks[6] - ticks[8]) / 2, abs=0.1)  # 7: halfway from 6 to 8
    small = period_chart(period_days(MONDAY, 7, wakings=1), format_label, 680, 124)
    assert [count for count, _ in small.wakings_ticks] == [0, 1, 2, 3]


@pytest.mark.parametrize("days, weeks", [(28, 0), (365, 1), (1000, 2)])
def test_a_chart_says_how_many_weeks_each_bar_stands_for_none_when_drawn_by_day(days, weeks):
    assert (
        period_chart(period_days(date(2023, 1, 2), days), format_label, width=680, height=124).bin_weeks
        == weeks
    )


def lines_run(function, *args) -> int:
    """How many lines of the report model's and the chart's code one call runs: a measure of
    work that, unlike time, does not depend on how busy the machine is."""
    import sys

    from diary.reports import model as report_model
    from diary.summary import chart

    files, count = {report_model.__file__, chart.__file__}, 0

    def tracer(frame, event, arg):
        nonlocal count
        if frame.f_code.co_filename not in files:
            return None
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        function(*args)
    finally:
        sys.settrace(None)
    return count


def every_day(start: date, days: int) -> list[dict]:
    return [
        entry(start + timedelta(days=offset), offset % 11, offset % 3, note="n", triggers=["stairs"])
        for offset in range(days)
    ]


def report_and_charts(entries, start, end):
    built = report(entries, start, end, include_notes=True, due_date=end)
    for width, height in ((680, 124), (360, 220)):
        period_chart(built.days, lambda day, unit: str(day), width=width, height=height)


@pytest.mark.parametrize("days", [182, 366])
def test_the_report_and_its_charts_cost_in_proportion_to_the_period(days):
    start = MONDAY - timedelta(days=2 * days)
    single = lines_run(report_and_charts, every_day(start, days), start, start + timedelta(days=days - 1))
    double = lines_run(
        report_and_charts, every_day(start, 2 * days), start, start + timedelta(days=2 * days - 1)
    )
    # Linear work doubles with the period; work per day times per week (or per bin) grows fourfold.
    assert double <= 2.2 * single, (single, double)


def test_its_weeks_are_her_pregnancy_weeks_when_the_due_date_is_known():
    # Due 2027-02-06: 2026-11-02 is 26+2, so week 26 runs to 2026-11-06 and week 27 starts on the 7th.
    built = report([], due_date=date(2027, 2, 6))
    assert [(row.start, row.end, row.stage.weeks) for row in built.weeks[:2]] == [
        (MONDAY, date(2026, 11, 6), 26),
        (date(2026, 11, 7), date(2026, 11, 13), 27),
    ]
    assert built.weeks[0].partial and not built.weeks[1].partial


def test_the_birth_starts_a_new_week():
    built = build_report(
        [],
        MONDAY,
        MONDAY + timedelta(days=13),
        name="",
        due_date=date(2026, 11, 20),
        birth_date=date(2026, 11, 5),
        include_notes=False,
        made_on=MONDAY,
    )
    first, second = built.weeks[:2]
    assert (first.end, first.stage.after_birth) == (date(2026, 11, 4), False)
    assert (second.start, second.stage.after_birth, second.stage.weeks) == (date(2026, 11, 5), True, 0)


@pytest.mark.parametrize(
    "first, last, direction",
    [([3] * 7, [5] * 7, "worse"), ([5] * 7, [3] * 7, "better"), ([4] * 7, [4, 4, 4, 4, 4, 5, 5], "same")],
)
def test_the_overall_picture_compares_the_first_and_last_weeks(first, last, direction):
    entries = week_of_pains(MONDAY, first) + week_of_pains(MONDAY + timedelta(days=21), last)
    overall = report(entries).overall
    assert overall.direction == direction
    assert (overall.first_mean, overall.last_mean) == (sum(first) / 7, round(sum(last) / 7, 1))


def test_the_overall_picture_says_nothing_of_change_with_one_comparable_week():
    entries = week_of_pains(MONDAY, [3] * 7) + [entry(MONDAY + timedelta(days=21), 9)]
    assert report(entries).overall.direction is None


def test_the_overall_picture_names_where_most_days_hurt_and_no_place_on_a_tie():
    days = [MONDAY + timedelta(days=n) for n in range(4)]
    back = [
        entry(days[0], 4, locations=["si_left"]),
        entry(days[1], 4, locations=["lower_back", "symphysis"]),
    ]
    assert report(back + [entry(days[2], 4, locations=["buttocks"])]).overall.region == "back"
    assert report(back + [entry(days[2], 4, locations=["groin"])]).overall.region is None
    assert report([entry(days[0], 4)]).overall.region is None


def test_it_counts_days_with_pain_medication_on_their_own():
    days = [MONDAY + timedelta(days=n) for n in range(3)]
    built = report(
        [
            entry(days[0], 4, relief=["pain_medication", "heat"]),
            entry(days[1], 4, relief=["pain_medication"]),
            entry(days[2], 4, relief=["heat"]),
        ]
    )
    assert built.medication_days == 2


def test_it_lists_the_safety_rules_that_held_as_runs_of_days():
    days = [MONDAY + timedelta(days=n) for n in (0, 1, 2, 5)]
    built = build_report(
        [],
        MONDAY,
        MONDAY + timedelta(days=27),
        name="",
        due_date=None,
        birth_date=None,
        include_notes=False,
        made_on=MONDAY,
        safety=[("worst-pain", days)],
    )
    assert built.safety == [("worst-pain", [(days[0], days[2]), (days[3], days[3])])]
