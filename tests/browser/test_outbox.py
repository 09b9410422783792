"""The outbox on a phone: a day logged without a connection, or whose save did not reach the
server, waits on the phone and reaches the server exactly once, from the page or from the
service worker with the app closed."""

from datetime import UTC, datetime, time, timedelta

import pytest
from playwright.sync_api import expect

from diary.entries.entry import format_timestamp

from .installed import (
    NO_BACKGROUND_SYNC_JS,
    controlled,
    fill_in,
    log_offline,
    message,
    outbox,
    owner,
    put_item,
    status,
    visited_online,
    wait_until,
    waiting_item,
)
from .phone import (
    DIARY_TIMEZONE,
    PASSWORD,
    api_entry,
    chip,
    csrf_token,
    diary_today,
    make_account,
    run_manage,
)


@pytest.fixture
def fresh(browser, base_url):
    """A new diarist with nothing logged (each test changes her diary)."""
    return make_account(browser, base_url, diary_today() + timedelta(weeks=12))


def day_name(page, day) -> str:
    return page.evaluate(
        "(date) => new Intl.DateTimeFormat(document.documentElement.lang, {dateStyle: 'long', timeZone: 'UTC'})"
        ".format(new Date(date + 'T00:00:00Z'))",
        day.isoformat(),
    )


def test_a_day_saved_offline_waits_and_reaches_the_server_once_even_if_the_connection_drops(
    logged_in, fresh, base_url
):
    page = logged_in(fresh)
    today = diary_today()
    visited_online(page, base_url, "/")
    puts = []

    def drop_the_first_put(route):
        if route.request.method != "PUT":
            return route.continue_()
        puts.append(route.request.post_data_json)
        if len(puts) == 1:
            return route.abort("internetdisconnected")  # the connection drops on the way
        return route.continue_()

    page.context.route("**/api/v1/entries/*", drop_the_first_put)  # the page's and the worker's requests
    page.context.set_offline(True)
    log_offline(page, 7, "stairs")

    assert message(page, "one") in status(page).inner_text()
    items = outbox(page)
    assert [(item["date"], item["state"], item["entry"]["pain"]) for item in items] == [
        (today.isoformat(), "waiting", 7)
    ]
    assert items[0]["entry"]["triggers"] == ["stairs"]
    page.reload()  # still offline: the kept log page shows the waiting answers (read from the outbox)
    expect(page.locator("input[name=pain][value='7']")).to_be_checked()
    expect(status(page)).to_contain_text(message(page, "saved"))

    page.context.set_offline(False)
    status(page).get_by_text(message(page, "sent")).wait_for(timeout=20_000)

    assert len(puts) == 2 and puts[0] == puts[1]  # one dropped, then the same body once
    assert outbox(page) == []
    entry = api_entry(page, base_url, today).json()
    assert (entry["pain"], entry["triggers"]) == (7, ["stairs"])
    assert datetime.fromisoformat(entry["updated_at"]) == datetime.fromisoformat(puts[1]["updated_at"])
    page.wait_for_timeout(1500)
    page.reload()
    page.wait_for_timeout(1500)  # time for a send on start-up, were there anything to send
    assert len(puts) == 2  # nothing is sent again


def test_a_send_the_server_stored_but_whose_answer_was_lost_is_not_a_conflict(logged_in, fresh, base_url):
    page = logged_in(fresh)
    today = diary_today()
    visited_online(page, base_url, "/")
    answers = []

    def lose_the_first_answer(route):
        if route.request.method != "PUT":
            return route.continue_()
        response = route.fetch()  # the server stores the day…
        answers.append(response.status)
        if len(answers) == 1:
            return route.abort("connectionreset")  # …and the phone never hears back
        return route.fulfill(response=response)

    page.context.route("**/api/v1/entries/*", lose_the_first_answer)
    page.context.set_offline(True)
    log_offline(page, 6, "walking")
    page.context.set_offline(False)
    status(page).get_by_text(message(page, "sent")).wait_for(timeout=20_000)

    assert answers == [200, 200]  # sent again with the same edit time: the same day, not a newer one
    assert outbox(page) == []
    assert message(page, "conflict", day=day_name(page, today)) not in status(page).inner_text()
    entries = page.request.get(f"{base_url}/api/v1/entries").json()["entries"]
    assert [(entry["date"], entry["pain"]) for entry in entries] == [(today.isoformat(), 6)]


def test_an_offline_edit_older_than_a_newer_edit_on_the_server_is_not_sent_over_it(
    logged_in, fresh, base_url
):
    page = logged_in(fresh)
    today = diary_today()
    visited_online(page, base_url, "/")

    page.context.set_offline(True)
    log_offline(page, 4)
    # Meanwhile, on another device that is online, the same day is edited later.
    later = format_timestamp(datetime.now(UTC) + timedelta(minutes=2))
    newer = page.request.put(
        f"{base_url}/api/v1/entries/{today}",
        data={"pain": 8, "triggers": ["walking"], "updated_at": later},
        headers={"X-CSRFToken": csrf_token(page)},
    )
    assert newer.status == 200, newer.text()

    page.context.set_offline(False)
    conflict = status(page).get_by_text(message(page, "conflict", day=day_name(page, today)))
    conflict.wait_for(timeout=20_000)

    entry = api_entry(page, base_url, today).json()
    assert (entry["pain"], entry["triggers"]) == (8, ["walking"])  # the newer edit is kept
    assert [item["state"] for item in outbox(page)] == ["conflict"]  # and shown, not dropped
    status(page).get_by_role("button", name=message(page, "dismiss")).tap()
    page.wait_for_function("() => document.querySelectorAll('#outbox-status .outbox-line').length === 0")
    assert outbox(page) == []


@pytest.mark.parametrize(
    ("answer", "body"),
    [
        (409, {"error": {"code": "conflict", "message": "newer"}}),
        (400, {"error": {"code": "invalid", "message": "no"}}),
    ],
)
def test_a_refused_send_does_not_overwrite_a_newer_save_made_while_it_was_on_its_way(
    logged_in, fresh, base_url, answer, body
):
    page = logged_in(fresh)
    page.add_init_script(NO_BACKGROUND_SYNC_JS)
    today = diary_today()
    visited_online(page, base_url, "/")
    page.context.set_offline(True)
    log_offline(page, 3)
    newer = waiting_item(page, today, 9, format_timestamp(datetime.now(UTC) + timedelta(seconds=1)))
    refused = []

    def refuse_the_first_send(route):
        if route.request.method != "PUT":
            return route.continue_()
        if not refused:
            refused.append(route.request.post_data_json["pain"])
            put_item(page, newer)  # she saves again while the first send is on its way
            return route.fulfill(status=answer, json=body)
        return route.continue_()

    page.context.route("**/api/v1/entries/*", refuse_the_first_send)
    page.context.set_offline(False)
    wait_until(page, lambda: api_entry(page, base_url, today).status == 200)

    assert refused == [3]
    assert api_entry(page, base_url, today).json()["pain"] == 9  # the newer save went in its turn
    wait_until(page, lambda: outbox(page) == [])


def test_logging_out_warns_about_her_unsent_days_and_clears_only_hers(logged_in, fresh, base_url):
    page = logged_in(fresh)
    visited_online(page, base_url, "/history", "/")
    someone_else = waiting_item(
        page, diary_today() - timedelta(days=3), 2, format_timestamp(datetime.now(UTC)), "another-account"
    )
    put_item(page, someone_else)
    page.context.set_offline(True)
    log_offline(page, 5)
    page.context.route(
        "**/api/v1/csrf-token", lambda route: route.fulfill(status=503, body="{}")
    )  # not sent yet
    page.context.set_offline(False)
    page.goto(base_url + "/settings")

    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.locator('form[action="/logout"] button').tap()
    wait_until(page, lambda: dialogs, timeout_ms=5000, step_ms=100)
    assert dialogs == [message(page, "logout-warning")]
    assert page.url == base_url + "/settings"
    assert len(outbox(page)) == 2

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator('form[action="/logout"] button').tap()

    assert page.url.startswith(base_url + "/login")
    assert outbox(page) == [someone_else]  # another account's day waits for that account
    assert not page.evaluate("caches.has('baekkendagbog-pages')")


def test_logging_out_does_not_warn_about_another_accounts_waiting_days(logged_in, fresh, base_url):
    page = logged_in(fresh)
    visited_online(page, base_url, "/settings")
    page.context.route("**/api/v1/csrf-token", lambda route: route.fulfill(status=503, body="{}"))
    someone_else = waiting_item(
        page, diary_today(), 2, format_timestamp(datetime.now(UTC)), "another-account"
    )
    put_item(page, someone_else)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    with page.expect_navigation():
        page.locator('form[action="/logout"] button').tap()

    assert dialogs == []
    assert outbox(page) == [someone_else]


def test_a_day_the_server_refuses_is_shown_with_its_reason_and_not_sent_again(logged_in, fresh, base_url):
    page = logged_in(fresh)
    visited_online(page, base_url, "/")
    puts = []
    page.context.route(
        "**/api/v1/entries/*",
        lambda route: (puts.append(1) if route.request.method == "PUT" else None, route.continue_()),
    )
    page.context.set_offline(True)
    log_offline(page, 3)
    item = outbox(page)[0]
    item["entry"]["night_wakings"] = 99
    put_item(page, item)

    page.context.set_offline(False)
    rejected = status(page).locator(
        ".outbox-line", has=page.get_by_role("button", name=message(page, "discard"))
    )
    rejected.wait_for(timeout=20_000)

    assert len(puts) == 1
    assert [item["state"] for item in outbox(page)] == ["rejected"]
    assert api_entry(page, base_url, diary_today()).status == 404
    page.reload()
    page.wait_for_timeout(1000)
    assert len(puts) == 1  # not retried on its own
    rejected.get_by_role("button").tap()
    page.wait_for_function("() => document.querySelectorAll('#outbox-status .outbox-line').length === 0")
    assert outbox(page) == []


def test_a_save_that_fails_while_the_phone_seems_online_is_retried_until_it_is_sent(
    logged_in, fresh, base_url
):
    page = logged_in(fresh)
    page.add_init_script(NO_BACKGROUND_SYNC_JS)  # only the page's own retries can send it
    today = diary_today()
    visited_online(page, base_url, "/")
    failures = []

    def fail_twice(route):
        if route.request.method == "PUT" and len(failures) < 3:
            failures.append(route.request.method)
            return route.abort("connectionreset")
        return route.continue_()

    page.context.route("**/entries/*", fail_twice)
    fill_in(page, 5, "walking")
    url = page.url
    page.locator("#save-button").tap()
    status(page).get_by_text(message(page, "saved")).wait_for()

    status(page).get_by_text(message(page, "sent")).wait_for(timeout=30_000)  # no reload, no online event

    assert failures == ["PUT", "PUT", "PUT"] and page.url == url
    entry = api_entry(page, base_url, today).json()
    assert (entry["pain"], entry["triggers"]) == (5, ["walking"])
    assert outbox(page) == []


@pytest.mark.parametrize("moment", ["visibilitychange", "pageshow"])
def test_a_waiting_day_is_sent_when_she_comes_back_to_the_app(logged_in, fresh, base_url, moment):
    page = logged_in(fresh)
    page.add_init_script(NO_BACKGROUND_SYNC_JS)
    visited_online(page, base_url, "/history")
    day = diary_today() - timedelta(days=1)
    put_item(page, waiting_item(page, day, 4, format_timestamp(datetime.now(UTC))))
    page.wait_for_timeout(500)
    assert api_entry(page, base_url, day).status == 404  # nothing sends it on its own

    if moment == "visibilitychange":
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    else:
        page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))")

    wait_until(page, lambda: api_entry(page, base_url, day).status == 200, timeout_ms=10_000)


@pytest.mark.parametrize(
    ("trouble", "answer", "body"),
    [
        ("expired token", 400, '{"error": {"code": "csrf", "message": "expired"}}'),
        ("server error", 502, "<h1>busy</h1>"),
        ("too many requests", 429, "<h1>busy</h1>"),
    ],
)
def test_a_save_the_server_did_not_take_waits_on_the_phone_and_is_sent(
    logged_in, fresh, base_url, trouble, answer, body
):
    page = logged_in(fresh)
    today = diary_today()
    visited_online(page, base_url, "/")
    troubled = []

    def trouble_once(route):
        if route.request.method != "PUT" or troubled:
            return route.continue_()
        troubled.append(trouble)
        return route.fulfill(status=answer, body=body)

    page.context.route("**/api/v1/entries/*", trouble_once)
    fill_in(page, 7, "stairs")
    url = page.url
    # What the status line said, every time it changed: a retry may send the day before a
    # test could look at the line, and the message is then already gone.
    page.evaluate(
        """() => {
          const line = document.getElementById("outbox-status");
          window.statusSaid = [];
          new MutationObserver(() => window.statusSaid.push(line.textContent.trim()))
            .observe(line, { childList: true, subtree: true, characterData: true });
        }"""
    )
    page.locator("#save-button").tap()

    wait_until(page, lambda: api_entry(page, base_url, today).status == 200)
    assert any(message(page, "saved") in said for said in page.evaluate("window.statusSaid"))

    assert troubled == [trouble] and page.url == url  # her answers were never thrown away by a page load
    entry = api_entry(page, base_url, today).json()
    assert (entry["pain"], entry["triggers"]) == (7, ["stairs"])
    wait_until(page, lambda: outbox(page) == [])


def test_a_save_online_goes_once_to_the_api_and_the_next_page_says_so(logged_in, fresh, base_url):
    page = logged_in(fresh)
    visited_online(page, base_url, "/")
    writes = []
    page.context.on(
        "request",
        lambda request: writes.append(request.method) if request.method in ("POST", "PUT") else None,
    )
    fill_in(page, 3, "walking")

    with page.expect_navigation():
        page.locator("#save-button").tap()

    assert writes == ["PUT"]  # one write path with JavaScript: no form POST
    assert page.locator(".flash-success").is_visible()
    assert api_entry(page, base_url, diary_today()).json()["pain"] == 3
    assert outbox(page) == []
    page.reload()
    assert page.locator(".flash-success").count() == 0  # said once


def test_a_save_after_her_session_ended_waits_until_she_logs_in_again(
    logged_in, fresh, base_url, live_server
):
    page = logged_in(fresh)
    today = diary_today()
    visited_online(page, base_url, "/")
    new_password = PASSWORD + " og en ny"
    run_manage(live_server.env, "reset-password", fresh.email, stdin=new_password + "\n")  # ends her sessions
    fill_in(page, 6, "sitting")
    page.locator("#save-button").tap()

    status(page).get_by_text(message(page, "login")).wait_for()
    assert api_entry(page, base_url, today).status == 401
    assert [item["state"] for item in outbox(page)] == ["waiting"]
    with page.expect_navigation():
        status(page).get_by_role("link", name=message(page, "login-action")).tap()
    page.fill("#email", fresh.email)
    page.fill("#password", new_password)
    with page.expect_navigation():
        page.locator("main form.stack button[type=submit]").click()

    wait_until(page, lambda: api_entry(page, base_url, today).status == 200)
    entry = api_entry(page, base_url, today).json()
    assert (entry["pain"], entry["triggers"]) == (6, ["sitting"])
    wait_until(page, lambda: outbox(page) == [])


def test_an_invalid_day_is_refused_with_its_reason_and_her_answers_stay(logged_in, fresh, base_url):
    page = logged_in(fresh)
    visited_online(page, base_url, "/")
    page.evaluate("document.querySelector('#log-form').noValidate = true")  # past the browser's own check
    chip(page, "triggers", "stairs").tap()
    url = page.url

    page.locator("#save-button").tap()

    refused = status(page).locator(
        ".outbox-line", has=page.get_by_role("button", name=message(page, "discard"))
    )
    refused.wait_for()
    assert page.url == url and page.locator("input[name=triggers][value=stairs]").is_checked()
    assert [item["state"] for item in outbox(page)] == [
        "rejected"
    ]  # not waiting: never sent again on its own
    assert api_entry(page, base_url, diary_today()).status == 404


def test_the_phone_is_asked_to_keep_the_outbox(logged_in, fresh, base_url):
    page = logged_in(fresh)
    page.add_init_script(
        "window.persistAsked = 0; navigator.storage.persist = () => { window.persistAsked += 1; return Promise.resolve(true); };"
    )
    visited_online(page, base_url, "/")
    page.context.set_offline(True)

    log_offline(page, 2)

    assert page.evaluate("window.persistAsked") == 1


def test_several_waiting_days_are_counted(logged_in, fresh, base_url):
    page = logged_in(fresh)
    visited_online(page, base_url, "/")
    page.context.set_offline(True)
    log_offline(page, 4)
    earlier = diary_today() - timedelta(days=2)
    put_item(page, waiting_item(page, earlier, 5, format_timestamp(datetime.now(UTC))))

    page.reload()

    status(page).get_by_text(message(page, "many", count=2)).wait_for()
    assert message(page, "many", count=2) != message(page, "one")


def test_a_kept_log_page_from_yesterday_opened_offline_logs_the_phones_today(logged_in, diarist, base_url):
    page = logged_in(diarist)
    visited_online(page, base_url, "/")
    assert page.locator("input[name=pain]:checked").count() == 1  # today's answers, as kept
    # The diary's next morning, not the machine's: from 23:00 UTC Copenhagen is already there.
    tomorrow = datetime.combine(diary_today() + timedelta(days=1), time(9))
    page.clock.set_fixed_time(tomorrow)  # the next morning, on the phone
    page.context.set_offline(True)

    page.goto(base_url + "/?source=pwa")

    phone_today = tomorrow.date().isoformat()
    assert page.locator("#log-form").get_attribute("data-day") == phone_today
    assert page.locator("#log-form input:checked").count() == 0  # yesterday's answers are not today's
    assert page.locator(".saved-badge").count() == 0
    notice = page.locator("#other-day")
    assert notice.inner_text() == message(page, "other-day", day=day_name(page, tomorrow.date()))
    log_offline(page, 3)
    assert [
        (item["date"], item["entry"]["pain"]) for item in outbox(page) if item["owner"] == owner(page)
    ] == [(phone_today, 3)]


def test_the_worker_sends_the_outbox_on_background_sync_with_no_page_of_the_app_open(
    logged_in, fresh, base_url, new_context
):
    page = logged_in(fresh)
    today = diary_today()
    visited_online(page, base_url, "/")
    context = page.context
    context.set_offline(True)
    log_offline(page, 8, "lifting")
    page.close()  # the app is closed
    context.set_offline(False)
    blank = context.new_page()  # a tab with no page of the app, to reach the browser's tools
    cdp = context.new_cdp_session(blank)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"])
    )
    cdp.send("ServiceWorker.enable")
    wait_until(blank, lambda: any(r["scopeURL"] == base_url + "/" for r in registrations), timeout_ms=5000)
    registration = next(r for r in registrations if r["scopeURL"] == base_url + "/" and not r["isDeleted"])

    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": base_url,
            "registrationId": registration["registrationId"],
            "tag": "outbox",
            "lastChance": False,
        },
    )

    wait_until(blank, lambda: blank.request.get(f"{base_url}/api/v1/entries/{today}").status == 200)
    entry = blank.request.get(f"{base_url}/api/v1/entries/{today}").json()
    assert (entry["pain"], entry["triggers"]) == (8, ["lifting"])
    assert not [p for p in context.pages if p.url.startswith(base_url)]
    reopened = context.new_page()
    reopened.goto(base_url + "/")
    controlled(reopened)
    assert outbox(reopened) == []


def test_a_day_saved_on_the_phone_no_longer_shows_the_servers_saved_day(logged_in, diarist, base_url):
    page = logged_in(diarist)
    visited_online(page, base_url, "/")
    assert page.locator("#saved-day").is_visible()  # the server has today
    page.context.set_offline(True)
    page.locator("#edit-day > summary").tap()

    log_offline(page, 5)  # a newer version waits on the phone: the server's is not the last word

    expect(page.locator("#saved-day")).to_be_hidden()
    page.reload()
    expect(page.locator("input[name=pain][value='5']")).to_be_visible()  # the form, with the waiting answers
    expect(page.locator("input[name=pain][value='5']")).to_be_checked()
    expect(page.locator("#saved-day")).to_be_hidden()


def test_a_fresh_log_page_on_a_phone_in_another_time_zone_logs_the_diarys_today(logged_in, diarist, base_url):
    # A zone whose calendar shows another date than the diary's (Copenhagen) right now.
    copenhagen = datetime.now(DIARY_TIMEZONE)
    zone = "Pacific/Kiritimati" if copenhagen.hour >= 12 else "Pacific/Pago_Pago"
    page = logged_in(diarist, timezone_id=zone)
    assert page.evaluate("new Date().getDate()") != copenhagen.day

    page.goto(base_url + "/")

    assert page.locator("#log-form").get_attribute("data-day") == diary_today().isoformat()
    assert page.locator("#other-day").count() == 0
    assert page.locator("#log-form input[name=pain]:checked").count() == 1  # her answers of today stay
