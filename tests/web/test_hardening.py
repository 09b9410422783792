"""Hardening to ASVS level 2: cookie names and flags over HTTPS, cross-origin isolation
headers, log-in throttled per account, passwords that name the app or her email, and
exactly what the note sanitiser stores."""

import csv
import io
import json
from html.parser import HTMLParser

import pytest

from diary.accounts.passwords import personal_problem
from diary.config import apply_policy
from diary.models import User
from diary.sanitize import plain_text
from tests.conftest import PASSWORD, Auth
from tests.support.database import in_app
from tests.support.exports import english_csv
from tests.support.shares import make_share, path_of


def cookie_header(response, name):
    """The Set-Cookie header for one cookie name, or None."""
    return next((h for h in response.headers.getlist("Set-Cookie") if h.startswith(name + "=")), None)


@pytest.fixture
def https_app(app):
    """The test app as deployed behind TLS (HTTPS=true), on the same empty database."""
    app.config["HTTPS"] = True
    apply_policy(app.config)
    return app


# --- cookies --------------------------------------------------------------------------------


def test_over_https_the_session_and_remember_cookies_are_host_prefixed(https_app):
    client = https_app.test_client()
    response = Auth(client).register()
    for name in ("__Host-session", "__Host-remember"):
        header = cookie_header(response, name)
        assert header is not None, name
        # What the browser demands of a __Host- cookie: Secure, Path=/ and no Domain.
        assert "Secure" in header and "Path=/" in header and "Domain" not in header and "HttpOnly" in header
    assert cookie_header(response, "session") is None and cookie_header(response, "remember_token") is None


def test_the_host_prefixed_cookies_keep_her_logged_in_and_log_out_clears_them(https_app):
    client = https_app.test_client()
    Auth(client).register()
    assert client.get("/history", base_url="https://localhost").status_code == 200
    client.delete_cookie(
        "__Host-session", domain="localhost"
    )  # the browser closed: the remember cookie alone
    assert client.get("/history", base_url="https://localhost").status_code == 200
    response = client.post("/logout", base_url="https://localhost")
    assert "__Host-remember=;" in " ".join(response.headers.getlist("Set-Cookie"))


def test_without_https_the_cookies_keep_their_plain_names(client, auth):
    response = auth.register()
    assert cookie_header(response, "session") and cookie_header(response, "remember_token")


def test_the_language_cookie_is_secure_under_https_only(https_app, app):
    over_https = https_app.test_client().post(
        "/language", data={"language": "en"}, base_url="https://localhost"
    )
    assert "Secure" in cookie_header(over_https, "lang")
    app.config["HTTPS"] = False
    apply_policy(app.config)
    over_http = app.test_client().post("/language", data={"language": "en"})
    assert "Secure" not in cookie_header(over_http, "lang") and "HttpOnly" in cookie_header(over_http, "lang")


# --- cross-origin isolation headers ----------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/login",
        "/manifest.webmanifest",
        "/sw.js",
        "/static/css/app.css",
        "/api/v1/openapi.json",
        "/nothing-here",
    ],
)
def test_every_response_is_isolated_from_other_origins(client, path):
    response = client.get(path)
    response.close()
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_the_report_pdf_and_qr_codes_carry_the_headers_and_still_open(app, client, alice):
    share = make_share(client)
    shares_page = client.get(f"/shares/{share['id']}")
    assert shares_page.status_code == 200 and 'class="qr-code"' in shares_page.get_data(as_text=True)
    midwife = (
        app.test_client()
    )  # opens the link from an email: a top-level navigation, which CORP never blocks
    for response in (shares_page, midwife.get(path_of(share["url"])), midwife.get(path_of(share["pdf_url"]))):
        assert response.status_code == 200
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"


# --- log-in throttled per account -----------------------------------------------------------


def test_login_is_throttled_per_account_across_addresses(app, client, auth):
    auth.register()
    auth.logout()
    app.config["LOGIN_ACCOUNT_RATE_LIMIT"] = "3 per minute"
    statuses = []
    for number in range(5):  # five attackers, one guess each, all at her account in any spelling
        attacker = app.test_client()
        attacker.environ_base["REMOTE_ADDR"] = f"203.0.113.{number + 1}"
        email = " Alice@Example.DK " if number % 2 else "alice@example.dk"
        statuses.append(
            attacker.post(
                "/login", data={"email": email, "password": "wrong guess " + str(number)}
            ).status_code
        )
    assert statuses == [400, 400, 400, 429, 429]
    assert auth.login().status_code == 429  # her right password too, until the window passes
    other = app.test_client()
    Auth(other).register("bob@example.dk")
    Auth(other).logout()
    assert Auth(other).login("bob@example.dk").status_code == 302  # another account is not touched


def test_successful_log_ins_do_not_use_up_the_account_limit(app, client, auth):
    auth.register()
    auth.logout()
    app.config["LOGIN_ACCOUNT_RATE_LIMIT"] = "2 per minute"
    for _ in range(4):
        assert auth.login().status_code == 302
        auth.logout()


def test_the_account_limit_key_holds_no_email(app):
    from diary.web.limits import account_key

    with app.test_request_context("/login", method="POST", data={"email": " Alice@Example.dk"}):
        key = account_key()
    with app.test_request_context("/login", method="POST", data={"email": "alice@example.dk"}):
        assert account_key() == key
    assert "alice" not in key and "example" not in key


def test_the_account_limit_is_a_setting_with_a_default(monkeypatch, tmp_path):
    from diary.config import DEFAULT_LIMITS, from_environment

    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    assert (
        from_environment(tmp_path)["LOGIN_ACCOUNT_RATE_LIMIT"] == DEFAULT_LIMITS["LOGIN_ACCOUNT_RATE_LIMIT"]
    )
    monkeypatch.setenv("LOGIN_ACCOUNT_RATE_LIMIT", "4 per hour")
    assert from_environment(tmp_path)["LOGIN_ACCOUNT_RATE_LIMIT"] == "4 per hour"


# --- passwords that name the app or her email -------------------------------------------------


@pytest.mark.parametrize(
    "password, email, refused",
    [
        ("Bækkendagbog2026!", "alice@example.dk", True),
        ("my baekkendagbog pass", "alice@example.dk", True),
        ("MITBÆKKENDAGBOGKODEORD", "alice@example.dk", True),
        ("alice@example.dk123", "alice@example.dk", True),
        ("xx ALICE.HANSEN yy", "alice.hansen@example.dk", True),
        ("a long pass phrase", "jo@example.dk", False),  # a two-letter local part is in too many words
        ("correct horse battery", "alice@example.dk", False),
    ],
)
def test_the_blocklist_knows_the_app_and_her_email(password, email, refused):
    assert (personal_problem(password, email) is not None) is refused


def registered(app, email):
    with in_app(app):
        return User.by_email(email)


@pytest.mark.parametrize("language, says", [("en", "the app"), ("da", "appens navn")])
def test_registration_refuses_the_apps_name_and_her_email_in_both_languages(
    app, client, auth, language, says
):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    response = auth.register("carol.jensen@example.dk", "Baekkendagbog 2026")
    assert response.status_code == 400 and says in response.get_data(as_text=True)
    response = auth.register("carol.jensen@example.dk", "hej carol.jensen!")
    assert response.status_code == 400 and registered(app, "carol.jensen@example.dk") is None
    assert "@" in response.get_data(as_text=True) or "email" in response.get_data(as_text=True)


def test_a_password_change_refuses_her_email_and_the_apps_name(app, client, alice, auth):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    for new in ("alice@example.dk-forever", "BÆKKENDAGBOG-forever"):
        response = client.post(
            "/settings/password", data={"password-current_password": PASSWORD, "password-new_password": new}
        )
        assert response.status_code == 400, new
    auth.logout()
    assert auth.login().status_code == 302  # the old password still works: nothing changed


# --- what the note sanitiser stores -----------------------------------------------------------

#: What she typed, and what is stored and returned (docs/security.md, "Notes").
STORED = [
    ("<b>fed</b> skrift", "fed skrift"),
    ("Tom &amp; Jerry", "Tom &amp; Jerry"),
    ("&lt;b&gt;ikke fed&lt;/b&gt;", "&lt;b&gt;ikke fed&lt;/b&gt;"),
    ("<script>alert(1)</script>", "alert(1)"),
    ("a < b > c", "a < b > c"),
    ("smerte <3 og 2>1", "smerte <3 og 2>1"),
    ("Rød & øm, 100% værre", "Rød & øm, 100% værre"),
    ("x <!-- skjult --> y", "x  y"),
    ("<<b>script>alert(2)<</b>/script>", "script>alert(2)/script>"),
    ("  linje 1\r\nlinje 2\x00  ", "linje 1\nlinje 2"),
    ("<\x00b>fed<\x00/b>", "fed"),
]


class Tags(HTMLParser):
    """The start and end tags an HTML parser finds in a text."""

    def __init__(self, text):
        super().__init__()
        self.found = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append(tag)

    def handle_endtag(self, tag):
        self.found.append("/" + tag)

    def handle_comment(self, data):
        self.found.append("!--")


@pytest.mark.parametrize("typed, stored", STORED)
def test_the_sanitiser_stores_exactly_what_the_docs_say(typed, stored):
    assert plain_text(typed) == stored
    assert plain_text(stored) == stored  # stable: storing it again changes nothing


@pytest.mark.parametrize("typed, stored", STORED)
def test_no_markup_she_did_not_type_is_stored_returned_or_exported(client, alice, today, typed, stored):
    assert (
        client.put(f"/api/v1/entries/{today}", json={"pain": 3, "note": typed}).get_json()["note"] == stored
    )
    assert client.get(f"/api/v1/entries/{today}").get_json()["note"] == stored
    exported = client.get("/api/v1/export").get_data(as_text=True)
    assert [entry["note"] for entry in json.loads(exported)["entries"]] == [stored]
    rows = list(csv.DictReader(io.StringIO(english_csv(client))))
    assert rows[0]["note"].lstrip("'") == stored
    assert set(Tags(stored).found) <= set(Tags(typed).found)  # never a tag she did not type
