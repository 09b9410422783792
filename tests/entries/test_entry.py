"""A day's entry inside the app: dates, times and tuples; JSON only through entry_json."""

import dataclasses
from datetime import date, datetime

import pytest

from diary.entries import store
from diary.entries.entry import ENTRY_DEFAULTS, ENTRY_FIELDS, DayEntry, entry_json, format_timestamp
from diary.entries.validation import validate_entry

API_ORDER = (
    "date",
    "pain",
    "locations",
    "sensations",
    "triggers",
    "night_wakings",
    "relief",
    "note",
    "updated_at",
)
DAY = date(2026, 11, 20)
EDITED = datetime(2026, 11, 20, 21, 3, 0, 250_000)


def test_it_lists_the_fields_once_in_the_apis_order_and_storage_hands_out_the_same_list():
    assert ENTRY_FIELDS == API_ORDER
    assert store.ENTRY_FIELDS is ENTRY_FIELDS


def test_it_defaults_every_field_but_the_day_and_the_pain():
    assert set(ENTRY_FIELDS) - set(ENTRY_DEFAULTS) == {"date", "pain"}
    assert ENTRY_DEFAULTS["night_wakings"] == 0 and ENTRY_DEFAULTS["note"] == ""


def test_it_keeps_codes_as_tuples_and_cannot_be_changed():
    entry = DayEntry(date=DAY, pain=4, triggers=["stairs"], locations={"hips"})
    assert entry.triggers == ("stairs",) and entry.locations == ("hips",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.pain = 5
    assert hash(entry) == hash(DayEntry(date=DAY, pain=4, triggers=("stairs",), locations=("hips",)))


def test_it_is_written_as_the_apis_json_with_iso_strings_and_lists():
    entry = DayEntry(date=DAY, pain=6, locations=("symphysis",), updated_at=EDITED)
    body = entry_json(entry)
    assert list(body) == list(API_ORDER)
    assert body["date"] == "2026-11-20" and body["updated_at"] == "2026-11-20T21:03:00.250Z"
    assert body["locations"] == ["symphysis"] and body["triggers"] == []


def test_its_json_validates_back_into_the_same_entry():
    entry = DayEntry(
        date=DAY,
        pain=6,
        locations=("symphysis", "si_left"),
        sensations=("stabbing",),
        triggers=("stairs",),
        night_wakings=2,
        relief=("heat",),
        note="Trappen",
        updated_at=EDITED,
    )
    again = validate_entry(entry_json(entry), day=DAY, today=DAY, now=EDITED)
    assert again == entry


@pytest.mark.parametrize(
    "moment, text",
    [
        (datetime(2026, 11, 20, 21, 3), "2026-11-20T21:03:00Z"),
        (datetime(2026, 11, 20, 21, 3, 0, 1_999), "2026-11-20T21:03:00.001Z"),
        (datetime(999, 1, 2, 3, 4, 5), "0999-01-02T03:04:05Z"),
    ],
)
def test_a_time_is_written_in_utc_with_z_to_the_millisecond(moment, text):
    assert format_timestamp(moment) == text
