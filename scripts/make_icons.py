#!/usr/bin/env python3
"""Draw the app's PNG icons from static/icons/icon.svg with Debian's Chromium (a developer tool).

    .venv/bin/python scripts/make_icons.py

Writes static/icons/icon-192.png and icon-512.png (the round mark on a transparent ground),
icon-maskable-512.png (the mark inside the safe zone on a full-bleed square, for Android's
masks) and apple-touch-icon.png (180 px, opaque, for an iPhone's home screen). The PNGs are
committed: the app itself has no build step.
"""

import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ICONS = REPO_ROOT / "static" / "icons"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def full_bleed(svg: str) -> str:
    """The mark on a square of the circle's colour: nothing important outside the safe zone."""
    colour = re.search(r'<circle[^>]*fill="(#[0-9a-fA-F]+)"', svg)[1]
    return re.sub(r"<circle[^>]*/>", f'<rect width="32" height="32" fill="{colour}"/>', svg, count=1)


def draw(page, svg: str, size: int, out: Path) -> None:
    page.set_viewport_size({"width": size, "height": size})
    sized = svg.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)
    page.set_content(f'<html><body style="margin:0;background:transparent">{sized}</body></html>')
    page.locator("svg").screenshot(path=str(out), omit_background=True)
    print(f"wrote {out.relative_to(REPO_ROOT)}")


def main() -> None:
    from playwright.sync_api import sync_playwright

    svg = (ICONS / "icon.svg").read_text()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(device_scale_factor=1)
        draw(page, svg, 192, ICONS / "icon-192.png")
        draw(page, svg, 512, ICONS / "icon-512.png")
        draw(page, full_bleed(svg), 512, ICONS / "icon-maskable-512.png")
        draw(page, full_bleed(svg), 180, ICONS / "apple-touch-icon.png")
        browser.close()


if __name__ == "__main__":
    main()
