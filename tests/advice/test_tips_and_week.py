"""Tips after saving, on the home page and in the API; feedback; the weekly page and API."""

import re
from datetime import timedelta

import pytest

from diary.accounts.export import export_of
from diary.models import TipFeedback, TipShown, User
from diary.summary.weeks import week_name, week_of
from tests.support.database import in_app


def log_days(client, today, count, **fields):
    for offset in range(count):
        body = {"pain": 4, "triggers": ["stairs"]} | fields
        client.put(f"/api/v1/entries/{today - timedelta(days=offset)}", json=body)


def tip_ids(client):
    return [tip["id"] for tip in client.get("/api/v1/tips").get_json()["tips"]]


def test_the_stairs_tip_shows_after_saving_with_its_reason(client, alice, today):
    log_days(client, today - timedelta(days=1), 3)
    response = client.post(
        f"/entries/{today}",
        data={"pain": "5", "triggers": "stairs"},
        follow_redirects=True,
        headers={"Accept-Language": "en"},
    )
    page = response.get_data(as_text=True)
    assert 'href="/advice/stairs"' in page
    assert "4 af de sidste 7 dage" in page  # Alice's language is Danish


def test_the_tips_api_has_the_documented_shape(client, alice, today):
    log_days(client, today, 4)
    tips = client.get("/api/v1/tips").get_json()["tips"]
    stairs = next(tip for tip in tips if tip["id"] == "stairs")
    assert set(stairs) >= {"id", "title", "reason", "url"}
    assert stairs["url"] == "/advice/stairs" and "4" in stairs["reason"]
    assert len(tips) <= 3


def test_severe_pain_puts_seek_help_first(client, alice, today):
    log_days(client, today, 3, pain=9)
    assert tip_ids(client)[0] == "seek-help"


def test_a_tip_is_not_shown_again_the_next_day_unless_it_is_about_safety(app, client, alice, today):
    log_days(client, today, 7, pain=9)
    with in_app(app):
        user = User.by_email("alice@example.dk")
        for advice in ("stairs", "seek-help"):
            TipShown.create(user=user, advice=advice, date=today - timedelta(days=1))
    shown = tip_ids(client)
    assert "seek-help" in shown and "stairs" not in shown


def test_a_tip_skips_the_day_after_it_was_shown_but_a_safety_tip_shows_every_day(
    client, alice, today, monkeypatch
):
    log_days(
        client, today, 9, pain=9
    )  # stairs and severe pain every day, so both rules hold on all three days
    first = today - timedelta(days=2)
    shown = {}
    for offset in range(3):
        monkeypatch.setattr(
            "diary.api.views.local_today", lambda offset=offset: first + timedelta(days=offset)
        )
        shown[offset] = tip_ids(client)
    assert "stairs" in shown[0] and "stairs" not in shown[1] and "stairs" in shown[2]
    assert all(ids[0] == "seek-help" for ids in shown.values())


def test_a_dismissed_tip_is_gone_for_good_and_the_feedback_is_stored_and_exported(app, client, alice, today):
    log_days(client, today, 4)
    response = client.post("/tips/stairs/feedback", data={"kind": "dismissed", "next": "/"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "stairs" not in tip_ids(client)
    assert client.post("/api/v1/tips/pauses/feedback", json={"kind": "helpful"}).status_code == 201
    assert client.post("/api/v1/tips/pauses/feedback", json={"kind": "helpful"}).status_code == 200
    with in_app(app):
        user = User.by_email("alice@example.dk")
        assert TipFeedback.of(user).count() == 2
        exported = export_of(user)["tip_feedback"]
    assert {(row["advice"], row["kind"]) for row in exported} == {
        ("stairs", "dismissed"),
        ("pauses", "helpful"),
    }
    assert client.get("/api/v1/export").get_json()["tip_feedback"] == exported


@pytest.mark.parametrize("body", [{"kind": "loved"}, {}, {"kind": "helpful", "extra": 1}, ["helpful"]])
def test_bad_feedback_is_a_400_and_stores_nothing(app, client, alice, body):
    assert client.post("/api/v1/tips/stairs/feedback", json=body).status_code == 400
    assert client.post("/tips/stairs/feedback", data={"kind": "loved"}).status_code == 400
    with in_app(app):
        assert TipFeedback.select().count() == 0


def test_feedback_on_unknown_advice_is_a_404(client, alice):
    assert client.post("/api/v1/tips/nope/feedback", json={"kind": "helpful"}).status_code == 404


def test_bobs_feedback_is_his_own(app, client, alice, bob_client, today):
    log_days(client, today, 4)
    bob_client.post("/api/v1/tips/stairs/feedback", json={"kind": "dismissed"})
    assert "stairs" in tip_ids(client)


def test_the_summary_api_has_the_documented_shape(client, alice, today):
    log_days(client, today, 2, night_wakings=2, locations=["symphysis"], relief=["pelvic_belt"])
    week = week_name(week_of(today))
    summary = client.get(f"/api/v1/summary/{week}").get_json()
    assert list(summary)[:6] == ["week", "start", "end", "days_logged", "pain", "nights_disrupted"]
    assert set(summary) >= {
        "night_wakings",
        "triggers",
        "locations",
        "sensations",
        "relief",
        "gestational_week",
        "tips",
    }
    assert summary["week"] == week
    monday = week_of(today)
    assert (summary["start"], summary["end"]) == (
        monday.isoformat(),
        (monday + timedelta(days=6)).isoformat(),
    )
    assert [day["date"] for day in summary["days"]] == [
        (monday + timedelta(days=n)).isoformat() for n in range(7)
    ]
    assert set(summary["pain"]) == {"mean", "max", "min", "previous_mean", "change"}
    assert summary["gestational_week"].count("+") == 1
    for tip in summary["tips"]:
        assert set(tip) >= {"id", "title", "reason", "url"}


@pytest.mark.parametrize("week", ["2026-W54", "2026-47", "garbage", "2099-W01"])
def test_a_week_that_does_not_exist_or_has_not_begun_is_a_json_404(client, alice, week):
    response = client.get(f"/api/v1/summary/{week}")
    assert response.status_code == 404 and response.is_json


def test_the_summary_is_only_the_users_own(client, alice, bob_client, today):
    log_days(client, today, 3)
    week = week_name(week_of(today))
    assert bob_client.get(f"/api/v1/summary/{week}").get_json()["days_logged"] == 0


def test_the_weekly_page_shows_figures_a_chart_and_a_table(client, alice, today):
    log_days(client, today, 3, night_wakings=1)
    page = client.get("/week", follow_redirects=True).get_data(as_text=True)
    assert '<svg viewBox="0 0 340 180" role="img"' in page
    assert "<polyline" in page or "<circle" in page
    assert '<table class="data-table">' in page
    assert 'rel="prev"' in page and 'rel="next"' not in page


def test_a_past_weeks_tips_say_which_day_they_were_counted_on(client, alice, today):
    from babel.dates import format_date

    monday = week_of(today) - timedelta(days=14)
    sunday = monday + timedelta(days=6)
    log_days(client, sunday, 4)
    week = week_name(monday)
    page = client.get(f"/week/{week}").get_data(as_text=True)
    danish_day = format_date(sunday, "full", locale="da")
    assert f"Sådan så det ud {danish_day}: Det har gjort ondt på trappen 4 af de sidste 7 dage." in page
    client.post(
        "/settings",
        data={"profile-due_date": (today + timedelta(weeks=12)).isoformat(), "profile-language": "en"},
    )
    tips = client.get(f"/api/v1/summary/{week}").get_json()["tips"]
    stairs = next(tip for tip in tips if tip["id"] == "stairs")
    english_day = format_date(sunday, "EEEE d MMMM y", locale="en_GB")  # "Sunday 29 November 2026"
    assert (
        stairs["reason"] == f"As counted on {english_day}: It has hurt on the stairs on 4 of the last 7 days."
    )
    assert all(tip["reason"].startswith(f"As counted on {english_day}: ") for tip in tips)


def test_todays_tips_keep_their_plain_reason(client, alice, today):
    log_days(client, today, 4)
    stairs = next(tip for tip in client.get("/api/v1/tips").get_json()["tips"] if tip["id"] == "stairs")
    assert stairs["reason"] == "Det har gjort ondt på trappen 4 af de sidste 7 dage."


def test_the_weekly_chart_reads_night_wakings_on_their_own_labelled_scale(client, alice, today):
    log_days(client, today, 1, night_wakings=3)
    page = client.get("/week", follow_redirects=True).get_data(as_text=True)
    ticks = re.findall(r'class="chart-axis chart-axis-wakings"[^>]*>(\d+)<', page)
    assert ticks == ["0", "1", "2", "3"]
    tick_ys = re.findall(
        r'<line x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)" y2="\1" class="chart-wakings-scale"', page
    )
    bar_top = re.search(r'<rect x="[\d.]+" y="([\d.]+)"[^>]*class="chart-bar"', page).group(1)
    assert len(tick_ys) == 4 and bar_top == tick_ys[-1]  # three wakings reach the "3" of their scale
    assert "skala til højre" in page and "skala til venstre" in page


def test_the_weekly_page_browses_to_earlier_weeks(client, alice, today):
    earlier = week_name(week_of(today) - timedelta(days=14))
    page = client.get(f"/week/{earlier}").get_data(as_text=True)
    assert 'rel="next"' in page and 'rel="prev"' in page


def test_an_empty_week_says_so(client, alice, today):
    page = client.get(f"/week/{week_name(week_of(today) - timedelta(days=70))}").get_data(as_text=True)
    assert 'class="empty-state"' in page


def test_weeks_in_the_future_have_no_page(client, alice, today):
    assert client.get(f"/week/{week_name(week_of(today) + timedelta(days=7))}").status_code == 404
    assert client.get("/week/2026-W60").status_code == 404


def test_the_tips_and_summary_apis_need_a_login(client):
    assert client.get("/api/v1/tips").status_code == 401
    assert client.get("/api/v1/summary/2026-W47").status_code == 401
    assert client.get("/api/v1/export").status_code == 401


def test_the_summary_api_and_week_page_show_what_seems_to_help(client, alice, today):
    for offset in range(10):
        belt = offset < 4
        body = {"pain": 3 if belt else 5, "relief": ["pelvic_belt"] if belt else []}
        client.put(f"/api/v1/entries/{today - timedelta(days=offset)}", json=body)
    week = week_name(week_of(today))
    summary = client.get(f"/api/v1/summary/{week}").get_json()
    (belt,) = summary["insights"]
    assert {
        name: belt[name]
        for name in ("field", "code", "days_with", "days_without", "mean_with", "mean_without")
    } == {
        "field": "relief",
        "code": "pelvic_belt",
        "days_with": 4,
        "days_without": 6,
        "mean_with": 3.0,
        "mean_without": 5.0,
    }
    page = client.get(f"/week/{week}").get_data(as_text=True)
    assert "På dage med bækkenbælte var din smerte i gennemsnit 3,0, på dage uden 5,0 (4 og 6 dage)." in page
    assert "Det er et mønster i din dagbog, ikke et bevis." in page


def test_the_week_page_shows_no_insight_when_the_days_do_not_suffice(client, alice, today):
    for offset in range(10):
        client.put(
            f"/api/v1/entries/{today - timedelta(days=offset)}",
            json={"pain": 4, "relief": ["heat"] * (offset < 2)},
        )
    week = week_name(week_of(today))
    assert client.get(f"/api/v1/summary/{week}").get_json()["insights"] == []
    assert "Hvad ser ud til at hjælpe" not in client.get(f"/week/{week}").get_data(as_text=True)


def test_the_week_page_shows_three_insights_of_a_kind_and_the_rest_behind_one_tap(client, alice, today):
    relief = ["rest", "heat", "pelvic_belt", "exercises"]
    for offset in range(10):
        used = relief if offset < 4 else []
        client.put(
            f"/api/v1/entries/{today - timedelta(days=offset)}", json={"pain": 2 + offset % 5, "relief": used}
        )
    page = client.get(f"/week/{week_name(week_of(today))}").get_data(as_text=True)
    shown, more = page.split('<details class="insights-more">')
    assert shown.count('class="insight insight-relief"') == 3
    assert more.count('class="insight insight-relief"') == 1 and "Vis 1 sammenligning mere" in more
