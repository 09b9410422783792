"""The demo diary's weekly checks: past weeks only, scored by the questionnaire, harder later."""

from datetime import date, timedelta

from diary.checkins.questionnaires import function_check
from diary.ops.demo import demo_checkins
from diary.summary.weeks import week_of

TODAY = date(2026, 12, 4)


def test_the_demo_has_checks_of_past_weeks_only_scored_by_the_questionnaire():
    checkins = demo_checkins(60, TODAY, TODAY + timedelta(weeks=12))
    assert len(checkins) >= 5
    assert all(TODAY - timedelta(days=60) <= checkin.week < week_of(TODAY) for checkin in checkins)
    for checkin in checkins:
        assert checkin.function_score == function_check().score(checkin.answers)
        assert checkin.leg_raise is None or all(0 <= side <= 5 for side in checkin.leg_raise)
    oldest, newest = checkins[-1], checkins[0]
    assert newest.function_score >= oldest.function_score
