"""The theme colours in static/css/app.css meet WCAG AA by day and at night.

The custom properties are read from the stylesheet itself (the light :root block and the
one inside prefers-color-scheme: dark), so a colour changed there is checked here.
"""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "app.css"
PAIN_LEVELS = range(11)
TEXT = 4.5  # WCAG 1.4.3, normal text
UI = 3.0  # WCAG 1.4.11, the parts of a control that show it and its state
# Night colours stay dim: no pain tile or main button lighter than this (a pastel is about 0.7).
NIGHT_MAX_LUMINANCE = 0.12

DECLARATION = re.compile(r"--([\w-]+)\s*:\s*([^;]+);")


def _block_after(css: str, opening: str) -> str:
    """The text between the brace that opens at `opening` and the brace that closes it."""
    start = css.index("{", css.index(opening)) + 1
    depth, position = 1, start
    while depth:
        depth += {"{": 1, "}": -1}.get(css[position], 0)
        position += 1
    return css[start : position - 1]


def _properties(block: str) -> dict[str, str]:
    return {name: value.strip() for name, value in DECLARATION.findall(block)}


def themes() -> dict[str, dict[str, str]]:
    """The custom properties of each theme: light as :root sets them, dark with its overrides."""
    css = re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S)
    light = _properties(_block_after(css, ":root"))
    dark_media = _block_after(css, "@media (prefers-color-scheme: dark)")
    dark = light | _properties(_block_after(dark_media, ":root"))
    return {"light": light, "dark": dark}


def colour(properties: dict[str, str], name: str) -> str:
    """A property's colour, following var(--other) until it is a hex colour."""
    value = properties[name]
    while value.startswith("var("):
        value = properties[value[len("var(--") : -1]]
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", value), f"--{name} is not a #rrggbb colour: {value}"
    return value


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def hue(hex_colour: str) -> float:
    """The colour's hue in degrees, 0 red through 120 green."""
    red, green, blue = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    top, bottom = max(red, green, blue), min(red, green, blue)
    if top == bottom:
        return 0.0
    if top == red:
        degrees = 60 * (((green - blue) / (top - bottom)) % 6)
    elif top == green:
        degrees = 60 * ((blue - red) / (top - bottom) + 2)
    else:
        degrees = 60 * ((red - green) / (top - bottom) + 4)
    return degrees


SCHEMES = ["light", "dark"]


def test_it_reads_both_themes_from_the_stylesheet():
    parsed = themes()
    assert parsed["light"]["pain-0"] != parsed["dark"]["pain-0"]
    assert parsed["light"]["primary-bg"] != parsed["dark"]["primary-bg"]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("level", PAIN_LEVELS)
def test_it_writes_each_pain_number_readably_on_its_colour(scheme, level):
    theme = themes()[scheme]
    ratio = contrast(colour(theme, f"pain-{level}"), colour(theme, f"pain-{level}-text"))
    assert ratio >= TEXT, f"pain {level} ({scheme}): {ratio:.2f}:1"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_it_rings_the_chosen_pain_tile_visibly(scheme):
    """The chosen tile wears a ring in the text colour, with a gap in the card's colour on both sides."""
    theme = themes()[scheme]
    assert contrast(colour(theme, "text"), colour(theme, "surface")) >= UI


@pytest.mark.parametrize("level", PAIN_LEVELS)
def test_it_dims_the_pain_colours_at_night(level):
    night = colour(themes()["dark"], f"pain-{level}")
    assert luminance(night) <= NIGHT_MAX_LUMINANCE, f"pain {level} glows at night: {night}"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_it_keeps_the_pain_scale_running_from_green_to_red(scheme):
    """The meaning holds at night: low pain is green, the middle amber, high pain red."""
    theme = themes()[scheme]
    hues = [hue(colour(theme, f"pain-{level}")) for level in PAIN_LEVELS]
    assert 90 <= hues[0] <= 180, hues  # green
    assert 25 <= hues[5] <= 60, hues  # amber
    assert hues[10] >= 330 or hues[10] <= 15, hues  # red
    warm = [h if h < 200 else h - 360 for h in hues]  # red just below 360 counts as a little below 0
    assert warm == sorted(warm, reverse=True), f"the hues do not run green to red: {hues}"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_it_makes_the_save_button_readable_and_findable(scheme):
    theme = themes()[scheme]
    button, text, line = (colour(theme, name) for name in ("primary-bg", "primary-text", "primary-line"))
    assert contrast(button, text) >= TEXT
    # The save bar sits on the page's background; its outline marks the button there.
    assert contrast(line, colour(theme, "bg")) >= UI
    assert contrast(line, colour(theme, "surface")) >= UI


def test_it_dims_the_save_button_at_night():
    night = themes()["dark"]
    assert luminance(colour(night, "primary-bg")) <= NIGHT_MAX_LUMINANCE
    assert colour(night, "primary-bg") != colour(night, "accent")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("background", ["bg", "surface"])
def test_it_shows_keyboard_focus_and_errors_on_every_background(scheme, background):
    theme = themes()[scheme]
    assert contrast(colour(theme, "focus"), colour(theme, background)) >= UI
    assert contrast(colour(theme, "danger"), colour(theme, background)) >= TEXT


@pytest.mark.parametrize("scheme", SCHEMES)
def test_it_names_the_warning_signs_readably_in_the_header(scheme):
    """The header's link to the warning signs: calm colours, but its words and outline stand out."""
    theme = themes()[scheme]
    assert contrast(colour(theme, "safety-icon"), colour(theme, "safety-bg")) >= TEXT
    assert contrast(colour(theme, "safety-line"), colour(theme, "bg")) >= UI


@pytest.mark.parametrize("chosen", [".chip input:checked + span", ".answer-option input:checked + span"])
def test_it_dims_a_chosen_chip_or_answer_at_night_like_the_save_button(chosen):
    css = re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S)
    night_rules = re.findall(r"@media \(prefers-color-scheme: dark\) \{(.*?)\n\}", css, flags=re.S)
    dimmed = [rule for block in night_rules for rule in re.findall(r"([^{}]+)\{([^{}]*)\}", block)]
    assert any(chosen in selector and "background: var(--primary-bg)" in body for selector, body in dimmed), (
        f"{chosen} keeps the bright accent at night"
    )
