"""Accounts: registration, log-in with "remember me", log-out, settings and passwords."""

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from http.cookies import SimpleCookie

import pytest

from diary.models import User
from tests.conftest import PASSWORD, Auth
from tests.support.database import in_app


def user(app, email="alice@example.dk"):
    with in_app(app):
        return User.by_email(email)


def set_cookie_headers(response, name):
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            return header
    return None


def test_it_registers_logs_in_and_sends_new_users_to_the_welcome_step(app, client, auth):
    response = auth.register()
    assert response.status_code == 302 and response.headers["Location"] == "/welcome"
    assert client.get("/").status_code == 200
    assert b"log-form" in client.get("/").data


def test_it_stores_the_password_as_an_argon2id_hash_of_owasp_strength(app, auth):
    auth.register()
    stored = user(app).password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert "m=19456,t=2" in stored


def test_emails_are_unique_without_regard_to_case(app, client, auth):
    auth.register("Alice@Example.DK")
    auth.logout()
    response = auth.register("alice@example.dk")
    assert response.status_code == 400
    assert user(app).email == "alice@example.dk"
    assert auth.login("ALICE@example.dk").status_code == 302


@pytest.mark.parametrize(
    "email, password",
    [("", PASSWORD), ("not-an-email", PASSWORD), ("alice@example.dk", "short"), ("alice@example.dk", "")],
)
def test_it_refuses_bad_registrations_and_creates_no_user(app, auth, email, password):
    response = auth.register(email, password)
    assert response.status_code == 400
    assert user(app, email or "x@x.dk") is None


def test_a_wrong_password_or_unknown_email_gets_the_same_answer(app, client, auth):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    auth.register()
    auth.logout()
    wrong_password = auth.login(password="wrong password!")
    unknown_email = auth.login(email="nobody@example.dk")
    assert wrong_password.status_code == unknown_email.status_code == 400
    assert b"The email or the password is not right." in wrong_password.data
    assert b"The email or the password is not right." in unknown_email.data


def test_log_out_is_a_post_and_ends_the_session(client, alice, auth):
    assert client.get("/logout").status_code == 405
    assert auth.logout().status_code == 302
    assert client.get("/history").status_code == 302


def test_remember_me_sets_a_30_day_httponly_samesite_cookie(app, client, auth):
    auth.register()
    auth.logout()
    response = auth.login(remember=True)
    header = set_cookie_headers(response, "remember_token")
    assert header is not None
    cookie = SimpleCookie(header)["remember_token"]
    expires = parsedate_to_datetime(cookie["expires"])
    lifetime = expires - datetime.now(timezone.utc)
    assert timedelta(days=29, hours=23) < lifetime <= timedelta(days=30)
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["secure"]


def test_registering_remembers_the_device_only_when_she_leaves_the_box_ticked(client, auth):
    assert set_cookie_headers(auth.register("alice@example.dk"), "remember_token") is not None
    auth.logout()
    assert set_cookie_headers(auth.register("bob@example.dk", remember=False), "remember_token") is None


def test_the_register_form_offers_remember_me_ticked(client):
    page = client.get("/register").get_data(as_text=True)
    box = re.search(r'<input[^>]*name="remember"[^>]*>', page)
    assert box and "checked" in box.group(0)


def test_a_password_change_keeps_remember_me_only_on_a_device_that_had_it(app, client, auth):
    auth.register(remember=False)
    response = client.post(
        "/settings/password",
        data={"password-current_password": PASSWORD, "password-new_password": "another calm sentence"},
    )
    assert response.status_code == 302
    assert set_cookie_headers(response, "remember_token") is None

    other_phone = app.test_client()
    Auth(other_phone).login(password="another calm sentence", remember=True)
    response = other_phone.post(
        "/settings/password",
        data={"password-current_password": "another calm sentence", "password-new_password": PASSWORD},
    )
    assert response.status_code == 302
    assert set_cookie_headers(response, "remember_token") is not None


def test_remember_me_slides_forward_once_a_day_for_a_remembered_device(app, client, auth):
    auth.register()
    client.get("/")  # the first visit records the day
    assert set_cookie_headers(client.get("/"), "remember_token") is None  # once a day, not every page
    with client.session_transaction() as session:
        session["remembered_on"] = "2026-01-01"  # last refreshed long ago
    header = set_cookie_headers(client.get("/"), "remember_token")
    assert header is not None
    lifetime = parsedate_to_datetime(SimpleCookie(header)["remember_token"]["expires"]) - datetime.now(
        timezone.utc
    )
    assert lifetime > timedelta(days=29, hours=23)


def test_a_device_that_was_not_remembered_never_gets_a_remember_cookie(client, auth):
    auth.register(remember=False)
    for path in ("/", "/history", "/settings"):
        assert set_cookie_headers(client.get(path), "remember_token") is None


def test_cookies_are_secure_when_served_over_https(app, database_url):
    from diary import create_app

    # `app` has emptied the database; this second app serves it as if over HTTPS.
    client = create_app({"DATABASE_URL": database_url, "HTTPS": True}).test_client()
    response = Auth(client).register()
    session_header = set_cookie_headers(response, "__Host-session")  # prefixed over HTTPS (test_hardening.py)
    remember_header = set_cookie_headers(response, "__Host-remember")
    assert "Secure" in session_header and "HttpOnly" in session_header and "SameSite=Lax" in session_header
    assert "Secure" in remember_header


def test_the_session_cookie_is_httponly_and_samesite_lax(client, auth):
    header = set_cookie_headers(auth.register(), "session")
    assert "HttpOnly" in header and "SameSite=Lax" in header


def test_it_redirects_pages_to_log_in_and_back(client, auth):
    response = client.get("/history?month=2026-10")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    auth.register()
    auth.logout()
    response = client.post(
        "/login?next=/history?month%3D2026-10", data={"email": "alice@example.dk", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/history?month=2026-10"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_it_never_redirects_to_another_site_after_log_in(client, auth, target):
    auth.register()
    auth.logout()
    response = client.post(f"/login?next={target}", data={"email": "alice@example.dk", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_the_welcome_step_saves_the_due_date(app, client, auth, today):
    auth.register()
    due = today + timedelta(weeks=10)
    response = client.post("/welcome", data={"due_date": due.isoformat()})
    assert response.status_code == 302
    assert user(app).due_date == due
    page = client.get("/").get_data(as_text=True)
    assert "30+0" in page


def test_settings_save_due_date_birth_date_name_and_language(app, client, alice, today):
    response = client.post(
        "/settings",
        data={
            "profile-due_date": (today + timedelta(weeks=5)).isoformat(),
            "profile-birth_date": "",
            "profile-display_name": "  A. H.  ",
            "profile-language": "en",
        },
    )
    assert response.status_code == 302
    saved = user(app)
    assert (saved.due_date, saved.birth_date, saved.display_name, saved.language) == (
        today + timedelta(weeks=5),
        None,
        "A. H.",
        "en",
    )
    assert b"Settings" in client.get("/settings").data


@pytest.mark.parametrize(
    "field, value",
    [
        ("profile-due_date", "2001-01-01"),
        ("profile-due_date", "soon"),
        ("profile-birth_date", "2099-01-01"),
        ("profile-language", "sv"),
        ("profile-display_name", "x" * 61),
    ],
)
def test_bad_settings_are_refused_and_change_nothing(app, client, alice, field, value):
    before = user(app)
    data = {"profile-due_date": before.due_date.isoformat(), "profile-language": "da"} | {field: value}
    assert client.post("/settings", data=data).status_code == 400
    after = user(app)
    assert (after.due_date, after.birth_date, after.language, after.display_name) == (
        before.due_date,
        before.birth_date,
        before.language,
        before.display_name,
    )


def test_changing_the_password_needs_the_current_one(app, client, alice):
    before = user(app).password_hash
    response = client.post(
        "/settings/password",
        data={
            "password-current_password": "not my password",
            "password-new_password": "a brand new password",
        },
    )
    assert response.status_code == 400
    assert user(app).password_hash == before


def test_a_password_change_ends_other_sessions_and_remember_cookies(app, client, alice):
    other_phone = app.test_client()
    Auth(other_phone).login(remember=True)
    assert other_phone.get("/history").status_code == 200
    response = client.post(
        "/settings/password",
        data={"password-current_password": PASSWORD, "password-new_password": "a brand new password"},
    )
    assert response.status_code == 302
    assert client.get("/history").status_code == 200  # this phone stays logged in
    other_phone.delete_cookie("session")  # even the remember cookie no longer works
    assert other_phone.get("/history").status_code == 302
    assert Auth(app.test_client()).login(password="a brand new password").status_code == 302


def test_the_language_switch_sets_a_cookie_for_visitors_and_the_setting_for_users(app, client, alice):
    response = client.post("/language", data={"language": "en", "next": "/history"})
    assert response.headers["Location"] == "/history"
    assert user(app).language == "en"
    assert client.post("/language", data={"language": "xx"}).status_code == 400


def test_a_password_hash_with_weaker_parameters_is_upgraded_at_log_in(app, client, auth):
    from argon2 import PasswordHasher

    auth.register()
    auth.logout()
    with in_app(app):
        User.update(
            password_hash=PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
        ).execute()
    auth.login()
    assert "m=19456,t=2" in user(app).password_hash


def test_every_form_needs_a_csrf_token(app, client, alice, csrf_app, today):
    for path, data in [
        ("/settings", {"profile-language": "en"}),
        ("/settings/password", {}),
        ("/logout", {}),
        (f"/entries/{today}", {"pain": "4"}),
        ("/language", {"language": "en"}),
        ("/welcome", {"due_date": ""}),
    ]:
        response = client.post(path, data=data)
        assert response.status_code == 400, path
    assert user(app).language == "da"
