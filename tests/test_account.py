"""The account's rights and protections: rate limits, common passwords, email change,
forgotten passwords by email, data export and import, and deleting everything."""

import csv
import io
import re
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from diary.db import db
from diary.models import MODELS, PasswordReset, User, utc_now
from tests.conftest import PASSWORD, Auth


def user(app, email="alice@example.dk"):
    with app.app_context(), db.connection_context():
        return User.by_email(email)


# --- Rate limits -----------------------------------------------------------------------

@pytest.mark.parametrize("path, setting, data", [
    ("/login", "LOGIN_RATE_LIMIT", {"email": "x@example.dk", "password": "wrong password"}),
    ("/register", "REGISTER_RATE_LIMIT", {"email": "", "password": ""}),
    ("/forgot", "RESET_RATE_LIMIT", {"email": "x@example.dk"}),
])
def test_log_in_registration_and_password_reset_are_rate_limited(app, client, path, setting, data):
    app.config[setting] = "3 per minute"
    statuses = [client.post(path, data=data).status_code for _ in range(5)]
    assert 429 not in statuses[:3] and statuses[3:] == [429, 429]
    assert client.get(path).status_code == 200  # reading the page is not limited


# --- Passwords -------------------------------------------------------------------------

@pytest.mark.parametrize("password", ["1234567890", "qwertyuiop", "Password123", "adgangskode"])
def test_common_passwords_are_refused_at_registration(app, auth, password):
    response = auth.register("carol@example.dk", password)
    assert response.status_code == 400 and b"common" in response.data or "for almindelig".encode() in response.data
    assert user(app, "carol@example.dk") is None


def test_a_common_password_is_refused_on_change_and_by_the_cli(app, client, alice, runner):
    response = client.post("/settings/password", data={"password-current_password": PASSWORD,
                                                        "password-new_password": "1234567890"})
    assert response.status_code == 400
    assert runner.invoke(args=["reset-password", "alice@example.dk"], input="qwertyuiop\n").exit_code != 0


# --- Email change ----------------------------------------------------------------------

def test_changing_the_email_needs_the_current_password(app, client, alice):
    wrong = client.post("/settings/email", data={"email-email": "new@example.dk", "email-current_password": "nope nope nope"})
    assert wrong.status_code == 400 and user(app, "new@example.dk") is None
    right = client.post("/settings/email", data={"email-email": "New@Example.dk", "email-current_password": PASSWORD})
    assert right.status_code == 302 and user(app, "new@example.dk") is not None


def test_an_email_in_use_by_another_account_is_refused(app, client, alice, bob_client):
    response = client.post("/settings/email", data={"email-email": "bob@example.dk", "email-current_password": PASSWORD})
    assert response.status_code == 400 and user(app).email == "alice@example.dk"


# --- Forgotten password ----------------------------------------------------------------

class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content.decode("utf-8", "replace"))
        return "250 Message accepted"


@pytest.fixture
def smtp(app):
    """A local SMTP server for the test, and the app pointed at it."""
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_STARTTLS=False, MAIL_FROM="dagbog@example.dk")
    yield inbox
    controller.stop()


def reset_link(message):
    body = message.replace("=\n", "")
    return re.search(r"http://localhost(/reset/[A-Za-z0-9_-]+)", body).group(1)


def test_without_smtp_the_page_says_to_ask_the_operator(client):
    page = client.get("/forgot", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "manage.py reset-password" in page and 'name="email"' not in page


def test_a_reset_link_is_mailed_works_once_and_ends_old_sessions(app, client, auth, smtp):
    auth.register()
    other = app.test_client()
    Auth(other).login(remember=True)
    auth.logout()
    response = client.post("/forgot", data={"email": "ALICE@example.dk"})
    assert response.status_code == 200 and len(smtp.messages) == 1
    assert "To: alice@example.dk" in smtp.messages[0]
    link = reset_link(smtp.messages[0])
    assert client.get(link).status_code == 200
    assert client.post(link, data={"new_password": "a fresh new password"}).status_code == 302
    assert auth.login(password="a fresh new password").status_code == 302
    assert client.get(link).status_code == 410  # single use
    other.delete_cookie("session")
    assert other.get("/history").status_code == 302  # the old remembered session ended


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client, smtp):
    response = client.post("/forgot", data={"email": "nobody@example.dk"})
    assert response.status_code == 200 and smtp.messages == []


def test_a_reset_link_expires_after_an_hour(app, client, auth, smtp):
    auth.register()
    client.post("/forgot", data={"email": "alice@example.dk"})
    link = reset_link(smtp.messages[0])
    with app.app_context(), db.connection_context():
        PasswordReset.update(expires_at=utc_now() - timedelta(seconds=1)).execute()
    assert client.get(link).status_code == 410
    assert client.post(link, data={"new_password": "a fresh new password"}).status_code == 410


def test_a_made_up_reset_token_is_410(client):
    assert client.get("/reset/" + "x" * 43).status_code == 410


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


def test_the_csv_export_has_a_row_per_day_and_escapes_formulas(client, alice, today):
    client.put(f"/api/v1/entries/{today}", json={"pain": 5, "triggers": ["stairs", "walking"], "note": "=HYPERLINK(\"x\")"})
    client.put(f"/api/v1/entries/{today - timedelta(days=1)}", json={"pain": 2, "note": "@SUM(A1)"})
    for bad in ("+1+1", "-2+3"):
        client.put(f"/api/v1/entries/{today - timedelta(days=2)}", json={"pain": 1, "note": bad})
    response = client.get("/api/v1/export.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 3
    by_date = {row["date"]: row for row in rows}
    assert by_date[today.isoformat()]["triggers"] == "stairs;walking"
    assert by_date[today.isoformat()]["note"] == "'=HYPERLINK(\"x\")"
    assert by_date[(today - timedelta(days=1)).isoformat()]["note"] == "'@SUM(A1)"
    assert by_date[(today - timedelta(days=2)).isoformat()]["note"] == "'-2+3"


def test_import_merges_by_date_and_the_newer_edit_wins(client, alice, today):
    day1, day2, day3 = (today - timedelta(days=n) for n in (1, 2, 3))
    client.put(f"/api/v1/entries/{day1}", json={"pain": 1, "updated_at": "2026-01-01T10:00:00Z"})
    client.put(f"/api/v1/entries/{day2}", json={"pain": 2, "updated_at": "2026-03-01T10:00:00Z"})
    export = {"format": "baekkendagbog-export", "version": 1, "entries": [
        {"date": day1.isoformat(), "pain": 7, "updated_at": "2026-02-01T10:00:00Z"},  # newer: updates
        {"date": day2.isoformat(), "pain": 9, "updated_at": "2026-02-01T10:00:00Z"},  # older: skipped
        {"date": day3.isoformat(), "pain": 4, "updated_at": "2026-02-01T10:00:00Z"},  # new: created
    ], "tip_feedback": [{"advice": "stairs", "kind": "dismissed", "created_at": "2026-02-01T10:00:00Z"}]}
    response = client.post("/api/v1/import", json=export)
    assert response.status_code == 200 and response.get_json() == {"created": 1, "updated": 1, "skipped": 0 + 1}
    pains = {entry["date"]: entry["pain"] for entry in client.get("/api/v1/entries").get_json()["entries"]}
    assert pains == {day1.isoformat(): 7, day2.isoformat(): 2, day3.isoformat(): 4}
    assert client.post("/api/v1/import", json=export).get_json() == {"created": 0, "updated": 0, "skipped": 3}


def test_an_export_imports_into_another_diary_completely(client, alice, bob_client, today):
    for offset in range(5):
        client.put(f"/api/v1/entries/{today - timedelta(days=offset)}", json={"pain": offset, "relief": ["heat"]})
    export = client.get("/api/v1/export").get_json()
    assert bob_client.post("/api/v1/import", json=export).get_json() == {"created": 5, "updated": 0, "skipped": 0}
    assert bob_client.get("/api/v1/entries").get_json() == client.get("/api/v1/entries").get_json()


@pytest.mark.parametrize("body", [
    {"format": "something-else", "entries": []},
    {"format": "baekkendagbog-export", "entries": [{"date": "2026-11-01", "pain": 11, "updated_at": "2026-11-01T10:00:00Z"}]},
    {"format": "baekkendagbog-export", "entries": [{"date": "2026-11-01", "pain": 3}]},
    {"format": "baekkendagbog-export", "entries": "many"},
    ["not", "an", "export"],
])
def test_a_bad_import_is_a_400_and_changes_nothing(client, alice, today, body):
    client.put(f"/api/v1/entries/{today}", json={"pain": 5})
    good_then_bad = body
    response = client.post("/api/v1/import", json=good_then_bad)
    assert response.status_code == 400 and response.get_json()["error"]["message"]
    assert [entry["pain"] for entry in client.get("/api/v1/entries").get_json()["entries"]] == [5]


def test_an_import_with_one_bad_day_imports_none(client, alice, today):
    export = {"format": "baekkendagbog-export", "version": 1, "entries": [
        {"date": (today - timedelta(days=1)).isoformat(), "pain": 3, "updated_at": "2026-02-01T10:00:00Z"},
        {"date": (today - timedelta(days=2)).isoformat(), "pain": 99, "updated_at": "2026-02-01T10:00:00Z"},
    ]}
    response = client.post("/api/v1/import", json=export)
    assert response.status_code == 400 and "entries[1].pain" in response.get_json()["error"]["fields"]
    assert client.get("/api/v1/entries").get_json() == {"entries": []}


# --- Deleting the account --------------------------------------------------------------

def test_deleting_the_account_needs_the_password(app, client, alice):
    response = client.post("/settings/delete", data={"delete-current_password": "not my password"})
    assert response.status_code == 400 and user(app) is not None


def test_deleting_the_account_removes_every_row_ends_sessions_and_clears_the_site(app, client, alice, bob_client, today):
    client.put(f"/api/v1/entries/{today}", json={"pain": 5, "triggers": ["stairs"], "note": "x"})
    client.post("/api/v1/shares", json={"include_notes": True})
    client.post("/api/v1/tips/stairs/feedback", json={"kind": "helpful"})
    client.get("/api/v1/tips")
    bob_client.put(f"/api/v1/entries/{today}", json={"pain": 2})
    other_phone = app.test_client()
    Auth(other_phone).login(remember=True)
    with app.app_context(), db.connection_context():
        alice_id = User.by_email("alice@example.dk").id
    response = client.post("/settings/delete", data={"delete-current_password": PASSWORD})
    assert response.status_code == 200
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    with app.app_context(), db.connection_context():
        for model in MODELS:
            if model is User:
                assert User.get_or_none(User.id == alice_id) is None
                continue
            owner = getattr(model, "user", None)
            assert owner is not None and model.select().where(owner == alice_id).count() == 0, model.__name__
    assert client.get("/api/v1/entries").status_code == 401
    assert other_phone.get("/api/v1/entries").status_code == 401
    assert bob_client.get(f"/api/v1/entries/{today}").get_json()["pain"] == 2


# --- Security headers ------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/login", "/api/v1/openapi.json", "/advice", "/nothing-here", "/static/css/app.css"])
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
