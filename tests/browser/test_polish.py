"""What a new user tripped over, on a phone (360×740): the header fits with the warning signs
named and the settings cog in reach, chips look like checkboxes, "Helpful" shows it was
pressed (with and without JavaScript), and the history says which number is the pain."""

from datetime import timedelta

import pytest

from .phone import diary_today, make_account

WIDTH = 360
STAIRS_TIP = '.tips .tip-card:has(a[href="/advice/stairs"])'


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_header_fits_with_the_named_warning_link_and_the_cog(logged_in, diarist, base_url, scheme):
    page = logged_in(diarist, color_scheme=scheme)
    page.goto(base_url + "/")

    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    for selector in (".topbar .warning-link", ".topbar a[href='/settings']"):
        found = box(page, selector)
        assert found["x"] >= 0 and found["x"] + found["width"] <= WIDTH, selector
        assert found["width"] >= 44 and found["height"] >= 44, selector
    assert page.locator(".topbar .warning-link").inner_text().strip() == "Advarselstegn"


def test_the_chips_wear_square_marks(logged_in, diarist, base_url):
    page = logged_in(diarist)
    page.goto(base_url + "/")
    radius = page.eval_on_selector(
        "label.chip:has(input[value=stairs]) span", "span => getComputedStyle(span, '::before').borderRadius"
    )
    assert radius.endswith("px") and float(radius[:-2]) <= 6, radius


@pytest.fixture
def stairs_account(browser, base_url):
    """A new diarist who noted stairs on the four days up to today: the stairs tip shows."""
    today = diary_today()
    entries = [
        {"date": (today - timedelta(days=back)).isoformat(), "pain": 5, "triggers": ["stairs"]}
        for back in range(4)
    ]
    return make_account(browser, base_url, today + timedelta(weeks=12), entries)


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_helpful_shows_that_it_was_pressed(logged_in, stairs_account, base_url, javascript):
    page = logged_in(stairs_account, java_script_enabled=javascript)
    page.goto(base_url + "/")
    helpful = page.locator(STAIRS_TIP).get_by_role("button", name="Det hjalp")
    assert helpful.get_attribute("aria-pressed") == "false"
    before = helpful.evaluate("button => getComputedStyle(button).backgroundColor")

    with page.expect_navigation():
        helpful.click()

    helpful = page.locator(STAIRS_TIP).get_by_role("button", name="Det hjalp")
    assert helpful.get_attribute("aria-pressed") == "true"
    assert helpful.evaluate("button => getComputedStyle(button).backgroundColor") != before
    assert "✓" in helpful.evaluate("button => getComputedStyle(button, '::before').content")

    with page.expect_navigation():
        helpful.click()
    assert (
        page.locator(STAIRS_TIP).get_by_role("button", name="Det hjalp").get_attribute("aria-pressed")
        == "false"
    )


def test_the_history_says_which_number_is_the_pain(logged_in, diarist, base_url):
    page = logged_in(diarist)
    page.goto(base_url + "/history")
    key = page.locator("#calendar-key")
    assert key.is_visible()
    assert "det store tal er smerten" in key.inner_text()
    today = page.locator(f'a.day-cell[href="/entries/{diary_today().isoformat()}"]')
    assert today.get_attribute("aria-label").endswith("smerte 6")
