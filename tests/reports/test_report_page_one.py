"""Page one of the four-week report stands alone: everything but the notes, which start page two."""

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader

from diary.checkins.questionnaires import function_check
from diary.entries.codes import CODE_SETS
from diary.summary.weeks import week_name, week_of
from tests.reports.test_reports import set_profile
from tests.support.shares import anonymous, make_share, path_of

FUNCTION_ITEMS = function_check().item_ids

LONG_NOTE = (
    "Dag {n}: Trapperne på arbejdet var hårde i dag, og jeg måtte hvile to gange på vej op. "
    "Om aftenen hjalp varmepuden lidt, men det stak i skambenet, når jeg vendte mig i sengen. "
    "Jeg har prøvet bækkenbæltet hele dagen og synes, det hjælper, når jeg går længere ture."
)
EVERY_CODE = {field: [code.code for code in codes if not code.red_flag] for field, codes in CODE_SETS.items()}


def fullest_four_weeks(client, today):
    """28 days with every code, a long note each, a red-flag sensation and pain at 9 on some days."""
    for offset in range(28):
        sensations = EVERY_CODE["sensations"] + (["numbness"] if offset in (3, 4, 10) else [])
        client.put(
            f"/api/v1/entries/{today - timedelta(days=offset)}",
            json={
                "pain": 9 if offset in (1, 2) else 2 + offset % 7,
                "night_wakings": offset % 4,
                **EVERY_CODE,
                "sensations": sensations,
                "relief": EVERY_CODE["relief"] if offset % 2 else ["rest"],
                "note": LONG_NOTE.format(n=offset),
            },
        )


def weekly_checks(client, today):
    """A weekly check with the leg raise in each of the four weeks, getting harder."""
    for weeks_back in range(4):
        week = week_name(week_of(today - timedelta(weeks=weeks_back)))
        answers = dict.fromkeys(FUNCTION_ITEMS, 3 - weeks_back // 2) | {"housework": None}
        body = {"answers": answers, "leg_raise": {"left": 2 + weeks_back % 2, "right": 3}}
        assert client.put(f"/api/v1/checkins/{week}", json=body).status_code == 200


def pages_of(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize("include_notes", [True, False])
def test_page_one_holds_everything_but_the_notes(app, client, alice, today, include_notes):
    set_profile(app, display_name="Kristine Marie Østergaard-Bæk")
    fullest_four_weeks(client, today)
    weekly_checks(client, today)
    share = make_share(client, include_notes=include_notes)
    data = anonymous(app).get(path_of(share["pdf_url"])).data
    pages = pages_of(data)
    first = pages[0]
    for expected in (
        "RAPPORT TIL JORDEMODER ELLER FYSIOTERAPEUT",  # the title, in capitals in print
        "Østergaard-Bæk",
        "Smerterne",  # the overall picture
        "Smertestillende: på 14 af 28 udfyldte dage.",
        "Tegn, der ikke er bækkenløsning",
        "Dagbogen rådede hende til at søge hjælp",
        "Smerter på 9 eller 10",
        "Hvor det gjorde ondt",
        "Uge for uge",
        "Hvad ser ud til at hjælpe",
        "Funktion",  # the weekly checks' trend
        "Benløft",
        "ikke et bevis",
        "ikke en diagnose",  # the footer
    ):
        assert expected in first, expected
    assert len(re.findall(r"\buge \d+\b", first)) >= 4  # every week row
    assert "Dag " not in first  # no note on page one
    if include_notes:
        assert "Hendes noter følger på side 2." in first
        assert pages[1].startswith("Hendes noter") or "Hendes noter" in pages[1][:200]
        notes = " ".join(pages[1:])
        assert all(f"Dag {n}:" in notes for n in range(28))
    else:
        assert len(pages) == 1
        assert "følger på side 2" not in first
