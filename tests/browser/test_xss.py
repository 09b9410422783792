"""The XSS corpus in a real browser: with every payload stored as a note, as her display name and
typed into the advice search, no page opens a JavaScript dialog and none makes Chromium report a
Content Security Policy violation (which is what injected inline script, handlers or style would
cause, since the policy blocks them)."""

from datetime import timedelta

import pytest

from tests.web.test_xss import CORPUS, path_of

from .phone import PHONE, csrf_token, diary_today, make_account, make_share

DISPLAY_NAME = '"><img src=x onerror=alert(2)>'
#: Collects the policy violations a page reports, from before its first script runs.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


@pytest.fixture(scope="module")
def xss_diarist(browser, base_url):
    """A diarist whose last days carry the corpus as notes, with a payload as her display name."""
    today = diary_today()
    entries = [
        {
            "date": (today - timedelta(days=offset)).isoformat(),
            "pain": 5,
            "triggers": ["stairs"],
            "note": payload,
        }
        for offset, (_, payload) in enumerate(CORPUS)
    ]
    account = make_account(browser, base_url, today + timedelta(weeks=12), entries)
    context = browser.new_context(**PHONE, storage_state=account.storage_state)
    try:
        page = context.new_page()
        page.goto(base_url + "/settings")
        page.fill("#profile-display_name", DISPLAY_NAME)
        with page.expect_navigation():
            page.locator("#profile-display_name").press("Enter")
        assert page.locator("#profile-display_name").input_value() == DISPLAY_NAME
        share = make_share(page, base_url, include_notes=True)
        assert csrf_token(page)
    finally:
        context.close()
    return account, share


def diary_paths(share) -> list[str]:
    today = diary_today()
    days = [today - timedelta(days=offset) for offset in range(1, len(CORPUS))]
    return (
        ["/", "/history", "/week", "/settings", "/shares", path_of(share["url"])]
        + [f"/entries/{day}" for day in days]
        + [f"/entries/{day}/delete" for day in days]
    )


@pytest.fixture
def watched(logged_in, xss_diarist):
    """A logged-in phone that records every dialog and error message a page produces."""
    account, _ = xss_diarist
    page = logged_in(account)
    seen = {"dialogs": [], "errors": []}

    def on_dialog(dialog):
        seen["dialogs"].append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda message: message.type == "error" and seen["errors"].append(message.text))
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.add_init_script(RECORD_VIOLATIONS)
    return page, seen


def problems_on(page, seen) -> list[str]:
    """What went wrong on the open page once it has loaded: dialogs and policy violations."""
    page.wait_for_load_state("load")
    problems = page.evaluate("window.__violations || []")
    problems += seen["dialogs"] + [error for error in seen["errors"] if "Content Security Policy" in error]
    seen["dialogs"].clear()
    seen["errors"].clear()
    return problems


def visit(page, seen, url) -> list[str]:
    """Open a page, let its scripts run, and return what went wrong there."""
    response = page.goto(url)
    return ([] if response.ok else [f"status {response.status}"]) + problems_on(page, seen)


def test_no_page_with_the_corpus_opens_a_dialog_or_breaks_the_policy(watched, xss_diarist, base_url):
    page, seen = watched
    _, share = xss_diarist
    found = {path: visit(page, seen, base_url + path) for path in diary_paths(share)}
    found = {path: problems for path, problems in found.items() if problems}
    assert not found, found


def test_no_advice_search_for_a_payload_opens_a_dialog_or_breaks_the_policy(watched, base_url):
    page, seen = watched
    found = {}
    for name, payload in CORPUS:
        page.goto(base_url + "/advice")
        page.fill("#advice-search", payload[:100])
        with page.expect_navigation():
            page.locator("#advice-search").press("Enter")
        problems = problems_on(page, seen)
        if problems:
            found[name] = problems
    assert not found, found


def test_the_watch_sees_what_an_injected_handler_would_do(watched, base_url):
    """The checks above can fail: markup slipped into a page is reported by the policy."""
    page, seen = watched
    assert visit(page, seen, base_url + "/settings") == []
    injected = '<img src="/static/none.png" onerror="alert(1)">'
    page.evaluate("(markup) => document.body.insertAdjacentHTML('beforeend', markup)", injected)
    page.wait_for_function("window.__violations.length > 0")
    assert any("script-src" in violation for violation in page.evaluate("window.__violations"))
