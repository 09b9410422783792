"""The log form (today and past days), deleting a day, and the history pages."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from babel.dates import format_skeleton

from diary.entries.codes import LOCATIONS, TRIGGERS
from diary.models import Entry
from tests.support.database import in_app


def form(**fields):
    data = {"pain": "6", "locations": ["symphysis"], "triggers": ["stairs"], "night_wakings": "0", "note": ""}
    data.update(fields)
    return data


def api_entry(client, day):
    return client.get(f"/api/v1/entries/{day}").get_json()


def test_visitors_see_the_landing_page_with_ways_in(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/register"' in page and 'href="/login"' in page


def test_the_log_form_uses_the_api_field_names_and_codes(client, alice):
    page = client.get("/").get_data(as_text=True)
    assert len(re.findall(r'<input type="radio" name="pain" value="(\d+)"', page)) == 11
    for name in ("locations", "sensations", "triggers", "relief"):
        assert f'name="{name}" value=' in page
    assert 'name="night_wakings"' in page and 'name="note"' in page
    assert 'value="turning_in_bed"' in page and 'value="si_left"' in page
    assert page.count("data-location=") >= 8 and "<svg" in page


def test_saving_today_through_the_form_stores_the_entry_and_shows_it(client, alice, today):
    response = client.post(f"/entries/{today}", data=form())
    assert response.status_code == 302 and response.headers["Location"] == "/"
    entry = api_entry(client, today)
    assert (entry["pain"], entry["locations"], entry["triggers"]) == (6, ["symphysis"], ["stairs"])
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'name="pain" value="6"\s+id="pain-6"\s+checked', page)
    assert re.search(r'value="stairs" id="triggers-stairs"[^>]*\schecked', page)


def test_a_typical_day_needs_only_pain_one_location_and_one_trigger(client, alice, today):
    response = client.post(
        f"/entries/{today}", data={"pain": "4", "locations": "hips", "triggers": "walking"}
    )
    assert response.status_code == 302
    assert api_entry(client, today)["night_wakings"] == 0


def test_a_bad_form_is_shown_again_with_translated_errors_and_nothing_saved(client, alice, today):
    response = client.post(
        f"/entries/{today}",
        data=form(pain="", triggers=["stairs", "flying"]),
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'role="alert"' in page and 'href="#group-pain"' in page and 'href="#group-triggers"' in page
    assert re.search(r'value="stairs" id="triggers-stairs"[^>]*\schecked', page)  # her answers are kept
    assert client.get(f"/api/v1/entries/{today}").status_code == 404


def test_a_past_day_can_be_filled_in_and_corrected(client, alice, today):
    day = today - timedelta(days=5)
    assert client.get(f"/entries/{day}").status_code == 200
    response = client.post(f"/entries/{day}", data=form(pain="3"))
    assert response.headers["Location"] == f"/history?month={day:%Y-%m}"
    client.post(f"/entries/{day}", data=form(pain="7", note="Bedre efter varmepude"))
    entry = api_entry(client, day)
    assert (entry["pain"], entry["note"]) == (7, "Bedre efter varmepude")
    assert "Bedre efter varmepude" in client.get(f"/entries/{day}").get_data(as_text=True)


def test_a_future_day_has_no_page_and_cannot_be_saved(client, alice, today):
    day = today + timedelta(days=1)
    assert client.get(f"/entries/{day}").status_code == 404
    assert client.post(f"/entries/{day}", data=form()).status_code == 404
    assert client.get("/entries/2026-02-30").status_code == 404


def test_todays_own_address_leads_to_the_home_page(client, alice, today):
    assert client.get(f"/entries/{today}").headers["Location"] == "/"


def test_deleting_a_day_asks_first_then_removes_it(app, client, alice, today):
    day = today - timedelta(days=2)
    client.post(f"/entries/{day}", data=form())
    confirm = client.get(f"/entries/{day}/delete")
    assert confirm.status_code == 200
    assert '<form method="post"' in confirm.get_data(as_text=True)
    assert f'href="/entries/{day}"' in confirm.get_data(as_text=True)  # the way back, keeping the day
    assert client.get(f"/api/v1/entries/{day}").status_code == 200  # the question deletes nothing
    response = client.post(f"/entries/{day}/delete")
    assert response.status_code == 302
    assert client.get(f"/api/v1/entries/{day}").status_code == 404
    assert client.get(f"/entries/{day}/delete").status_code == 404


def test_notes_are_never_rendered_as_markup(client, alice, today):
    day = today - timedelta(days=1)
    client.put(
        f"/api/v1/entries/{day}",
        json={"pain": 2, "note": 'Øv <img src=x onerror="alert(1)"> & <script>x()</script>'},
    )
    page = client.get(f"/entries/{day}").get_data(as_text=True)
    assert "<img src=x" not in page and "<script>x()" not in page
    assert "Øv" in page and "&amp;" in page


def test_bob_gets_404_for_alices_days_and_cannot_delete_them(app, client, alice, bob_client, today):
    day = today - timedelta(days=1)
    client.post(f"/entries/{day}", data=form())
    assert bob_client.get(f"/entries/{day}/delete").status_code == 404
    assert bob_client.post(f"/entries/{day}/delete").status_code == 404
    assert not re.search(r"checked", bob_client.get(f"/entries/{day}").get_data(as_text=True))
    assert api_entry(client, day)["pain"] == 6
    with in_app(app):
        assert Entry.select().count() == 1


def test_history_shows_the_month_as_a_calendar_and_a_list_coloured_by_pain(client, alice, today):
    client.post(f"/entries/{today}", data=form(pain="8"))
    page = client.get("/history").get_data(as_text=True)
    assert re.search(r"<table class=\"calendar\"[^>]*>", page)
    assert re.search(r'class="day-cell pain-8"\s+href="/entries/' + today.isoformat(), page)
    assert 'class="pain-badge pain-8"' in page


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_history_list_and_the_delete_page_name_the_weekday_in_her_language(
    client, alice, today, language
):
    client.post("/language", data={"language": language})
    client.post(f"/entries/{today}", data=form(pain="4"))
    locale = {"da": "da", "en": "en_GB"}[language]  # English dates in British form
    expected = format_skeleton("MMMEd", today, locale=locale)  # "man. 30. nov.", "Mon 30 Nov"
    for path in ("/history", f"/entries/{today}/delete"):
        page = client.get(path).get_data(as_text=True)
        assert f'<span class="entry-date">{expected}</span>' in page, path


def test_history_browses_earlier_months_but_not_the_future(client, alice, today):
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    client.post(f"/entries/{last_month}", data=form(pain="2"))
    page = client.get(f"/history?month={last_month:%Y-%m}").get_data(as_text=True)
    assert f'href="/entries/{last_month}"' in page and 'class="pain-badge pain-2"' in page
    next_month = (today.replace(day=28) + timedelta(days=5)).replace(day=1)
    assert client.get(f"/history?month={next_month:%Y-%m}").status_code == 404
    assert client.get("/history?month=garbage").status_code == 400


def test_the_stage_of_pregnancy_shows_on_the_log_page(client, alice):
    assert "28+0" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("language, expected", [("da", "uge 28+0"), ("en", "week 28+0")])
def test_the_stage_and_dates_follow_the_language(app, client, alice, language, expected):
    client.post("/language", data={"language": language})
    assert expected in client.get("/").get_data(as_text=True)


def test_every_page_is_served_with_a_csrf_meta_tag(client, alice, today):
    for path in ("/", "/history", "/settings", "/welcome", f"/entries/{today - timedelta(days=1)}"):
        page = client.get(path).get_data(as_text=True)
        assert '<meta name="csrf-token" content="' in page, path


@pytest.mark.parametrize("path", ["/", "/login", "/register"])
def test_the_language_switch_offers_only_the_other_language(client, path):
    danish = client.get(path, headers={"Accept-Language": "da"}).get_data(as_text=True)
    english = client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'value="en"' in danish and 'name="language" value="da"' not in danish
    assert 'value="da"' in english and 'name="language" value="en"' not in english


def test_a_form_edit_wins_over_a_phones_edit_stamped_ahead_of_the_server_clock(client, alice, today):
    ahead = (
        (datetime.now(UTC) + timedelta(minutes=5)).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )
    phone = client.put(
        f"/api/v1/entries/{today}", json={"pain": 2, "triggers": ["walking"], "updated_at": ahead}
    )
    assert phone.status_code == 200

    response = client.post(f"/entries/{today}", data=form(pain="8"))

    assert response.status_code == 302
    entry = api_entry(client, today)
    assert (entry["pain"], entry["triggers"]) == (8, ["stairs"])
    assert datetime.fromisoformat(entry["updated_at"]) > datetime.fromisoformat(ahead)


def put_day(client, day, **fields):
    body = {"pain": 5, "locations": ["hips"], "triggers": ["walking"]} | fields
    assert client.put(f"/api/v1/entries/{day}", json=body).status_code in (200, 201)


def test_once_today_is_saved_the_page_shows_the_day_compactly_with_the_form_behind_edit(client, alice, today):
    client.post("/language", data={"language": "en"})
    client.post(f"/entries/{today}", data=form(pain="6", note="Tung dag"))
    page = client.get("/").get_data(as_text=True)
    saved = page[page.index('id="saved-day"') : page.index("</section>")]
    assert 'class="pain-badge pain-6"' in saved and "Pubic bone (front)" in saved and "Stairs" in saved
    assert "Tung dag" in saved
    assert re.search(r'<details class="edit-day" id="edit-day">\s*<summary[^>]*>Edit</summary>\s*<form', page)
    assert page.index('id="edit-day"') < page.index('class="tips"')  # the tips come after the day


def test_before_today_is_saved_the_form_is_open_and_comes_first(client, alice, today):
    page = client.get("/").get_data(as_text=True)
    assert 'id="saved-day"' not in page and 'id="edit-day"' not in page
    assert page.index('id="log-form"') < page.index('class="tips"')


def test_her_most_used_triggers_of_the_last_30_days_come_first(client, alice, today):
    for days_ago in (1, 2, 3):
        put_day(client, today - timedelta(days=days_ago), triggers=["housework"])
    put_day(client, today - timedelta(days=4), triggers=["cycling"])
    put_day(client, today - timedelta(days=31), triggers=["work"])  # too long ago to count
    for days_ago in (32, 33, 34, 35):
        put_day(client, today - timedelta(days=days_ago), triggers=["work"])
    page = client.get("/").get_data(as_text=True)
    first_row = page[page.index('id="group-triggers"') : page.index('class="more-chips"')]
    order = re.findall(r'name="triggers" value="(\w+)"', first_row)
    assert order[:2] == ["housework", "cycling"]
    shown_later = re.findall(r'name="triggers" value="(\w+)"', page[page.index('class="more-chips"') :])
    assert sorted(order + shown_later) == sorted(item.code for item in TRIGGERS)
    assert shown_later.index("stairs") < shown_later.index("work")  # work is not counted any more


def test_a_chosen_trigger_behind_more_opens_the_fold(client, alice, today):
    response = client.post(f"/entries/{today}", data=form(pain="", triggers=["lifting"]))
    page = response.get_data(as_text=True)
    assert re.search(r'value="lifting" id="triggers-lifting"[^>]*\schecked', page)
    assert "lifting" in re.findall(r'name="triggers" value="(\w+)"', page[: page.index('class="more-chips"')])


def test_same_as_yesterday_is_offered_when_yesterday_is_logged_and_today_is_not(client, alice, today):
    assert 'id="like-yesterday-button"' not in client.get("/").get_data(as_text=True)

    put_day(client, today - timedelta(days=1), pain=7, sensations=["aching"], note="Kun i går")
    page = client.get("/").get_data(as_text=True)
    assert (
        'form="like-yesterday"' in page
        and '<form id="like-yesterday" method="get" action="/like-yesterday">' in page
    )
    kept = re.search(r'<script type="application/json" id="yesterday-answers">(.*?)</script>', page, re.S)[1]
    answers = json.loads(kept)
    assert (answers["pain"], answers["sensations"], answers["note"]) == (7, ["aching"], "")

    client.post(f"/entries/{today}", data=form())
    assert 'id="like-yesterday-button"' not in client.get("/").get_data(as_text=True)


def test_same_as_yesterday_without_javascript_fills_todays_form_and_saves_nothing(client, alice, today):
    client.post("/language", data={"language": "en"})
    put_day(
        client, today - timedelta(days=1), pain=7, triggers=["lifting"], night_wakings=2, note="Kun i går"
    )
    response = client.get("/like-yesterday")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'action="/entries/{today}"' in page
    assert re.search(r'name="pain" value="7"\s+id="pain-7"\s+checked', page)
    assert re.search(r'value="hips" id="locations-hips"[^>]*\schecked', page)
    assert re.search(r'value="lifting" id="triggers-lifting"[^>]*\schecked', page)
    assert 'name="night_wakings" id="night_wakings"' in page and 'value="2"' in page
    assert "Kun i går" not in page
    assert "Filled in as yesterday" in page
    assert client.get(f"/api/v1/entries/{today}").status_code == 404  # her second tap saves it


@pytest.mark.parametrize("logged", ["today", "not yesterday"])
def test_same_as_yesterday_leads_home_when_there_is_nothing_to_copy(client, alice, today, logged):
    if logged == "today":
        put_day(client, today - timedelta(days=1))
        put_day(client, today, pain=2)
    response = client.get("/like-yesterday")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    if logged == "today":
        assert api_entry(client, today)["pain"] == 2


def test_same_as_yesterday_needs_her_to_be_logged_in(client):
    response = client.get("/like-yesterday")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_pelvis_gives_every_location_one_named_checkbox_and_mirrored_labels(client, alice):
    page = client.get("/").get_data(as_text=True)
    drawing = page[page.index('class="pelvis"') : page.index('class="pelvis-chosen"')]
    boxes = re.findall(r'<input type="checkbox" name="locations" value="(\w+)"', drawing)
    assert sorted(boxes) == sorted(item.code for item in LOCATIONS)
    mirrored = re.findall(r'for="locations-(\w+)" aria-hidden="true"', drawing)
    assert set(mirrored) == {"hips", "groin", "thighs"} and len(mirrored) == 7


def test_yesterdays_triggers_are_on_the_first_row_when_she_may_fill_in_as_yesterday(client, alice, today):
    for days_ago in (2, 3, 4):
        put_day(client, today - timedelta(days=days_ago), triggers=["stairs"])
    put_day(client, today - timedelta(days=1), triggers=["lifting"])
    page = client.get("/").get_data(as_text=True)
    first_row = page[page.index('id="group-triggers"') : page.index('class="more-chips"')]
    assert re.findall(r'name="triggers" value="(\w+)"', first_row)[:2] == ["lifting", "stairs"]
