"""A shared phone: the pages the app keeps for offline use never outlive her session, even
when it ends without her pressing "Log out" (issue 10, finding 6)."""

import time
from datetime import UTC, datetime, timedelta

from diary.entries.entry import format_timestamp

from .installed import controlled, put_item, visited_online, waiting_item
from .phone import PASSWORD, LiveServer, diary_today, make_account, set_due_date, unique_email

IDLE_SECONDS = 20  # the short idle lifetime of the server in the expiry test

KEPT_PATHS_JS = """() => caches.open("baekkendagbog-pages")
  .then((pages) => pages.keys()).then((requests) => requests.map((request) => new URL(request.url).pathname))"""


def kept_paths(page) -> list[str]:
    return page.evaluate(KEPT_PATHS_JS)


def assert_nothing_of_hers_offline(page, base_url: str) -> None:
    """Offline, every page she kept answers with the offline page, not with her diary."""
    page.context.set_offline(True)
    for path in ("/", "/history", "/week"):
        page.goto(base_url + path)
        assert page.locator("#offline-page").is_visible(), path
        assert page.locator("#log-form, .calendar").count() == 0, path


def log_in(page, base_url: str, email: str, remember: bool) -> None:
    page.goto(base_url + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("#remember").set_checked(remember)
    page.locator("main form.stack button[type=submit]").click()
    page.wait_for_url(base_url + "/")


def test_offline_her_kept_pages_are_gone_once_her_session_has_expired(new_context, tmp_path):
    server = LiveServer(tmp_path)
    server.env["SESSION_IDLE_SECONDS"] = str(IDLE_SECONDS)
    server.start()
    try:
        page = new_context().new_page()
        page.goto(server.url + "/register")
        page.fill("#email", unique_email())
        page.fill("#password", PASSWORD)
        page.locator("#remember").set_checked(False)  # a phone she borrowed: not kept logged in
        page.locator("main form.stack button[type=submit]").click()
        page.wait_for_url(server.url + "/welcome")
        set_due_date(page, server.url, diary_today() + timedelta(weeks=12))
        visited_online(page, server.url, "/history", "/week", "/")
        last_online = time.monotonic()
        assert {"/", "/history"} <= set(kept_paths(page))

        page.context.set_offline(True)  # before the session's end, her pages open offline
        page.goto(server.url + "/history")
        assert page.locator(".calendar").is_visible()

        time.sleep(max(0.0, last_online + IDLE_SECONDS + 2 - time.monotonic()))  # her session ends unused
        assert_nothing_of_hers_offline(page, server.url)
        assert kept_paths(page) == []
    finally:
        server.stop()


def test_her_kept_pages_go_when_the_server_says_the_session_has_ended(browser, new_context, base_url):
    account = make_account(browser, base_url, diary_today() + timedelta(weeks=12))
    phone = new_context(storage_state=account.storage_state).new_page()
    visited_online(phone, base_url, "/history", "/week", "/")
    assert {"/", "/history"} <= set(kept_paths(phone))

    laptop = new_context().new_page()  # she logs out everywhere from another device
    log_in(laptop, base_url, account.email, remember=False)
    laptop.goto(base_url + "/settings")
    with laptop.expect_navigation():
        laptop.locator('form[action="/settings/logout-everywhere"] button').click()
    assert laptop.url.startswith(base_url + "/login")

    # The phone's outbox asks the API first: its 401 is enough to forget the pages.
    put_item(phone, waiting_item(phone, diary_today(), 4, format_timestamp(datetime.now(UTC))))
    assert phone.evaluate("() => self.diaryOutbox.sendWaiting()")["status"] == "login"
    assert not phone.evaluate("caches.has('baekkendagbog-pages')")
    assert_nothing_of_hers_offline(phone, base_url)


def test_her_kept_pages_go_when_a_kept_page_leads_to_log_in(browser, new_context, base_url):
    account = make_account(browser, base_url, diary_today() + timedelta(weeks=12))
    phone = new_context(storage_state=account.storage_state).new_page()
    visited_online(phone, base_url, "/history", "/")
    laptop = new_context().new_page()
    log_in(laptop, base_url, account.email, remember=True)
    laptop.goto(base_url + "/settings")
    with laptop.expect_navigation():
        laptop.locator('form[action="/settings/logout-everywhere"] button').click()

    controlled(phone)
    phone.goto(base_url + "/history")  # the worker fetches it and is led to the log-in page
    assert phone.url.startswith(base_url + "/login")
    assert kept_paths(phone) == []
    assert_nothing_of_hers_offline(phone, base_url)


MATERNITY_TEL = "tel:+4535451234"


def save_numbers(new_context, account, base_url: str) -> None:
    """Her own numbers, saved on another phone before this one installs the app."""
    page = new_context(storage_state=account.storage_state).new_page()
    page.goto(base_url + "/settings")
    page.get_by_label("Fødemodtagelsen, hvor du skal føde").fill("35 45 12 34")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem numrene").click()
    assert page.locator(f".call-box a[href='{MATERNITY_TEL}']").is_visible()
    page.context.close()


def test_opening_the_app_after_log_out_everywhere_leaves_nothing_of_hers(browser, new_context, base_url):
    account = make_account(browser, base_url, diary_today() + timedelta(weeks=24))
    save_numbers(new_context, account, base_url)
    phone = new_context(storage_state=account.storage_state).new_page()
    # A logged-out page's own script forgets the kept pages too (static/js/pwa.js), but only
    # once it runs: here it cannot, so that what is tested is the worker's own check.
    phone.context.add_init_script("CacheStorage.prototype.delete = () => Promise.resolve(false);")
    # The worker installs while she is logged in: its copy of the warning signs must not be hers.
    visited_online(phone, base_url, "/history", "/week", "/advice/warning-signs", "/")
    assert {"/", "/history", "/advice/warning-signs"} <= set(kept_paths(phone))
    phone.context.set_offline(True)  # while her session lives, her kept warning signs have her numbers
    phone.goto(base_url + "/advice/warning-signs")
    assert phone.locator(f".call-box a[href='{MATERNITY_TEL}']").is_visible()
    phone.context.set_offline(False)

    laptop = new_context().new_page()  # she logs out everywhere from another device
    log_in(laptop, base_url, account.email, remember=False)
    laptop.goto(base_url + "/settings")
    with laptop.expect_navigation():
        laptop.locator('form[action="/settings/logout-everywhere"] button').click()

    phone.goto(base_url + "/?source=pwa")  # she opens the app from the home screen: the landing page
    assert phone.locator("#log-form").count() == 0
    assert kept_paths(phone) == []
    assert_nothing_of_hers_offline(phone, base_url)
    phone.goto(base_url + "/advice/warning-signs")  # offline still there, but nobody's
    assert phone.locator(".call-box a[href='tel:112']").is_visible()
    assert phone.locator(".call-box a[href^='tel:+']").count() == 0
    assert phone.locator(".call-stage").count() == 0
