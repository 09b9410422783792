"""The header on every page: the settings cog and the way to the warning signs."""

import re
from pathlib import Path

SPRITE = Path(__file__).resolve().parents[2] / "static" / "icons" / "sprite.svg"


def header_of(client, path: str = "/") -> str:
    client.post("/language", data={"language": "en"})
    page = client.get(path).get_data(as_text=True)
    return re.search(r'<header class="topbar">.*?</header>', page, re.S).group(0)


def test_the_settings_icon_is_a_cog_not_a_sun():
    """A circle with rays reads as a light/dark switch; a cog has one toothed outline."""
    symbol = re.search(r'<symbol id="gear".*?</symbol>', SPRITE.read_text(encoding="utf-8"), re.S).group(0)
    outlines = re.findall(r'<path d="([^"]+)"', symbol)
    assert len(outlines) == 1, "the cog is one outline, not separate rays"
    outline = outlines[0]
    assert outline.rstrip().lower().endswith("z"), "the outline is closed"
    numbers = len(re.findall(r"-?\d*\.?\d+", outline))
    assert numbers >= 48, "eight teeth, each with a few corners"


def test_the_header_links_settings_with_the_cog(client, alice):
    header = header_of(client)
    settings = re.search(r'<a class="icon-link" href="/settings".*?</a>', header, re.S).group(0)
    assert "#gear" in settings and '<span class="visually-hidden">Settings</span>' in settings


def test_the_warning_signs_are_one_tap_away_and_named_in_words(client, alice):
    header = header_of(client)
    link = re.search(r'<a class="warning-link" href="/advice/warning-signs".*?</a>', header, re.S).group(0)
    assert 'aria-label="Warning signs: when to call"' in link
    assert "<span>Warning signs</span>" in link  # visible, and the start of its name


def test_a_visitor_sees_the_way_to_the_warning_signs_too(client):
    assert 'class="warning-link" href="/advice/warning-signs"' in header_of(client, "/login")


def test_the_cog_stays_marked_on_a_settings_form_that_failed(client, alice):
    """Each settings form posts to its own address; the page it shows is still the settings."""
    client.post("/language", data={"language": "en"})
    page = client.post("/settings/delete", data={"delete-current_password": "not mine"}).get_data(
        as_text=True
    )
    settings = re.search(r'<a class="icon-link" href="/settings"[^>]*>', page, re.S).group(0)
    assert 'aria-current="page"' in settings


def test_the_cog_stays_marked_when_the_reminder_form_failed(client, alice):
    """The reminder form posts to its own feature's address; the page it shows is still the settings."""
    page = client.post(
        "/settings/reminder", data={"reminder-time": "soon", "reminder-timezone": "Europe/Copenhagen"}
    ).get_data(as_text=True)
    settings = re.search(r'<a class="icon-link" href="/settings"[^>]*>', page, re.S).group(0)
    assert 'aria-current="page"' in settings
