"""Multi-select chips look like checkboxes: several may be on at once."""

import re
from pathlib import Path

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "app.css"


def rule(selector: str) -> str:
    css = CSS.read_text(encoding="utf-8")
    return re.search(rf"(?m)^{re.escape(selector)} {{(.*?)}}", css, re.S).group(1)


def test_the_chips_are_checkboxes(client, alice):
    page = client.get("/").get_data(as_text=True)
    for name in ("locations", "triggers", "sensations", "relief"):
        inputs = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
        assert inputs and all('type="checkbox"' in tag for tag in inputs)


def test_their_mark_is_a_square_not_a_radio_circle():
    mark = rule(".chip span::before")
    radius = re.search(r"border-radius:\s*([^;]+);", mark).group(1).strip()
    assert radius.endswith("px") and float(radius[:-2]) <= 6, f"a round mark: border-radius {radius}"
