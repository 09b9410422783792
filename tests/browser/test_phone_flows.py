"""The diary on a phone: logging a day in four taps, earlier days, the pelvis drawing,
the stepper, the layout at 360 px, and the whole thing without JavaScript."""

import re
from datetime import datetime, timedelta

import pytest

from .phone import (
    Taps,
    api_entry,
    chip,
    diary_today,
    pain,
    region,
    register,
    save,
    set_due_date,
    trigger,
    unfold,
    week_word,
)
from .screens import SCREENS

MIN_TARGET = 44  # CSS px, WCAG 2.2 "target size (enhanced)" and the platforms' guidance

# Every visible control, measured as a finger meets it: a radio or checkbox by its label.
# A link inside a sentence of an advice text is WCAG's inline exception (2.5.5, 2.5.8):
# its size is set by the line of text it sits in.
SMALL_TARGETS_JS = """
(minimum) => {
  const small = [];
  const seen = new Set();
  for (const control of document.querySelectorAll("a[href], button, input, select, textarea")) {
    if (control.type === "hidden") continue;
    if (control.closest(".prose") && getComputedStyle(control).display === "inline") continue;
    let target = control;
    if (control.type === "radio" || control.type === "checkbox") {
      target = control.closest("label") || document.querySelector(`label[for="${control.id}"]`) || control;
    }
    if (seen.has(target)) continue;
    seen.add(target);
    const style = getComputedStyle(target);
    if (style.display === "none" || style.visibility === "hidden" || !target.getClientRects().length) continue;
    const box = target.getBoundingClientRect();
    if (box.bottom + window.scrollY <= 0 || box.right + window.scrollX <= 0) continue;  // off screen until focused
    if (box.width < minimum || box.height < minimum) {
      const name = (target.getAttribute("aria-label") || target.textContent || control.name || "").trim().slice(0, 40);
      small.push(`${target.tagName.toLowerCase()}.${target.className} "${name}": ${box.width.toFixed(1)}×${box.height.toFixed(1)}`);
    }
  }
  return small;
}
"""


def checkbox(page, field: str, code: str):
    return page.locator(f"input[name={field}][value={code}]")


def edit_time(entry) -> datetime:
    return datetime.fromisoformat(entry["updated_at"].replace("Z", "+00:00"))


def open_day_from_calendar(page, base_url, day):
    page.goto(base_url + "/history")
    if day.month != diary_today().month:
        page.locator(".month-nav a[rel=prev]").tap()
        page.wait_for_url(re.compile(r"/history\?month="))
    page.locator(f'a.day-cell[href="/entries/{day.isoformat()}"]').tap()
    page.wait_for_url(f"{base_url}/entries/{day.isoformat()}")


@pytest.fixture
def diarist_page(page, base_url):
    """A phone on which a new diarist has just registered and given her due date (28+0 today)."""
    register(page, base_url)
    set_due_date(page, base_url, diary_today() + timedelta(weeks=12))
    return page


def test_it_logs_today_in_four_taps(diarist_page, base_url):
    page = diarist_page
    today = diary_today()
    taps = Taps()

    taps.tap(pain(page, 6))
    taps.tap(region(page, "symphysis"))
    taps.tap(chip(page, "triggers", "stairs"))
    save(page, taps)

    assert taps.count == 4
    assert page.url == base_url + "/"
    assert page.locator(".flash-success").is_visible()
    response = api_entry(page, base_url, today)
    assert response.status == 200
    entry = response.json()
    assert (entry["date"], entry["pain"]) == (today.isoformat(), 6)
    assert entry["locations"] == ["symphysis"]
    assert entry["triggers"] == ["stairs"]
    assert entry["night_wakings"] == 0

    page.locator(".tabbar a[href='/history']").tap()
    page.wait_for_url(base_url + "/history")
    cell = page.locator(f'a.day-cell[href="/entries/{today.isoformat()}"]')
    assert "pain-6" in cell.get_attribute("class").split()
    assert cell.locator(".day-pain").inner_text() == "6"
    rows = page.locator(".entry-list .entry-row")
    assert rows.count() == 1
    assert rows.first.get_attribute("href") == f"/entries/{today.isoformat()}"
    assert "pain-6" in rows.first.locator(".pain-badge").get_attribute("class").split()
    # "Man. 30. nov.": only the first letter is raised, as Danish writes dates inside a line.
    transforms = (
        "el => [getComputedStyle(el).textTransform, getComputedStyle(el, '::first-letter').textTransform]"
    )
    assert rows.first.locator(".entry-date").evaluate(transforms) == ["none", "uppercase"]


def test_it_fills_in_edits_and_deletes_an_earlier_day(diarist_page, base_url):
    page = diarist_page
    day = diary_today() - timedelta(days=3)

    open_day_from_calendar(page, base_url, day)
    assert page.locator(".saved-badge").count() == 0
    pain(page, 3).tap()
    region(page, "lower_back").tap()
    trigger(page, "sitting").tap()
    unfold(page, "night_wakings")
    page.locator("[data-step='1']").tap()
    unfold(page, "note")
    page.fill("#note", "Lang dag ved skrivebordet.")
    save(page)

    assert page.url.startswith(f"{base_url}/history?month={day:%Y-%m}")
    assert page.locator(".flash-success").is_visible()
    entry = api_entry(page, base_url, day).json()
    assert (entry["pain"], entry["locations"], entry["triggers"]) == (3, ["lower_back"], ["sitting"])
    assert (entry["night_wakings"], entry["note"]) == (1, "Lang dag ved skrivebordet.")
    cell = page.locator(f'a.day-cell[href="/entries/{day.isoformat()}"]')
    assert "pain-3" in cell.get_attribute("class").split()

    cell.tap()
    page.wait_for_url(f"{base_url}/entries/{day.isoformat()}")
    assert page.locator(".saved-badge").is_visible()
    assert page.locator("#pain-3").is_checked()
    assert checkbox(page, "triggers", "sitting").is_checked()
    pain(page, 8).tap()
    chip(page, "triggers", "sitting").tap()  # chosen, so on the first row
    trigger(page, "walking").tap()
    save(page)

    edited = api_entry(page, base_url, day).json()
    assert (edited["pain"], edited["triggers"], edited["locations"]) == (8, ["walking"], ["lower_back"])
    assert edited["note"] == "Lang dag ved skrivebordet."
    assert edit_time(edited) > edit_time(entry)

    open_day_from_calendar(page, base_url, day)
    page.locator(".danger-link a").tap()
    page.wait_for_url(f"{base_url}/entries/{day.isoformat()}/delete")
    assert api_entry(page, base_url, day).status == 200  # nothing happens before she confirms
    with page.expect_navigation():
        page.locator("button.button-danger").tap()

    assert page.locator(".flash-success").is_visible()
    assert api_entry(page, base_url, day).status == 404
    cell = page.locator(f'a.day-cell[href="/entries/{day.isoformat()}"]')
    assert "empty" in cell.get_attribute("class").split()


def test_it_shows_the_week_of_pregnancy_once_the_due_date_is_set(page, base_url):
    register(page, base_url)
    page.goto(base_url + "/")
    assert page.locator(".day-meta .stage").count() == 0

    set_due_date(page, base_url, diary_today() + timedelta(weeks=12, days=-3))

    stage = page.locator(".day-meta .stage")
    assert stage.is_visible()
    assert stage.inner_text().strip() == f"{week_word()} 28+3"


def test_tapping_a_pelvis_region_toggles_its_location(logged_in, newcomer, base_url):
    page = logged_in(newcomer, reduced_motion="reduce")  # colours change at once, without a transition
    page.goto(base_url + "/")
    areas = page.locator("[data-pelvis] .pelvis-hit")
    assert areas.count() >= 8
    codes = set()

    for index in range(areas.count()):
        area = areas.nth(index)
        code = area.get_attribute("data-location")
        codes.add(code)
        box = checkbox(page, "locations", code)
        shapes = page.locator(f"[data-pelvis] .region[data-location={code}]")
        before = box.is_checked()
        idle_fill = shapes.first.evaluate("element => getComputedStyle(element).fill")

        area.tap()
        assert box.is_checked() is not before, f"tapping {code} #{index} did not toggle it"
        if not before:
            for shape in shapes.all():
                assert shape.evaluate("element => getComputedStyle(element).fill") != idle_fill
        area.tap()
        assert box.is_checked() is before, f"tapping {code} #{index} again did not undo it"

    assert codes == {"symphysis", "si_left", "si_right", "lower_back", "buttocks", "hips", "groin", "thighs"}


def test_the_night_wakings_stepper_counts_up_and_down_within_bounds(logged_in, newcomer, base_url):
    page = logged_in(newcomer)
    page.goto(base_url + "/")
    unfold(page, "night_wakings")
    more = page.locator("[data-stepper] [data-step='1']")
    fewer = page.locator("[data-stepper] [data-step='-1']")
    value = page.locator("#night_wakings")
    assert value.input_value() == "0"

    for _ in range(3):
        more.tap()
    assert value.input_value() == "3"
    fewer.tap()
    assert value.input_value() == "2"
    for _ in range(4):
        fewer.tap()
    assert value.input_value() == "0"
    value.fill("19")
    more.tap()
    more.tap()
    assert value.input_value() == "20"


@pytest.mark.parametrize("screen", SCREENS, ids=lambda screen: screen.name)
def test_it_fits_a_360_px_phone_with_finger_sized_targets(screen, screen_page):
    page = screen_page(screen)

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{screen.name} scrolls sideways: {width} px wide"
    small = page.evaluate(SMALL_TARGETS_JS, MIN_TARGET)
    assert not small, f"{screen.name} has targets under {MIN_TARGET}×{MIN_TARGET} px:\n" + "\n".join(small)


def test_the_save_button_does_not_cover_the_last_answers(logged_in, newcomer, base_url):
    page = logged_in(newcomer)
    page.goto(base_url + "/")
    for field in ("sensations", "night_wakings", "relief", "note"):
        unfold(page, field)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")

    save_bar = page.locator(".save-bar").bounding_box()
    tabbar = page.locator(".tabbar").bounding_box()
    note = page.locator("#note").bounding_box()
    assert save_bar["y"] + save_bar["height"] <= tabbar["y"] + 1
    assert note["y"] + note["height"] <= save_bar["y"] + 1


def test_a_day_can_be_logged_without_javascript(new_context, base_url):
    page = new_context(java_script_enabled=False).new_page()
    register(page, base_url)
    set_due_date(page, base_url, diary_today() + timedelta(weeks=10))
    assert page.locator("[data-stepper] [data-step]").first.is_hidden()

    pain(page, 4).click()
    region(page, "si_left").click()
    region(page, "si_right").click()
    trigger(page, "turning_in_bed").click()
    unfold(page, "relief")
    chip(page, "relief", "pillow_between_knees").click()
    unfold(page, "night_wakings")
    page.fill("#night_wakings", "2")
    with page.expect_navigation():
        page.locator("#save-button").click()

    assert page.locator(".flash-success").is_visible()
    assert page.locator("#pain-4").is_checked()
    entry = api_entry(page, base_url, diary_today()).json()
    assert entry["pain"] == 4
    assert entry["locations"] == ["si_left", "si_right"]
    assert entry["triggers"] == ["turning_in_bed"]
    assert entry["relief"] == ["pillow_between_knees"]
    assert entry["night_wakings"] == 2
