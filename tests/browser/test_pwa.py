"""The installed app on a phone: the manifest, the service worker, pages without a
connection, and the outbox that sends a day logged offline once the connection returns."""

import json
import struct
from datetime import UTC, datetime, timedelta

import pytest

from .phone import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    api_entry,
    chip,
    csrf_token,
    diary_today,
    make_account,
    pain,
)

OUTBOX_ITEMS_JS = """
() => new Promise((resolve, reject) => {
  const open = indexedDB.open("baekkendagbog", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("outbox", { keyPath: "date" });
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const request = open.result.transaction("outbox").objectStore("outbox").getAll();
    request.onsuccess = () => { open.result.close(); resolve(request.result); };
  };
})
"""


def controlled(page) -> None:
    """Wait until the service worker is active and controls the page."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def visited_online(page, base_url: str, *paths: str) -> None:
    """Open the app, let the worker take over, then open each page once (so it is kept)."""
    page.goto(base_url + "/")
    controlled(page)
    for path in paths:
        page.goto(base_url + path)


def status(page):
    return page.locator("#outbox-status")


def message(page, name: str, **values) -> str:
    """One of the outbox's messages as the page would show it."""
    text = status(page).get_attribute(f"data-{name}")
    for key, value in values.items():
        text = text.replace("{" + key + "}", str(value))
    return text


def log_offline(page, level: int, trigger: str | None = None) -> None:
    pain(page, level).tap()
    if trigger:
        chip(page, "triggers", trigger).tap()
    url = page.url
    page.locator("#save-button").tap()
    status(page).get_by_text(message(page, "saved")).wait_for()
    assert page.url == url  # kept on the phone: no page load


@pytest.fixture
def fresh(browser, base_url):
    """A new diarist with nothing logged (each test changes her diary)."""
    return make_account(browser, base_url, diary_today() + timedelta(weeks=12))


def test_the_manifest_is_linked_and_its_icons_are_served_in_their_sizes(page, base_url):
    page.goto(base_url + "/login")
    href = page.locator('link[rel="manifest"]').get_attribute("href")
    response = page.request.get(base_url + href)
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()

    assert manifest["name"] == "Bækkendagbog" and manifest["short_name"]
    assert manifest["start_url"] == "/?source=pwa" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    sizes = set()
    for icon in manifest["icons"]:
        image = page.request.get(base_url + icon["src"])
        assert image.ok, icon["src"]
        if icon["type"] == "image/png":
            body = image.body()
            assert icon["sizes"] == "{}x{}".format(*struct.unpack(">II", body[16:24]))
        sizes.add((icon["sizes"], icon["purpose"]))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_the_service_worker_installs_and_controls_the_page_after_a_reload(logged_in, fresh, base_url):
    page = logged_in(fresh)
    page.goto(base_url + "/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    page.reload()

    assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == base_url + "/sw.js"
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)") == base_url + "/"
    shell = page.evaluate("caches.keys()")
    assert any(name.startswith("baekkendagbog-shell-") for name in shell)
    kept = page.evaluate("caches.match('/offline').then((response) => response && response.status)")
    assert kept == 200


def test_chrome_finds_the_app_installable(browser, base_url, tmp_path):
    """Chrome's own check (manifest fields, icons, a worker with a fetch handler) finds nothing missing."""
    # An installable app needs a profile on disk: Chrome refuses in an incognito-like context.
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_ARGS, **PHONE
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(base_url + "/login")
        controlled(page)
        page.reload()
        cdp = context.new_cdp_session(page)

        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        manifest = cdp.send("Page.getAppManifest")

        assert errors == []
        assert manifest["url"] == base_url + "/manifest.webmanifest"
        assert not [error for error in manifest["errors"] if error["critical"]]
    finally:
        context.close()


def test_offline_the_log_page_and_the_history_open_as_last_seen(logged_in, diarist, base_url, new_context):
    page = logged_in(diarist)
    visited_online(page, base_url, "/", "/history")
    online_heading = page.locator("main h1").inner_text()
    page.goto(base_url + "/")
    logged_pain = page.locator("input[name=pain]:checked").get_attribute("value")

    page.context.set_offline(True)
    page.goto(base_url + "/?source=pwa")  # as the home-screen icon opens it
    assert page.locator("#log-form").is_visible()
    assert page.locator("input[name=pain]:checked").get_attribute("value") == logged_pain
    page.goto(base_url + "/history")
    assert page.locator("main h1").inner_text() == online_heading
    assert page.locator(".calendar").is_visible()
    page.goto(base_url + "/settings")  # not kept on the phone
    assert page.locator("#offline-page").is_visible()
    assert page.locator('#offline-page a[href="/"]').is_visible()


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

    page.route("**/api/v1/entries/*", drop_the_first_put)
    page.context.set_offline(True)
    log_offline(page, 7, "stairs")

    assert message(page, "one") in status(page).inner_text()
    items = page.evaluate(OUTBOX_ITEMS_JS)
    assert [(item["date"], item["state"], item["entry"]["pain"]) for item in items] == [(today.isoformat(), "waiting", 7)]
    assert items[0]["entry"]["triggers"] == ["stairs"]
    page.reload()  # still offline: the kept log page shows the waiting answers
    assert page.locator("input[name=pain]:checked").get_attribute("value") == "7"
    assert message(page, "saved") in status(page).inner_text()

    page.context.set_offline(False)
    status(page).get_by_text(message(page, "sent")).wait_for(timeout=20_000)

    assert len(puts) == 2 and puts[0] == puts[1]  # one dropped, then the same body once
    assert page.evaluate(OUTBOX_ITEMS_JS) == []
    entry = api_entry(page, base_url, today).json()
    assert (entry["pain"], entry["triggers"]) == (7, ["stairs"])
    assert datetime.fromisoformat(entry["updated_at"]) == datetime.fromisoformat(puts[1]["updated_at"])
    page.wait_for_timeout(1500)
    page.reload()
    assert len(puts) == 2  # nothing is sent again


def test_an_offline_edit_older_than_a_newer_edit_on_the_server_is_not_sent_over_it(logged_in, fresh, base_url):
    page = logged_in(fresh)
    today = diary_today().isoformat()
    visited_online(page, base_url, "/")

    page.context.set_offline(True)
    log_offline(page, 4)
    # Meanwhile, on another device that is online, the same day is edited later.
    later = (datetime.now(UTC) + timedelta(minutes=2)).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    newer = page.request.put(
        f"{base_url}/api/v1/entries/{today}",
        data={"pain": 8, "triggers": ["walking"], "updated_at": later},
        headers={"X-CSRFToken": csrf_token(page)},
    )
    assert newer.status == 200, newer.text()

    page.context.set_offline(False)
    day = page.evaluate(
        "(date) => new Intl.DateTimeFormat(document.documentElement.lang, {dateStyle: 'long', timeZone: 'UTC'})"
        ".format(new Date(date + 'T00:00:00Z'))",
        today,
    )
    conflict = status(page).get_by_text(message(page, "conflict", day=day))
    conflict.wait_for(timeout=20_000)

    entry = api_entry(page, base_url, diary_today()).json()
    assert (entry["pain"], entry["triggers"]) == (8, ["walking"])  # the newer edit is kept
    assert [item["state"] for item in page.evaluate(OUTBOX_ITEMS_JS)] == ["conflict"]  # and shown, not dropped
    status(page).get_by_role("button", name=message(page, "dismiss")).tap()
    page.wait_for_function(f"({OUTBOX_ITEMS_JS})().then((items) => items.length === 0)")


def test_logging_out_warns_about_unsent_days_and_then_clears_the_phone(logged_in, fresh, base_url):
    page = logged_in(fresh)
    visited_online(page, base_url, "/history", "/")
    page.context.set_offline(True)
    log_offline(page, 5)
    page.route("**/api/v1/csrf-token", lambda route: route.fulfill(status=503, body="{}"))  # not sent yet
    page.context.set_offline(False)
    page.goto(base_url + "/settings")

    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.locator('form[action="/logout"] button').tap()
    for _ in range(50):
        if dialogs:
            break
        page.wait_for_timeout(100)
    assert dialogs == [message(page, "logout-warning")]
    assert page.url == base_url + "/settings"
    assert len(page.evaluate(OUTBOX_ITEMS_JS)) == 1

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator('form[action="/logout"] button').tap()

    assert page.url.startswith(base_url + "/login")
    assert page.evaluate(OUTBOX_ITEMS_JS) == []
    assert not page.evaluate("caches.has('baekkendagbog-pages')")


def test_a_day_the_server_refuses_is_shown_with_its_reason_and_not_sent_again(logged_in, fresh, base_url):
    page = logged_in(fresh)
    visited_online(page, base_url, "/")
    puts = []
    page.route("**/api/v1/entries/*", lambda route: (puts.append(1), route.continue_()))
    page.context.set_offline(True)
    log_offline(page, 3)
    page.evaluate(
        """() => new Promise((resolve) => {
          const open = indexedDB.open("baekkendagbog", 1);
          open.onsuccess = () => {
            const store = open.result.transaction("outbox", "readwrite").objectStore("outbox");
            const get = store.get(document.querySelector("#log-form").dataset.day);
            get.onsuccess = () => { get.result.entry.night_wakings = 99; store.put(get.result).onsuccess = resolve; };
          };
        })"""
    )

    page.context.set_offline(False)
    rejected = status(page).locator(".outbox-line", has=page.get_by_role("button", name=message(page, "discard")))
    rejected.wait_for(timeout=20_000)

    assert len(puts) == 1
    assert [item["state"] for item in page.evaluate(OUTBOX_ITEMS_JS)] == ["rejected"]
    assert api_entry(page, base_url, diary_today()).status == 404
    page.reload()
    page.wait_for_timeout(1000)
    assert len(puts) == 1  # not retried on its own
    rejected.get_by_role("button").tap()
    page.wait_for_function(f"({OUTBOX_ITEMS_JS})().then((items) => items.length === 0)")


def test_the_manifest_shortcuts_open_pages_of_the_app(page, base_url):
    manifest = json.loads(page.request.get(base_url + "/manifest.webmanifest").text())
    for shortcut in manifest["shortcuts"]:
        assert page.request.get(base_url + shortcut["url"], max_redirects=0).status in (200, 302)


def test_a_waiting_new_version_is_offered_and_taken_with_one_tap(page, base_url):
    page.goto(base_url + "/login")
    controlled(page)
    banner = page.locator("#update-banner")
    assert banner.is_hidden()
    # A worker under another script URL installs beside the active one and waits, as a new version does.
    page.evaluate("navigator.serviceWorker.register('/sw.js?next', { scope: '/' }).then(() => true)")

    banner.wait_for(state="visible")
    with page.expect_navigation():
        banner.get_by_role("button").tap()

    page.wait_for_function("navigator.serviceWorker.controller?.scriptURL.endsWith('/sw.js?next')")


def test_a_save_that_fails_while_the_phone_seems_online_waits_on_the_phone_and_is_sent_later(
    logged_in, fresh, base_url
):
    page = logged_in(fresh)
    today = diary_today()
    visited_online(page, base_url, "/")
    page.route("**/entries/*", lambda route: route.abort("connectionreset") if route.request.method == "POST" else route.continue_())
    pain(page, 5).tap()
    chip(page, "triggers", "walking").tap()
    page.locator("#save-button").tap()
    status(page).get_by_text(message(page, "saved")).wait_for()
    assert api_entry(page, base_url, today).status == 404  # not on the server yet
    page.unroute("**/entries/*")
    page.reload()  # every app start sends what waits
    for _ in range(40):
        if api_entry(page, base_url, today).status == 200:
            break
        page.wait_for_timeout(500)
    entry = api_entry(page, base_url, today).json()
    assert (entry["pain"], entry["triggers"]) == (5, ["walking"])
    for _ in range(20):
        if page.evaluate(OUTBOX_ITEMS_JS) == []:
            break
        page.wait_for_timeout(250)
    assert page.evaluate(OUTBOX_ITEMS_JS) == []


def test_a_kept_log_page_from_yesterday_logs_the_phones_today_offline(logged_in, fresh, base_url):
    page = logged_in(fresh)
    visited_online(page, base_url, "/")
    page.context.set_offline(True)
    # The kept page was made yesterday: its form still names yesterday's date.
    page.evaluate("document.getElementById('log-form').dataset.day = '2000-01-01'")
    log_offline(page, 3)
    items = page.evaluate(OUTBOX_ITEMS_JS)
    phone_today = page.evaluate("(() => { const d = new Date(); const p = (n) => String(n).padStart(2, '0');"
                                " return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`; })()")
    assert [item["date"] for item in items] == [phone_today]
