"""What seems to help: comparisons worked out by hand, and their thresholds."""

from datetime import timedelta

from diary.summary.insights import Comparison, find_insights, insight_window
from tests.support.diaries import TODAY, entry


def belt_diary():
    """Four weeks: the belt on 12 days at pain 3, 4 or 5 (mean 4), 16 days without at 6."""
    days = []
    for offset in range(28):
        if offset < 12:
            days.append(entry(offset, pain=3 + offset % 3, relief=["pelvic_belt"]))
        else:
            days.append(entry(offset, pain=6))
    return days


def only(insights, code):
    return [insight for insight in insights if insight.code == code]


def test_it_compares_belt_days_that_average_two_points_lower():
    (belt,) = only(find_insights(belt_diary(), TODAY), "pelvic_belt")
    assert belt.field == "relief"
    assert belt.same_day == Comparison(days_with=12, days_without=16, mean_with=4.0, mean_without=6.0)


def test_it_compares_the_day_after_by_hand():
    # Offsets count back from today: the day after offset n is offset n - 1.
    # Belt days 0..11: the days after 1..11 are 0..10 (11 days, pains 3,4,5,3,... mean 43/11).
    # Days without, 12..27: the days after are 11..26 (16 days: one 5 and fifteen 6s, 95/16).
    (belt,) = only(find_insights(belt_diary(), TODAY), "pelvic_belt")
    assert belt.day_after == Comparison(days_with=11, days_without=16, mean_with=3.9, mean_without=5.9)


def test_it_needs_three_days_with_a_measure():
    two = [entry(offset, pain=2, relief=["heat"] if offset < 2 else []) for offset in range(10)]
    three = [entry(offset, pain=2, relief=["heat"] if offset < 3 else []) for offset in range(10)]
    assert only(find_insights(two, TODAY), "heat") == []
    (heat,) = only(find_insights(three, TODAY), "heat")
    assert (heat.same_day.days_with, heat.same_day.days_without) == (3, 7)


def test_it_needs_three_days_without_a_measure():
    two = [entry(offset, relief=["rest"] if offset >= 2 else []) for offset in range(10)]
    three = [entry(offset, relief=["rest"] if offset >= 3 else []) for offset in range(10)]
    assert only(find_insights(two, TODAY), "rest") == []
    assert len(only(find_insights(three, TODAY), "rest")) == 1


def test_it_leaves_out_the_day_after_when_too_few_following_days_were_logged():
    # Every other day logged: no logged day has a logged day after it.
    days = [
        entry(offset, pain=offset % 10, relief=["heat"] if offset % 4 else []) for offset in range(0, 28, 2)
    ]
    (heat,) = only(find_insights(days, TODAY), "heat")
    assert heat.day_after is None
    assert heat.as_dict()["day_after"] is None


def test_it_compares_triggers_too():
    days = [
        entry(offset, pain=7 if offset < 4 else 3, triggers=["stairs"] if offset < 4 else [])
        for offset in range(8)
    ]
    (stairs,) = only(find_insights(days, TODAY), "stairs")
    assert stairs.field == "triggers"
    assert stairs.same_day == Comparison(4, 4, 7.0, 3.0)


def test_it_looks_at_the_last_four_weeks_only():
    old = [entry(offset, pain=9, relief=["heat"]) for offset in range(28, 40)]
    recent = [entry(offset, pain=2, relief=["heat"] if offset < 3 else []) for offset in range(6)]
    (heat,) = only(find_insights(old + recent, TODAY), "heat")
    assert heat.same_day == Comparison(3, 3, 2.0, 2.0)
    assert insight_window(TODAY) == (TODAY - timedelta(days=27), TODAY)


def test_it_looks_at_the_four_weeks_up_to_the_last_day_it_is_given():
    days = [entry(offset, relief=["heat"] if offset % 2 else []) for offset in range(10)]
    assert find_insights(days, TODAY - timedelta(days=40)) == []


def test_no_insight_claims_more_than_its_numbers():
    days = [
        entry(
            offset,
            pain=offset % 11,
            relief=["heat", "rest"][: offset % 3],
            triggers=["stairs"] * (offset % 2),
        )
        for offset in range(28)
    ]
    for insight in find_insights(days, TODAY):
        comparison = insight.same_day
        assert comparison.days_with >= 3 and comparison.days_without >= 3
        assert comparison.days_with + comparison.days_without == 28
        field = insight.field
        with_it = [e.pain for e in days if insight.code in getattr(e, field)]
        without_it = [e.pain for e in days if insight.code not in getattr(e, field)]
        assert abs(comparison.mean_with - sum(with_it) / len(with_it)) <= 0.05
        assert abs(comparison.mean_without - sum(without_it) / len(without_it)) <= 0.05


def test_it_puts_relief_first_then_the_largest_difference():
    days = [
        entry(
            offset,
            pain=8 if offset < 5 else 2,
            relief=(["rest"] if offset < 5 else []) + (["heat"] if offset % 2 else []),
            triggers=["stairs"] if offset < 5 else [],
        )
        for offset in range(14)
    ]
    assert [(i.field, i.code) for i in find_insights(days, TODAY)] == [
        ("relief", "rest"),
        ("relief", "heat"),
        ("triggers", "stairs"),
    ]


def test_its_api_shape_names_the_fields_of_the_contract():
    (belt,) = only(find_insights(belt_diary(), TODAY), "pelvic_belt")
    assert belt.as_dict() == {
        "field": "relief",
        "code": "pelvic_belt",
        "days_with": 12,
        "days_without": 16,
        "mean_with": 4.0,
        "mean_without": 6.0,
        "day_after": {"days_with": 11, "days_without": 16, "mean_with": 3.9, "mean_without": 5.9},
    }
