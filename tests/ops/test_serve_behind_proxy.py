"""The README's TLS-proxy set-up, run for real: `manage.py serve` in a subprocess on a free
port, with requests carrying the headers nginx adds (README, "Deploying behind a TLS proxy").

Every request comes from 127.0.0.1, the proxy's address in the README; the client's own
address and scheme arrive only in X-Forwarded-For and X-Forwarded-Proto.
"""

import re
import sys
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "bench"))

from _server import Client, Server  # noqa: E402  (bench/_server.py: the real server in a subprocess)

PUBLIC_HOST = "dagbog.example.dk"
PASSWORD = "en lang og rolig sætning til proxyen"
WRONG = "det er ikke hendes adgangskode"


class BehindNginx(Client):
    """A browser at `address`, reaching the app through the README's nginx over HTTPS."""

    def __init__(self, port: int, address: str):
        super().__init__(port)
        # What nginx sends on: Host $host, X-Forwarded-For $proxy_add_x_forwarded_for (the
        # client's address; nginx appends it to any header the client sent), -Proto, -Host.
        self.forwarded = {
            "Host": PUBLIC_HOST,
            "X-Forwarded-For": address,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": PUBLIC_HOST,
            # A browser sends it on HTTPS form posts; the CSRF check requires it there.
            "Referer": f"https://{PUBLIC_HOST}/",
        }

    def request(self, method, path, body=None, headers=None):
        return super().request(method, path, body, self.forwarded | dict(headers or {}))

    def post_form(self, path: str, fields: dict, token_from: str | None = None) -> int:
        _, token = self.page_token(token_from or path)
        form = urlencode(fields | {"csrf_token": token}).encode()
        status, _ = self.request("POST", path, form, {"Content-Type": "application/x-www-form-urlencoded"})
        return status


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The README's commands: HTTPS=true PROXY_COUNT=1, serve on 127.0.0.1, no PUBLIC_URL."""
    folder = tmp_path_factory.mktemp("behind-proxy")
    server = Server(f"sqlite:///{folder / 'diary.sqlite3'}", folder, threads=4)
    for name in ("LOGIN_RATE_LIMIT", "REGISTER_RATE_LIMIT", "PUBLIC_URL", "TRUSTED_PROXY", "SMTP_HOST"):
        server.env.pop(name, None)  # the defaults, as the README runs them
    server.env |= {"HTTPS": "true", "PROXY_COUNT": "1"}
    server.init_db()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def browser(served):
    """Browsers at the given client addresses, each registered (and logged in) as email."""
    opened = []

    def open_at(address: str, email: str) -> BehindNginx:
        browser = BehindNginx(served.port, address)
        opened.append(browser)
        assert browser.post_form("/register", {"email": email, "password": PASSWORD}) == 302, (
            served.log_text()
        )
        return browser

    yield open_at
    for each in opened:
        each.close()


def test_one_client_locked_out_of_log_in_leaves_another_client_free(served, browser):
    alice = browser("198.51.100.7", "alice@example.dk")
    bob = browser("203.0.113.9", "bob@example.dk")
    for each in (alice, bob):
        assert each.post_form("/logout", {}, token_from="/settings") == 302
    # Each try names another address, so the per-account limit (5 refusals) never answers first.
    statuses = [
        alice.post_form("/login", {"email": f"guess{n}@example.dk", "password": WRONG}) for n in range(11)
    ]
    assert statuses[:10] == [400] * 10 and statuses[10] == 429, statuses  # LOGIN_RATE_LIMIT: 10 per minute
    assert bob.post_form("/login", {"email": "bob@example.dk", "password": PASSWORD}) == 302, (
        served.log_text()
    )


def test_a_report_link_made_without_public_url_is_https_on_the_forwarded_host(served, browser):
    carol = browser("192.0.2.44", "carol@example.dk")
    carol.page_token("/settings")
    today = datetime.now(ZoneInfo("Europe/Copenhagen")).date()
    status, share = carol.json(
        "POST", "/api/v1/shares", {"from": (today - timedelta(days=13)).isoformat(), "to": today.isoformat()}
    )
    assert status == 201, share
    assert share["url"].startswith(f"https://{PUBLIC_HOST}/r/"), share
    assert share["pdf_url"].startswith(f"https://{PUBLIC_HOST}/r/"), share


def start_server(folder: Path, **env: str) -> Server:
    server = Server(f"sqlite:///{folder / 'diary.sqlite3'}", folder, threads=2)
    for name in ("PUBLIC_URL", "TRUSTED_PROXY", "SMTP_HOST", "PROXY_COUNT", "HTTPS"):
        server.env.pop(name, None)
    server.env |= env
    server.init_db()
    server.start()
    return server


def test_forwarded_headers_from_a_peer_that_is_not_the_trusted_proxy_are_dropped(tmp_path):
    server = start_server(tmp_path, PROXY_COUNT="1", TRUSTED_PROXY="192.0.2.1")  # we connect from 127.0.0.1
    dave = BehindNginx(server.port, "198.51.100.23")
    try:
        assert dave.post_form("/register", {"email": "dave@example.dk", "password": PASSWORD}) == 302
        dave.page_token("/settings")
        today = datetime.now(ZoneInfo("Europe/Copenhagen")).date()
        status, share = dave.json(
            "POST", "/api/v1/shares", {"from": today.isoformat(), "to": today.isoformat()}
        )
        assert status == 201 and share["url"].startswith(f"http://{PUBLIC_HOST}/r/"), share
    finally:
        dave.close()
        server.stop()
    assert "Trusting 1 proxy at 192.0.2.1" in server.log_text()


def test_serve_gives_waitress_the_proxy_settings():
    from diary.ops.cli import serve_options

    assert serve_options({"PROXY_COUNT": 0, "TRUSTED_PROXY": ""}) == {"clear_untrusted_proxy_headers": True}
    assert serve_options({"PROXY_COUNT": 2, "TRUSTED_PROXY": "10.0.0.5"}) == {
        "clear_untrusted_proxy_headers": True,
        "trusted_proxy": "10.0.0.5",
        "trusted_proxy_count": 2,
        "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"},
    }


def test_the_app_itself_never_applies_forwarded_headers(tmp_path):
    """Only the server does (it sees the peer): the app adds no ProxyFix, so nothing is applied twice."""
    from diary import create_app

    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'diary.sqlite3'}",
            "PROXY_COUNT": 1,
            "TRUSTED_PROXY": "127.0.0.1",
        }
    )
    client = app.test_client()
    response = client.get(
        "/api/v1/openapi.json",
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "elsewhere.example"},
    )
    assert response.get_json()["servers"][0]["url"].startswith("http://localhost/")
    assert "ProxyFix" not in type(client.application.wsgi_app).__name__


@pytest.mark.parametrize(
    "count, raw, expected",
    [
        ("1", None, "127.0.0.1"),
        ("1", "", "127.0.0.1"),
        ("2", "10.0.0.5", "10.0.0.5"),
        ("1", "::1", "::1"),
        ("1", "0:0:0:0:0:0:0:1", "::1"),  # the form waitress compares with the peer's address
        ("0", None, ""),
    ],
)
def test_trusted_proxy_defaults_to_loopback_when_there_is_a_proxy(monkeypatch, count, raw, expected):
    from diary.config import env_int, trusted_proxy

    monkeypatch.setenv("PROXY_COUNT", count)
    if raw is None:
        monkeypatch.delenv("TRUSTED_PROXY", raising=False)
    else:
        monkeypatch.setenv("TRUSTED_PROXY", raw)
    assert trusted_proxy(env_int("PROXY_COUNT", 0)) == expected


@pytest.mark.parametrize(
    "count, raw, says",
    [
        ("1", "localhost", "TRUSTED_PROXY must be the IP address the proxy connects from"),
        ("1", "*", "TRUSTED_PROXY must be the IP address"),
        ("1", "10.0.0.0/8", "TRUSTED_PROXY must be the IP address"),
        ("0", "127.0.0.1", "TRUSTED_PROXY is set, but PROXY_COUNT is 0"),
    ],
)
def test_a_bad_trusted_proxy_stops_start_up_naming_it(monkeypatch, count, raw, says):
    from diary.config import ConfigError, env_int, trusted_proxy

    monkeypatch.setenv("PROXY_COUNT", count)
    monkeypatch.setenv("TRUSTED_PROXY", raw)
    with pytest.raises(ConfigError, match=re.escape(says)):
        trusted_proxy(env_int("PROXY_COUNT", 0))
