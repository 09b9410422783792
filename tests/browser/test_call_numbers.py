"""Her own numbers on a phone: saved in settings without JavaScript's help, then one tap
from the warning signs, also offline."""

from datetime import timedelta

from .installed import controlled
from .phone import diary_today, make_account


def test_saved_numbers_are_one_tap_calls_on_the_warning_signs_even_offline(logged_in, browser, base_url):
    page = logged_in(make_account(browser, base_url, diary_today() + timedelta(weeks=10)))
    page.goto(base_url + "/settings")
    controlled(page)
    page.get_by_label("Fødemodtagelsen, hvor du skal føde").fill("35 45 12 34")
    page.get_by_label("Din egen læge").fill("70 11 31 31")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem numrene").click()

    # Where she will use them, and kept for offline use.
    assert page.url == base_url + "/advice/warning-signs#main"
    call = page.locator(".call-box").get_by_role("link", name="Ring til fødemodtagelsen 35 45 12 34")
    assert call.get_attribute("href") == "tel:+4535451234"
    page.context.set_offline(True)
    page.goto(base_url + "/advice/warning-signs")
    assert page.locator(".call-box a[href='tel:+4535451234']").is_visible()
    assert page.locator(".call-box a[href='tel:112']").is_visible()
