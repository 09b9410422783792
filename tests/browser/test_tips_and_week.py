"""Tips and the weekly summary on a phone: a week of stairs brings the stairs tip with its
reason, the Week tab shows the chart, figures and table, the warning signs are one tap
away, a tip can be dismissed, and the advice search works without JavaScript."""

import re
from datetime import timedelta

import pytest

from .phone import chip, diary_today, pain, put_entry, register, save, set_due_date, unfold

STAIRS_TIP = '.tips .tip-card:has(a[href="/advice/stairs"])'


@pytest.fixture
def stairs_page(page, base_url):
    """A new diarist, 28 weeks along, who noted stairs on the three days before today."""
    register(page, base_url)
    set_due_date(page, base_url, diary_today() + timedelta(weeks=12))
    for back, level in ((1, 5), (2, 4), (3, 6)):
        day = diary_today() - timedelta(days=back)
        put_entry(
            page,
            base_url,
            {"date": day.isoformat(), "pain": level, "triggers": ["stairs"], "locations": ["symphysis"]},
        )
    return page


def log_today_with_stairs(page, level: int = 6) -> None:
    """Today through the log form: a pain level, the stairs trigger, save."""
    pain(page, level).tap()
    chip(page, "triggers", "stairs").tap()
    save(page)


def test_a_week_of_stairs_brings_the_stairs_tip_and_the_week_shows_the_day(stairs_page, base_url):
    page = stairs_page
    today = diary_today()

    log_today_with_stairs(page, 6)

    assert page.url == base_url + "/"
    tip = page.locator(STAIRS_TIP)
    assert tip.is_visible()
    assert tip.locator(".tip-title a").get_attribute("href") == "/advice/stairs"
    assert "4 af de sidste 7 dage" in tip.locator(".tip-reason").inner_text()
    assert not page.locator(".tips .tip-safety").count()

    page.locator(".tabbar a[href='/week']").tap()
    page.wait_for_url(re.compile(r"/week/\d{4}-W\d{2}$"))
    assert page.locator(".tabbar a[aria-current=page]").get_attribute("href") == "/week"
    chart = page.locator(".week-chart svg[role=img]")
    assert chart.is_visible()
    assert chart.locator("title").text_content().strip()
    assert chart.locator(".chart-dot").count() >= 1
    assert page.locator(".figures .figure").count() == 4
    row = page.locator(f'.data-table tbody tr:has(a[href="/entries/{today.isoformat()}"])')
    assert row.locator("td").first.inner_text().strip() == "6"
    week_reason = page.locator(STAIRS_TIP).locator(".tip-reason").inner_text()
    assert (
        "Sådan så det ud " in week_reason and "4 af de sidste 7 dage" in week_reason
    )  # dated, so it stays true later


def test_the_warning_signs_are_one_tap_from_the_log_page(logged_in, newcomer, base_url):
    page = logged_in(newcomer)
    page.goto(base_url + "/")
    link = page.locator(".topbar a.warning-link")
    assert link.is_visible()
    assert link.bounding_box()["y"] + link.bounding_box()["height"] <= 740  # on the first screen

    link.tap()

    page.wait_for_url(base_url + "/advice/warning-signs")
    assert page.locator(".call-box").is_visible()
    assert "112" in page.locator(".call-box").inner_text()
    assert page.locator(".topbar a.warning-link").get_attribute("aria-current") == "page"


def test_dont_show_again_takes_a_tip_off_the_log_page(stairs_page, base_url):
    page = stairs_page
    page.goto(base_url + "/")
    tip = page.locator(STAIRS_TIP)
    assert tip.is_visible()

    with page.expect_navigation():
        tip.locator("button[value=dismissed]").tap()

    assert page.url == base_url + "/"
    assert page.locator(".flash").is_visible()
    assert page.locator(STAIRS_TIP).count() == 0
    page.reload()
    assert page.locator(STAIRS_TIP).count() == 0


def test_safety_tips_cannot_be_dismissed(page, base_url):
    register(page, base_url)
    set_due_date(page, base_url, diary_today() + timedelta(weeks=12))
    for back in (0, 1, 2):
        day = diary_today() - timedelta(days=back)
        put_entry(page, base_url, {"date": day.isoformat(), "pain": 9})

    page.goto(base_url + "/")

    safety = page.locator(".tips .tip-card.tip-safety")
    assert safety.count() >= 1
    assert page.locator(".tips .tip-card").first.get_attribute("class").split().count("tip-safety") == 1
    assert safety.first.locator("button[value=dismissed]").count() == 0


def test_tapping_numbness_and_saving_puts_the_warning_signs_first_to_stay(stairs_page, base_url):
    page = stairs_page
    unfold(page, "sensations")
    numbness = chip(page, "sensations", "numbness")
    assert "ikke bækkenløsning" in numbness.inner_text()

    pain(page, 3).tap()
    numbness.tap()
    save(page)

    first = page.locator(".tips .tip-card").first
    assert "tip-safety" in first.get_attribute("class").split()
    assert first.locator(".tip-title a").get_attribute("href") == "/advice/warning-signs"
    assert (
        first.locator(".tip-reason")
        .inner_text()
        .count("Det er ikke bækkenløsning: ring til fødemodtagelsen med det samme.")
        == 1
    )
    assert first.locator("button[value=dismissed]").count() == 0


def test_the_advice_search_works_without_javascript(logged_in, newcomer, base_url):
    page = logged_in(newcomer, java_script_enabled=False)
    page.goto(base_url + "/advice")

    page.fill("#advice-search", "trappe")
    with page.expect_navigation():
        page.locator(".search button[type=submit]").click()

    assert page.url == base_url + "/advice?q=trappe"
    found = int(re.match(r"\d+", page.locator(".search-result").inner_text().strip())[0])
    assert found >= 1
    assert page.locator(".advice-row").count() == found
    assert page.locator('.advice-row[href="/advice/stairs"]').is_visible()
