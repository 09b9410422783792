"""Helpers for the browser tests: the live server, phone settings, and doing things as she would."""

import os
import secrets
import socket
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.support.pgcluster import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "da-DK",
}
PASSWORD = "en lang og rolig sætning"
DIARY_TIMEZONE = ZoneInfo("Europe/Copenhagen")
DANISH_CATALOGUE = REPO_ROOT / "diary" / "translations" / "da" / "LC_MESSAGES" / "messages.mo"


def diary_today() -> date:
    """Today where the diary lives (the server's default time zone)."""
    return datetime.now(DIARY_TIMEZONE).date()


def week_word() -> str:
    """How the page writes "week": Danish once the Danish catalogue is compiled."""
    return "uge" if DANISH_CATALOGUE.exists() else "week"


def run_manage(env: dict, *args: str, stdin: str | None = None, tree: Path = REPO_ROOT) -> str:
    """Run `manage.py <args>` (of the code in tree) as an operator would, and return its output."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=tree,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class LiveServer:
    """`manage.py serve` on a free port, on its own SQLite database."""

    tree = REPO_ROOT  # the code it serves

    def __init__(self, folder: Path):
        self.env = os.environ | {
            "DATABASE_URL": f"sqlite:///{folder / 'browser.sqlite3'}",
            "SECRET_KEY": secrets.token_hex(20),
            "PYTHONUNBUFFERED": "1",
            # Every browser test registers and logs in from 127.0.0.1: the production limits would refuse.
            "REGISTER_RATE_LIMIT": "1000 per minute",
            "LOGIN_RATE_LIMIT": "1000 per minute",
            # The reminder tests subscribe a push endpoint on this machine, which production refuses.
            "PUSH_ALLOW_PRIVATE_ENDPOINTS": "true",
        }
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / "server.log"
        self.process = None
        self._log = None

    def start(self) -> "LiveServer":
        run_manage(self.env, "init-db", tree=self.tree)
        self._log = open(self.log_path, "a")  # a restarted server adds to its log
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=self.tree,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_until_it_answers()
        except RuntimeError as problem:
            self.stop()
            raise RuntimeError(f"{problem}\n{self.log_path.read_text()}") from None
        return self

    def _wait_until_it_answers(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped with exit code {self.process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"the server did not answer on port {self.port} within {timeout:.0f} s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None


def launch_chromium(playwright):
    """Debian's Chromium (Playwright cannot download its own browsers here)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def unique_email(prefix: str = "browser") -> str:
    return f"{prefix}-{secrets.token_hex(6)}@example.dk"


def register(page, base_url: str, email: str | None = None, password: str = PASSWORD) -> str:
    """Create an account through the register form; the page ends on /welcome."""
    email = email or unique_email()
    page.goto(base_url + "/register")
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("main form.stack button[type=submit]").click()
    page.wait_for_url(base_url + "/welcome")
    return email


def set_due_date(page, base_url: str, due: date) -> None:
    """Answer the welcome step; the page ends on the log page."""
    if not page.url.endswith("/welcome"):
        page.goto(base_url + "/welcome")
    page.fill("#due_date", due.isoformat())
    page.locator("main form.stack button[type=submit]").click()
    page.wait_for_url(base_url + "/")


def csrf_token(page) -> str:
    return page.locator('meta[name="csrf-token"]').get_attribute("content")


def put_entry(page, base_url: str, entry: dict) -> dict:
    """Store an entry through the JSON API, as the page's own scripts would."""
    response = page.request.put(
        f"{base_url}/api/v1/entries/{entry['date']}",
        data=entry,
        headers={"X-CSRFToken": csrf_token(page)},
    )
    assert response.status == 200, response.text()
    return response.json()


def make_share(page, base_url: str, **body) -> dict:
    """A report link made through the JSON API (defaults: the last four weeks, no notes, 14 days)."""
    response = page.request.post(
        f"{base_url}/api/v1/shares", data=body, headers={"X-CSRFToken": csrf_token(page)}
    )
    assert response.status == 201, response.text()
    return response.json()


def path_of(url: str) -> str:
    """The path of an absolute link the server made: /r/<token>."""
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def api_entry(page, base_url: str, day: date):
    """The API's answer for one day (status 200 with the entry, or 404)."""
    return page.request.get(f"{base_url}/api/v1/entries/{day.isoformat()}")


class Account:
    """A registered user and the browser state that keeps her logged in."""

    def __init__(self, email: str, storage_state: dict):
        self.email = email
        self.storage_state = storage_state


def make_account(browser, base_url: str, due: date | None, entries=()) -> Account:
    """Register through the UI, answer the welcome step and store entries through the API."""
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        email = register(page, base_url)
        if due is not None:
            set_due_date(page, base_url, due)
        else:
            page.goto(base_url + "/")
        for entry in entries:
            put_entry(page, base_url, entry)
        return Account(email, context.storage_state())
    finally:
        context.close()


class Taps:
    """Taps on the screen, counted: the four-tap promise is measured, not assumed."""

    def __init__(self):
        self.count = 0

    def tap(self, locator) -> None:
        self.count += 1
        locator.tap()

    def click(self, locator, **options) -> None:
        self.count += 1
        locator.click(**options)


def pain(page, level: int):
    """The pain scale's button for a level."""
    return page.locator(f"label.pain-option:has(input[name=pain][value='{level}'])")


def chip(page, field: str, code: str):
    """The chip for one code of a field (locations, triggers…)."""
    return page.locator(f"label.chip:has(input[name={field}][value={code}])")


def save(page, taps: Taps | None = None):
    """Tap the save button and wait for the page the server answers with."""
    with page.expect_navigation():
        if taps is None:
            page.locator("#save-button").tap()
        else:
            taps.tap(page.locator("#save-button"))


def region(page, code: str):
    """The pelvis drawing's hit area that names a location (the first of its mirrored areas)."""
    return page.locator(f"label.pelvis-hit:has(input[name=locations][value={code}])")


def trigger(page, code: str):
    """The chip of a trigger, unfolding "more" first when it is not among her usual ones."""
    found = chip(page, "triggers", code)
    if not found.is_visible():
        page.locator("#group-triggers .more-chips > summary").tap()
    return found


def unfold(page, field: str) -> None:
    """Open the fold of the log form that holds a field (sensations, night_wakings, relief, note)."""
    fold = page.locator(f"details.more-group:has(#group-{field})")
    if fold.get_attribute("open") is None:
        fold.locator("summary").tap()


IN_VIEW_JS = """
(element) => {
  const box = element.getBoundingClientRect();
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  const top = document.elementFromPoint(x, y);
  return {
    inside: box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth,
    onTop: top !== null && (element === top || element.contains(top)),
    x, y, scrollY: window.scrollY, box: [box.left, box.top, box.width, box.height],
  };
}
"""


def tap_where_it_is(page, locator, taps: Taps | None = None) -> None:
    """Tap an element where the screen shows it, as a finger would, after checking that it is in
    the viewport and on top. (Playwright's own tap first scrolls, even a sticky button that shows.)"""
    seen = locator.evaluate(IN_VIEW_JS)
    assert seen["inside"], f"{locator} is not wholly on the screen: {seen}"
    assert seen["onTop"], f"{locator} is covered by something else: {seen}"
    if taps is not None:
        taps.count += 1
    page.touchscreen.tap(seen["x"], seen["y"])
