"""Numbness and waves: codes the API, the log page, exports, the report and the OpenAPI
document know; logged for today they bring the warning signs first, and they stay."""

import csv
import io
import re
from datetime import timedelta

import pytest
from babel.dates import format_skeleton

from diary.models import TipFeedback, User
from diary.summary.weeks import week_of
from tests.conftest import csrf_token_of
from tests.support.database import in_app
from tests.support.exports import english_csv
from tests.support.shares import anonymous, make_share, path_of

RED_FLAGS = ("numbness", "comes_and_goes")


def tips_of(client):
    return client.get("/api/v1/tips").get_json()["tips"]


def feedback_rows(app):
    with in_app(app):
        return [(row.advice, row.kind) for row in TipFeedback.select()]


@pytest.mark.parametrize("code", RED_FLAGS)
def test_a_red_flag_logged_today_makes_the_warning_signs_the_first_tip(client, alice, today, code):
    for offset in range(1, 7):
        client.put(
            f"/api/v1/entries/{today - timedelta(days=offset)}", json={"pain": 9, "triggers": ["stairs"]}
        )
    assert client.put(f"/api/v1/entries/{today}", json={"pain": 4, "sensations": [code]}).status_code in (
        200,
        201,
    )
    first = tips_of(client)[0]
    assert (first["id"], first["safety"]) == ("warning-signs", True)
    assert first["reason"].startswith("Du har skrevet, at")
    page = client.get("/").get_data(as_text=True)
    cards = re.findall(r'<li class="tip-card[^"]*">.*?</li>', page, re.S)
    assert "tip-safety" in cards[0] and "/advice/warning-signs" in cards[0]
    assert 'value="dismissed"' not in cards[0]
    first_card = page.split('<li class="tip-card', 2)[
        1
    ]  # up to the next card: past its call buttons' own list
    assert 'value="helpful"' not in first_card  # a card that says "call now" asks for no feedback


def test_a_red_flag_card_on_the_log_page_offers_her_numbers_and_112_as_one_tap(app, client, alice, today):
    with in_app(app):
        User.update(maternity_phone="+4533123456", doctor_phone="+4570112233").where(
            User.email == "alice@example.dk"
        ).execute()
    client.put(f"/api/v1/entries/{today}", json={"pain": 3, "sensations": ["numbness"]})
    page = client.get("/").get_data(as_text=True)
    first = re.findall(r'<li class="tip-card[^"]*">.*?</ul>', page, re.S)[0]
    assert "tip-safety" in first
    assert (
        'href="tel:+4533123456"' in first and 'href="tel:+4570112233"' in first and 'href="tel:112"' in first
    )


def test_an_ordinary_tip_card_has_no_call_buttons(client, alice, today):
    for offset in range(4):
        client.put(
            f"/api/v1/entries/{today - timedelta(days=offset)}", json={"pain": 4, "triggers": ["stairs"]}
        )
    page = client.get("/").get_data(as_text=True)
    assert "tip-card" in page and "tel:" not in page.split('class="tips"', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize(
    "born_days_ago, title",
    [
        (None, "Ring med det samme ved disse tegn"),
        (3, "Efter fødslen: ring med det samme ved disse tegn"),
        (200, "Efter fødslen: ring med det samme ved disse tegn"),
    ],
)
def test_the_red_flag_card_is_titled_for_pregnancy_or_after_the_birth(
    app, client, alice, today, born_days_ago, title
):
    if born_days_ago is not None:
        with in_app(app):
            User.update(birth_date=today - timedelta(days=born_days_ago)).where(
                User.email == "alice@example.dk"
            ).execute()
    client.put(f"/api/v1/entries/{today}", json={"pain": 3, "sensations": ["numbness"]})
    first = tips_of(client)[0]
    assert (first["id"], first["title"], first["url"]) == ("warning-signs", title, "/advice/warning-signs")
    assert ("graviditeten" in first["summary"]) is (born_days_ago is None)


def test_waves_in_week_28_tell_her_to_call_the_maternity_reception_now(client, alice, today):
    client.put(f"/api/v1/entries/{today}", json={"pain": 3, "sensations": ["comes_and_goes"]})
    assert (
        tips_of(client)[0]["reason"]
        == "Du har skrevet, at det kommer og går i bølger. Før uge 37 kan det være veer: ring til fødemodtagelsen nu."
    )


def test_the_warning_signs_cannot_be_dismissed_while_a_red_flag_holds(app, client, alice, today):
    client.put(f"/api/v1/entries/{today}", json={"pain": 3, "sensations": ["numbness"]})
    response = client.post("/api/v1/tips/warning-signs/feedback", json={"kind": "dismissed"})
    assert response.status_code == 409 and response.get_json()["error"]
    token = csrf_token_of(client, "/")
    client.post("/tips/warning-signs/feedback", data={"kind": "dismissed", "next": "/", "csrf_token": token})
    assert feedback_rows(app) == []
    assert tips_of(client)[0]["id"] == "warning-signs"


def test_yesterdays_red_flag_is_no_longer_a_call_now(client, alice, today):
    client.put(f"/api/v1/entries/{today - timedelta(days=1)}", json={"pain": 3, "sensations": ["numbness"]})
    assert not any(tip["safety"] and tip["id"] == "warning-signs" for tip in tips_of(client))


def test_the_log_page_marks_the_red_flag_chips_and_links_the_warning_signs(client, alice):
    page = client.get("/").get_data(as_text=True)
    for code in RED_FLAGS:
        chip = re.search(
            rf'<label class="chip chip-red-flag">\s*<input type="checkbox" name="sensations" value="{code}".*?</label>',
            page,
            re.S,
        )
        assert chip and "ikke bækkenløsning – se advarselstegn" in chip.group(0)
    assert 'class="field-hint red-flag-hint"><a href="/advice/warning-signs">' in page
    assert page.count("chip-red-flag") == 2


def test_red_flags_are_exported_in_json_and_csv(client, alice, today):
    client.put(
        f"/api/v1/entries/{today}", json={"pain": 3, "sensations": ["comes_and_goes", "aching", "numbness"]}
    )
    exported = client.get("/api/v1/export").get_json()
    assert exported["entries"][-1]["sensations"] == ["aching", "numbness", "comes_and_goes"]
    rows = list(csv.DictReader(io.StringIO(english_csv(client))))
    assert rows[-1]["sensations"] == "aching;numbness;comes_and_goes"


def test_the_openapi_document_lists_the_red_flag_codes(client):
    document = client.get("/api/v1/openapi.json").get_json()
    sensations = document["components"]["schemas"]["Entry"]["properties"]["sensations"]
    assert set(RED_FLAGS) <= set(sensations["items"]["enum"])
    assert "`numbness` and `comes_and_goes`" in sensations["description"]


def test_the_report_lists_the_days_with_red_flags(app, client, alice, today):
    client.put(f"/api/v1/entries/{today - timedelta(days=2)}", json={"pain": 3, "sensations": ["numbness"]})
    client.put(f"/api/v1/entries/{today}", json={"pain": 3, "sensations": ["stabbing"]})
    page = anonymous(app).get(path_of(make_share(client)["url"])).get_data(as_text=True)
    section = re.search(r'<section class="report-red-flags".*?</section>', page, re.S).group(0)
    assert "Tegn, der ikke er bækkenløsning" in section
    assert section.count("<li>") == 1 and "Ben følelsesløst eller svagt" in section


def test_the_report_gives_each_red_flag_one_line_with_its_days_as_runs(app, client, alice, today):
    """A line per sign, not per day, and consecutive days as one span: a month of them still
    fits the report's first page."""
    days = [today - timedelta(days=back) for back in (1, 2, 3, 6)]
    for day in days:
        client.put(f"/api/v1/entries/{day}", json={"pain": 3, "sensations": ["numbness", "comes_and_goes"]})
    page = anonymous(app).get(path_of(make_share(client)["url"])).get_data(as_text=True)
    section = re.search(r'<section class="report-red-flags".*?</section>', page, re.S).group(0)
    assert section.count("<li>") == 2
    felt = re.search(r'aria-labelledby="felt-title".*?</section>', page, re.S).group(0)
    assert "Ben følelsesløst" not in felt and "bølger" not in felt  # listed once, with their days
    short = {day: format_skeleton("MMMd", day, locale="da") for day in days}
    for line in re.findall(r"<li>(.*?)</li>", section, re.S):
        assert f"{short[days[3]]}, {short[days[2]]}–{short[days[0]]}" in line, line


def test_day_runs_joins_consecutive_days():
    from datetime import date

    from diary.reports.model import day_runs

    first = date(2026, 11, 1)
    days = [first + timedelta(days=n) for n in (4, 0, 1, 2, 7, 8)]
    assert day_runs(days) == [
        (first, first + timedelta(days=2)),
        (first + timedelta(days=4),) * 2,
        (first + timedelta(days=7), first + timedelta(days=8)),
    ]
    assert day_runs([]) == []


def test_a_report_without_red_flags_has_no_such_section(app, client, alice, today):
    client.put(f"/api/v1/entries/{today}", json={"pain": 3, "sensations": ["stabbing"]})
    assert "report-red-flags" not in anonymous(app).get(path_of(make_share(client)["url"])).get_data(
        as_text=True
    )


# --- The lower-back card, once an ISO week -------------------------------------------------------


def set_due_date(app, due_date):
    with in_app(app):
        User.update(due_date=due_date).where(User.email == "alice@example.dk").execute()


def test_lower_back_on_six_of_seven_days_shows_the_signs_on_one_day_of_the_week(
    app, client, alice, today, monkeypatch
):
    monday = week_of(today) - timedelta(days=7)
    for offset in range(1, 22):
        if offset % 7:
            client.put(
                f"/api/v1/entries/{monday + timedelta(days=7) - timedelta(days=offset)}",
                json={"pain": 4, "locations": ["lower_back"]},
            )
    set_due_date(app, monday + timedelta(weeks=10))  # week 30 that week
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        if offset:
            client.put(f"/api/v1/entries/{day}", json={"pain": 4, "locations": ["lower_back"]})
        monkeypatch.setattr("diary.api.views.local_today", lambda day=day: day)
        shown = [tip for tip in tips_of(client) if tip["id"] == "warning-signs"]
        if shown:
            assert not shown[0]["safety"]
            days.append(day)
    assert len(days) == 1


def test_a_dismissed_lower_back_card_is_gone_for_the_rest_of_the_week(app, client, alice, today):
    for offset in range(7):
        client.put(
            f"/api/v1/entries/{today - timedelta(days=offset)}", json={"pain": 4, "locations": ["lower_back"]}
        )
    set_due_date(app, today + timedelta(weeks=10))
    assert "warning-signs" in [tip["id"] for tip in tips_of(client)]
    assert client.post("/api/v1/tips/warning-signs/feedback", json={"kind": "dismissed"}).status_code == 201
    assert "warning-signs" not in [tip["id"] for tip in tips_of(client)]
    assert client.post("/api/v1/tips/warning-signs/feedback", json={"kind": "dismissed"}).status_code == 200
    assert feedback_rows(app) == [("warning-signs", "dismissed")]


def test_a_lower_back_card_dismissed_last_week_comes_back_this_week(app, client, alice, today):
    for offset in range(7):
        client.put(
            f"/api/v1/entries/{today - timedelta(days=offset)}", json={"pain": 4, "locations": ["lower_back"]}
        )
    set_due_date(app, today + timedelta(weeks=10))
    client.post("/api/v1/tips/warning-signs/feedback", json={"kind": "dismissed"})
    with in_app(app):
        row = TipFeedback.get()
        row.created_at -= timedelta(days=7)
        row.save()
    assert "warning-signs" in [tip["id"] for tip in tips_of(client)]


def test_the_lower_back_card_offers_to_hide_it_for_this_week_not_for_good(app, client, alice, today):
    for offset in range(7):
        client.put(
            f"/api/v1/entries/{today - timedelta(days=offset)}",
            json={"pain": 4, "locations": ["lower_back"], "triggers": ["stairs"]},
        )
    set_due_date(app, today + timedelta(weeks=10))
    weekly = {tip["id"]: tip["weekly"] for tip in tips_of(client)}
    assert weekly["warning-signs"] and not weekly["stairs"]
    page = client.get("/").get_data(as_text=True)
    cards = {
        card: re.search(r'href="/advice/([a-z-]+)"', card).group(1)
        for card in re.findall(r'<li class="tip-card[^"]*">.*?</li>', page, re.S)
    }
    by_advice = {advice: card for card, advice in cards.items()}
    assert (
        "Ikke i denne uge" in by_advice["warning-signs"] and "Vis ikke igen" not in by_advice["warning-signs"]
    )
    assert "Vis ikke igen" in by_advice["stairs"] and "Ikke i denne uge" not in by_advice["stairs"]
