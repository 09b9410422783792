"""The weekly function check's score, worked by hand: sum ÷ (3 × items answered) × 100, whole
numbers with halves rounded up; items that do not apply are left out of both."""

from fractions import Fraction

import pytest

from diary.checkins.questionnaires import function_check, leg_raise, round_half_up, score

ITEMS = function_check().item_ids


def answers(*values):
    return dict(zip(ITEMS, values, strict=True))


def test_it_has_the_ten_activities_of_the_api_in_order():
    assert ITEMS == (
        "walking",
        "stairs",
        "turning_in_bed",
        "getting_up",
        "standing",
        "sitting",
        "dressing",
        "carrying",
        "housework",
        "sleeping",
    )
    assert [choice.value for choice in function_check().choices] == [0, 1, 2, 3]
    assert function_check().validated is False


def test_it_scores_a_worked_example():
    # 1+2+0+3+1+1+2+0+1+2 = 13 of at most 30: 13/30 × 100 = 43.33 → 43
    assert function_check().score(answers(1, 2, 0, 3, 1, 1, 2, 0, 1, 2)) == 43


def test_it_leaves_out_the_items_that_do_not_apply():
    # Eight answered, 2+2+1+1+1+1+1+1 = 10 of at most 24: 41.67 → 42
    assert function_check().score(answers(2, None, 2, 1, 1, 1, None, 1, 1, 1)) == 42


def test_it_rounds_a_half_up():
    # Eight answered, sum 3 of at most 24: exactly 12.5 → 13 (Python's round() would give 12)
    assert function_check().score(answers(1, 1, 1, 0, 0, 0, 0, 0, None, None)) == 13
    assert round_half_up(Fraction(25, 2)) == 13
    assert round_half_up(Fraction(249, 20)) == 12


def test_all_maximal_answers_score_100():
    assert function_check().score(answers(*[3] * 10)) == 100


def test_all_zero_answers_score_0():
    assert function_check().score(answers(*[0] * 10)) == 0


def test_one_answered_item_is_scored_alone():
    assert function_check().score(answers(3, *[None] * 9)) == 100


def test_no_answered_item_has_no_score():
    assert function_check().score(answers(*[None] * 10)) is None


@pytest.mark.parametrize("left, right, total", [(0, 0, 0), (2, 3, 5), (5, 5, 10)])
def test_the_leg_raise_is_the_sum_of_both_legs(left, right, total):
    assert leg_raise().score({"left": left, "right": right}) == total


def test_a_leg_raise_of_one_leg_has_no_sum():
    assert score("sum", [3, None], 5) is None
