"""The daily reminder in the browser: the settings page subscribes the phone (only the browser's
pushManager.subscribe is stubbed, as Chromium has no reachable push service here), the worker
shows a pushed reminder, and tapping it lands on today's log page."""

import json
import time
from datetime import timedelta

from .phone import PHONE, csrf_token, diary_today, make_account

STUB_KEYS = {
    "p256dh": "BHOcqnoC2bd4djy4mw_IUSu58wuVWyDosehSjc8tH--bzUskO6QMKswuW_e57v-Loyhx3taLBo4IdQQkmcdO_FM",
    "auth": "c2VjcmV0LWF1dGgtMTIzNA",
}
# What a real PushSubscription's toJSON() gives: an endpoint on this machine and a browser's keys.
STUB_SUBSCRIBE = """
(() => {
  PushManager.prototype.subscribe = async function (options) {
    const key = new Uint8Array(options.applicationServerKey);
    sessionStorage.setItem("subscribed-with", btoa(String.fromCharCode(...key)));
    sessionStorage.setItem("user-visible-only", String(options.userVisibleOnly));
    const json = {
      endpoint: "http://127.0.0.1:9/push/browser-test",
      expirationTime: null,
      keys: {
        p256dh: "BHOcqnoC2bd4djy4mw_IUSu58wuVWyDosehSjc8tH--bzUskO6QMKswuW_e57v-Loyhx3taLBo4IdQQkmcdO_FM",
        auth: "c2VjcmV0LWF1dGgtMTIzNA",
      },
    };
    return { endpoint: json.endpoint, options, toJSON: () => json, unsubscribe: async () => true };
  };
})();
"""


def wait_until(page, check, timeout_ms: int = 5000):
    deadline = time.monotonic() + timeout_ms / 1000
    while not check():
        assert time.monotonic() < deadline, "timed out"
        page.wait_for_timeout(50)


def controlled(page):
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def push_to_worker(context, page, base_url, payload: dict):
    """Deliver a push message to the app's worker, as the browser does when the push service sends one."""
    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"])
    )
    cdp.send("ServiceWorker.enable")
    wait_until(
        page, lambda: any(r["scopeURL"] == base_url + "/" and not r["isDeleted"] for r in registrations)
    )
    registration = next(r for r in registrations if r["scopeURL"] == base_url + "/" and not r["isDeleted"])
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": base_url, "registrationId": registration["registrationId"], "data": json.dumps(payload)},
    )


def shown_notifications(page) -> list[dict]:
    return page.evaluate(
        """async () => (await (await navigator.serviceWorker.ready).getNotifications())
             .map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: n.data && n.data.url }))"""
    )


def tap_notification(context):
    """The worker's own notificationclick handler, run on the reminder it shows (no CDP event taps one)."""
    [worker] = context.service_workers
    worker.evaluate(
        """async () => {
          const [notification] = await self.registration.getNotifications({ tag: "daily-reminder" });
          await openReminder(notification);
        }"""
    )


def reminder_payload(base_url: str) -> dict:
    """What diary/reminders/sender.py sends (tests/reminders/test_sending.py decrypts the real thing)."""
    url = base_url + "/?source=reminder"
    return {
        "web_push": 8030,
        "notification": {
            "title": "Hvordan har dagen været?",
            "body": "Skriv dagen ind med et par tryk.",
            "navigate": url,
        },
        "title": "Hvordan har dagen været?",
        "body": "Skriv dagen ind med et par tryk.",
        "url": url,
        "day": diary_today().isoformat(),
    }


def open_settings_with_push(browser, base_url, account, **options):
    context = browser.new_context(
        **(PHONE | {"permissions": ["notifications"]} | options), storage_state=account.storage_state
    )
    context.set_default_timeout(10_000)
    context.add_init_script(STUB_SUBSCRIBE)
    page = context.new_page()
    page.goto(base_url + "/settings")
    controlled(page)  # the worker claims the page as it activates
    return context, page


def test_she_turns_the_reminder_on_and_a_tap_on_it_opens_todays_log_page(browser, base_url):
    account = make_account(browser, base_url, diary_today() + timedelta(weeks=15))
    context, page = open_settings_with_push(browser, base_url, account, timezone_id="Europe/Oslo")
    try:
        # Never saved: the phone's own time zone is filled in.
        assert page.locator("#reminder-timezone").input_value() == "Europe/Oslo"
        page.get_by_label("Mind mig om det hver dag").check()
        page.locator("#reminder-time").fill("21:30")
        with page.expect_navigation():
            page.get_by_role("button", name="Gem påmindelsen").click()
        page.wait_for_url(base_url + "/settings#reminder-outcome")
        assert page.get_by_text("Din påmindelse er slået til, hver dag kl. 21:30.").is_visible()
        assert page.get_by_text("Påmindelsen sendes til 1 telefon eller computer.").is_visible()

        # The page and the server ran for real: the settings and this phone's subscription are stored.
        assert page.request.get(base_url + "/api/v1/reminder").json() == {
            "enabled": True,
            "time": "21:30",
            "timezone": "Europe/Oslo",
        }
        key = page.request.get(base_url + "/api/v1/push-key").json()["public_key"]
        subscribed_with = page.evaluate("sessionStorage.getItem('subscribed-with')")
        assert subscribed_with.rstrip("=").replace("+", "-").replace("/", "_") == key
        assert page.evaluate("sessionStorage.getItem('user-visible-only')") == "true"
        again = page.request.post(
            base_url + "/api/v1/push-subscriptions",
            data={"endpoint": "http://127.0.0.1:9/push/browser-test", "keys": STUB_KEYS},
            headers={"X-CSRFToken": csrf_token(page)},
        )
        assert again.status == 200  # kept already: the settings page stored it

        push_to_worker(context, page, base_url, reminder_payload(base_url))
        wait_until(page, lambda: shown_notifications(page) != [])
        [shown] = shown_notifications(page)
        assert shown == {
            "title": "Hvordan har dagen været?",
            "body": "Skriv dagen ind med et par tryk.",
            "tag": "daily-reminder",
            "url": base_url + "/?source=reminder",
        }

        tap_notification(context)
        page.wait_for_url(base_url + "/?source=reminder")
        assert page.locator("#save-button").is_visible()  # today's log form, not yet saved
        assert shown_notifications(page) == []  # the tapped notification is closed
    finally:
        context.close()


def test_a_tap_when_today_is_logged_opens_the_saved_day(browser, base_url):
    today = diary_today()
    account = make_account(
        browser, base_url, today + timedelta(weeks=15), [{"date": today.isoformat(), "pain": 4}]
    )
    context, page = open_settings_with_push(browser, base_url, account)
    try:
        push_to_worker(context, page, base_url, reminder_payload(base_url))
        wait_until(page, lambda: shown_notifications(page) != [])
        tap_notification(context)
        page.wait_for_url(base_url + "/?source=reminder")
        # The one-screen log page shows a logged today as the saved day, its form behind "Edit".
        assert page.locator("#saved-day").is_visible()
        assert page.locator("#saved-day .pain-badge").inner_text() == "4"
        assert page.locator("input[name=pain][value='4']").is_checked()
    finally:
        context.close()


def test_a_pushed_message_can_only_open_a_page_of_the_diary(browser, base_url):
    account = make_account(browser, base_url, diary_today() + timedelta(weeks=15))
    context, page = open_settings_with_push(browser, base_url, account)
    try:
        payload = reminder_payload(base_url) | {"url": "https://evil.example/phish"}
        push_to_worker(context, page, base_url, payload)
        wait_until(page, lambda: shown_notifications(page) != [])
        assert shown_notifications(page)[0]["url"] == base_url + "/?source=reminder"
    finally:
        context.close()


# For this test only: the stubbed subscription is also the one the browser then reports as its own.
STUB_KEEPS_SUBSCRIPTION = """
(() => {
  const subscribe = PushManager.prototype.subscribe;
  PushManager.prototype.subscribe = async function (options) {
    sessionStorage.setItem("kept", "yes");
    return subscribe.call(this, options);
  };
  PushManager.prototype.getSubscription = async function () {
    if (!sessionStorage.getItem("kept")) {
      return null;
    }
    const endpoint = "http://127.0.0.1:9/push/browser-test";
    return {
      endpoint,
      options: {},
      unsubscribe: async () => { sessionStorage.setItem("unsubscribed", "yes"); return true; },
    };
  };
})();
"""


def test_unticking_the_box_forgets_this_phone(browser, base_url):
    account = make_account(browser, base_url, diary_today() + timedelta(weeks=15))
    context, page = open_settings_with_push(browser, base_url, account)
    try:
        context.add_init_script(STUB_KEEPS_SUBSCRIPTION)
        page.reload()
        controlled(page)
        page.get_by_label("Mind mig om det hver dag").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Gem påmindelsen").click()
        assert page.get_by_text("Påmindelsen sendes til 1 telefon eller computer.").is_visible()
        page.get_by_label("Mind mig om det hver dag").uncheck()
        with page.expect_navigation():
            page.get_by_role("button", name="Gem påmindelsen").click()
        assert page.get_by_text("Din påmindelse er slået fra.").is_visible()
        assert page.evaluate("sessionStorage.getItem('unsubscribed')") == "yes"
        # The server forgot it: the same subscription is new to it again.
        again = page.request.post(
            base_url + "/api/v1/push-subscriptions",
            data={"endpoint": "http://127.0.0.1:9/push/browser-test", "keys": STUB_KEYS},
            headers={"X-CSRFToken": csrf_token(page)},
        )
        assert again.status == 201
        assert page.request.get(base_url + "/api/v1/reminder").json()["enabled"] is False
    finally:
        context.close()


def test_the_worker_shows_a_message_that_has_only_the_declarative_fields(browser, base_url):
    account = make_account(browser, base_url, diary_today() + timedelta(weeks=15))
    context, page = open_settings_with_push(browser, base_url, account)
    try:
        declarative = {
            "web_push": 8030,
            "notification": {"title": "Hvordan har dagen været?", "navigate": base_url + "/?source=reminder"},
        }
        push_to_worker(context, page, base_url, declarative)
        wait_until(page, lambda: shown_notifications(page) != [])
        [shown] = shown_notifications(page)
        assert (shown["title"], shown["url"]) == ("Hvordan har dagen været?", base_url + "/?source=reminder")
    finally:
        context.close()
