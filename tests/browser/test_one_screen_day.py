"""A typical day on one phone screen (360 × 740): four taps without scrolling, "same as
yesterday" in two, both online and offline, and a pelvis whose every region is finger-sized."""

from datetime import timedelta

import pytest

from .installed import message, outbox, status, visited_online
from .phone import (
    PHONE,
    Taps,
    api_entry,
    chip,
    diary_today,
    make_account,
    pain,
    region,
    register,
    set_due_date,
    tap_where_it_is,
)

MIN_TARGET = 44  # CSS px

YESTERDAY = {
    "pain": 5,
    "locations": ["si_left", "buttocks"],
    "sensations": ["aching", "numbness"],
    "triggers": ["turning_in_bed", "lifting"],
    "night_wakings": 2,
    "relief": ["pillow_between_knees"],
    "note": "Kun for i går.",
}


@pytest.fixture
def fresh(browser, base_url):
    """A new diarist with nothing logged (each test changes her diary)."""
    return make_account(browser, base_url, diary_today() + timedelta(weeks=12))


@pytest.fixture
def after_yesterday(browser, base_url):
    """A diarist who logged yesterday (a warning sign too) and not yet today."""
    yesterday = {"date": (diary_today() - timedelta(days=1)).isoformat(), **YESTERDAY}
    return make_account(browser, base_url, diary_today() + timedelta(weeks=12), [yesterday])


def open_log_page(page, base_url, connection: str) -> None:
    """The log page as she opens it; offline, the copy the phone kept from her last visit."""
    if connection == "offline":
        visited_online(page, base_url, "/")
        page.goto(base_url + "/")  # now kept by the service worker
        page.context.set_offline(True)
    else:
        page.goto(base_url + "/")
    assert page.evaluate("window.scrollY") == 0


def saved(page, base_url, connection: str, taps: Taps) -> None:
    """Tap save; online the next page opens, offline the day waits on the phone until it is sent."""
    if connection == "online":
        with page.expect_navigation():
            tap_where_it_is(page, page.locator("#save-button"), taps)
        assert page.url == base_url + "/"
        assert page.locator(".flash-success").is_visible()
        return
    tap_where_it_is(page, page.locator("#save-button"), taps)
    status(page).get_by_text(message(page, "saved")).wait_for()
    assert [item["state"] for item in outbox(page)] == ["waiting"]
    assert page.evaluate("window.scrollY") == 0
    page.context.set_offline(False)
    status(page).get_by_text(message(page, "sent")).wait_for(timeout=20_000)
    assert outbox(page) == []


@pytest.mark.parametrize("connection", ["online", "offline"])
def test_it_logs_a_typical_day_in_four_taps_without_scrolling(logged_in, fresh, base_url, connection):
    page = logged_in(fresh)
    open_log_page(page, base_url, connection)
    taps = Taps()

    tap_where_it_is(page, pain(page, 6), taps)
    tap_where_it_is(page, region(page, "symphysis"), taps)
    tap_where_it_is(page, chip(page, "triggers", "stairs"), taps)
    assert page.evaluate("window.scrollY") == 0
    saved(page, base_url, connection, taps)

    assert taps.count == 4
    entry = api_entry(page, base_url, diary_today()).json()
    assert (entry["pain"], entry["locations"], entry["triggers"]) == (6, ["symphysis"], ["stairs"])
    assert (entry["sensations"], entry["relief"], entry["night_wakings"], entry["note"]) == ([], [], 0, "")


@pytest.mark.parametrize("connection", ["online", "offline"])
def test_it_logs_the_same_as_yesterday_in_two_taps(logged_in, after_yesterday, base_url, connection):
    page = logged_in(after_yesterday)
    open_log_page(page, base_url, connection)
    taps = Taps()

    tap_where_it_is(page, page.locator("#like-yesterday-button"), taps)
    assert page.locator("#pain-5").is_checked()  # ready to adjust before she saves
    assert page.locator("#like-yesterday-done").is_visible()
    if connection == "online":
        assert api_entry(page, base_url, diary_today()).status == 404  # filled, not saved
    saved(page, base_url, connection, taps)

    assert taps.count == 2
    entry = api_entry(page, base_url, diary_today()).json()
    expected = YESTERDAY | {"sensations": ["aching"], "note": ""}  # a warning sign is asked afresh
    assert {name: entry[name] for name in expected} == expected


def test_same_as_yesterday_can_be_adjusted_before_saving(logged_in, after_yesterday, base_url):
    page = logged_in(after_yesterday)
    page.goto(base_url + "/")

    page.locator("#like-yesterday-button").click()
    pain(page, 3).click()
    region(page, "buttocks").click()
    with page.expect_navigation():
        page.locator("#save-button").click()

    entry = api_entry(page, base_url, diary_today()).json()
    assert (entry["pain"], entry["locations"]) == (3, ["si_left"])


def test_same_as_yesterday_works_without_javascript(new_context, base_url):
    page = new_context(java_script_enabled=False).new_page()
    register(page, base_url)
    set_due_date(page, base_url, diary_today() + timedelta(weeks=10))
    yesterday = diary_today() - timedelta(days=1)
    page.goto(f"{base_url}/entries/{yesterday.isoformat()}")
    pain(page, 4).click()
    region(page, "hips").click()
    chip(page, "triggers", "stairs").click()
    with page.expect_navigation():
        page.locator("#save-button").click()
    page.goto(base_url + "/")

    with page.expect_navigation():
        page.locator("#like-yesterday-button").click()
    assert page.url.startswith(base_url + "/like-yesterday")
    assert page.locator("#pain-4").is_checked() and page.locator("#locations-hips").is_checked()
    assert api_entry(page, base_url, diary_today()).status == 404  # nothing saved before her second tap
    with page.expect_navigation():
        page.locator("#save-button").click()

    entry = api_entry(page, base_url, diary_today()).json()
    assert (entry["pain"], entry["locations"], entry["triggers"]) == (4, ["hips"], ["stairs"])


HIT_AREAS_JS = """
(minimum) => [...document.querySelectorAll(".pelvis-hit")].map((area) => {
  const box = area.getBoundingClientRect();
  // The middle minimum × minimum square of the area, sampled: every point must reach this area.
  const left = box.left + (box.width - minimum) / 2, top = box.top + (box.height - minimum) / 2;
  let covered = 0;
  for (let i = 0; i <= 4; i += 1) {
    for (let j = 0; j <= 4; j += 1) {
      const hit = document.elementFromPoint(left + (minimum * i) / 4, top + (minimum * j) / 4);
      if (!hit || hit.closest(".pelvis-hit") !== area) covered += 1;
    }
  }
  return { code: area.dataset.location, name: area.className, width: box.width, height: box.height, covered };
})
"""

REGIONS_JS = """
() => [...document.querySelectorAll("[data-pelvis] .region")].map((shape) => {
  const box = shape.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return { code: shape.dataset.location, answers: hit && hit.closest(".pelvis-hit")?.dataset.location };
})
"""


def test_every_pelvis_region_has_a_hit_area_of_at_least_44_px(logged_in, fresh, base_url):
    page = logged_in(fresh)
    page.goto(base_url + "/")
    assert page.viewport_size == PHONE["viewport"]

    areas = page.evaluate(HIT_AREAS_JS, MIN_TARGET)
    small = [area for area in areas if area["width"] < MIN_TARGET or area["height"] < MIN_TARGET]
    assert not small, f"hit areas under {MIN_TARGET}×{MIN_TARGET} px: {small}"
    covered = [area for area in areas if area["covered"]]
    assert not covered, f"hit areas partly covered by something else: {covered}"
    codes = {area["code"] for area in areas}
    assert codes == {"symphysis", "si_left", "si_right", "lower_back", "buttocks", "hips", "groin", "thighs"}
    # Each drawn region's middle answers for its own location.
    assert all(shape["answers"] == shape["code"] for shape in page.evaluate(REGIONS_JS))
