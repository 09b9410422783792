"""The settings page on a phone (360×740) opens at the form she sent: its error summary or its
confirmation is on screen and has the focus, not 900–2,600 px further down."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from .phone import PASSWORD, diary_today, make_account

VIEWPORT_HEIGHT = 740


def on_screen(page, selector: str) -> bool:
    """Whether the whole element is inside the viewport."""
    box = page.eval_on_selector(
        selector, "element => { const r = element.getBoundingClientRect(); return [r.top, r.bottom]; }"
    )
    return -1 <= box[0] and box[1] <= VIEWPORT_HEIGHT + 1  # a pixel of rounding either way


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def change_password(page, base_url, current: str, new: str = "et helt nyt og langt kodeord") -> None:
    page.goto(base_url + "/settings")
    section = page.locator("#password")
    section.get_by_label("Nuværende adgangskode").fill(current)
    section.get_by_label("Ny adgangskode").fill(new)
    with page.expect_navigation():
        section.get_by_role("button", name="Skift adgangskode").click()
    page.wait_for_load_state("load")


@pytest.fixture
def her_phone(logged_in, browser, base_url):
    """A phone logged in as a new user of her own (these tests change her password)."""

    def open_phone(**options):
        account = make_account(browser, base_url, diary_today() + timedelta(weeks=14))
        return logged_in(account, **options)

    return open_phone


def test_a_wrong_current_password_opens_the_page_at_the_focused_error_summary(her_phone, base_url):
    page = her_phone()
    change_password(page, base_url, current="ikke min adgangskode")

    assert page.url.endswith("/settings/password#password-outcome")
    expect(page.locator("#password-outcome")).to_be_focused()
    assert on_screen(page, "#password-outcome")
    assert on_screen(page, "#password-heading")  # which form it is about
    assert page.evaluate("window.scrollY") > 500  # the form sits far down the page
    summary = page.locator("#password-outcome")
    assert "Det er ikke din nuværende adgangskode." in summary.inner_text()
    summary.get_by_role("link").click()  # the summary's link leads to the field
    assert focused_id(page) == "password-current_password"


def test_without_javascript_the_fragment_still_opens_the_page_at_the_error(her_phone, base_url):
    page = her_phone(java_script_enabled=False)
    change_password(page, base_url, current="ikke min adgangskode")

    expect(page.locator("#password-outcome")).to_be_focused()
    assert on_screen(page, "#password-outcome")
    assert page.evaluate("window.scrollY") > 500


def test_a_changed_password_opens_the_page_at_the_focused_confirmation(her_phone, base_url):
    page = her_phone()
    change_password(page, base_url, current=PASSWORD)

    assert page.url == base_url + "/settings#password-outcome"
    expect(page.locator("#password-outcome")).to_be_focused()
    assert on_screen(page, "#password-outcome")
    assert "Din adgangskode er skiftet." in page.locator("#password-outcome").inner_text()
    assert page.locator(".flashes").count() == 0  # said once, beside the form
