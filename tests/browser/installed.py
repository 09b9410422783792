"""Helpers for the installed-app tests: the service worker, the outbox on the phone, and
what the page says about it."""

import shutil
from datetime import date
from pathlib import Path

from .phone import REPO_ROOT, LiveServer, pain, trigger

# A browser without Background Sync: only the page itself can send the outbox.
NO_BACKGROUND_SYNC_JS = (
    "Object.defineProperty(ServiceWorkerRegistration.prototype, 'sync', { get: () => undefined });"
)


def controlled(page) -> None:
    """Wait until the service worker is active and controls the page."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


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


def outbox(page) -> list[dict]:
    """Every item in the phone's outbox, read with the page's own outbox script."""
    page.wait_for_function("() => self.diaryOutbox !== undefined")
    return page.evaluate("() => self.diaryOutbox.allItems()")


def put_item(page, item: dict) -> None:
    """Put an item straight into the phone's outbox, as a save made earlier would have."""
    page.wait_for_function("() => self.diaryOutbox !== undefined")
    page.evaluate("(item) => self.diaryOutbox.putItem(item)", item)


def owner(page) -> str:
    return status(page).get_attribute("data-owner")


def waiting_item(page, day: date, pain_level: int, updated_at: str, owner_key: str | None = None) -> dict:
    """An outbox item as the log form makes it."""
    entry = {
        "date": day.isoformat(),
        "pain": pain_level,
        "locations": [],
        "sensations": [],
        "triggers": [],
        "night_wakings": 0,
        "relief": [],
        "note": "",
        "updated_at": updated_at,
    }
    return {"date": day.isoformat(), "entry": entry, "owner": owner_key or owner(page), "state": "waiting"}


def fill_in(page, level: int, code: str | None = None) -> None:
    pain(page, level).tap()
    if code:
        trigger(page, code).tap()


def log_offline(page, level: int, code: str | None = None) -> None:
    """Log today with no connection: the page stays, and says the day waits on the phone."""
    fill_in(page, level, code)
    url = page.url
    page.locator("#save-button").tap()
    status(page).get_by_text(message(page, "saved")).wait_for()
    assert page.url == url  # kept on the phone: no page load


def wait_until(page, condition, timeout_ms: int = 20_000, step_ms: int = 250) -> None:
    """Poll a Python condition while the page runs (the server's side of things)."""
    for _ in range(timeout_ms // step_ms):
        if condition():
            return
        page.wait_for_timeout(step_ms)
    assert condition()


class ReleasedServer(LiveServer):
    """The app served from its own copy of the tree, so that a test can change a file and start
    it again on the same address, as a new release."""

    COPIED = ("diary", "templates", "static", "advice", "questionnaires", "manage.py")

    def __init__(self, folder: Path):
        super().__init__(folder)
        self.tree = folder / "tree"
        for name in self.COPIED:
            source = REPO_ROOT / name
            if source.is_dir():
                shutil.copytree(source, self.tree / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, self.tree / name)

    def edit(self, name: str, change) -> None:
        """Change one file of the copy: change(text) -> new text."""
        path = self.tree / name
        path.write_text(change(path.read_text()))
