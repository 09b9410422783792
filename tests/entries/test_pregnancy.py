"""Gestational-week arithmetic around the due date and after birth."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diary.entries.pregnancy import Stage, stage_on

DUE = date(2027, 2, 14)


@pytest.mark.parametrize(
    "day, expected",
    [
        (DUE, "40+0"),
        (DUE - timedelta(days=1), "39+6"),
        (DUE + timedelta(days=1), "40+1"),
        (DUE - timedelta(weeks=12) + timedelta(days=3), "28+3"),
        (DUE - timedelta(days=280), "0+0"),
        (DUE + timedelta(weeks=2), "42+0"),
        (DUE + timedelta(weeks=4), "44+0"),
    ],
)
def test_it_counts_weeks_and_days_from_the_due_date(day, expected):
    assert stage_on(day, DUE).short == expected


def test_it_knows_no_stage_before_the_pregnancy_or_long_past_the_due_date_without_a_birth():
    assert stage_on(DUE - timedelta(days=281), DUE) is None
    assert stage_on(DUE + timedelta(weeks=4, days=1), DUE) is None
    assert stage_on(DUE, None) is None


def test_it_counts_weeks_after_birth_from_the_birth_date():
    born = DUE - timedelta(days=10)
    assert stage_on(born - timedelta(days=1), DUE, born).short == "38+3"
    assert stage_on(born, DUE, born) == Stage(after_birth=True, weeks=0, days=0)
    assert stage_on(born + timedelta(days=16), DUE, born).short == "pp2+2"
    assert stage_on(born + timedelta(days=367), DUE, born) is None


def test_it_counts_after_birth_even_without_a_due_date():
    born = date(2026, 10, 1)
    assert stage_on(date(2026, 10, 8), None, born).short == "pp1+0"


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 1, 1)), st.integers(0, 44 * 7))
def test_it_always_agrees_with_counting_days_since_the_last_period(due, pregnant_days):
    day = due - timedelta(days=280) + timedelta(days=pregnant_days)
    stage = stage_on(day, due)
    assert stage.weeks * 7 + stage.days == pregnant_days
    assert 0 <= stage.days < 7 and not stage.after_birth
