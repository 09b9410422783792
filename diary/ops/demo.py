"""Realistic demo diaries: pain that drifts with gestation, bad spells, clustered triggers."""

import random
from datetime import date, timedelta

from diary.checkins.questionnaires import function_check, leg_raise
from diary.checkins.validation import CleanCheckin
from diary.entries.entry import DayEntry
from diary.entries.pregnancy import PREGNANCY_DAYS
from diary.summary.weeks import week_of

# Triggers that tend to come together on a bad day, and the places that hurt with them.
CLUSTERS = (
    (("stairs", "walking"), ("symphysis", "groin")),
    (("turning_in_bed", "getting_up"), ("si_left", "si_right", "buttocks")),
    (("dressing", "standing"), ("symphysis", "hips")),
    (("lifting", "housework"), ("lower_back", "si_right")),
    (("sitting", "work"), ("lower_back", "buttocks", "thighs")),
)
NOTES = (
    "Gik til købmanden, det var for langt.",
    "Sov med pude mellem knæene, lidt bedre.",
    "Hård dag på arbejdet.",
    "Bækkenbæltet hjalp på gåturen.",
    "Ondt ved hvert trappetrin i dag.",
    "",
)


def demo_entries(
    days: int, today: date, due_date: date, seed: int = 7, skip_rate: float = 0.12
) -> list[DayEntry]:
    """About ``days`` days of entries ending today, for a user with the given due date."""
    rng = random.Random(seed)
    entries = []
    bad_spell = 0
    for offset in range(days - 1, -1, -1):
        day = today - timedelta(days=offset)
        if rng.random() < skip_rate and offset:
            continue  # a forgotten day, as in any real diary
        weeks = max(0, (PREGNANCY_DAYS - (due_date - day).days) / 7)
        if bad_spell == 0 and rng.random() < 0.06:
            bad_spell = rng.randint(2, 4)
        base = 1.5 + max(0.0, weeks - 14) * 0.22 + (2.5 if bad_spell else 0.0)
        bad_spell = max(0, bad_spell - 1)
        pain = max(0, min(10, round(rng.gauss(base, 1.2))))
        triggers, locations = set(), set()
        for cluster_triggers, cluster_locations in rng.sample(CLUSTERS, k=1 + (pain >= 6) + (pain >= 8)):
            triggers.update(rng.sample(cluster_triggers, k=rng.randint(1, len(cluster_triggers))))
            locations.update(rng.sample(cluster_locations, k=rng.randint(1, len(cluster_locations))))
        sensations = (
            {"aching"}
            if pain < 5
            else set(rng.sample(["stabbing", "sharp", "burning", "giving_way", "clicking"], k=2))
        )
        relief = set(
            rng.sample(
                ["rest", "heat", "pelvic_belt", "pillow_between_knees", "exercises", "help_from_others"],
                k=rng.randint(0, 3),
            )
        )
        wakings = 0 if pain < 4 else min(20, max(0, round(rng.gauss((pain - 3) / 1.5, 1))))
        entries.append(
            DayEntry(
                date=day,
                pain=pain if weeks else 0,
                locations=sorted(locations) if pain else [],
                sensations=sorted(sensations) if pain else [],
                triggers=sorted(triggers) if pain else [],
                night_wakings=wakings,
                relief=sorted(relief),
                note=rng.choice(NOTES) if rng.random() < 0.3 else "",
            )
        )
    return entries


def demo_checkins(days: int, today: date, due_date: date, seed: int = 7) -> list[CleanCheckin]:
    """A weekly check for most past weeks of a demo diary of ``days`` days: harder as the weeks go.

    This week's check is left to do, so the log page offers it."""
    rng = random.Random(seed)
    check, leg = function_check(), leg_raise()
    checkins = []
    monday = week_of(today) - timedelta(weeks=1)
    while monday >= today - timedelta(days=days - 7):
        weeks = max(0, (PREGNANCY_DAYS - (due_date - monday).days) / 7)
        if rng.random() >= 0.15:  # a week she forgot
            level = min(2.6, max(0.0, (weeks - 16) * 0.09))
            answers = {
                item: None
                if item in ("carrying", "housework") and rng.random() < 0.2
                else max(0, min(check.highest, round(rng.gauss(level, 0.6))))
                for item in check.item_ids
            }
            sides = tuple(max(0, min(leg.highest, round(rng.gauss(level * 1.4, 0.7)))) for _ in "lr")
            checkins.append(
                CleanCheckin(
                    week=monday,
                    answers=answers,
                    function_score=check.score(answers),
                    leg_raise=sides if rng.random() < 0.8 else None,
                )
            )
        monday -= timedelta(weeks=1)
    return checkins
