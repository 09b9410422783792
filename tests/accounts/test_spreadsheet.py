"""The days as a spreadsheet: Danish for Danish Excel, English as it always was, both read back in."""

import csv
import io
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from babel.support import Translations

from diary.accounts.spreadsheet import DANISH, ENGLISH, read_days, write_days
from diary.entries.entry import ENTRY_FIELDS, DayEntry, entry_json
from diary.entries.validation import InvalidEntry
from tests.accounts.test_account import upload

DANISH_WORDS = Translations.load(Path(__file__).parents[2] / "diary" / "translations", ["da"]).gettext


def day(date_text, pain, note="", **codes) -> DayEntry:
    logged = date.fromisoformat(date_text)
    return DayEntry(date=logged, pain=pain, note=note, updated_at=datetime.combine(logged, time(20)), **codes)


DAYS = [
    day("2026-11-16", 4, locations=["symphysis", "si_left"], triggers=["stairs", "walking"]),
    day("2026-11-17", 5, note="Trapper; hårdt, men =godt", relief=["pelvic_belt", "pain_medication"]),
    day("2026-11-19", 7, sensations=["numbness", "stabbing"], night_wakings=2),
]


def danish_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")  # the byte-order mark: Excel reads the file as UTF-8
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def test_the_danish_spreadsheet_is_semicolon_separated_with_danish_headers_and_labels():
    rows = danish_rows(write_days(DAYS, DANISH, DANISH_WORDS))
    assert rows[0] == [
        "Dato",
        "Smerte (0–10)",
        "Gennemsnitlig smerte, seneste 7 dage",
        "Hvor det gjorde ondt",
        "Hvordan det føltes",
        "Hvad satte det i gang",
        "Vækket om natten (gange)",
        "Hvad der lindrede",
        "Note",
        "Sidst ændret (UTC)",
    ]
    first, second, third = rows[1:]
    assert first[3] == "Skambenet (foran), Venstre SI-led (bagtil)" and first[5] == "Trapper, Gå"
    assert second[7] == "Bækkenbælte, Smertestillende"
    assert second[8] == "Trapper; hårdt, men =godt"  # a semicolon in a note stays in its cell
    assert third[4].startswith("Ben følelsesløst eller svagt, eller følelsesløs")


def test_the_danish_average_has_a_decimal_comma_and_counts_logged_days_only():
    rows = danish_rows(write_days(DAYS, DANISH, DANISH_WORDS))
    averages = [row[2] for row in rows[1:]]
    assert averages == ["4,0", "4,5", "5,3"]  # 4; (4+5)/2; (4+5+7)/3 = 5.33
    assert [float(cell.replace(",", ".")) for cell in averages] == [4.0, 4.5, 5.3]


def test_the_english_spreadsheet_is_as_it_always_was():
    rows = list(csv.reader(io.StringIO(write_days(DAYS, ENGLISH, str))))
    assert rows[0] == list(ENTRY_FIELDS)
    assert rows[1][2] == "symphysis;si_left" and rows[1][4] == "stairs;walking"


@pytest.mark.parametrize("dialect, words", [(DANISH, DANISH_WORDS), (ENGLISH, str)])
def test_a_spreadsheet_reads_back_to_the_same_days(dialect, words):
    assert read_days(write_days(DAYS, dialect, words), words) == [entry_json(entry) for entry in DAYS]


def test_a_formula_guard_is_taken_off_again_on_reading():
    days = [day("2026-11-16", 4, note="=SUM(A1)")]
    text = write_days(days, DANISH, DANISH_WORDS)
    assert "'=SUM(A1)" in text
    assert read_days(text, DANISH_WORDS)[0]["note"] == "=SUM(A1)"


@pytest.mark.parametrize(
    "text",
    [
        "a;b;c\r\n1;2;3\r\n",
        "\ufeffDato;Smerte (0–10)\r\n2026-11-16;4\r\n",
    ],
)
def test_a_spreadsheet_that_is_not_an_export_is_refused(text):
    with pytest.raises(InvalidEntry):
        read_days(text, DANISH_WORDS)


def test_an_unknown_label_is_named_by_its_row_and_field():
    text = write_days(DAYS, DANISH, DANISH_WORDS).replace("Trapper, Gå", "Trapper, Svømning")
    with pytest.raises(InvalidEntry) as refused:
        read_days(text, DANISH_WORDS)
    assert list(refused.value.errors) == ["entries[0].triggers"]


def test_the_danish_csv_export_re_imports_to_the_same_data(app, client, alice, bob_client, today):
    for offset, body in enumerate(
        [
            {"pain": 6, "locations": ["si_right"], "triggers": ["turning_in_bed"], "note": "Svært; men ok"},
            {"pain": 3, "relief": ["heat", "help_from_others"], "night_wakings": 1},
            {"pain": 8, "sensations": ["giving_way"], "note": "-sikke en dag"},
        ]
    ):
        client.put(f"/api/v1/entries/{today - timedelta(days=offset)}", json=body)
    exported = client.get("/api/v1/entries").get_json()["entries"]
    response = client.get("/api/v1/export.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    text = response.get_data(as_text=True)
    rows = danish_rows(text)
    assert rows[0][0] == "Dato" and len(rows) == 4 and all(len(row) == 10 for row in rows)
    assert all(re.fullmatch(r"\d+,\d", row[2]) for row in rows[1:])  # averages with a decimal comma

    assert upload(bob_client, response.data, name="baekkendagbog-dage.csv").status_code == 302
    assert bob_client.get("/api/v1/entries").get_json()["entries"] == exported


def test_the_json_export_keeps_the_codes(client, alice, today):
    client.put(f"/api/v1/entries/{today}", json={"pain": 4, "triggers": ["stairs"]})
    assert client.get("/api/v1/export").get_json()["entries"][0]["triggers"] == ["stairs"]
