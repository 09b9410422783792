"""The offline page promises what the service worker keeps, and no more."""

import re
from pathlib import Path

import pytest

SW = Path(__file__).resolve().parents[2] / "static" / "js" / "sw.js"


def kept_patterns() -> list[re.Pattern]:
    """The worker's PAGES_KEPT: the addresses of the pages it keeps from her online visits."""
    source = SW.read_text(encoding="utf-8")
    listed = re.search(r"const PAGES_KEPT = \[(.*?)\];", source).group(1)
    # JavaScript reads "[\d-W]" as a digit, "-" or "W"; Python needs the "-" escaped.
    bodies = [
        body.replace("\\/", "/").replace("\\d-", "\\d\\-") for body in re.findall(r"/(\^.*?\$)/", listed)
    ]
    return [re.compile(body) for body in bodies]


def precached() -> list[str]:
    """The worker's SHELL_PAGES: the pages it keeps as it installs (its static files are listed apart)."""
    source = SW.read_text(encoding="utf-8")
    shell = re.search(r"const SHELL_PAGES = \[(.*?)\];", source).group(1)
    return re.findall(r'"([^"]+)"', shell)


def kept(path: str) -> bool:
    return path in precached() or any(pattern.search(path) for pattern in kept_patterns())


# What the offline page promises (first list) and says needs a connection (second list).
PROMISED = ["/", "/advice/warning-signs", "/history", "/week/2026-W47", "/advice", "/advice/stairs"]
NOT_KEPT = ["/entries/2026-11-20", "/settings", "/shares"]


@pytest.mark.parametrize("path", PROMISED)
def test_the_worker_keeps_what_the_offline_page_promises(path):
    assert kept(path), f"the offline page promises {path}, which static/js/sw.js does not keep"


@pytest.mark.parametrize("path", NOT_KEPT)
def test_the_worker_does_not_keep_what_the_page_says_needs_a_connection(path):
    assert not kept(path), f"static/js/sw.js keeps {path}: the offline page may promise it now"


def test_the_offline_page_says_both(client):
    page = client.get("/offline", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "you can open the log page, the warning signs, and the history, weeks and advice" in page
    assert "An earlier day, advice you have not opened and the settings need a connection." in page
    assert "pages you have opened before" not in page
