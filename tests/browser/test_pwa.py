"""The installed app on a phone: the manifest, installing, the service worker, pages without a
connection, and a new release reaching a phone that runs the old one. The outbox is in
test_outbox.py."""

import json
import struct
from datetime import timedelta

from .installed import (
    ReleasedServer,
    controlled,
    log_offline,
    message,
    outbox,
    owner,
    status,
    visited_online,
    wait_until,
)
from .phone import CHROMIUM, CHROMIUM_ARGS, PHONE, csrf_token, diary_today, make_account


def kept_page(page, path: str) -> str:
    """Her own kept copy of a page (not the worker's precached one), or ""."""
    return page.evaluate(
        """(path) => caches.open("baekkendagbog-pages").then((pages) => pages.match(path))
             .then((kept) => (kept ? kept.text() : ""))""",
        path,
    )


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


def test_the_service_worker_installs_and_controls_the_page_after_a_reload(logged_in, newcomer, base_url):
    page = logged_in(newcomer)
    page.goto(base_url + "/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    page.reload()

    version = page.locator("script[type=module]").get_attribute("src").split("/")[2]
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == f"{base_url}/sw.js?v={version}"
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)") == base_url + "/"
    shell = page.evaluate("caches.keys()")
    assert any(name.startswith("baekkendagbog-shell-") for name in shell)
    kept = page.evaluate("caches.match('/offline').then((response) => response && response.status)")
    assert kept == 200
    precached = f"/static/{version}/js/outbox-send.js"
    assert (
        page.evaluate(f"caches.match('{precached}').then((response) => response && response.status)") == 200
    )


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


def test_the_install_button_appears_when_the_browser_offers_and_goes_once_used(page, base_url):
    page.goto(base_url + "/install")
    button = page.locator("#install-button")
    assert button.is_hidden()

    default_prevented = page.evaluate(
        """() => {
          const offer = new Event("beforeinstallprompt", { cancelable: true });
          window.prompted = 0;
          offer.prompt = () => { window.prompted += 1; return Promise.resolve(); };
          offer.userChoice = Promise.resolve({ outcome: "accepted", platform: "web" });
          window.dispatchEvent(offer);
          return offer.defaultPrevented;
        }"""
    )
    assert default_prevented  # the browser's own mini-bar is left out: the page offers it
    button.wait_for(state="visible")
    button.tap()

    button.wait_for(state="hidden")
    assert page.evaluate("window.prompted") == 1


def test_offline_the_log_page_history_and_week_open_as_last_seen(logged_in, diarist, base_url):
    page = logged_in(diarist)
    visited_online(page, base_url, "/history", "/week")
    headings = {}
    for path in ("/history", "/week"):
        page.goto(base_url + path)
        headings[path] = page.locator("main h1").inner_text()
    page.goto(base_url + "/")
    logged_pain = page.locator("input[name=pain]:checked").get_attribute("value")

    page.context.set_offline(True)
    page.goto(base_url + "/?source=pwa")  # as the home-screen icon opens it
    assert page.locator("#saved-day").is_visible()  # today as the server had it, the form behind "Edit"
    assert page.locator("#saved-day .pain-badge").inner_text() == logged_pain
    assert page.locator("input[name=pain]:checked").get_attribute("value") == logged_pain
    page.goto(base_url + "/history")
    assert page.locator("main h1").inner_text() == headings["/history"]
    assert page.locator(".calendar").is_visible()
    for path in ("/week", "/week?source=shortcut"):  # the tab bar's link and the manifest's shortcut
        page.goto(base_url + path)
        assert page.locator("main h1").inner_text() == headings["/week"], path
    page.goto(base_url + "/settings")  # not kept on the phone
    assert page.locator("#offline-page").is_visible()
    assert page.locator('#offline-page a[href="/"]').is_visible()


def test_the_week_tab_online_still_leads_to_this_weeks_address(logged_in, diarist, base_url):
    page = logged_in(diarist)
    visited_online(page, base_url)
    week_pages = []
    page.on("request", lambda request: week_pages.append(request.url) if "/week/" in request.url else None)

    page.goto(base_url + "/week")

    year, week, _ = diary_today().isocalendar()
    assert page.url == f"{base_url}/week/{year}-W{week:02d}"
    assert len(week_pages) == 1  # the worker followed the redirect; the page is not fetched twice


def test_the_warning_signs_open_offline_without_having_been_opened_before(page, base_url):
    page.goto(base_url + "/login")
    controlled(page)
    page.context.set_offline(True)

    page.goto(base_url + "/advice/warning-signs")

    assert page.locator("#offline-page").count() == 0
    assert page.locator("main h1").inner_text() == "Ring med det samme ved disse tegn"
    assert page.locator(".call-box").is_visible()


def test_offline_the_warning_signs_are_in_the_language_she_chose(logged_in, browser, base_url):
    account = make_account(browser, base_url, diary_today() + timedelta(weeks=10))
    page = logged_in(account)
    page.goto(base_url + "/")
    controlled(page)
    chosen = page.request.post(
        base_url + "/language", form={"language": "en", "csrf_token": csrf_token(page)}
    )
    assert chosen.ok
    page.goto(base_url + "/")
    wait_until(page, lambda: 'lang="en"' in kept_page(page, "/advice/warning-signs"))
    page.context.set_offline(True)

    page.goto(base_url + "/advice/warning-signs")

    assert page.locator("main h1").inner_text() == "Call right away if you notice these signs"


KEEP_COPY_JS = """([path, body, owner]) => caches.open("baekkendagbog-pages").then((pages) => pages.put(path,
  new Response(body, { headers: { "Content-Type": "text/html", "Content-Language": "da", "Diary-Owner": owner } })))"""


def test_a_kept_shell_page_is_fetched_again_only_when_it_was_made_for_someone_else(
    logged_in, diarist, base_url
):
    page = logged_in(diarist)
    visited_online(page, base_url, "/")
    mine = owner(page)
    page.evaluate(KEEP_COPY_JS, ["/offline", "made for her", mine])
    page.evaluate(KEEP_COPY_JS, ["/advice/warning-signs", "made for someone else", "another-account"])

    page.reload()

    # The worker goes through the offline page first: by the time the warning signs are hers
    # again, it has passed over her own copy of the offline page.
    wait_until(page, lambda: f'data-owner="{mine}"' in kept_page(page, "/advice/warning-signs"))
    assert kept_page(page, "/offline") == "made for her"


def test_the_manifest_shortcuts_open_pages_of_the_app(page, base_url):
    manifest = json.loads(page.request.get(base_url + "/manifest.webmanifest").text())
    for shortcut in manifest["shortcuts"]:
        assert page.request.get(base_url + shortcut["url"], max_redirects=0).status in (200, 302)


# The worker again, under another script URL (its version stays the page's).
REGISTER_NEXT_JS = """navigator.serviceWorker.register(navigator.serviceWorker.controller.scriptURL + '&next',
  { scope: '/' }).then(() => true)"""


def test_a_waiting_new_version_is_offered_and_taken_with_one_tap(page, base_url):
    page.goto(base_url + "/login")
    controlled(page)
    banner = page.locator("#update-banner")
    assert banner.is_hidden()
    # A worker under another script URL installs beside the active one and waits, as a new version does.
    page.evaluate(REGISTER_NEXT_JS)

    banner.wait_for(state="visible")
    with page.expect_navigation():
        banner.get_by_role("button").tap()

    page.wait_for_function("() => navigator.serviceWorker.controller?.scriptURL.endsWith('&next')")


def test_a_new_worker_deletes_the_caches_of_other_versions_and_keeps_its_own(page, base_url):
    page.goto(base_url + "/login")
    controlled(page)
    page.evaluate(
        "caches.open('baekkendagbog-shell-0ldversion0').then(() => caches.open('another-apps-cache'))"
    )
    current = next(
        name
        for name in page.evaluate("caches.keys()")
        if name.startswith("baekkendagbog-shell-") and "0ld" not in name
    )

    page.evaluate(REGISTER_NEXT_JS)
    page.locator("#update-banner").wait_for(state="visible")
    with page.expect_navigation():
        page.locator("#update-banner button").tap()
    page.wait_for_function("() => navigator.serviceWorker.controller?.scriptURL.endsWith('&next')")

    assert set(page.evaluate("caches.keys()")) == {current, "another-apps-cache"}


def test_the_dark_theme_colour_of_the_browser_bar_is_the_dark_pages_background(new_context, base_url):
    for scheme in ("light", "dark"):
        page = new_context(color_scheme=scheme).new_page()
        page.goto(base_url + "/login")
        background = page.evaluate(
            "getComputedStyle(document.documentElement).getPropertyValue('--bg').trim()"
        )
        meta = page.locator(f'meta[name="theme-color"][media="(prefers-color-scheme: {scheme})"]')
        assert meta.get_attribute("content") == background, scheme


def test_after_a_release_the_page_runs_the_new_modules_under_the_old_worker_and_updates(
    browser, new_context, tmp_path
):
    server = ReleasedServer(tmp_path).start()
    try:
        account = make_account(browser, server.url, diary_today() + timedelta(weeks=12))
        page = new_context(storage_state=account.storage_state).new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        visited_online(page, server.url, "/")
        # Her own copy of the offline page, as kept when the worker had installed before she logged in.
        page.evaluate("caches.open('baekkendagbog-pages').then((pages) => pages.add('/offline'))")
        old_shell = [
            name for name in page.evaluate("caches.keys()") if name.startswith("baekkendagbog-shell-")
        ]

        # The release: outbox.js gains an export that app.js now imports.
        server.stop()
        server.edit("static/js/outbox.js", lambda text: text + '\nexport const release = "two";\n')
        server.edit(
            "static/js/app.js",
            lambda text: (
                'import { release } from "./outbox.js";\n'
                + text
                + "\ndocument.documentElement.dataset.release = release;\n"
            ),
        )
        server.start()
        page.reload()  # still under the old worker, with its old cache

        page.wait_for_function("() => document.documentElement.dataset.release === 'two'")
        banner = page.locator("#update-banner")
        banner.wait_for(state="visible")
        with page.expect_navigation():
            banner.get_by_role("button").tap()
        controlled(page)
        page.wait_for_function("() => document.documentElement.dataset.release === 'two'")

        shells = [name for name in page.evaluate("caches.keys()") if name.startswith("baekkendagbog-shell-")]
        assert len(shells) == 1 and shells != old_shell  # the old version's cache is gone
        app_js = page.locator("script[type=module]").get_attribute("src")
        wait_until(
            page, lambda: app_js in kept_page(page, "/offline")
        )  # her kept offline page is the new release's
        page.context.set_offline(True)
        page.goto(server.url + "/settings")  # not kept: the offline page, of the new release
        assert page.locator("#offline-page").is_visible()
        assert page.locator("script[type=module]").get_attribute("src") == app_js
        page.goto(server.url + "/")
        log_offline(page, 4)  # the outbox works
        page.context.set_offline(False)
        status(page).get_by_text(message(page, "sent")).wait_for(timeout=20_000)
        assert outbox(page) == []
        assert errors == []
    finally:
        server.stop()
