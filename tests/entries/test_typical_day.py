"""Her usual triggers first, and yesterday's answers to start today from (pure, no client)."""

from datetime import date

import pytest

from diary.entries.codes import TRIGGERS
from diary.entries.entry import DayEntry
from diary.entries.typical_day import (
    chosen_first,
    first_row,
    like_yesterday,
    split_at,
    triggers_by_use,
    usual_window,
)

CANONICAL = [item.code for item in TRIGGERS]


def day(pain: int = 3, **codes) -> DayEntry:
    """A stored day with the given answers."""
    return DayEntry(date=date(2026, 12, 3), pain=pain, **codes)


def test_it_lists_every_trigger_in_the_lists_order_when_she_has_logged_none():
    assert triggers_by_use([]) == CANONICAL
    assert triggers_by_use([day(triggers=[]), day(pain=3)]) == CANONICAL


def test_it_puts_the_triggers_of_most_days_first():
    entries = [
        day(triggers=["sitting", "walking"]),
        day(triggers=["sitting"]),
        day(triggers=["sitting", "work"]),
        day(triggers=["walking"]),
    ]
    ordered = triggers_by_use(entries)
    assert ordered[:4] == ["sitting", "walking", "work", "stairs"]  # 3 days, 2 days, 1 day, then the list
    assert sorted(ordered) == sorted(CANONICAL)


def test_it_breaks_ties_by_the_lists_order():
    ordered = triggers_by_use([day(triggers=["work", "stairs"]), day(triggers=["cycling", "getting_up"])])
    assert ordered[:4] == ["stairs", "getting_up", "cycling", "work"]


def test_it_counts_days_not_mentions():
    ordered = triggers_by_use([day(triggers=["work", "work", "work"]), day(triggers=["lifting"])])
    assert ordered[:2] == ["lifting", "work"]  # one day each: the list's order decides


def test_the_usual_window_is_the_last_30_days_with_today():
    assert usual_window(date(2026, 12, 4)) == (date(2026, 11, 5), date(2026, 12, 4))


def test_chosen_triggers_come_first_in_their_own_order():
    assert chosen_first(["stairs", "walking", "sitting", "work"], ["work", "walking"]) == [
        "walking",
        "work",
        "stairs",
        "sitting",
    ]
    assert chosen_first(["stairs", "walking"], []) == ["stairs", "walking"]


def test_a_chosen_trigger_is_shown_even_when_it_is_not_among_the_first():
    codes = ["stairs", "walking", "sitting", "work"]
    assert split_at(codes, [], 2) == (["stairs", "walking"], ["sitting", "work"])
    assert split_at(codes, ["work"], 2) == (["stairs", "walking", "work"], ["sitting"])
    assert split_at(codes, ["stairs"], 2) == (["stairs", "walking"], ["sitting", "work"])


@pytest.mark.parametrize(
    ("labels", "room", "expected"),
    [
        (["Trapper", "Gå", "Sidde", "Stå"], 328, 3),
        (["Trapper", "Vende sig i sengen", "Rejse sig"], 328, 1),
        (["Vende sig i sengen", "Husarbejde", "Tage tøj på"], 150, 1),  # never fewer than one
        ([], 328, 0),
        (["Gå"], 328, 1),
    ],
)
def test_the_first_row_holds_the_chips_that_fit(labels, room, expected):
    assert first_row(labels, room) == expected


def test_yesterdays_answers_are_copied_without_the_note():
    yesterday = day(
        pain=6,
        locations=["symphysis", "hips"],
        sensations=["aching"],
        triggers=["stairs"],
        night_wakings=2,
        relief=["pelvic_belt"],
        note="Hård dag på arbejdet",
    )
    assert like_yesterday(yesterday) == {
        "pain": 6,
        "locations": ["symphysis", "hips"],
        "sensations": ["aching"],
        "triggers": ["stairs"],
        "night_wakings": 2,
        "relief": ["pelvic_belt"],
        "note": "",
    }


def test_a_warning_sign_is_not_carried_over_to_today():
    yesterday = day(pain=3, sensations=["numbness", "aching", "comes_and_goes"])
    copied = like_yesterday(yesterday)
    assert copied["sensations"] == ["aching"]
    assert (copied["triggers"], copied["relief"], copied["night_wakings"]) == ([], [], 0)
