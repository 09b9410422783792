"""Pages speak to her, not to whoever runs the server: no commands or settings on them."""

from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
OPERATOR_WORDS = ("manage.py", "DIARY_", "SMTP", "cron", "systemd")


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda path: path.name)
def test_no_page_tells_her_about_the_servers_commands(template):
    text = template.read_text(encoding="utf-8")
    assert not [word for word in OPERATOR_WORDS if word in text]
