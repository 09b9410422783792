"""The diary's figures as people read them: exact means, rounded half up to one decimal.

Pure and shared by the tips engine, the weekly summary, the report and its chart, so an
average or a change reads the same wherever it is shown.
"""

import math
from fractions import Fraction


def round_half_up(value: Fraction) -> float:
    """Round to one decimal as people do (2.25 -> 2.3, -2.25 -> -2.3), not to even."""
    tenths = math.floor(abs(value) * 10 + Fraction(1, 2))
    return math.copysign(tenths / 10, value) if tenths else 0.0


def mean_pain(pains: list[int]) -> Fraction | None:
    """The exact mean of some days' pain, or None for no days."""
    if not pains:
        return None
    return Fraction(sum(pains), len(pains))


def change_between(now: float, before: float) -> float:
    """One rounded average minus another, exactly: the change shown beside the two figures.

    From the rounded averages, not the exact ones, so it adds up with the figures beside it:
    exact averages of 3.25 and 4.5 are shown as 3.3 and 4.5, and their change as 1.2, not 1.3.
    """
    return round_half_up(Fraction(str(now)) - Fraction(str(before)))
