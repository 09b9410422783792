"""Browser fixtures: the real server in a subprocess, Debian's Chromium through Playwright,
and phone-sized pages (360×740, touch, Danish).

Every test in tests/browser is marked `browser`: `pytest -m "not browser"` leaves them out.
"""

from datetime import timedelta
from pathlib import Path

import pytest

from tests.support.database import in_app
from tests.support.required import missing

from .phone import (
    CHROMIUM,
    PHONE,
    Account,
    LiveServer,
    diary_today,
    launch_chromium,
    make_account,
    make_share,
)
from .screens import PAST_DAY_OFFSET

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder as a browser test."""
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """`manage.py serve` in a subprocess for the whole run, on a throwaway database."""
    server = LiveServer(tmp_path_factory.mktemp("live-server")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    return live_server.url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        missing("BROWSER", f"{CHROMIUM} is missing: Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser):
    """Open phone-sized browser contexts (options override the phone's); closed after the test."""
    contexts = []

    def open_context(**options):
        context = browser.new_context(**(PHONE | options))
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A fresh phone: 360×740 at 2× density, touch, Danish."""
    return new_context().new_page()


@pytest.fixture
def logged_in(new_context):
    """Open a phone logged in as an account: logged_in(account, **context_options) → page."""

    def open_page(account: Account, **options):
        return new_context(storage_state=account.storage_state, **options).new_page()

    return open_page


@pytest.fixture(scope="session")
def diarist(browser, base_url) -> Account:
    """A user 28 weeks along with today, an earlier day and a few more logged; only read from."""
    today = diary_today()
    entries = [
        {
            "date": today.isoformat(),
            "pain": 6,
            "locations": ["symphysis", "si_left"],
            "sensations": ["stabbing"],
            "triggers": ["stairs", "turning_in_bed"],
            "night_wakings": 2,
            "relief": ["pelvic_belt"],
            "note": "Trapperne var hårde i dag.",
        },
        {
            "date": (today - timedelta(days=PAST_DAY_OFFSET)).isoformat(),
            "pain": 3,
            "locations": ["lower_back"],
            "sensations": ["aching"],
            "triggers": ["sitting"],
            "night_wakings": 0,
            "relief": ["rest", "heat"],
            "note": "",
        },
    ]
    for offset, pain in ((1, 9), (2, 8), (5, 1), (6, 4)):
        day = today - timedelta(days=offset)
        entries.append(
            {"date": day.isoformat(), "pain": pain, "triggers": ["walking"], "locations": ["hips"]}
        )
    return make_account(browser, base_url, today + timedelta(weeks=12), entries)


@pytest.fixture(scope="session")
def diarist_share(browser, base_url, diarist) -> dict:
    """One report link of the diarist's last four weeks, as the API answered it."""
    context = browser.new_context(**PHONE, storage_state=diarist.storage_state)
    try:
        page = context.new_page()
        page.goto(base_url + "/shares")
        return make_share(page, base_url)
    finally:
        context.close()


@pytest.fixture(scope="session")
def reset_token(browser, base_url, live_server) -> str:
    """An open password-reset link's token for a user of its own, as a mailed link carries it."""
    from diary import create_app
    from diary.accounts.resets import issue_reset_token
    from diary.models import User

    account = make_account(browser, base_url, None)
    app = create_app({"DATABASE_URL": live_server.env["DATABASE_URL"]})
    with in_app(app):
        return issue_reset_token(User.by_email(account.email))


@pytest.fixture(scope="session")
def newcomer(browser, base_url) -> Account:
    """A user with a due date and nothing logged yet."""
    return make_account(browser, base_url, diary_today() + timedelta(weeks=20))


@pytest.fixture(scope="session")
def yesterday_diarist(browser, base_url) -> Account:
    """A user 28 weeks along who logged yesterday and not yet today; only read from."""
    yesterday = {
        "date": (diary_today() - timedelta(days=1)).isoformat(),
        "pain": 5,
        "locations": ["symphysis", "groin"],
        "sensations": ["stabbing"],
        "triggers": ["walking", "getting_up"],
        "night_wakings": 1,
        "relief": ["pelvic_belt"],
    }
    return make_account(browser, base_url, diary_today() + timedelta(weeks=12), [yesterday])


@pytest.fixture(scope="session")
def red_flag_diarist(browser, base_url) -> Account:
    """A user 30 weeks along who logged a numb leg today and saved both her numbers."""
    today = diary_today()
    entry = {"date": today.isoformat(), "pain": 3, "locations": ["lower_back"], "sensations": ["numbness"]}
    account = make_account(browser, base_url, today + timedelta(weeks=10), [entry])
    context = browser.new_context(**PHONE, storage_state=account.storage_state)
    try:
        page = context.new_page()
        page.goto(base_url + "/settings")
        page.get_by_label("Fødemodtagelsen, hvor du skal føde").fill("35 45 12 34")
        page.get_by_label("Din egen læge").fill("70 11 31 31")
        with page.expect_navigation():
            page.get_by_role("button", name="Gem numrene").click()
        return account
    finally:
        context.close()


@pytest.fixture
def screen_page(request, logged_in, new_context, base_url):
    """Open one of screens.SCREENS as the right person: screen_page(screen, **context_options)."""

    def open_screen(screen, **options):
        if screen.who == "anonymous":
            page = new_context(**options).new_page()
        else:
            page = logged_in(request.getfixturevalue(screen.who), **options)
        screen.open(page, base_url, request.getfixturevalue(screen.given) if screen.given else None)
        return page

    return open_screen
