"""The figures every page shows: exact means, rounded half up, and changes between them."""

from fractions import Fraction

import pytest

from diary.summary.figures import change_between, mean_pain, round_half_up


def test_the_mean_pain_is_exact_and_none_for_no_entries():
    assert mean_pain([3, 4, 4]) == Fraction(11, 3)
    assert mean_pain([]) is None


@pytest.mark.parametrize(
    "now, before, change", [(4.5, 3.3, 1.2), (3.3, 4.5, -1.2), (2.0, 2.0, 0.0), (6.1, 5.0, 1.1)]
)
def test_the_change_is_taken_exactly_between_the_averages_as_shown(now, before, change):
    assert change_between(now, before) == change


def test_the_change_adds_up_with_the_rounded_averages_not_the_exact_ones():
    now, before = round_half_up(Fraction(9, 2)), round_half_up(Fraction(13, 4))  # 4.5 and 3.25
    assert (now, before) == (4.5, 3.3)
    assert change_between(now, before) == 1.2  # the exact means differ by 1.25, which rounds to 1.3
