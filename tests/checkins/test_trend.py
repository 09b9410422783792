"""The trend of the weekly checks, pure: each check beside the check before that had the same
measure, told as harder or easier, and placed on a small chart."""

from datetime import date, timedelta

import pytest

from diary.checkins.trend import TrendPoint, function_trend

MONDAY = date(2026, 11, 30)


def week(back: int) -> date:
    return MONDAY - timedelta(weeks=back)


def test_the_first_check_has_nothing_to_compare_with():
    trend = function_trend([TrendPoint(MONDAY, 40, 6)], week(7), MONDAY)
    [row] = trend.rows
    assert (row.score.value, row.score.previous, row.score.change, row.score.direction) == (
        40,
        None,
        None,
        "",
    )
    assert row.leg_raise.direction == ""


@pytest.mark.parametrize(
    "before, now, direction",
    [
        (30, 40, "harder"),
        (30, 39, "a_little_harder"),
        (30, 30, "same"),
        (30, 27, "a_little_easier"),
        (40, 30, "easier"),
    ],
)
def test_a_change_of_ten_points_or_more_is_harder_or_easier(before, now, direction):
    trend = function_trend(
        [TrendPoint(week(1), before, None), TrendPoint(MONDAY, now, None)], week(7), MONDAY
    )
    assert trend.latest.score.direction == direction
    assert trend.latest.score.change == now - before
    assert trend.latest.leg_raise is None


@pytest.mark.parametrize(
    "before, now, direction", [(4, 6, "harder"), (4, 5, "a_little_harder"), (4, 2, "easier")]
)
def test_a_leg_raise_change_of_two_points_or_more_is_harder_or_easier(before, now, direction):
    trend = function_trend(
        [TrendPoint(week(2), None, before), TrendPoint(MONDAY, None, now)], week(7), MONDAY
    )
    assert trend.latest.leg_raise.direction == direction


def test_each_measure_is_compared_with_the_last_check_that_had_it():
    points = [TrendPoint(week(3), 50, 6), TrendPoint(week(2), 40, None), TrendPoint(MONDAY, 45, 4)]
    latest = function_trend(points, week(7), MONDAY).latest
    assert (latest.score.previous, latest.score.change) == (40, 5)
    assert (latest.leg_raise.previous, latest.leg_raise.change) == (6, -2)


def test_a_check_before_the_shown_weeks_is_compared_with_but_not_shown():
    trend = function_trend([TrendPoint(week(10), 60, None), TrendPoint(week(2), 30, None)], week(7), MONDAY)
    [row] = trend.rows
    assert (row.week, row.score.previous, row.score.direction) == (week(2), 60, "easier")


def test_no_check_in_the_shown_weeks_has_no_chart():
    trend = function_trend([TrendPoint(week(10), 60, None)], week(7), MONDAY)
    assert trend.rows == [] and trend.chart is None and trend.latest is None


def test_the_chart_places_scores_on_the_left_scale_and_leg_raises_as_bars():
    points = [
        TrendPoint(week(7), 0, 10),
        TrendPoint(week(6), 100, 0),
        TrendPoint(week(4), 50, None),
        TrendPoint(week(3), 50, 5),
    ]
    chart = function_trend(points, week(7), MONDAY).chart
    assert len(chart.weeks) == 8
    first, second, missing, no_leg, both = (
        chart.weeks[0],
        chart.weeks[1],
        chart.weeks[2],
        chart.weeks[3],
        chart.weeks[4],
    )
    assert first.score_y == chart.baseline and first.bar_y == chart.top
    assert second.score_y == chart.top and second.bar_height == 0
    assert missing.score_y is None and missing.bar_y is None
    assert no_leg.bar_y is None and no_leg.score_y is not None  # a check without the leg raise has no bar
    assert both.bar_y == (chart.baseline + chart.top) / 2
    # The line breaks at the week without a check: two runs, each of at least two points.
    assert chart.segments == [
        f"{first.x},{first.score_y} {second.x},{second.score_y}",
        f"{no_leg.x},{no_leg.score_y} {both.x},{both.score_y}",
    ]
