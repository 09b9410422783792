#!/usr/bin/env python3
"""Screenshots of the installed app and of its offline state, into docs/screenshots/.

    .venv/bin/python scripts/pwa_screenshots.py

pwa-standalone.png: the log page as the home-screen icon opens it (/?source=pwa), one phone
screen of 360×740 with a status bar in the manifest's theme colour drawn above it and no
browser bar: headless Chromium cannot itself show `display-mode: standalone`.
offline.png: side by side, a day logged without a connection (the log page says it is saved
on the phone and waiting) and the offline page for a page the phone does not keep.

Starts its own server on a temporary database; only 127.0.0.1 is spoken to.
"""

import io
import re
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from tests.browser.phone import PASSWORD, PHONE, LiveServer, launch_chromium, run_manage

OUT = REPO_ROOT / "docs" / "screenshots"
EMAIL = "app@example.dk"
SCALE = PHONE["device_scale_factor"]
STATUS_BAR = 24  # CSS px
# The installed app's bar colour, as the manifest names it.
THEME_COLOR = re.search(
    r'"theme_color": "(#\w+)"', (REPO_ROOT / "templates/pwa/manifest.webmanifest").read_text()
)[1]
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def log_in(page, base_url: str) -> None:
    page.goto(base_url + "/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form.stack button[type=submit]").click()


def shot(page) -> Image.Image:
    page.evaluate("document.fonts.ready")
    return Image.open(io.BytesIO(page.screenshot(animations="disabled")))


def with_status_bar(screen: Image.Image) -> Image.Image:
    """The screen under a phone's status bar in the theme colour, as an installed app shows."""
    bar = STATUS_BAR * SCALE
    framed = Image.new("RGB", (screen.width, screen.height + bar), THEME_COLOR)
    framed.paste(screen, (0, bar))
    draw = ImageDraw.Draw(framed)
    font = ImageFont.truetype(str(FONT), 12 * SCALE) if FONT.exists() else ImageFont.load_default()
    draw.text((16 * SCALE, 5 * SCALE), "9:41", fill="#25212a", font=font)
    for index, height in enumerate((4, 6, 8, 10)):  # signal bars
        left = screen.width - (60 - index * 5) * SCALE
        draw.rectangle([left, (17 - height) * SCALE, left + 3 * SCALE, 17 * SCALE], fill="#25212a")
    draw.rounded_rectangle(
        [screen.width - 34 * SCALE, 7 * SCALE, screen.width - 14 * SCALE, 17 * SCALE],
        radius=2 * SCALE,
        outline="#25212a",
        width=SCALE,
    )
    draw.rectangle(
        [screen.width - 32 * SCALE, 9 * SCALE, screen.width - 20 * SCALE, 15 * SCALE], fill="#25212a"
    )
    return framed


def side_by_side(left: Image.Image, right: Image.Image) -> Image.Image:
    gap = 16 * SCALE
    both = Image.new("RGB", (left.width + gap + right.width, max(left.height, right.height)), "#d9d2cc")
    both.paste(left, (0, 0))
    both.paste(right, (left.width + gap, 0))
    return both


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        server = LiveServer(Path(folder)).start()
        try:
            run_manage(server.env, "demo", EMAIL, "--days", "60", stdin=PASSWORD + "\n")
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                context = browser.new_context(**PHONE, color_scheme="light")
                page = context.new_page()
                log_in(page, server.url)
                page.evaluate("navigator.serviceWorker.ready.then(() => true)")
                page.wait_for_function("navigator.serviceWorker.controller !== null")

                page.goto(server.url + "/?source=pwa")
                page.wait_for_load_state("networkidle")
                with_status_bar(shot(page)).save(OUT / "pwa-standalone.png", optimize=True)

                context.set_offline(True)
                page.goto(server.url + "/?source=pwa")
                page.locator("label.pain-option:has(input[name=pain][value='5'])").click()
                page.locator("label.chip:has(input[name=triggers][value=stairs])").click()
                page.locator("#save-button").click()
                page.locator("#outbox-status .outbox-line").first.wait_for()
                page.evaluate("window.scrollTo(0, 0)")
                waiting = shot(page)
                page.goto(server.url + "/settings")
                page.locator("#offline-page").wait_for()
                offline = shot(page)
                side_by_side(with_status_bar(waiting), with_status_bar(offline)).save(
                    OUT / "offline.png", optimize=True
                )
                browser.close()
        finally:
            server.stop()
    print(f"wrote {OUT / 'pwa-standalone.png'} and {OUT / 'offline.png'}")


if __name__ == "__main__":
    main()
