"""The one validation path for entries, shared by the form and the API."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from diary.entries.codes import ALLOWED, CODE_SETS
from diary.entries.validation import InvalidEntry, form_to_entry, parse_timestamp, validate_entry

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 20, 0, 0)


def check(body, day=TODAY):
    return validate_entry(body, day=day, today=TODAY, now=NOW)


def errors_of(body, day=TODAY):
    with pytest.raises(InvalidEntry) as raised:
        check(body, day)
    return raised.value.errors


def test_it_accepts_a_full_entry_and_orders_the_codes():
    clean = check(
        {
            "date": "2026-11-22",
            "pain": 6,
            "locations": ["si_left", "symphysis"],
            "sensations": ["stabbing"],
            "triggers": ["turning_in_bed", "stairs"],
            "night_wakings": 2,
            "relief": ["pelvic_belt"],
            "note": "Trapperne var slemme",
            "updated_at": "2026-11-20T21:03:00Z",
        }
    )
    assert clean.pain == 6
    assert clean.locations == ("symphysis", "si_left")
    assert clean.triggers == ("stairs", "turning_in_bed")
    assert clean.updated_at == datetime(2026, 11, 20, 21, 3)


def test_it_fills_in_defaults_for_a_minimal_entry():
    clean = check({"pain": 0})
    assert (clean.locations, clean.night_wakings, clean.note, clean.updated_at) == ((), 0, "", None)


@pytest.mark.parametrize("pain", [11, -1, 5.5, "5", True, None, [], "six"])
def test_it_refuses_pain_that_is_not_a_whole_number_from_0_to_10(pain):
    assert "pain" in errors_of({"pain": pain})


def test_it_refuses_a_missing_pain():
    assert "pain" in errors_of({})


@pytest.mark.parametrize("wakings", [21, -1, 1.5, "2", False])
def test_it_refuses_night_wakings_outside_0_to_20(wakings):
    assert set(errors_of({"pain": 3, "night_wakings": wakings})) == {"night_wakings"}


@pytest.mark.parametrize("field", list(CODE_SETS))
def test_it_refuses_an_unknown_code_in_every_set(field):
    assert set(errors_of({"pain": 3, field: ["not_a_code"]})) == {field}


@pytest.mark.parametrize("value", ["stairs", {"stairs": 1}, [1], None])
def test_it_refuses_a_code_set_that_is_not_a_list_of_strings(value):
    assert "triggers" in errors_of({"pain": 3, "triggers": value})


def test_it_refuses_a_future_date():
    assert "date" in errors_of({"pain": 3}, day=TODAY + timedelta(days=1))


def test_it_refuses_a_body_date_that_differs_from_the_address():
    assert "date" in errors_of({"pain": 3, "date": "2026-11-21"})


def test_it_refuses_a_note_of_2001_characters_and_accepts_2000():
    assert "note" in errors_of({"pain": 3, "note": "x" * 2001})
    assert check({"pain": 3, "note": "x" * 2000}).note == "x" * 2000


def test_it_counts_a_line_break_sent_as_crlf_as_one_character_as_the_text_box_does():
    lines = ["x" * 9] * 200  # 2,000 characters with "\n" breaks: what the text box allowed
    typed = "\n".join(lines) + "\n"
    assert len(typed) == 2000
    clean = check({"pain": 3, "note": typed.replace("\n", "\r\n")})  # 2,200 as browsers send it
    assert clean.note == typed.strip()
    assert "note" in errors_of({"pain": 3, "note": (typed + "x").replace("\n", "\r\n")})


def test_it_refuses_unknown_fields():
    assert errors_of({"pain": 3, "mood": "good"}) == {"mood": "This field is not part of an entry."}


@pytest.mark.parametrize("stamp", ["yesterday", "2026-11-20T21:03:00", "2026-13-01T00:00:00Z", 1700000000])
def test_it_refuses_an_updated_at_that_is_not_an_iso_time_with_a_zone(stamp):
    assert "updated_at" in errors_of({"pain": 3, "updated_at": stamp})


def test_it_refuses_an_edit_time_far_in_the_future():
    assert "updated_at" in errors_of({"pain": 3, "updated_at": "2026-11-23T20:00:00Z"})


def test_it_reads_times_with_offsets_as_utc_to_the_millisecond():
    assert parse_timestamp("2026-11-20T22:03:00.123456+01:00") == datetime(2026, 11, 20, 21, 3, 0, 123000)


def test_it_refuses_a_body_that_is_not_an_object():
    assert "body" in errors_of(["pain", 3])


def test_it_keeps_notes_as_plain_text_without_markup():
    note = check({"pain": 3, "note": "<script>alert(1)</script>Ondt & træt <b>i dag</b>"}).note
    assert "<" not in note and ">" not in note
    assert "Ondt & træt i dag" in note


def test_the_form_and_the_api_agree_on_the_same_day():
    form = MultiDict(
        [
            ("pain", "6"),
            ("locations", "symphysis"),
            ("triggers", "stairs"),
            ("night_wakings", "2"),
            ("note", ""),
        ]
    )
    api = {"pain": 6, "locations": ["symphysis"], "triggers": ["stairs"], "night_wakings": 2, "note": ""}
    assert check(form_to_entry(form)) == check(api)


@pytest.mark.parametrize("raw", ["11", "-1", "5.5", "abc", ""])
def test_it_refuses_bad_pain_from_the_form_with_the_same_rule(raw):
    assert "pain" in errors_of(form_to_entry(MultiDict([("pain", raw)])))


codes = {field: st.lists(st.sampled_from(sorted(ALLOWED[field])), max_size=12) for field in CODE_SETS}
valid_bodies = st.fixed_dictionaries(
    {"pain": st.integers(0, 10)},
    optional={
        **codes,
        "night_wakings": st.integers(0, 20),
        "note": st.text(max_size=2000),
        "updated_at": st.datetimes(min_value=datetime(2020, 1, 1), max_value=NOW).map(
            lambda moment: moment.isoformat(timespec="milliseconds") + "Z"
        ),
    },
)


@given(valid_bodies)
def test_it_accepts_every_valid_entry_and_keeps_only_known_codes(body):
    clean = check(body)
    assert clean.pain == body["pain"]
    for field in CODE_SETS:
        assert set(getattr(clean, field)) == set(body.get(field, []))
        assert len(getattr(clean, field)) == len(set(getattr(clean, field)))
    assert len(clean.note) <= 2000


@given(
    valid_bodies,
    st.sampled_from(["pain", "night_wakings", "triggers", "note"]),
    st.one_of(
        st.integers(21, 10**6), st.integers(-(10**6), -1), st.floats(), st.text(min_size=2001, max_size=2100)
    ),
)
def test_it_refuses_any_body_with_one_bad_field_and_names_that_field(body, field, bad):
    assert field in errors_of(dict(body) | {field: bad})
