"""Every page of the app as a phone shows it, named, with who is looking and how to get there."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from .phone import diary_today, path_of

PAST_DAY_OFFSET = 3  # the diarist's logged earlier day (see conftest.diarist)
EMPTY_WEEKS_BACK = 10  # a week before the diarist's first entry


def past_day():
    return diary_today() - timedelta(days=PAST_DAY_OFFSET)


def week_path(day) -> str:
    """The weekly page of the ISO week that holds a day: /week/2026-W47."""
    year, week, _ = day.isocalendar()
    return f"/week/{year}-W{week:02d}"


def empty_week():
    return week_path(diary_today() - timedelta(weeks=EMPTY_WEEKS_BACK))


def _submit_log_form_without_pain(page, base_url):
    """Post the log form with no pain chosen, as a browser without JavaScript and without its
    own check of required answers would (the page's script saves through the outbox instead)."""
    page.goto(base_url + "/")
    page.locator("label.chip:has(input[value=stairs])").click()
    with page.expect_navigation():
        page.eval_on_selector("#log-form", "form => form.submit()")


def _fill_in_as_yesterday(page, base_url):
    """Today's form filled with yesterday's answers, not yet saved."""
    page.goto(base_url + "/")
    page.locator("#like-yesterday-button").click()


def _make_share_from_the_form(page, base_url):
    """Make a report link on /shares with the defaults: she lands on the new link."""
    page.goto(base_url + "/shares")
    with page.expect_navigation():
        page.locator("main form.stack button[type=submit]").click()


def _submit_empty_register_form(page, base_url):
    page.goto(base_url + "/register")
    with page.expect_navigation():
        page.locator("main form.stack button[type=submit]").click()


def _submit_wrong_current_password(page, base_url):
    """The settings' password form with a wrong current password: the page opens at its summary."""
    page.goto(base_url + "/settings")
    section = page.locator("#password")
    section.get_by_label("Nuværende adgangskode").fill("ikke min adgangskode")
    section.get_by_label("Ny adgangskode").fill("et helt nyt og langt kodeord")
    with page.expect_navigation():
        section.get_by_role("button", name="Skift adgangskode").click()


def _save_settings_unchanged(page, base_url):
    """The settings' first form saved as it is: the page opens at its confirmation."""
    page.goto(base_url + "/settings")
    with page.expect_navigation():
        page.locator("#profile").get_by_role("button", name="Gem indstillinger").click()


@dataclass(frozen=True)
class Screen:
    name: str
    # "anonymous", "diarist" (has entries), "newcomer" (nothing logged), "yesterday_diarist" (logged
    # yesterday, not today) or "red_flag_diarist"
    who: str
    path: Callable[..., str] | None = None  # given the `given` fixture's value when there is one
    action: Callable | None = None  # instead of a path: how to reach the page
    selector: str = "main h1"  # something that proves the right page is shown
    given: str | None = None  # a session fixture the page needs, e.g. "diarist_share"

    def open(self, page, base_url, given=None):
        if self.action is not None:
            self.action(page, base_url)
        else:
            page.goto(base_url + (self.path(given) if self.given else self.path()))
        page.locator(self.selector).first.wait_for()


SCREENS = [
    Screen("landing", "anonymous", lambda: "/", selector=".hero"),
    Screen("login", "anonymous", lambda: "/login", selector="#email"),
    Screen("register", "anonymous", lambda: "/register", selector="#email"),
    Screen("register-errors", "anonymous", action=_submit_empty_register_form, selector=".field-error"),
    Screen("welcome", "newcomer", lambda: "/welcome", selector="#due_date"),
    Screen("log-empty", "newcomer", lambda: "/", selector="#log-form"),
    Screen("log", "diarist", lambda: "/", selector=".tips .tip-card"),  # today saved: the day, Edit, the tips
    Screen("log-yesterday", "yesterday_diarist", lambda: "/", selector="#like-yesterday-button"),
    Screen("log-filled", "yesterday_diarist", action=_fill_in_as_yesterday, selector="#like-yesterday-done"),
    Screen("log-red-flag", "red_flag_diarist", lambda: "/", selector=".tip-safety .call-list"),
    Screen("log-errors", "newcomer", action=_submit_log_form_without_pain, selector="#error-summary"),
    Screen(
        "day", "diarist", lambda: f"/entries/{past_day().isoformat()}", selector=".day-header .saved-badge"
    ),
    Screen(
        "delete", "diarist", lambda: f"/entries/{past_day().isoformat()}/delete", selector=".button-danger"
    ),
    Screen("history", "diarist", lambda: "/history", selector=".calendar"),
    Screen("week", "diarist", lambda: week_path(diary_today()), selector=".week-chart svg[role=img]"),
    Screen("week-empty", "diarist", empty_week, selector=".empty-state"),
    Screen("checkin", "newcomer", lambda: "/checkin", selector="#checkin-form"),
    Screen("advice", "diarist", lambda: "/advice", selector=".advice-list"),
    Screen("advice-search", "diarist", lambda: "/advice?q=trappe", selector=".search-result"),
    Screen("advice-item", "diarist", lambda: "/advice/stairs", selector=".advice-item .prose"),
    Screen("warning-signs", "diarist", lambda: "/advice/warning-signs", selector=".call-box"),
    Screen("warning-signs-anonymous", "anonymous", lambda: "/advice/warning-signs", selector=".call-box"),
    Screen("settings", "diarist", lambda: "/settings", selector="#profile-due_date"),
    Screen("settings-error", "diarist", action=_submit_wrong_current_password, selector="#password-outcome"),
    Screen("settings-saved", "diarist", action=_save_settings_unchanged, selector="#profile-outcome"),
    Screen("shares", "diarist", lambda share: "/shares", given="diarist_share", selector=".share-card"),
    Screen("share-made", "diarist", action=_make_share_from_the_form, selector=".qr-large .qr-code"),
    Screen("settings-reminder", "diarist", lambda: "/settings#reminder", selector="#reminder-time"),
    Screen(
        "share-revoke",
        "diarist",
        lambda share: f"/shares/{share['id']}/revoke",
        given="diarist_share",
        selector=".button-danger",
    ),
    # The midwife's view: no account, only the link (the report is always light).
    Screen(
        "report",
        "anonymous",
        lambda share: path_of(share["url"]),
        given="diarist_share",
        selector=".key-figures",
    ),
    Screen("not-found", "diarist", lambda: "/no-such-page", selector=".error-card"),
    Screen("privacy", "anonymous", lambda: "/privacy"),
    Screen("install", "diarist", lambda: "/install"),
    Screen("offline", "diarist", lambda: "/offline"),
    Screen("forgot", "anonymous", lambda: "/forgot"),  # without SMTP: whom to ask
    Screen(
        "reset",
        "anonymous",
        lambda token: f"/reset/{token}",
        given="reset_token",
        selector="input[type=password]",
    ),
]
