"""Sharing with a midwife on a phone: a report link made on /shares with the defaults shows
the link, a scannable QR code, the PDF and the link's facts; the copy button copies it; the
midwife opens the report without an account; the opening is counted; revoking closes it."""

import io
import re
from datetime import datetime, timedelta

import pytest
from babel.dates import format_date
from playwright.sync_api import expect
from pypdf import PdfReader

from diary.entries.codes import CODE_SETS

from .phone import DIARY_TIMEZONE, diary_today, make_share, put_entry, register, set_due_date

QR_MIN_WIDTH = 200  # CSS px: a phone camera reads it off another phone's screen
A4_MM = (210, 297)
LONGEST_NAME = "Kristine Marie Østergaard-Bæk Ågesen Vestergaard"


@pytest.fixture
def sharer(new_context, base_url):
    """A phone (clipboard allowed) on which a new diarist, 28 weeks along, logged ten days."""
    page = new_context(permissions=["clipboard-read", "clipboard-write"]).new_page()
    register(page, base_url)
    set_due_date(page, base_url, diary_today() + timedelta(weeks=12))
    for back in range(10):
        day = diary_today() - timedelta(days=back)
        put_entry(
            page,
            base_url,
            {
                "date": day.isoformat(),
                "pain": 3 + back % 4,
                "locations": ["symphysis"],
                "triggers": ["stairs"],
                "night_wakings": back % 2,
                "note": "Privat note",
            },
        )
    return page


def fact(page, number: int) -> str:
    """The value of the link's nth fact: 1 works until, 2 opened, 3 last opened."""
    return page.locator(f".share-facts > div:nth-child({number}) dd").inner_text().strip()


def expiry_dates(expires_at: str) -> set[str]:
    """The expiry as the page may write it (Danish medium date, in UTC or the diary's zone)."""
    moment = datetime.fromisoformat(expires_at.replace("Z", "+00:00"))
    return {
        format_date(day, "medium", locale="da")
        for day in (moment.date(), moment.astimezone(DIARY_TIMEZONE).date())
    }


def in_view_without_scrolling(page, locator) -> bool:
    """Whether the whole element shows at the top of the page, above the bottom navigation."""
    box = locator.bounding_box()
    tabbar = page.locator(".tabbar").bounding_box()
    return page.evaluate("window.scrollY") == 0 and box["y"] >= 0 and box["y"] + box["height"] <= tabbar["y"]


def test_a_report_link_is_made_from_the_navigation_shown_copied_opened_counted_and_revoked(
    sharer, new_context, base_url
):
    page = sharer
    today = diary_today()
    page.add_init_script("Object.defineProperty(navigator, 'share', {value: undefined})")  # no share sheet

    page.locator(".tabbar a[href='/shares']").tap()
    page.wait_for_url(base_url + "/shares")
    assert page.locator(".tabbar a[href='/shares']").get_attribute("aria-current") == "page"
    assert page.locator(".empty-state").is_visible()
    assert page.locator("#share-from").input_value() == (today - timedelta(days=27)).isoformat()
    assert page.locator("#share-to").input_value() == today.isoformat()
    assert page.locator("#share-expires_in_days").input_value() == "14"
    assert not page.locator("input[name=include_notes]").is_checked()
    page.fill("#share-display_name", "K. M.")
    with page.expect_navigation():
        page.locator("main form.stack button[type=submit]").tap()

    # She lands on the new link, the QR code large and whole on the screen.
    page.wait_for_url(re.compile(re.escape(base_url) + r"/shares/\d+$"))
    assert page.locator(".flash-success").is_visible()
    qr = page.locator(".qr-large svg.qr-code")
    assert qr.is_visible() and in_view_without_scrolling(page, qr)
    box = qr.bounding_box()
    assert box["width"] >= 280 and box["height"] >= 280, box  # scanned across a desk
    link = page.locator(".copy-row input").input_value()
    assert re.fullmatch(re.escape(base_url) + r"/r/[A-Za-z0-9_-]{22,}", link)
    assert page.locator(".share-pdf a").get_attribute("href") == link + ".pdf"
    listed = page.request.get(base_url + "/api/v1/shares").json()["shares"]
    assert (listed[0]["url"], listed[0]["include_notes"]) == (link, False)
    assert fact(page, 1) in expiry_dates(listed[0]["expires_at"])
    assert re.match(r"0\b", fact(page, 2))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    assert not page.locator("[data-share-for]").is_visible()  # no share sheet here: copy instead
    copy = page.locator(".copy-row button[data-copy]")
    copied_label = copy.get_attribute("data-copied")
    copy.tap()
    expect(copy).to_have_text(copied_label)  # once the clipboard has taken it
    assert page.evaluate("navigator.clipboard.readText()") == link

    midwife = new_context().new_page()
    response = midwife.goto(link)
    assert response.status == 200
    assert midwife.locator(".tabbar").count() == 0
    assert midwife.locator("main h1").is_visible()
    assert "K. M." in midwife.locator("main h1").inner_text()
    assert midwife.locator(".key-figures .key").count() == 4
    assert midwife.locator(".key-figures .key-value").first.inner_text().replace(" ", "") == "10/28"
    assert midwife.locator(".report-chart .chart-narrow svg[role=img]").is_visible()  # the phone's own chart
    assert not midwife.locator(".report-chart .chart-wide svg").is_visible()
    assert "Privat note" not in midwife.content()

    page.reload()
    assert re.match(r"1\b", fact(page, 2))
    assert fact(page, 3) != ""
    pdf = page.request.get(link + ".pdf", timeout=60_000)  # a PDF takes a while on a busy machine
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"

    # Revoking asks once.
    with page.expect_navigation():
        page.locator("a[href$='/revoke']").tap()
    assert page.request.get(link).status == 200  # asking changed nothing
    with page.expect_navigation():
        page.locator("main form button[type=submit]").tap()
    page.wait_for_url(base_url + "/shares")
    assert page.locator(".flash-success").is_visible()
    card = page.locator(".share-list .share-card")
    assert "share-closed" in card.get_attribute("class").split()
    assert card.locator(".qr, a[href$='/revoke']").count() == 0

    gone = midwife.goto(link)
    assert gone.status == 410
    assert midwife.locator(".error-card h1").is_visible()
    assert midwife.locator(".key-figures").count() == 0


def test_a_phone_with_a_share_sheet_shares_the_link_through_it(sharer, base_url):
    page = sharer
    page.add_init_script(
        "navigator.share = async (data) => { window.sharedWith = data; };navigator.canShare = () => true;"
    )
    share = make_share(page, base_url)
    page.goto(f"{base_url}/shares/{share['id']}")
    button = page.locator("[data-share-for]")
    assert button.is_visible() and not page.locator("[data-copy]").is_visible()
    button.tap()
    page.wait_for_function("window.sharedWith !== undefined")
    assert page.evaluate("window.sharedWith.url") == share["url"]


def test_the_fullest_four_weeks_print_from_the_browser_on_one_a4_page(new_context, base_url):
    """Every location, trigger, sensation and relief on every day, a long name and five
    calendar weeks: the midwife's own Print still gives one page, the disclaimer on it."""
    page = new_context().new_page()
    register(page, base_url)
    set_due_date(page, base_url, diary_today() + timedelta(weeks=10))
    page.goto(base_url + "/settings")
    page.fill("#profile-display_name", LONGEST_NAME)
    with page.expect_navigation():
        page.locator("form:has(#profile-display_name) button[type=submit]").tap()
    every_code = {field: [code.code for code in codes] for field, codes in CODE_SETS.items()}
    for back in range(28):
        day = diary_today() - timedelta(days=back)
        put_entry(
            page,
            base_url,
            {"date": day.isoformat(), "pain": back * 7 % 11, "night_wakings": back % 6, **every_code},
        )
    link = make_share(page, base_url)["url"]

    midwife = new_context(
        viewport={"width": 1280, "height": 900}, is_mobile=False, has_touch=False
    ).new_page()
    assert midwife.goto(link).status == 200
    midwife.evaluate("document.fonts.ready")
    printed = PdfReader(io.BytesIO(midwife.pdf(prefer_css_page_size=True, print_background=True)))

    assert len(printed.pages) == 1
    box = printed.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == A4_MM
    text = printed.pages[0].extract_text()
    assert "Østergaard-Bæk" in text and "Hjælp fra andre" in text
    assert "ikke en diagnose" in text


def test_the_fullest_report_with_notes_reads_on_a_phone_without_sideways_scrolling(new_context, base_url):
    page = new_context().new_page()
    register(page, base_url)
    set_due_date(page, base_url, diary_today() + timedelta(weeks=10))
    every_code = {
        field: [code.code for code in codes if not code.red_flag] for field, codes in CODE_SETS.items()
    }
    for back in range(28):
        day = diary_today() - timedelta(days=back)
        put_entry(
            page,
            base_url,
            {
                "date": day.isoformat(),
                "pain": 9 if back == 2 else back * 7 % 11,
                "night_wakings": back % 6,
                **every_code,
                "sensations": every_code["sensations"] + (["numbness"] if back == 5 else []),
                "note": "En lang note om trapperne, bæltet og nætterne " * 6,
            },
        )
    link = make_share(page, base_url, include_notes=True)["url"]

    midwife = new_context().new_page()
    assert midwife.goto(link).status == 200
    assert midwife.evaluate("document.documentElement.scrollWidth") <= 360
    assert midwife.locator(".report-overall").is_visible()
    assert midwife.locator(".report-red-flags").is_visible()
    assert midwife.locator(".pelvis-in-list svg").is_visible()  # the phone's drawing, in its section
    assert not midwife.locator(".pelvis-beside").is_visible()
    assert midwife.locator(".notes-follow .screen-only").is_visible()
    assert not midwife.locator(".notes-follow .print-only").is_visible()
