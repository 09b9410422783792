"""The tips engine: declarative rules (diary/advice/rules.toml) evaluated over recent entries.

Pure: evaluate() takes rules, entries and the profile and returns tips; the views only
call it. Each condition is a small function registered by name; a rule names one, with
its parameters, the advice it leads to and the reason it gives (see diary/advice/reasons.py).

A day not logged counts neither as a good day nor as a bad one: it may have been the birth
or a stay in hospital. So every count is of logged days, and every mean is over them.
"""

import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

from diary.advice.reasons import check_reason, render
from diary.entries.entry import DayEntry
from diary.entries.pregnancy import stage_on
from diary.summary.figures import change_between, mean_pain, round_half_up

MAX_TIPS = 3
RULES_FILE = Path(__file__).with_name("rules.toml")


@dataclass(frozen=True)
class Rule:
    id: str
    advice: str
    condition: str
    params: dict
    priority: int
    safety: bool
    # language -> template whose {names} are filled from the figures, or a table of them by case
    reason: dict[str, str | dict[str, str]]
    # Shown on one day of an ISO week at most, and a dismissal lasts the rest of that week.
    weekly: bool = False

    @property
    def measure(self) -> tuple:
        """What the rule looks at, whatever its thresholds: two rules on one measure say one thing."""
        return (self.condition, self.params.get("field"), tuple(self.params.get("codes", ())))


@dataclass(frozen=True)
class Tip:
    advice: str
    rule: str
    safety: bool
    priority: int
    reason: dict[str, str]  # language -> the reason, numbers filled in
    figures: dict = field(default_factory=dict)
    rules: tuple[str, ...] = ()  # every rule behind the tip: safety rules sharing advice join


@dataclass(frozen=True)
class Profile:
    due_date: date | None = None
    birth_date: date | None = None


class Window:
    """The entries of the days before and including today, looked up by date."""

    def __init__(self, entries, today: date, profile: Profile):
        self.by_date = {entry.date: entry for entry in entries}
        self.today = today
        self.profile = profile

    def days(self, count: int, end_offset: int = 0) -> list[DayEntry]:
        """The logged entries among the ``count`` days ending ``end_offset`` days before today."""
        end = self.today - timedelta(days=end_offset)
        found = (self.by_date.get(end - timedelta(days=back)) for back in range(count))
        return [entry for entry in found if entry is not None]


CONDITIONS = {}


def condition(function):
    """Register a condition under its function name; it returns reason figures when met, else None."""
    CONDITIONS[function.__name__] = function
    return function


@condition
def code_days(window: Window, field: str, codes: list[str], threshold: int, days: int = 7):
    """A code (any of several) noted on at least ``threshold`` of the last ``days`` days."""
    count = sum(1 for entry in window.days(days) if set(getattr(entry, field)) & set(codes))
    return {"count": count, "days": days} if count >= threshold else None


# The cases a condition names in its "variant" figure: a reason given as a table covers each.
CASES = {
    "code_today": frozenset({"early", "preterm", "term", "after_birth", "unknown"}),
    "stage": frozenset({"first_week", "later"}),
}


def _stage_case(window: Window) -> str:
    """Which call to make, by the stage today: before week 20 the doctor, then the maternity
    reception, and a different set of signs after birth."""
    birth_date = window.profile.birth_date
    # Long after the birth the stage is no longer counted, but she is still not pregnant.
    if birth_date is not None and window.today >= birth_date:
        return "after_birth"
    today = stage_on(window.today, window.profile.due_date, birth_date)
    if today is None:
        return "unknown"
    if today.weeks < 20:
        return "early"
    return "preterm" if today.weeks < 37 else "term"


@condition
def code_today(window: Window, field: str, codes: list[str]):
    """A code (any of several) logged for today: a red flag that cannot wait for a pattern."""
    entry = window.by_date.get(window.today)
    if entry is None or not set(getattr(entry, field)) & set(codes):
        return None
    return {"variant": _stage_case(window)}


@condition
def pain_days(window: Window, level: int, threshold: int, days: int = 7):
    """Pain of at least ``level`` on at least ``threshold`` of the last ``days`` days."""
    count = sum(1 for entry in window.days(days) if entry.pain >= level)
    return {"count": count, "days": days, "level": level} if count >= threshold else None


@condition
def untreated_pain(window: Window, level: int, threshold: int, days: int = 7):
    """Pain of at least ``level`` with no relief noted, on at least ``threshold`` days."""
    count = sum(1 for entry in window.days(days) if entry.pain >= level and not entry.relief)
    return {"count": count, "days": days, "level": level} if count >= threshold else None


@condition
def disrupted_nights(window: Window, threshold: int, days: int = 7):
    """Woken by pain on at least ``threshold`` of the last ``days`` nights."""
    nights = [entry for entry in window.days(days) if entry.night_wakings > 0]
    if len(nights) < threshold:
        return None
    return {"count": len(nights), "days": days, "wakings": sum(entry.night_wakings for entry in nights)}


@condition
def high_mean(window: Window, at_least: float, min_days: int = 3, days: int = 7):
    """A mean pain of at least ``at_least`` over the logged days of the last ``days`` days."""
    entries = window.days(days)
    mean = mean_pain([entry.pain for entry in entries])
    if len(entries) < min_days or mean < Fraction(str(at_least)):
        return None
    return {"mean": round_half_up(mean), "count": len(entries), "days": days}


@condition
def rising_mean(window: Window, at_least: float, min_days: int = 2, days: int = 7):
    """The mean pain of the last ``days`` days is up by ``at_least`` on the days before them."""
    recent, earlier = window.days(days), window.days(days, end_offset=days)
    if len(recent) < min_days or len(earlier) < min_days:
        return None
    now, before = (
        round_half_up(mean_pain([e.pain for e in recent])),
        round_half_up(mean_pain([e.pain for e in earlier])),
    )
    rise = change_between(now, before)
    return {"mean": now, "previous": before, "rise": rise, "days": days} if rise >= at_least else None


@condition
def pain_after_birth(window: Window, from_week: int, level: int, min_days: int = 3, days: int = 14):
    """From ``from_week`` whole weeks after birth, pain of ``level`` or more on most logged days."""
    today = stage_on(window.today, window.profile.due_date, window.profile.birth_date)
    if today is None or not today.after_birth or today.weeks < from_week:
        return None
    entries = window.days(days)
    count = sum(1 for entry in entries if entry.pain >= level)
    if len(entries) < min_days or count * 2 <= len(entries):
        return None
    return {"weeks": today.weeks, "count": count, "logged": len(entries), "days": days, "level": level}


@condition
def logged_days(window: Window, threshold: int, days: int = 7):
    """At least ``threshold`` of the last ``days`` days logged: a diary kept up."""
    count = len(window.days(days))
    return {"count": count, "days": days} if count >= threshold else None


@condition
def new_diary(window: Window, at_most: int, days: int = 14):
    """At most ``at_most`` days logged, all within the last ``days`` days: a diary just begun."""
    count = len(window.days(days))
    if count > at_most or any(day < window.today - timedelta(days=days - 1) for day in window.by_date):
        return None
    return {"count": count, "days": days}


@condition
def stage(window: Window, after_birth: bool = False, weeks_from: int = 0, weeks_to: int = 60):
    """The pregnancy (or the time after birth) is between two whole weeks today."""
    today = stage_on(window.today, window.profile.due_date, window.profile.birth_date)
    if today is None or today.after_birth != after_birth or not weeks_from <= today.weeks <= weeks_to:
        return None
    return {
        "weeks": today.weeks,
        "days": today.days,
        "variant": "first_week" if today.weeks == 0 else "later",
    }


@condition
def code_days_in_pregnancy(
    window: Window,
    field: str,
    codes: list[str],
    threshold: int,
    before_week: int,
    from_week: int = 0,
    days: int = 7,
):
    """A code on at least ``threshold`` days while pregnant, from one whole week until before another."""
    today = stage_on(window.today, window.profile.due_date, window.profile.birth_date)
    if today is None or today.after_birth or not from_week <= today.weeks < before_week:
        return None
    return code_days(window, field, codes, threshold, days)


def load_rules(path: Path = RULES_FILE) -> list[Rule]:
    """Read and check the rules file; a rule naming an unknown condition stops start-up."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    rules = []
    for raw in data["rule"]:
        if raw["condition"] not in CONDITIONS:
            raise ValueError(f"rule {raw['id']!r} names an unknown condition {raw['condition']!r}")
        check_reason(raw["id"], raw["reason"])
        tables = [set(text) for text in raw["reason"].values() if isinstance(text, dict)]
        if tables and any(cases != CASES.get(raw["condition"]) for cases in tables):
            raise ValueError(
                f"rule {raw['id']!r} must give a reason for each case of {raw['condition']}: {sorted(CASES.get(raw['condition'], []))}"
            )
        rules.append(
            Rule(
                id=raw["id"],
                advice=raw["advice"],
                condition=raw["condition"],
                params=dict(raw.get("params", {})),
                priority=int(raw.get("priority", 0)),
                safety=bool(raw.get("safety", False)),
                reason=dict(raw["reason"]),
                weekly=bool(raw.get("weekly", False)),
            )
        )
    return rules


def _waits(rule: Rule, dismissed, shown_yesterday, shown_this_week, dismissed_this_week) -> bool:
    """Whether a rule's tip stays away today, whatever the entries say."""
    if rule.safety:
        return False
    if rule.weekly:
        return (
            rule.advice in shown_this_week
            or rule.advice in dismissed_this_week
            or rule.advice in shown_yesterday
        )
    return rule.advice in dismissed or rule.advice in shown_yesterday


def _one_per_advice(fired: list[tuple[Tip, Rule]]) -> list[Tip]:
    """Keep the first tip of each advice item; a later safety tip for it on another measure
    adds its reason (the same measure at a lower threshold would only repeat it)."""
    tips: dict[str, Tip] = {}
    measures: dict[str, set[tuple]] = {}
    for tip, rule in fired:
        first = tips.get(tip.advice)
        if first is None:
            tips[tip.advice], measures[tip.advice] = tip, {rule.measure}
        elif first.safety and tip.safety and rule.measure not in measures[tip.advice]:
            # Each reason to call is news to her: numbness and waves, or pain 9 and sleepless nights.
            reason = {language: f"{text} {tip.reason[language]}" for language, text in first.reason.items()}
            tips[tip.advice] = Tip(
                first.advice, first.rule, True, first.priority, reason, first.figures, first.rules + tip.rules
            )
            measures[tip.advice].add(rule.measure)
    return list(tips.values())


def evaluate(
    rules,
    entries,
    today: date,
    profile: Profile,
    *,
    dismissed=frozenset(),
    shown_yesterday=frozenset(),
    shown_this_week=frozenset(),
    dismissed_this_week=frozenset(),
    limit: int = MAX_TIPS,
) -> list[Tip]:
    """The tips that fit the recent entries: safety first, then by priority; one per advice item.

    A tip the user dismissed is never shown, and one shown yesterday waits a day; a weekly
    tip shows on one day of an ISO week and a dismissal hides it for that week. Safety tips
    are always shown when their rule holds.
    """
    window = Window(entries, today, profile)
    fired = []
    for rule in rules:
        if _waits(rule, dismissed, shown_yesterday, shown_this_week, dismissed_this_week):
            continue
        figures = CONDITIONS[rule.condition](window, **rule.params)
        if figures is not None:
            reason = {
                language: render(template, figures, language) for language, template in rule.reason.items()
            }
            fired.append(
                (Tip(rule.advice, rule.id, rule.safety, rule.priority, reason, figures, (rule.id,)), rule)
            )
    fired.sort(key=lambda pair: (not pair[0].safety, -pair[0].priority))
    return _one_per_advice(fired)[:limit]
