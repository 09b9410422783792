"""The weekly check on a phone: from the log page's offer through ten activities and the leg
raise to the week page's trend, in under fifteen taps, with nothing but HTML forms."""

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe

from .phone import Taps, csrf_token, diary_today, register

ANSWERS = {
    "walking": 1,
    "stairs": 2,
    "turning_in_bed": 0,
    "getting_up": 3,
    "standing": 1,
    "sitting": 1,
    "dressing": 2,
    "carrying": "na",
    "housework": 1,
    "sleeping": 2,
}
TAP_BUDGET = 15


def week_of(day):
    return day - timedelta(days=day.weekday())


def week_name(monday) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


@pytest.fixture
def diarist_with_last_week(page, base_url):
    """A new diarist who did last week's check through the API: everything "some difficulty"."""
    register(page, base_url)
    last_week = week_name(week_of(diary_today()) - timedelta(weeks=1))
    response = page.request.put(
        f"{base_url}/api/v1/checkins/{last_week}",
        data={"answers": dict.fromkeys(ANSWERS, 1), "leg_raise": {"left": 1, "right": 1}},
        headers={"X-CSRFToken": csrf_token(page)},
    )
    assert response.status == 200, response.text()
    return page


def answer(page, item: str, value) -> object:
    return page.locator(f"label.answer-option:has(input[name='answer-{item}'][value='{value}'])")


def test_it_completes_the_weekly_check_in_under_15_taps_and_sees_the_trend(diarist_with_last_week, base_url):
    page = diarist_with_last_week
    taps = Taps()
    page.goto(base_url + "/")
    offer = page.locator(".checkin-due")
    assert offer.is_visible()

    with page.expect_navigation():
        taps.tap(offer.locator("a.button"))
    assert page.url == base_url + "/checkin"
    for item, value in ANSWERS.items():
        target = answer(page, item, value)
        box = target.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (item, box)
        taps.tap(target)
        assert target.locator("input").is_checked()
    taps.tap(page.locator("label.leg-option:has(input[name='leg-left'][value='2'])"))
    taps.tap(page.locator("label.leg-option:has(input[name='leg-right'][value='3'])"))
    with page.expect_navigation():
        taps.tap(page.locator("#save-checkin"))

    assert taps.count < TAP_BUDGET
    assert re.search(r"/week/\d{4}-W\d{2}$", page.url)
    assert "Ugens tjek er gemt" in page.locator(".flashes").inner_text()
    trend = page.locator(".function-trend")
    trend.scroll_into_view_if_needed()
    words = trend.locator(".trend-words").inner_text()
    # 1+2+0+3+1+1+2+1+2 = 13 of at most 27 (carrying does not apply): 48.1 → 48
    assert "Hverdagens gøremål var sværere end ved sidste tjek: 48 af 100, 15 point mere end 33." in words
    assert "Benløftet var sværere end ved sidste tjek: 5 af 10, 3 point mere end 2." in words
    chart = trend.locator("svg[role=img]")
    assert chart.is_visible()
    assert chart.locator(".trend-dot").count() == 2
    assert trend.locator(".trend-table tbody tr").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for scheme in ("light", "dark"):  # the week page with a trend, as the shared axe screens have none
        page.emulate_media(color_scheme=scheme)
        page.reload()  # drawn in the scheme from the start: axe would measure a colour mid-transition
        violations = Axe().run(page).response["violations"]
        blocking = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert not blocking, (scheme, [(v["id"], [n["target"] for n in v["nodes"]][:4]) for v in blocking])

    page.goto(base_url + "/")
    assert not page.locator(".checkin-due").count()
    assert page.locator(".checkin-done").is_visible()


def test_a_missing_answer_is_marked_without_javascript(new_context, base_url):
    page = new_context(java_script_enabled=False).new_page()
    register(page, base_url)
    page.goto(base_url + "/checkin")
    for item, value in list(ANSWERS.items())[:-1]:  # sleeping left out
        answer(page, item, value).tap()
    with page.expect_navigation():
        page.locator("#save-checkin").tap()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert summary.locator("a[href='#group-answers-sleeping']").count() == 1
    assert answer(page, "walking", 1).locator("input").is_checked()
