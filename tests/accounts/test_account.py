"""The account's rights and protections: rate limits, common passwords, email change,
forgotten passwords by email, data export and import, and deleting everything."""

import asyncio
import csv
import io
import json
import re
import threading
import time
from contextlib import ExitStack, contextmanager
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from diary.accounts.export import FORMULA_STARTS, safe_cell
from diary.config import ConfigError, from_environment
from diary.db import db
from diary.entries.entry import DayEntry
from diary.entries.store import save_entry
from diary.models import PasswordReset, User, utc_now
from tests.conftest import PASSWORD, Auth, csrf_token_of
from tests.support.database import in_app
from tests.support.exports import english_csv
from tests.support.pgcluster import free_port
from tests.support.push_service import Device


def user(app, email="alice@example.dk"):
    with in_app(app):
        return User.by_email(email)


# --- Rate limits -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, setting, data",
    [
        ("/login", "LOGIN_RATE_LIMIT", {"email": "x@example.dk", "password": "wrong password"}),
        ("/register", "REGISTER_RATE_LIMIT", {"email": "", "password": ""}),
        ("/forgot", "RESET_RATE_LIMIT", {"email": "x@example.dk"}),
    ],
)
def test_log_in_registration_and_password_reset_are_rate_limited(app, client, path, setting, data):
    app.config[setting] = "3 per minute"
    statuses = [client.post(path, data=data).status_code for _ in range(5)]
    assert 429 not in statuses[:3] and statuses[3:] == [429, 429]
    assert client.get(path).status_code == 200  # reading the page is not limited


# --- Passwords -------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["1234567890", "qwertyuiop", "Password123", "adgangskode"])
def test_common_passwords_are_refused_at_registration(app, auth, password):
    response = auth.register("carol@example.dk", password)
    assert (
        response.status_code == 400
        and b"common" in response.data
        or "for almindelig".encode() in response.data
    )
    assert user(app, "carol@example.dk") is None


def test_a_common_password_is_refused_on_change_and_by_the_cli(app, client, alice, runner):
    response = client.post(
        "/settings/password",
        data={"password-current_password": PASSWORD, "password-new_password": "1234567890"},
    )
    assert response.status_code == 400
    assert runner.invoke(args=["reset-password", "alice@example.dk"], input="qwertyuiop\n").exit_code != 0


# --- Email change ----------------------------------------------------------------------


def test_changing_the_email_needs_the_current_password(app, client, alice):
    wrong = client.post(
        "/settings/email", data={"email-email": "new@example.dk", "email-current_password": "nope nope nope"}
    )
    assert wrong.status_code == 400 and user(app, "new@example.dk") is None
    right = client.post(
        "/settings/email", data={"email-email": "New@Example.dk", "email-current_password": PASSWORD}
    )
    assert right.status_code == 302 and user(app, "new@example.dk") is not None


def test_an_email_in_use_by_another_account_is_refused(app, client, alice, bob_client):
    response = client.post(
        "/settings/email", data={"email-email": "bob@example.dk", "email-current_password": PASSWORD}
    )
    assert response.status_code == 400 and user(app).email == "alice@example.dk"


# --- Forgotten password ----------------------------------------------------------------


class Inbox:
    def __init__(self, answer="250 Message accepted", delay=0.0):
        self.messages = []
        self.answer = answer
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.answer.startswith("250"):
            self.messages.append(envelope.content.decode("utf-8", "replace"))
        return self.answer

    def wait_for(self, count, timeout=10.0):
        """The messages, once `count` have arrived (reset mail is sent on a thread of its own)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


@contextmanager
def smtp_server(app, inbox):
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=controller.port,
        SMTP_STARTTLS=False,
        MAIL_FROM="dagbog@example.dk",
        PUBLIC_URL="http://localhost",
    )
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp(app):
    """A local SMTP server for the test, and the app pointed at it (PUBLIC_URL on the test host)."""
    with smtp_server(app, Inbox()) as inbox:
        yield inbox


def reset_link(message):
    body = message.replace("=\n", "")
    return re.search(r"http://localhost(/reset/[A-Za-z0-9_-]+)", body).group(1)


def page_text(response):
    """A page without what is new on every page: its CSRF token and the time it was made."""
    page = re.sub(
        r'content="[^"]*" name="csrf-token"|name="csrf-token" content="[^"]*"',
        "",
        response.get_data(as_text=True),
    )
    return re.sub(r'data-made="[^"]*"', "", page)


def mailed_link(client, smtp, email="alice@example.dk"):
    """Ask for a reset link for email and return its path."""
    count = len(smtp.messages)
    assert client.post("/forgot", data={"email": email}).status_code == 200
    return reset_link(smtp.wait_for(count + 1)[count])


def test_without_smtp_the_page_says_to_ask_the_operator(client):
    page = client.get("/forgot", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Ask the people who run it" in page and 'name="email"' not in page
    assert "manage.py" not in page  # how the operator does it is in the README, not on her page


def test_a_reset_link_is_mailed_works_once_and_ends_old_sessions(app, client, auth, smtp):
    auth.register()
    other = app.test_client()
    Auth(other).login(remember=True)
    auth.logout()
    response = client.post("/forgot", data={"email": "ALICE@example.dk"})
    assert response.status_code == 200 and len(smtp.wait_for(1)) == 1
    assert "To: alice@example.dk" in smtp.messages[0]
    link = reset_link(smtp.messages[0])
    assert client.get(link).status_code == 200
    assert client.post(link, data={"new_password": "a fresh new password"}).status_code == 302
    assert auth.login(password="a fresh new password").status_code == 302
    assert client.get(link).status_code == 410  # single use
    other.delete_cookie("session")
    assert other.get("/history").status_code == 302  # the old remembered session ended


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client, auth, smtp):
    auth.register()
    unknown = client.post("/forgot", data={"email": "nobody@example.dk"})
    known = client.post("/forgot", data={"email": "alice@example.dk"})
    assert unknown.status_code == known.status_code == 200 and page_text(unknown) == page_text(known)
    smtp.wait_for(1)
    time.sleep(0.2)
    assert len(smtp.messages) == 1 and "To: alice@example.dk" in smtp.messages[0]


def test_a_reset_link_lives_one_hour(app, client, auth, smtp, monkeypatch):
    auth.register()
    link = mailed_link(client, smtp)
    with in_app(app):
        reset = PasswordReset.get()
    assert reset.expires_at - reset.created_at == timedelta(hours=1)
    import diary.accounts.resets

    def clock_at(minutes):
        monkeypatch.setattr(
            diary.accounts.resets, "utc_now", lambda: reset.created_at + timedelta(minutes=minutes)
        )

    clock_at(59)
    assert client.get(link).status_code == 200
    clock_at(61)
    assert client.get(link).status_code == 410
    assert client.post(link, data={"new_password": "a fresh new password"}).status_code == 410
    assert auth.login().status_code == 302  # the old password still works


def test_a_reset_link_used_by_another_request_meanwhile_sets_nothing(app, client, auth, smtp, monkeypatch):
    auth.register()
    auth.logout()
    link = mailed_link(client, smtp)
    import diary.accounts.views.auth

    real_hash = diary.accounts.views.auth.hash_password

    def hash_while_the_other_request_wins(password):
        # The other request claims the link while this one is still hashing its password.
        PasswordReset.update(used_at=utc_now()).execute()
        return real_hash(password)

    monkeypatch.setattr(diary.accounts.views.auth, "hash_password", hash_while_the_other_request_wins)
    assert client.post(link, data={"new_password": "a fresh new password"}).status_code == 410
    assert auth.login(password="a fresh new password").status_code == 400  # refused: not her password
    assert auth.login().status_code == 302


def test_a_made_up_reset_token_is_410(client):
    assert client.get("/reset/" + "x" * 43).status_code == 410


@pytest.mark.parametrize("change", ["password", "email"])
def test_changing_the_password_or_email_in_settings_ends_pending_reset_links(client, alice, smtp, change):
    link = mailed_link(client, smtp)
    if change == "password":
        data = {"password-current_password": PASSWORD, "password-new_password": "a brand new passphrase"}
    else:
        data = {"email-email": "new@example.dk", "email-current_password": PASSWORD}
    assert client.post(f"/settings/{change}", data=data).status_code == 302
    assert client.get(link).status_code == 410


@pytest.mark.parametrize("problem", ["refused", "rejected"])
def test_a_broken_mail_server_is_logged_and_the_person_sees_the_same_page(app, client, auth, caplog, problem):
    auth.register()
    with ExitStack() as stack:
        if problem == "refused":  # nothing listens on the port
            app.config.update(
                SMTP_HOST="127.0.0.1",
                SMTP_PORT=free_port(),
                SMTP_STARTTLS=False,
                MAIL_FROM="dagbog@example.dk",
                PUBLIC_URL="http://localhost",
            )
        else:  # the server answers the message with a permanent error
            stack.enter_context(smtp_server(app, Inbox(answer="554 5.7.1 Rejected")))
        sent_page = client.post("/forgot", data={"email": "nobody@example.dk"})
        response = client.post("/forgot", data={"email": "alice@example.dk"})
        deadline = time.monotonic() + 10
        while "could not send a password-reset email" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.02)
    assert response.status_code == 200 and page_text(response) == page_text(sent_page)
    assert "could not send a password-reset email" in caplog.text
    assert "alice@example.dk" not in caplog.text  # the log says what failed, not whose email


def test_forgot_answers_at_once_however_slow_the_mail_server_is(app, client, auth):
    auth.register()
    with smtp_server(app, Inbox(delay=2.0)) as inbox:
        started = time.monotonic()
        response = client.post("/forgot", data={"email": "alice@example.dk"})
        took = time.monotonic() - started
        assert response.status_code == 200 and took < 1.5  # an unknown email costs no SMTP time at all
        assert len(inbox.wait_for(1)) == 1


# --- Host-header poisoning -------------------------------------------------------------


def test_a_reset_request_with_a_spoofed_host_mails_a_link_on_public_url_only(app, client, auth, smtp):
    auth.register()
    app.config["PUBLIC_URL"] = "https://dagbog.example.dk"
    response = client.post(
        "/forgot",
        data={"email": "alice@example.dk"},
        base_url="http://evil.example",
        headers={"X-Forwarded-Host": "evil.example", "Forwarded": "host=evil.example"},
    )
    assert response.status_code == 200
    message = smtp.wait_for(1)[0].replace("=\n", "")
    assert "evil.example" not in message
    assert re.search(r"https://dagbog\.example\.dk/reset/[A-Za-z0-9_-]{40,}", message)


def test_without_public_url_no_reset_mail_is_sent_whatever_the_host(app, client, auth, smtp):
    auth.register()
    app.config["PUBLIC_URL"] = ""
    page = client.get("/forgot", base_url="http://evil.example", headers={"Accept-Language": "en"})
    assert "Ask the people who run it" in page.get_data(as_text=True)  # no form to send a link from
    client.post("/forgot", data={"email": "alice@example.dk"}, base_url="http://evil.example")
    time.sleep(0.2)
    assert smtp.messages == []
    with in_app(app):
        assert PasswordReset.select().count() == 0


@pytest.mark.parametrize(
    "public_url, expected",
    [
        ("https://dagbog.example.dk", "https://dagbog.example.dk/r/"),
        ("https://example.dk/dagbog/", "https://example.dk/dagbog/r/"),
    ],
)
def test_report_links_are_built_on_public_url_not_on_the_host_header(
    app, client, alice, public_url, expected
):
    app.config["PUBLIC_URL"] = public_url.rstrip("/")
    # Her own session, sent to the app under another Host (a cookie jar would not send it there).
    spoofed = app.test_client(use_cookies=False)
    cookie = f"session={client.get_cookie('session').value}"
    share = spoofed.post(
        "/api/v1/shares", json={}, headers={"Host": "evil.example", "Cookie": cookie}
    ).get_json()
    assert share["url"].startswith(expected) and share["pdf_url"].startswith(expected)
    assert share["pdf_url"].endswith(".pdf")
    assert client.get(share["url"].removeprefix(expected[: -len("/r/")])).status_code == 200


def test_without_public_url_report_links_use_the_address_the_diarist_opened(client, alice):
    assert client.post("/api/v1/shares", json={}).get_json()["url"].startswith("http://localhost/r/")


@pytest.fixture
def settings_env(monkeypatch, tmp_path):
    """An environment with only the settings a test gives (the app's own are removed)."""
    for name in (
        "SMTP_HOST",
        "MAIL_FROM",
        "PUBLIC_URL",
        "HTTPS",
        "SECRET_KEY",
        "DATABASE_URL",
        "PROXY_COUNT",
    ):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    "value",
    [
        "dagbog.example.dk",
        "ftp://dagbog.example.dk",
        "https://",
        "https://x:y@dagbog.dk",
        "https://dagbog.dk:port",
        "https://dagbog.dk/?next=1",
        "https://dagbog.dk/#top",
    ],
)
def test_a_public_url_that_is_not_an_address_stops_start_up(settings_env, tmp_path, value):
    settings_env.setenv("PUBLIC_URL", value)
    with pytest.raises(ConfigError, match="PUBLIC_URL"):
        from_environment(tmp_path)


def test_mail_without_public_url_stops_start_up(settings_env, tmp_path):
    settings_env.setenv("SMTP_HOST", "mail.example.dk")
    settings_env.setenv("MAIL_FROM", "dagbog@example.dk")
    with pytest.raises(ConfigError, match="PUBLIC_URL must be set when SMTP_HOST is"):
        from_environment(tmp_path)
    settings_env.setenv("PUBLIC_URL", "https://dagbog.example.dk/")
    assert from_environment(tmp_path)["PUBLIC_URL"] == "https://dagbog.example.dk"


def test_an_http_public_url_with_https_on_stops_start_up(settings_env, tmp_path):
    settings_env.setenv("HTTPS", "true")
    settings_env.setenv("PUBLIC_URL", "http://dagbog.example.dk")
    with pytest.raises(ConfigError, match="PUBLIC_URL must start with https://"):
        from_environment(tmp_path)


def test_make_run_needs_no_public_url(settings_env, tmp_path):
    assert from_environment(tmp_path)["PUBLIC_URL"] == ""


# --- Log-in and passwords --------------------------------------------------------------


def test_logging_in_starts_a_fresh_session(client, auth):
    auth.register()
    auth.logout()
    with client.session_transaction() as planted:
        planted["planted"] = "by someone else"
        planted["csrf_token"] = "a token someone else knows"
    assert auth.login().status_code == 302
    with client.session_transaction() as fresh:
        assert "planted" not in fresh and fresh.get("csrf_token") != "a token someone else knows"
        assert fresh.get("_user_id")


@pytest.mark.parametrize("password, status", [("vxq7-lmrp", 400), ("vxq7-lmrpz", 302)])
def test_a_password_needs_at_least_ten_characters(app, auth, password, status):
    response = auth.register("carol@example.dk", password)
    assert response.status_code == status
    assert (user(app, "carol@example.dk") is not None) == (status == 302)


def test_a_new_password_in_settings_needs_ten_characters_too(app, client, alice, auth):
    short = client.post(
        "/settings/password",
        data={"password-current_password": PASSWORD, "password-new_password": "vxq7-lmrp"},
    )
    assert short.status_code == 400
    right = client.post(
        "/settings/password",
        data={"password-current_password": PASSWORD, "password-new_password": "vxq7-lmrpz"},
    )
    assert right.status_code == 302


# --- Export and import -----------------------------------------------------------------


def test_the_json_export_holds_profile_entries_shares_and_feedback(client, alice, today):
    client.put(f"/api/v1/entries/{today}", json={"pain": 5, "note": "hej"})
    client.post("/api/v1/shares", json={})
    client.post("/api/v1/tips/stairs/feedback", json={"kind": "helpful"})
    export = client.get("/api/v1/export").get_json()
    assert export["profile"]["email"] == "alice@example.dk"
    assert [entry["pain"] for entry in export["entries"]] == [5]
    assert len(export["shares"]) == 1 and "url" not in export["shares"][0]
    assert export["tip_feedback"][0]["advice"] == "stairs"


def test_the_csv_export_has_a_row_per_day_and_joins_sets(client, alice, today):
    client.put(f"/api/v1/entries/{today}", json={"pain": 5, "triggers": ["stairs", "walking"], "note": "hej"})
    client.put(f"/api/v1/entries/{today - timedelta(days=1)}", json={"pain": 2})
    assert client.get("/api/v1/export.csv").mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(english_csv(client))))
    assert [row["date"] for row in rows] == [(today - timedelta(days=1)).isoformat(), today.isoformat()]
    assert rows[1]["triggers"] == "stairs;walking" and rows[1]["note"] == "hej" and rows[0]["triggers"] == ""


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text(start):
    assert safe_cell(start + "SUM(A1:A9)") == "'" + start + "SUM(A1:A9)"
    assert safe_cell("pain " + start + "1") == "pain " + start + "1"  # only the first character counts


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_the_csv_export_never_starts_a_note_cell_with_a_formula(client, alice, today, start):
    note = start + 'HYPERLINK("https://evil.example","klik")'
    day = today - timedelta(days=3)
    client.put(f"/api/v1/entries/{today}", json={"pain": 1, "note": "an ordinary day"})
    stored = client.put(f"/api/v1/entries/{day}", json={"pain": 4, "note": note}).get_json()["note"]
    rows = {row["date"]: row for row in csv.DictReader(io.StringIO(english_csv(client)))}
    cell = rows[day.isoformat()]["note"]
    assert not cell.startswith(FORMULA_STARTS)
    # Tab and carriage return are stripped from the start of a note when it is saved; whatever
    # then starts the stored note, the cell is it with a quote in front when it could run.
    assert cell == ("'" + stored if stored.startswith(FORMULA_STARTS) else stored)
    assert rows[today.isoformat()]["note"] == "an ordinary day"


def test_import_merges_by_date_and_the_newer_edit_wins(client, alice, today):
    day1, day2, day3 = (today - timedelta(days=n) for n in (1, 2, 3))
    client.put(f"/api/v1/entries/{day1}", json={"pain": 1, "updated_at": "2026-01-01T10:00:00Z"})
    client.put(f"/api/v1/entries/{day2}", json={"pain": 2, "updated_at": "2026-03-01T10:00:00Z"})
    export = {
        "format": "baekkendagbog-export",
        "version": 1,
        "entries": [
            {"date": day1.isoformat(), "pain": 7, "updated_at": "2026-02-01T10:00:00Z"},  # newer: updates
            {"date": day2.isoformat(), "pain": 9, "updated_at": "2026-02-01T10:00:00Z"},  # older: skipped
            {"date": day3.isoformat(), "pain": 4, "updated_at": "2026-02-01T10:00:00Z"},  # new: created
        ],
        "tip_feedback": [{"advice": "stairs", "kind": "dismissed", "created_at": "2026-02-01T10:00:00Z"}],
    }
    response = client.post("/api/v1/import", json=export)
    assert response.status_code == 200 and response.get_json() == {
        "created": 1,
        "updated": 1,
        "skipped": 0 + 1,
        "feedback_added": 1,
        "feedback_unknown": 0,
        "checkins_created": 0,
        "checkins_updated": 0,
        "checkins_skipped": 0,
    }
    pains = {entry["date"]: entry["pain"] for entry in client.get("/api/v1/entries").get_json()["entries"]}
    assert pains == {day1.isoformat(): 7, day2.isoformat(): 2, day3.isoformat(): 4}
    assert client.post("/api/v1/import", json=export).get_json() == {
        "created": 0,
        "updated": 0,
        "skipped": 3,
        "feedback_added": 0,
        "feedback_unknown": 0,
        "checkins_created": 0,
        "checkins_updated": 0,
        "checkins_skipped": 0,
    }


def test_an_export_imports_into_another_diary_completely(client, alice, bob_client, today):
    for offset in range(5):
        client.put(
            f"/api/v1/entries/{today - timedelta(days=offset)}", json={"pain": offset, "relief": ["heat"]}
        )
    export = client.get("/api/v1/export").get_json()
    assert bob_client.post("/api/v1/import", json=export).get_json() == {
        "created": 5,
        "updated": 0,
        "skipped": 0,
        "feedback_added": 0,
        "feedback_unknown": 0,
        "checkins_created": 0,
        "checkins_updated": 0,
        "checkins_skipped": 0,
    }
    assert bob_client.get("/api/v1/entries").get_json() == client.get("/api/v1/entries").get_json()


@pytest.mark.parametrize(
    "body",
    [
        {"format": "something-else", "entries": []},
        {
            "format": "baekkendagbog-export",
            "entries": [{"date": "2026-11-01", "pain": 11, "updated_at": "2026-11-01T10:00:00Z"}],
        },
        {"format": "baekkendagbog-export", "entries": [{"date": "2026-11-01", "pain": 3}]},
        {"format": "baekkendagbog-export", "entries": "many"},
        ["not", "an", "export"],
    ],
)
def test_a_bad_import_is_a_400_and_changes_nothing(client, alice, today, body):
    client.put(f"/api/v1/entries/{today}", json={"pain": 5})
    good_then_bad = body
    response = client.post("/api/v1/import", json=good_then_bad)
    assert response.status_code == 400 and response.get_json()["error"]["message"]
    assert [entry["pain"] for entry in client.get("/api/v1/entries").get_json()["entries"]] == [5]


def test_an_import_with_one_bad_day_imports_none(client, alice, today):
    export = {
        "format": "baekkendagbog-export",
        "version": 1,
        "entries": [
            {
                "date": (today - timedelta(days=1)).isoformat(),
                "pain": 3,
                "updated_at": "2026-02-01T10:00:00Z",
            },
            {
                "date": (today - timedelta(days=2)).isoformat(),
                "pain": 99,
                "updated_at": "2026-02-01T10:00:00Z",
            },
        ],
    }
    response = client.post("/api/v1/import", json=export)
    assert response.status_code == 400 and "entries[1].pain" in response.get_json()["error"]["fields"]
    assert client.get("/api/v1/entries").get_json() == {"entries": []}


def export_of_days(today, days, note_length=0, updated_at="2026-02-01T10:00:00Z"):
    """An export file's JSON with `days` days before today, each with a note of note_length characters."""
    note = ("Trapperne var hårde, og natten var urolig. " * (note_length // 40 + 1))[:note_length].strip()
    return {
        "format": "baekkendagbog-export",
        "version": 1,
        "entries": [
            {
                "date": (today - timedelta(days=offset)).isoformat(),
                "pain": offset % 11,
                "triggers": ["stairs"],
                "note": note,
                "updated_at": updated_at,
            }
            for offset in range(1, days + 1)
        ],
    }


@pytest.fixture
def alice_with_csrf(csrf_app, client):
    """Alice registered through the real form, with CSRF checks on; returns a page's token."""
    client.post(
        "/register",
        data={
            "email": "alice@example.dk",
            "password": PASSWORD,
            "csrf_token": csrf_token_of(client, "/register"),
        },
    )
    return csrf_token_of(client)


def test_a_large_import_passes_the_csrf_check_and_is_imported(client, alice_with_csrf, today):
    body = json.dumps(export_of_days(today, 200, note_length=1900)).encode()
    assert 256 * 1024 < len(body) < 16 * 1024 * 1024
    response = client.post(
        "/api/v1/import", data=body, content_type="application/json", headers={"X-CSRFToken": alice_with_csrf}
    )
    assert response.status_code == 200 and response.get_json()["created"] == 200


def test_a_large_import_without_the_csrf_token_is_refused_as_csrf_not_as_too_large(
    client, alice_with_csrf, today
):
    body = json.dumps(export_of_days(today, 200, note_length=1900)).encode()
    response = client.post("/api/v1/import", data=body, content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "csrf"
    assert client.get("/api/v1/entries").get_json() == {"entries": []}


def test_an_import_over_16_mib_is_a_413_and_other_bodies_keep_the_small_limit(client, alice_with_csrf, today):
    headers = {"X-CSRFToken": alice_with_csrf}
    huge = (
        b'{"format": "baekkendagbog-export", "entries": [], "padding": "' + b"x" * (16 * 1024 * 1024) + b'"}'
    )
    response = client.post("/api/v1/import", data=huge, content_type="application/json", headers=headers)
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "too_large"
    note = '{"pain": 3, "note": "' + "x" * 300_000 + '"}'
    response = client.put(
        f"/api/v1/entries/{today}", data=note, content_type="application/json", headers=headers
    )
    assert response.status_code == 413


def upload(client, content: bytes, token=None, name="baekkendagbog-export.json"):
    data = {"file": (io.BytesIO(content), name)}
    if token:
        data["csrf_token"] = token
    return client.post("/settings/import", data=data, content_type="multipart/form-data")


def test_the_settings_page_offers_an_import_form_that_works_without_javascript(client, alice):
    page = client.get("/settings").get_data(as_text=True)
    form = re.search(
        r'<form[^>]*action="/settings/import#your-data-outcome"[^>]*>.*?</form>', page, re.S
    ).group(0)
    assert 'method="post"' in form and 'enctype="multipart/form-data"' in form
    assert 'type="file"' in form and 'name="file"' in form and 'name="csrf_token"' in form


def test_importing_a_file_from_the_settings_page_reports_the_counts(client, alice_with_csrf, today):
    client.put(
        f"/api/v1/entries/{today - timedelta(days=1)}",
        json={"pain": 9, "updated_at": "2026-03-01T10:00:00Z"},
        headers={"X-CSRFToken": alice_with_csrf},
    )
    client.put(
        f"/api/v1/entries/{today - timedelta(days=2)}",
        json={"pain": 9, "updated_at": "2026-01-01T10:00:00Z"},
        headers={"X-CSRFToken": alice_with_csrf},
    )
    client.post("/language", data={"language": "en"}, headers={"X-CSRFToken": alice_with_csrf})
    content = json.dumps(export_of_days(today, 4)).encode()
    response = upload(client, content, alice_with_csrf)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/settings#your-data-outcome"
    )
    page = client.get("/settings").get_data(as_text=True)
    assert "New days: 2. Updated days: 1. Skipped" in page and "or a newer edit: 1." in page
    pains = {entry["date"]: entry["pain"] for entry in client.get("/api/v1/entries").get_json()["entries"]}
    assert pains[(today - timedelta(days=1)).isoformat()] == 9  # the diary's newer edit stayed
    assert pains[(today - timedelta(days=2)).isoformat()] == 2  # the file's newer edit won
    assert len(pains) == 4


def test_a_large_file_imports_from_the_settings_page_with_csrf_on(client, alice_with_csrf, today):
    content = json.dumps(export_of_days(today, 200, note_length=1900)).encode()
    assert len(content) > 256 * 1024
    assert upload(client, content, alice_with_csrf).status_code == 302
    assert len(client.get("/api/v1/entries").get_json()["entries"]) == 200


def test_a_settings_import_without_the_csrf_token_imports_nothing(client, alice_with_csrf, today):
    response = upload(client, json.dumps(export_of_days(today, 3)).encode())
    assert response.status_code == 400
    assert client.get("/api/v1/entries").get_json() == {"entries": []}


@pytest.mark.parametrize(
    "content, says",
    [
        (b"", "Choose an export file"),
        (b"\x89PNG\r\n not json at all", "it is not JSON"),
        (b'{"format": "something-else", "entries": []}', "This is not a Bækkendagbog export file"),
        (
            json.dumps(
                {
                    "format": "baekkendagbog-export",
                    "entries": [
                        {"date": "2026-11-01", "pain": 3, "updated_at": "2026-02-01T10:00:00Z"},
                        {"date": "2026-11-02", "pain": 12, "updated_at": "2026-02-01T10:00:00Z"},
                    ],
                }
            ).encode(),
            "Day 2 in the file:",
        ),
        (
            b'{"format": "baekkendagbog-export", "entries": [], "extra": ' + b"[" * 500 + b"]" * 500 + b"}",
            "This is not a Bækkendagbog export file",
        ),  # nested far deeper than an export: refused like an API body
    ],
)
def test_a_bad_file_on_the_settings_page_says_why_and_imports_nothing(client, alice, today, content, says):
    client.post("/language", data={"language": "en"})
    client.put(f"/api/v1/entries/{today}", json={"pain": 5})
    response = client.post(
        "/settings/import",
        data={"file": (io.BytesIO(content), "export.json")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and says in page
    assert "The file was not imported. Nothing in your diary was changed." in page
    assert 'aria-invalid="true"' in page
    assert [entry["pain"] for entry in client.get("/api/v1/entries").get_json()["entries"]] == [5]


def test_an_import_waits_for_another_connections_write_instead_of_failing(
    app, client, alice, today, monkeypatch
):
    """SQLite refuses a deferred transaction's first write after another connection wrote
    ("database is locked"); the import takes the write lock first, so the other write waits."""
    import diary.accounts.importing

    day = today - timedelta(days=1)
    export = export_of_days(today, 2, updated_at="2026-02-01T10:00:00Z")
    newer = DayEntry(date=day, pain=10, triggers=["walking"], updated_at=utc_now())
    other = {}

    def write_elsewhere():
        try:
            with db.connection_context():  # this thread's own connection
                other["created"] = save_entry(User.get_by_id(alice.id), newer)[1]
        except Exception as problem:  # reported by the assertions below
            other["error"] = problem

    writer = threading.Thread(target=write_elsewhere)
    real_edit_times = diary.accounts.importing.edit_times

    def read_then_another_connection_writes(user, start, end):
        found = real_edit_times(user, start, end)
        if not writer.ident:
            writer.start()
            writer.join(timeout=1.0)  # before the fix the other write commits here, between read and write
        return found

    monkeypatch.setattr(diary.accounts.importing, "edit_times", read_then_another_connection_writes)
    response = client.post("/api/v1/import", json=export)
    writer.join(timeout=10)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "error" not in other and not writer.is_alive()
    counts = response.get_json()
    assert counts["updated"] == 0 and counts["created"] + counts["skipped"] == 2
    stored = client.get(f"/api/v1/entries/{day}").get_json()
    assert stored["pain"] == 10 and stored["triggers"] == ["walking"]  # the newer edit won either way
    assert client.get(f"/api/v1/entries/{today - timedelta(days=2)}").get_json()["pain"] == 2


# --- Deleting the account --------------------------------------------------------------


def test_deleting_the_account_needs_the_password(app, client, alice):
    response = client.post("/settings/delete", data={"delete-current_password": "not my password"})
    assert response.status_code == 400 and user(app) is not None


#: Tables that hold no one's data (so need no foreign key to users).
TABLES_WITHOUT_USER_DATA = {"users", "schema_version"}


def rows_per_table(user_id) -> dict[str, int]:
    """For every table of the database, how many rows point at the user (by any foreign key to users)."""
    counts = {}
    for table in db.get_tables():
        if table.startswith("sqlite_") or table in TABLES_WITHOUT_USER_DATA:
            continue
        keys = [key.column for key in db.get_foreign_keys(table) if key.dest_table == "users"]
        # A new table must belong to a user, or the deletion cannot reach it: extend this test if not.
        assert keys, f"table {table} has no foreign key to users"
        where = " OR ".join(f'"{column}" = {int(user_id)}' for column in keys)
        counts[table] = db.execute_sql(f'SELECT COUNT(*) FROM "{table}" WHERE {where}').fetchone()[0]
    counts["users"] = db.execute_sql(f"SELECT COUNT(*) FROM users WHERE id = {int(user_id)}").fetchone()[0]
    return counts


def test_deleting_the_account_removes_every_row_ends_sessions_and_clears_the_site(
    app, client, alice, bob_client, today, smtp
):
    for offset in range(3):
        client.put(
            f"/api/v1/entries/{today - timedelta(days=offset)}",
            json={"pain": 7, "triggers": ["stairs"], "locations": ["symphysis"], "note": "x"},
        )
    client.post("/api/v1/shares", json={"include_notes": True})
    client.post("/api/v1/tips/stairs/feedback", json={"kind": "helpful"})
    week = f"{today.isocalendar()[0]}-W{today.isocalendar()[1]:02d}"
    check = dict.fromkeys(("walking", "stairs", "turning_in_bed", "getting_up", "standing", "sitting"), 1)
    check |= dict.fromkeys(("dressing", "carrying", "housework", "sleeping"), 2)
    assert (
        client.put(f"/api/v1/checkins/{week}", json={"answers": check, "leg_raise": None}).status_code == 200
    )
    assert client.get("/api/v1/tips").get_json()["tips"]  # tips shown are recorded
    mailed_link(client, smtp)  # a pending password reset
    client.put("/api/v1/reminder", json={"enabled": True, "time": "20:00", "timezone": "Europe/Copenhagen"})
    app.config["PUSH_ALLOW_PRIVATE_ENDPOINTS"] = True  # a push service on this machine
    client.post("/api/v1/push-subscriptions", json=Device(path="/push/a").subscription("http://127.0.0.1:9"))
    bob_client.put(f"/api/v1/entries/{today}", json={"pain": 2, "triggers": ["stairs"]})
    bob_client.post("/api/v1/shares", json={})
    bob_client.put(
        "/api/v1/reminder", json={"enabled": True, "time": "21:00", "timezone": "Europe/Copenhagen"}
    )
    bob_client.post(
        "/api/v1/push-subscriptions", json=Device(path="/push/b").subscription("http://127.0.0.1:9")
    )
    other_phone = app.test_client()
    Auth(other_phone).login(remember=True)
    with in_app(app):
        alice_id = User.by_email("alice@example.dk").id
        bob_id = User.by_email("bob@example.dk").id
        before = rows_per_table(alice_id)
        bob_before = rows_per_table(bob_id)
    assert all(before.values()), f"every table must hold some of Alice's rows before: {before}"
    response = client.post("/settings/delete", data={"delete-current_password": PASSWORD})
    assert response.status_code == 200
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    with in_app(app):
        assert rows_per_table(alice_id) == dict.fromkeys(before, 0)
        assert rows_per_table(bob_id) == bob_before
    assert client.get("/api/v1/entries").status_code == 401
    assert other_phone.get("/api/v1/entries").status_code == 401
    assert bob_client.get(f"/api/v1/entries/{today}").get_json()["pain"] == 2


# --- Security headers ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/login", "/api/v1/openapi.json", "/advice", "/nothing-here", "/static/css/app.css"]
)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    response.close()  # a static file is streamed from disk
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] and headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers


def test_hsts_is_sent_over_https(app, client):
    assert "max-age=" in client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"]


def test_the_privacy_page_says_what_is_stored_and_who_sees_reports(client):
    page = client.get("/privacy", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "What is stored" in page and "report link" in page
    danish = client.get("/privacy", headers={"Accept-Language": "da"}).get_data(as_text=True)
    assert danish != page
