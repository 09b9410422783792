"""Server-side sessions: a row per signed-in device, ended by logging out, by "log out
everywhere" and by a new password; a copied cookie stops working (issue 10, finding 5)."""

from datetime import timedelta

import pytest

from diary.accounts.sessions import end_sessions
from diary.models import Session, User, utc_now
from tests.conftest import PASSWORD, Auth
from tests.support.database import in_app

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Mobile/15E148 Safari/604.1"
)
NEW_PASSWORD = "a brand new sentence"


def cookie(client, name):
    found = client.get_cookie(name)
    return found.value if found else None


def replay(app, **cookies):
    """A new browser carrying only copies of the given cookies."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief


def assert_logged_out(browser):
    page = browser.get("/history")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login")
    assert browser.get("/api/v1/csrf-token", headers={"Accept": "application/json"}).status_code == 401


def sessions_of(app, email="alice@example.dk"):
    with in_app(app):
        return list(Session.select().join(User).where(User.email == email).order_by(Session.id))


def test_a_copied_session_cookie_stops_working_after_log_out(app, client, auth):
    auth.register(remember=False)
    copied = cookie(client, "session")
    assert replay(app, session=copied).get("/history").status_code == 200  # the copy works while she is in
    auth.logout()
    assert_logged_out(replay(app, session=copied))
    assert sessions_of(app) == []


def test_a_copied_remember_cookie_stops_working_after_log_out(app, client, auth):
    auth.register(remember=True)
    copied = cookie(client, "remember_token")
    assert replay(app, remember_token=copied).get("/history").status_code == 200
    auth.logout()
    assert_logged_out(replay(app, remember_token=copied))


def test_the_remember_token_is_new_at_every_log_in(app, client, auth):
    auth.register(remember=True)
    first = cookie(client, "remember_token")
    auth.logout()
    auth.login(remember=True)
    second = cookie(client, "remember_token")
    assert first and second and first != second


def test_log_out_everywhere_ends_every_device_and_every_copied_cookie(app, client, auth):
    auth.register(remember=True)
    laptop = app.test_client()
    Auth(laptop).login(remember=True)
    copies = [
        dict(session=cookie(browser, "session"), remember_token=cookie(browser, "remember_token"))
        for browser in (client, laptop)
    ]
    response = client.post("/settings/logout-everywhere")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    for copy in copies:
        assert_logged_out(replay(app, session=copy["session"]))
        assert_logged_out(replay(app, remember_token=copy["remember_token"]))
    assert_logged_out(laptop)
    assert_logged_out(client)
    assert sessions_of(app) == []


def test_one_other_device_can_be_logged_out_from_settings(app, client, auth, bob_client):
    auth.register()
    laptop = app.test_client()
    Auth(laptop).login(remember=True)
    this, other = sessions_of(app)
    bobs = sessions_of(app, "bob@example.dk")[0]
    assert client.post(f"/settings/sessions/{bobs.id}/end").status_code == 404  # another user's device
    assert bob_client.get("/history").status_code == 200
    response = client.post(f"/settings/sessions/{other.id}/end")
    assert response.status_code == 302 and response.headers["Location"] == "/settings#devices-outcome"
    assert_logged_out(laptop)
    assert client.get("/history").status_code == 200
    assert [row.id for row in sessions_of(app)] == [this.id]


def test_a_password_change_ends_other_devices_and_renews_this_one(app, client, auth):
    auth.register(remember=True)
    laptop = app.test_client()
    Auth(laptop).login(remember=True)
    old_here = dict(session=cookie(client, "session"), remember_token=cookie(client, "remember_token"))
    response = client.post(
        "/settings/password",
        data={"password-current_password": PASSWORD, "password-new_password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/history").status_code == 200  # this device stays logged in...
    assert_logged_out(replay(app, session=old_here["session"]))  # ...on a new session
    assert_logged_out(replay(app, remember_token=old_here["remember_token"]))
    assert_logged_out(laptop)
    assert len(sessions_of(app)) == 1


def phone_and_iphone(app, iphone_unused_for: timedelta):
    """Alice registered on an Android phone, and logged in (not remembered) on an iPhone
    last used iphone_unused_for ago."""
    phone = app.test_client()
    phone.environ_base["HTTP_USER_AGENT"] = ANDROID_CHROME
    Auth(phone).register()
    iphone = app.test_client()
    iphone.environ_base["HTTP_USER_AGENT"] = IPHONE_SAFARI
    Auth(iphone).login()
    with in_app(app):
        Session.update(last_used_at=utc_now() - iphone_unused_for).where(
            Session.browser == "Safari"
        ).execute()
    return phone, iphone


def test_the_settings_page_leaves_out_a_device_whose_session_has_run_out(app, auth):
    phone, iphone = phone_and_iphone(
        app, timedelta(hours=13)
    )  # not remembered: 12 hours unused and it is over
    page = phone.get("/settings").get_data(as_text=True)
    assert "Chrome på Android" in page and "Safari på iOS" not in page
    assert iphone.get("/settings").status_code == 302  # and it is indeed logged out


def test_a_stale_remember_cookie_does_not_override_an_unticked_box(app, client, auth):
    auth.register(remember=True)
    laptop = app.test_client()
    Auth(laptop).login()
    assert laptop.post("/settings/logout-everywhere").status_code == 302
    assert cookie(client, "remember_token")  # her phone still carries the cookie of a session that ended
    response = auth.login(remember=False)
    assert response.status_code == 302
    remember_headers = [
        header for header in response.headers.getlist("Set-Cookie") if header.startswith("remember_token=")
    ]
    assert all(header.startswith("remember_token=;") for header in remember_headers)  # deleted, never set
    assert cookie(client, "remember_token") is None
    assert [row.remember for row in sessions_of(app)] == [False]
    client.get("/history")  # a later page does not bring the cookie back either
    assert cookie(client, "remember_token") is None
    response = client.post(
        "/settings/password",
        data={"password-current_password": PASSWORD, "password-new_password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert [row.remember for row in sessions_of(app)] == [False]  # still a 12-hour session
    assert cookie(client, "remember_token") is None


def test_a_password_change_keeps_a_remembered_device_remembered(app, client, auth):
    auth.register(remember=True)
    response = client.post(
        "/settings/password",
        data={"password-current_password": PASSWORD, "password-new_password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert [row.remember for row in sessions_of(app)] == [True]
    assert cookie(client, "remember_token")


def test_the_settings_page_lists_her_devices_with_their_last_use(app, auth):
    phone, _ = phone_and_iphone(app, timedelta(hours=3))
    page = phone.get("/settings").get_data(as_text=True)
    assert "Chrome på Android" in page and "Safari på iOS" in page
    devices = page[page.index('id="devices-heading"') :]
    assert devices.index("Chrome på Android") < devices.index("denne enhed") < devices.index("Safari på iOS")
    assert devices.count("denne enhed") == 1
    assert "Sidst brugt" in devices
    assert devices.count('class="visually-hidden">: Safari på iOS</span></button>') == 1  # its log-out button
    assert "Chrome på Android</span></button>" not in devices  # this device is logged out with "Log ud" below
    phone.post("/language", data={"language": "en"})
    english = phone.get("/settings").get_data(as_text=True)
    assert "Chrome on Android" in english and "this device" in english and "Log out everywhere" in english


def test_an_unknown_browser_is_named_plainly(app, client, auth):
    client.environ_base["HTTP_USER_AGENT"] = ""
    auth.register()
    assert "Ukendt browser" in client.get("/settings").get_data(as_text=True)


def test_last_use_is_written_at_most_every_few_minutes(app, client, auth):
    auth.register()
    first = sessions_of(app)[0].last_used_at
    client.get("/history")
    assert sessions_of(app)[0].last_used_at == first  # not a write per request
    with in_app(app):
        Session.update(last_used_at=utc_now() - timedelta(minutes=6)).execute()
    client.get("/history")
    assert sessions_of(app)[0].last_used_at > first - timedelta(seconds=1)


@pytest.mark.parametrize(
    "remember, idle, ends",
    [
        (False, timedelta(hours=11), False),
        (False, timedelta(hours=13), True),
        (True, timedelta(days=29), False),
        (True, timedelta(days=31), True),
    ],
)
def test_a_session_ends_after_its_idle_lifetime(app, client, auth, remember, idle, ends):
    auth.register(remember=remember)
    with in_app(app):
        Session.update(last_used_at=utc_now() - idle).execute()
    assert client.get("/history").status_code == (302 if ends else 200)
    assert len(sessions_of(app)) == (0 if ends else 1)


def test_logged_in_pages_say_when_the_session_ends(app, client, auth):
    auth.register(remember=False)
    ends = client.get("/history").headers["Session-Expires"]
    row = sessions_of(app)[0]
    assert ends == (row.last_used_at + timedelta(hours=12)).isoformat(timespec="seconds") + "Z"
    assert (
        "Session-Expires"
        not in client.get("/api/v1/csrf-token", headers={"Accept": "application/json"}).headers
    )
    auth.logout()
    assert "Session-Expires" not in client.get("/login").headers


def test_end_sessions_can_keep_the_current_one(app, client, auth):
    auth.register()
    laptop = app.test_client()
    Auth(laptop).login()
    this, other = sessions_of(app)
    with in_app(app):
        user = User.by_email("alice@example.dk")
        assert end_sessions(user, keep=this) == 1
    assert client.get("/history").status_code == 200
    assert_logged_out(laptop)


def test_deleting_the_account_deletes_its_sessions(app, client, alice, bob_client):
    client.post("/settings/delete", data={"delete-current_password": PASSWORD})
    with in_app(app):
        assert [row.user.email for row in Session.select()] == ["bob@example.dk"]


def test_the_export_leaves_the_devices_out(client, alice):
    exported = client.get("/api/v1/export").get_data(as_text=True)
    assert "session" not in exported.lower() and "token" not in exported.lower()


def test_only_a_hash_of_the_session_token_is_stored(app, client, auth):
    auth.register(remember=True)
    row = sessions_of(app)[0]
    assert len(row.token_hash) == 64
    assert row.token_hash not in (cookie(client, "session") or "") + (cookie(client, "remember_token") or "")


def test_log_out_everywhere_needs_a_csrf_token(app, client, auth):
    auth.register()
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/settings/logout-everywhere").status_code == 400
    assert client.get("/history").status_code == 200
