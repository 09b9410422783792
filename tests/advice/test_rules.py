"""The rules engine: every rule of diary/advice/rules.toml fires at its threshold and not one below."""

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diary.advice.rules import CONDITIONS, MAX_TIPS, Profile, evaluate, load_rules, round_half_up
from diary.entries.codes import ALLOWED, TRIGGERS
from diary.entries.pregnancy import POSTPARTUM_DAYS
from tests.support.diaries import PREGNANT, TODAY, born_ago, days_with, entry, pregnant_in

RULES = load_rules()


def at_and_below(rule):
    """Entries and profile that meet a rule exactly at its threshold, and just below it."""
    p = rule.params
    kind = rule.condition
    if kind in ("code_days", "code_days_in_pregnancy"):
        codes = {p["field"]: [p["codes"][0]]}
        return (days_with(p["threshold"], **codes), PREGNANT), (
            days_with(p["threshold"] - 1, **codes),
            PREGNANT,
        )
    if kind == "pain_days":
        at = [
            entry(offset, pain=p["level"] if offset < p["threshold"] else p["level"] - 1)
            for offset in range(7)
        ]
        below = [
            entry(offset, pain=p["level"] if offset < p["threshold"] - 1 else p["level"] - 1)
            for offset in range(7)
        ]
        return (at, PREGNANT), (below, PREGNANT)
    if kind == "untreated_pain":
        at = [entry(o, pain=p["level"], relief=[] if o < p["threshold"] else ["rest"]) for o in range(7)]
        below = [
            entry(o, pain=p["level"], relief=[] if o < p["threshold"] - 1 else ["rest"]) for o in range(7)
        ]
        return (at, PREGNANT), (below, PREGNANT)
    if kind == "disrupted_nights":
        at = [entry(o, night_wakings=1 if o < p["threshold"] else 0) for o in range(7)]
        below = [entry(o, night_wakings=1 if o < p["threshold"] - 1 else 0) for o in range(7)]
        return (at, PREGNANT), (below, PREGNANT)
    if kind == "high_mean":
        level = int(p["at_least"])
        at = [entry(o, pain=level) for o in range(7)]
        below = [entry(o, pain=level if o else level - 1) for o in range(7)]
        return (at, PREGNANT), (below, PREGNANT)
    if kind == "rising_mean":
        # Whole-point pains that put the recent mean exactly at the rise, and a tenth below it.
        days, tenths = p.get("days", 7), round(p["at_least"] * 10)
        earlier = [entry(o, pain=2) for o in range(days, 2 * days)]
        extra = tenths * days // 10  # points added over the recent days
        at = earlier + [
            entry(o, pain=2 + (extra // days) + (1 if o < extra % days else 0)) for o in range(days)
        ]
        below_extra = extra - 1
        below = earlier + [
            entry(o, pain=2 + (below_extra // days) + (1 if o < below_extra % days else 0))
            for o in range(days)
        ]
        return (at, PREGNANT), (below, PREGNANT)
    if kind == "code_today":
        code = {p["field"]: [p["codes"][0]]}
        return ([entry(0, **code)], PREGNANT), ([entry(1, **code), entry(0)], PREGNANT)
    if kind == "pain_after_birth":
        after = born_ago(p["from_week"] * 7)
        most = [entry(o, pain=p["level"] if o < 8 else p["level"] - 1) for o in range(14)]
        half = [entry(o, pain=p["level"] if o < 7 else p["level"] - 1) for o in range(14)]
        return (most, after), (half, after)
    if kind == "new_diary":
        return (days_with(0, total=p["at_most"]), PREGNANT), (days_with(0, total=p["at_most"] + 1), PREGNANT)
    if kind == "logged_days":
        return (days_with(0, total=p["threshold"]), PREGNANT), (
            days_with(0, total=p["threshold"] - 1),
            PREGNANT,
        )
    if kind == "stage":
        weeks = p.get("weeks_from", 0)
        if p.get("after_birth"):
            born = TODAY - timedelta(weeks=weeks)
            return ([], Profile(due_date=born, birth_date=born)), (
                [],
                Profile(due_date=TODAY + timedelta(days=1)),
            )
        at = Profile(due_date=TODAY + timedelta(weeks=40 - weeks))
        below = Profile(due_date=TODAY + timedelta(weeks=40 - weeks, days=1))
        return ([], at), ([], below)
    raise AssertionError(f"no threshold table for condition {kind}")


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_every_rule_fires_at_its_threshold_and_not_one_below(rule):
    (at_entries, at_profile), (below_entries, below_profile) = at_and_below(rule)
    fired = evaluate([rule], at_entries, TODAY, at_profile)
    assert [tip.advice for tip in fired] == [rule.advice]
    assert evaluate([rule], below_entries, TODAY, below_profile) == []


def other_limits(rule):
    """The limits of a rule besides its count threshold: (case, entries, profile, should fire)."""
    p = rule.params
    kind = rule.condition
    if kind == "code_days_in_pregnancy":
        entries = days_with(p["threshold"], **{p["field"]: [p["codes"][0]]})
        first, last = p.get("from_week", 0), p["before_week"] - 1
        return [
            ("first day of the first week", entries, pregnant_in(first, 0), True),
            ("day before the first week", entries, pregnant_in(first - 1, 6), False),
            ("last day before the limit", entries, pregnant_in(last, 6), True),
            ("first day of the limit week", entries, pregnant_in(last + 1, 0), False),
            ("after birth", entries, born_ago(7), False),
        ]
    if kind in ("pain_days", "untreated_pain"):
        days = p["threshold"]
        return [
            ("pain at the level", [entry(o, pain=p["level"]) for o in range(days)], PREGNANT, True),
            ("pain one below the level", [entry(o, pain=p["level"] - 1) for o in range(7)], PREGNANT, False),
        ]
    if kind == "code_today":
        code = {p["field"]: [p["codes"][0]]}
        return [
            ("today, early pregnancy", [entry(0, **code)], pregnant_in(8), True),
            ("today, after birth", [entry(0, **code)], born_ago(30), True),
            ("today, no due date", [entry(0, **code)], Profile(), True),
            ("only yesterday", [entry(1, **code)], PREGNANT, False),
        ]
    if kind == "pain_after_birth":
        most = [entry(o, pain=p["level"]) for o in range(p["min_days"] if "min_days" in p else 3)]
        return [
            ("the day the week begins", most, born_ago(p["from_week"] * 7), True),
            ("the day before", most, born_ago(p["from_week"] * 7 - 1), False),
            ("too few logged days", most[:-1], born_ago(p["from_week"] * 7), False),
            (
                "pain one below the level",
                [entry(o, pain=p["level"] - 1) for o in range(14)],
                born_ago(p["from_week"] * 7),
                False,
            ),
            ("pregnant", most, PREGNANT, False),
        ]
    if kind == "rising_mean":
        days, need = p.get("days", 7), p.get("min_days", 2)
        high, low = (
            [entry(o, pain=9) for o in range(need)],
            [entry(o, pain=1) for o in range(days, days + need)],
        )
        return [
            ("enough logged days on each side", high + low, PREGNANT, True),
            ("one day too few before", high + low[1:], PREGNANT, False),
            ("one day too few now", high[1:] + low, PREGNANT, False),
        ]
    if kind == "stage" and p.get("after_birth"):
        last_day = min(p["weeks_to"] * 7 + 6, POSTPARTUM_DAYS)
        return [
            ("last day of the last week", [], born_ago(last_day), True),
            ("first day after the last week", [], born_ago((p["weeks_to"] + 1) * 7), False),
            ("pregnant", [], pregnant_in(p["weeks_from"] + 1), False),
        ]
    if kind == "stage":
        return [
            ("last day of the last week", [], pregnant_in(p["weeks_to"], 6), True),
            ("first day after the last week", [], pregnant_in(p["weeks_to"] + 1, 0), False),
            ("after birth", [], born_ago(p["weeks_from"] * 7 + 7), False),
        ]
    return []


LIMIT_CASES = [(rule, *case) for rule in RULES for case in other_limits(rule)]


@pytest.mark.parametrize(
    "rule, case, entries, profile, fires", LIMIT_CASES, ids=[f"{c[0].id}: {c[1]}" for c in LIMIT_CASES]
)
def test_every_rule_holds_inside_its_other_limits_and_not_outside(rule, case, entries, profile, fires):
    fired = [tip.advice for tip in evaluate([rule], entries, TODAY, profile)]
    assert fired == ([rule.advice] if fires else [])


LOW_BACK = [entry(o, locations=["lower_back"]) for o in range(3)]
UNTREATED = [entry(o, pain=7) for o in range(2)]
UNTREATED_BELOW = [entry(o, pain=6) for o in range(7)]


@pytest.mark.parametrize(
    "rule_id, entries, profile, fires",
    [
        ("low-back-before-term", LOW_BACK, pregnant_in(21, 6), False),
        ("low-back-before-term", LOW_BACK, pregnant_in(22, 0), True),
        ("low-back-before-term", LOW_BACK, pregnant_in(36, 6), True),
        ("low-back-before-term", LOW_BACK, pregnant_in(37, 0), False),
        ("later-pregnancy", [], pregnant_in(19, 6), False),
        ("later-pregnancy", [], pregnant_in(20, 0), True),
        ("later-pregnancy", [], pregnant_in(34, 6), True),
        ("later-pregnancy", [], pregnant_in(35, 0), False),
        ("after-birth", [], born_ago(0), True),
        ("after-birth", [], born_ago(52 * 7), True),
        ("after-birth", [], born_ago(53 * 7), False),
        ("untreated-pain", UNTREATED, PREGNANT, True),
        ("untreated-pain", UNTREATED_BELOW, PREGNANT, False),
    ],
)
def test_the_week_and_pain_limits_are_the_agreed_ones(rule_id, entries, profile, fires):
    rule = next(rule for rule in RULES if rule.id == rule_id)
    assert bool(evaluate([rule], entries, TODAY, profile)) == fires


def test_lower_back_pain_brings_the_signs_as_an_ordinary_tip_only_in_weeks_22_to_36():
    entries = [entry(o, locations=["lower_back"]) for o in range(7)]
    assert "warning-signs" not in [tip.advice for tip in evaluate(RULES, entries, TODAY, pregnant_in(8))]
    first = evaluate(RULES, entries, TODAY, pregnant_in(30))[0]
    assert (first.advice, first.safety) == ("warning-signs", False)


@pytest.mark.parametrize("trigger", [code.code for code in TRIGGERS])
def test_every_trigger_has_a_rule_of_its_own_naming_it(trigger):
    own = [
        rule
        for rule in RULES
        if rule.condition == "code_days"
        and rule.params["field"] == "triggers"
        and rule.params["codes"] == [trigger]
    ]
    assert len(own) == 1, f"{trigger} needs exactly one rule of its own"
    tip = evaluate(own, days_with(4, triggers=[trigger]), TODAY, PREGNANT)[0]
    assert "4" in tip.reason["da"] and "4" in tip.reason["en"] and "7" in tip.reason["en"]


def test_every_trigger_rule_names_one_trigger_only():
    for rule in RULES:
        if rule.params.get("field") == "triggers":
            assert len(rule.params["codes"]) == 1, rule.id


@pytest.mark.parametrize(
    "trigger, advice",
    [
        ("walking", "walking-and-cycling"),
        ("cycling", "walking-and-cycling"),
        ("standing", "sitting-and-standing"),
        ("sitting", "sitting-and-standing"),
        ("housework", "help-at-home"),
        ("lifting", "lifting"),
    ],
)
def test_walking_cycling_sitting_standing_and_housework_lead_to_their_own_advice(trigger, advice):
    tips = evaluate(RULES, days_with(3, triggers=[trigger]), TODAY, PREGNANT)
    assert advice in [tip.advice for tip in tips]


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_every_reason_names_its_numbers_in_both_languages(rule):
    (entries, profile), _ = at_and_below(rule)
    tip = evaluate([rule], entries, TODAY, profile)[0]
    assert set(tip.reason) == {"da", "en"}
    for language, text in tip.reason.items():
        assert "{" not in text and "}" not in text
        if "{count" in str(rule.reason[language]):
            assert str(tip.figures["count"]) in text


def test_the_stairs_reason_says_how_many_of_the_last_seven_days():
    tips = evaluate(RULES, days_with(4, triggers=["stairs"]), TODAY, PREGNANT)
    stairs = next(tip for tip in tips if tip.advice == "stairs")
    assert stairs.reason["en"] == "It has hurt on the stairs on 4 of the last 7 days."
    assert stairs.reason["da"] == "Det har gjort ondt på trappen 4 af de sidste 7 dage."


def test_seek_help_comes_first_and_there_are_at_most_three_tips():
    entries = [
        entry(o, pain=9, triggers=["stairs", "turning_in_bed", "lifting"], night_wakings=3) for o in range(7)
    ]
    tips = evaluate(RULES, entries, TODAY, PREGNANT)
    assert len(tips) == MAX_TIPS
    assert tips[0].advice == "seek-help" and tips[0].safety


def test_the_weekly_mean_rising_by_two_points_also_brings_seek_help_first():
    entries = [entry(o, pain=2) for o in range(7, 14)] + [
        entry(o, pain=4, triggers=["stairs"]) for o in range(7)
    ]
    tips = evaluate(RULES, entries, TODAY, PREGNANT)
    assert (
        tips[0].advice == "seek-help"
        and "average of 4.0 over the last 7 days against 2.0" in tips[0].reason["en"]
    )
    assert "i gennemsnit 4,0 de sidste 7 dage mod 2,0" in tips[0].reason["da"]


def test_each_advice_item_is_given_once_even_when_several_rules_point_at_it():
    entries = [entry(o, pain=9) for o in range(7)] + [entry(o, pain=1) for o in range(7, 14)]
    advice = [tip.advice for tip in evaluate(RULES, entries, TODAY, PREGNANT)]
    assert len(advice) == len(set(advice))


def test_a_dismissed_tip_is_not_shown_but_a_safety_tip_always_is():
    entries = [entry(o, pain=9, triggers=["stairs"]) for o in range(7)]
    tips = evaluate(RULES, entries, TODAY, PREGNANT, dismissed={"stairs", "seek-help"})
    assert "stairs" not in [tip.advice for tip in tips]
    assert tips[0].advice == "seek-help"


def test_a_tip_shown_yesterday_waits_a_day_unless_it_is_about_safety():
    entries = [entry(o, pain=9, triggers=["stairs"]) for o in range(7)]
    tips = evaluate(RULES, entries, TODAY, PREGNANT, shown_yesterday={"stairs", "seek-help"})
    assert "stairs" not in [tip.advice for tip in tips]
    assert "seek-help" in [tip.advice for tip in tips]


def test_every_condition_is_used_by_a_rule():
    assert {rule.condition for rule in RULES} == set(CONDITIONS)


@pytest.mark.parametrize(
    "value, expected", [("2.25", 2.3), ("2.24", 2.2), ("-1.25", -1.3), ("0.05", 0.1), ("0", 0.0)]
)
def test_means_are_rounded_half_up_to_one_decimal(value, expected):
    from fractions import Fraction

    assert round_half_up(Fraction(value)) == expected


entry_lists = st.lists(
    st.builds(
        lambda offset, pain, wakings, triggers, locations, relief, sensations: entry(
            offset,
            pain=pain,
            night_wakings=wakings,
            triggers=triggers,
            locations=locations,
            relief=relief,
            sensations=sensations,
        ),
        st.integers(0, 40),
        st.integers(0, 10),
        st.integers(0, 20),
        st.lists(st.sampled_from(sorted(ALLOWED["triggers"])), unique=True, max_size=4),
        st.lists(st.sampled_from(sorted(ALLOWED["locations"])), unique=True, max_size=3),
        st.lists(st.sampled_from(sorted(ALLOWED["relief"])), unique=True, max_size=2),
        st.lists(st.sampled_from(sorted(ALLOWED["sensations"])), unique=True, max_size=2),
    ),
    max_size=40,
    unique_by=lambda entry: entry.date,
)


@settings(max_examples=150, deadline=None)  # a shared, busy machine must not fail it on time
@given(
    entry_lists,
    st.sampled_from([None, PREGNANT, Profile(due_date=TODAY, birth_date=TODAY - timedelta(days=3))]),
)
def test_any_diary_gets_at_most_three_distinct_tips_with_safety_first(entries, profile):
    tips = evaluate(RULES, entries, TODAY, profile or Profile())
    assert len(tips) <= MAX_TIPS
    assert len({tip.advice for tip in tips}) == len(tips)
    safety = [tip.safety for tip in tips]
    assert safety == sorted(safety, reverse=True)
    severe_days = sum(1 for entry in entries if entry.pain >= 8 and entry.date > TODAY - timedelta(days=7))
    assert (severe_days >= 3) <= any(tip.advice == "seek-help" and tip.safety for tip in tips)
    assert any("severe-pain-days" in tip.rules for tip in tips) <= (severe_days >= 3)
    today = next((entry for entry in entries if entry.date == TODAY), None)
    if today and set(today.sensations) & {"numbness", "comes_and_goes"}:
        assert (tips[0].advice, tips[0].safety) == ("warning-signs", True)


@given(entry_lists)
def test_evaluate_never_looks_at_days_after_today(entries):
    future = [entry(-offset, pain=10, triggers=["stairs"], night_wakings=5) for offset in range(1, 8)]
    assert evaluate(RULES, entries, TODAY, PREGNANT) == evaluate(RULES, entries + future, TODAY, PREGNANT)
