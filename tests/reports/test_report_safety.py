"""The safety advice a report names: which rule held on which logged days (pure, with the real rules)."""

from datetime import date, timedelta

from diary.advice.rules import Profile, load_rules
from diary.entries.entry import DayEntry
from diary.reports.safety import SAFETY_LABELS, reported_rules, safety_days

START = date(2026, 11, 2)
END = START + timedelta(days=27)
PROFILE = Profile(due_date=START + timedelta(weeks=12))


def entry(day: date, pain: int, **codes) -> DayEntry:
    return DayEntry(date=day, pain=pain, **codes)


def test_every_safety_rule_but_the_red_flags_has_words_for_the_report():
    rules = load_rules()
    assert {rule.id for rule in reported_rules(rules)} == set(SAFETY_LABELS)
    assert all(rule.params.get("codes") != ["numbness"] for rule in reported_rules(rules))


def test_pain_at_ten_is_named_on_the_logged_days_it_held():
    entries = [entry(START + timedelta(days=n), 10 if n == 3 else 3) for n in range(8)]
    held = dict(safety_days(load_rules(), entries, START, END, PROFILE))
    # The rule looks at the last days, so it holds from the day of the 10 while the 10 is recent.
    assert held["worst-pain"][0] == START + timedelta(days=3)
    assert all(day >= START + timedelta(days=3) for day in held["worst-pain"])


def test_a_calm_diary_names_no_safety_rule():
    entries = [entry(START + timedelta(days=n), 3) for n in range(28)]
    assert safety_days(load_rules(), entries, START, END, PROFILE) == []


def test_days_before_the_period_count_for_the_rules_but_are_not_named():
    entries = [entry(START - timedelta(days=1), 10)] + [entry(START + timedelta(days=n), 3) for n in range(3)]
    held = dict(safety_days(load_rules(), entries, START, END, PROFILE))
    assert held["worst-pain"] and min(held["worst-pain"]) >= START
