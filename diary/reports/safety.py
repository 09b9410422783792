"""The safety advice the diary gave in a report's period: which rule held, on which logged days.

The red-flag sensations have their own lines in the report, so the rules that fire on them
are left out here. Pure: the rules, entries (DayEntry) and a profile in,
runs of dates out.
"""

from datetime import date, timedelta

from diary.advice.rules import CONDITIONS, Profile, Rule, Window
from diary.entries.codes import N_, RED_FLAGS
from diary.entries.entry import DayEntry

#: What each safety rule saw, in words for the midwife (tests check every safety rule has one).
SAFETY_LABELS = {
    "worst-pain": N_("Pain at 9 or 10"),
    "severe-pain-days": N_("Pain at 8 or more on several days in a week"),
    "rising-pain": N_("Pain clearly worse than the week before"),
    "slow-decline": N_("Pain slowly worse over two weeks"),
    "sleepless-nights": N_("Woken by pain on most nights of a week"),
}
#: The rules look back 28 days at most (see diary.advice.tips.LOOKBACK_DAYS).
LOOKBACK_DAYS = 28


def is_red_flag_rule(rule: Rule) -> bool:
    """Whether a rule fires on a red-flag sensation, which the report lists on its own."""
    codes = set(rule.params.get("codes", ()))
    return bool(codes) and codes <= set(RED_FLAGS.get(rule.params.get("field"), ()))


def reported_rules(rules) -> list[Rule]:
    """The safety rules a report names, in the rules file's order."""
    return [rule for rule in rules if rule.safety and not is_red_flag_rule(rule)]


def safety_days(
    rules, entries: list[DayEntry], start: date, end: date, profile: Profile
) -> list[tuple[str, list[date]]]:
    """Each reported safety rule that held on a logged day from start to end, with those days.

    entries should reach LOOKBACK_DAYS before start, as the rules look back that far.
    """
    by_day = {entry.date: entry for entry in entries}
    logged = sorted(day for day in by_day if start <= day <= end)
    held: dict[str, list[date]] = {}
    for day in logged:
        recent = [by_day[d] for d in by_day if day - timedelta(days=LOOKBACK_DAYS) <= d <= day]
        window = Window(recent, day, profile)
        for rule in reported_rules(rules):
            if CONDITIONS[rule.condition](window, **rule.params) is not None:
                held.setdefault(rule.id, []).append(day)
    return [(rule.id, held[rule.id]) for rule in reported_rules(rules) if rule.id in held]
