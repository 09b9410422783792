"""The reminder's API, the settings form, the calendar file, and her data rights over them."""

from datetime import time

import pytest
from icalendar import Calendar

from diary.models import PushSubscription, Reminder, User
from diary.reminders import endpoints
from diary.reminders.vapid import b64url, b64url_decode
from tests.conftest import PASSWORD, csrf_token_of
from tests.support.database import in_app
from tests.support.push_service import Device

PUBLIC_IP = "142.250.74.36"


@pytest.fixture
def public_dns(monkeypatch):
    """Every push service's name resolves to a public address, without asking a real resolver."""
    answers = {}
    monkeypatch.setattr(endpoints, "resolve", lambda host, port: answers.get(host, [PUBLIC_IP]))
    return answers


def subscription(endpoint="https://fcm.googleapis.com/fcm/send/abc123") -> dict:
    return Device(path="").subscription(endpoint)


def rows(app, model):
    with in_app(app):
        return list(model.select())


# --- GET/PUT /api/v1/reminder ---------------------------------------------------------------


def test_it_starts_off_at_eight_in_the_evening_copenhagen_time(client, alice):
    assert client.get("/api/v1/reminder").get_json() == {
        "enabled": False,
        "time": "20:00",
        "timezone": "Europe/Copenhagen",
    }


def test_it_stores_her_reminder(app, client, alice):
    body = {"enabled": True, "time": "21:30", "timezone": "America/New_York"}
    response = client.put("/api/v1/reminder", json=body)
    assert response.status_code == 200 and response.get_json() == body
    assert client.get("/api/v1/reminder").get_json() == body
    [row] = rows(app, Reminder)
    assert (row.enabled, row.time, row.timezone) == (True, "21:30", "America/New_York")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"enabled": True, "time": "25:00", "timezone": "Europe/Copenhagen"}, "time"),
        ({"enabled": True, "time": "8 pm", "timezone": "Europe/Copenhagen"}, "time"),
        ({"enabled": True, "time": "20:00", "timezone": "Europe/Atlantis"}, "timezone"),
        ({"enabled": True, "time": "20:00", "timezone": "../../../etc/passwd"}, "timezone"),
        ({"enabled": "yes", "time": "20:00", "timezone": "Europe/Copenhagen"}, "enabled"),
        ({"enabled": True, "time": "20:00"}, "timezone"),
    ],
)
def test_a_bad_reminder_is_a_translated_400_that_changes_nothing(app, client, alice, body, field):
    response = client.put("/api/v1/reminder", json=body, headers={"Accept-Language": "da"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert field in error["fields"]
    assert error["message"] == "Påmindelsen er ikke gyldig."
    assert rows(app, Reminder) == []


def test_the_reminder_api_needs_a_log_in(client):
    assert client.get("/api/v1/reminder").status_code == 401
    assert client.put("/api/v1/reminder", json={}).status_code == 401
    assert client.get("/api/v1/push-key").status_code == 401


# --- push subscriptions ------------------------------------------------------------------------


def test_it_keeps_a_devices_subscription_once(app, client, alice, public_dns):
    body = subscription()
    assert client.post("/api/v1/push-subscriptions", json=body).status_code == 201
    assert client.post("/api/v1/push-subscriptions", json=body).status_code == 200
    [row] = rows(app, PushSubscription)
    assert (row.endpoint, row.p256dh, row.auth) == (
        body["endpoint"],
        body["keys"]["p256dh"],
        body["keys"]["auth"],
    )


def test_several_devices_of_one_user_are_kept(app, client, alice, public_dns):
    for name in ("phone", "laptop"):
        client.post("/api/v1/push-subscriptions", json=subscription(f"https://push.example.net/{name}"))
    assert len(rows(app, PushSubscription)) == 2


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://push.example.net/abc",  # not https
        "https://127.0.0.1/abc",
        "https://localhost/abc",
        "https://10.1.2.3/abc",
        "https://192.168.1.1/abc",
        "https://172.16.0.1/abc",
        "https://169.254.169.254/latest/meta-data",
        "https://100.64.0.1/abc",
        "https://[::1]/abc",
        "https://[fe80::1]/abc",
        "https://[::ffff:127.0.0.1]/abc",
        "https://0.0.0.0/abc",
        "https://push.example.net:8443/abc",  # another port than https's own
        "https://user:pw@push.example.net/abc",
        "ftp://push.example.net/abc",
        "https://push.example.net/" + "a" * 1100,
        "not a url",
    ],
)
def test_it_refuses_an_endpoint_the_server_must_not_call(app, client, alice, public_dns, endpoint):
    public_dns["localhost"] = ["127.0.0.1"]
    public_dns["0.0.0.0"] = ["0.0.0.0"]
    for address in ("127.0.0.1", "10.1.2.3", "192.168.1.1", "172.16.0.1", "169.254.169.254", "100.64.0.1"):
        public_dns[address] = [address]
    for address in ("::1", "fe80::1", "::ffff:127.0.0.1"):
        public_dns[address] = [address]
    response = client.post("/api/v1/push-subscriptions", json=subscription(endpoint))
    assert response.status_code == 400
    assert "endpoint" in response.get_json()["error"]["fields"]
    assert rows(app, PushSubscription) == []


def test_it_refuses_a_name_that_resolves_to_a_private_address(app, client, alice, public_dns):
    public_dns["push.evil.example"] = [PUBLIC_IP, "10.0.0.7"]
    response = client.post("/api/v1/push-subscriptions", json=subscription("https://push.evil.example/x"))
    assert response.status_code == 400 and rows(app, PushSubscription) == []


def test_the_operator_may_allow_a_push_service_on_a_local_network(app, client, alice):
    app.config["PUSH_ALLOW_PRIVATE_ENDPOINTS"] = True
    response = client.post("/api/v1/push-subscriptions", json=subscription("http://127.0.0.1:8089/push/1"))
    assert response.status_code == 201


@pytest.mark.parametrize(
    "keys",
    [
        {"p256dh": "short", "auth": b64url(b"x" * 16)},
        {"p256dh": b64url(b"\x05" + b"x" * 64), "auth": b64url(b"x" * 16)},  # not an uncompressed point
        {"p256dh": b64url(b"\x04" + b"x" * 64), "auth": b64url(b"x" * 16)},  # not a point on the curve
        {"p256dh": None, "auth": b64url(b"x" * 16)},
        {"auth": b64url(b"x" * 16)},
        {"p256dh": subscription()["keys"]["p256dh"], "auth": b64url(b"x" * 15)},
        {"p256dh": subscription()["keys"]["p256dh"], "auth": "not base64!"},
    ],
)
def test_it_refuses_keys_that_are_not_a_browsers(app, client, alice, public_dns, keys):
    body = {"endpoint": "https://push.example.net/abc", "keys": keys}
    response = client.post("/api/v1/push-subscriptions", json=body, headers={"Accept-Language": "da"})
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == "Abonnementet på notifikationer er ikke gyldigt."
    assert rows(app, PushSubscription) == []


def test_it_forgets_a_device(app, client, alice, public_dns):
    body = subscription()
    client.post("/api/v1/push-subscriptions", json=body)
    response = client.delete("/api/v1/push-subscriptions", json={"endpoint": body["endpoint"]})
    assert response.status_code == 204 and rows(app, PushSubscription) == []


def test_another_user_cannot_forget_her_device(app, client, alice, bob_client, public_dns):
    body = subscription()
    client.post("/api/v1/push-subscriptions", json=body)
    assert (
        bob_client.delete("/api/v1/push-subscriptions", json={"endpoint": body["endpoint"]}).status_code
        == 204
    )
    assert len(rows(app, PushSubscription)) == 1


def test_forgetting_needs_an_endpoint(client, alice):
    assert client.delete("/api/v1/push-subscriptions", json={}).status_code == 400


def test_it_gives_the_servers_public_key(app, client, alice):
    key = client.get("/api/v1/push-key").get_json()["public_key"]
    assert key == app.config["VAPID_KEYS"].public
    assert len(b64url_decode(key)) == 65


def test_a_write_without_the_csrf_token_is_refused(client, alice, csrf_app, public_dns):
    assert (
        client.put("/api/v1/reminder", json={"enabled": True, "time": "20:00", "timezone": "UTC"}).status_code
        == 400
    )
    assert client.post("/api/v1/push-subscriptions", json=subscription()).status_code == 400
    token = csrf_token_of(client)
    response = client.post("/api/v1/push-subscriptions", json=subscription(), headers={"X-CSRFToken": token})
    assert response.status_code == 201


# --- the settings form -------------------------------------------------------------------------


def test_the_settings_page_has_the_reminder_form_and_the_calendar_link(client, alice):
    page = client.get("/settings", headers={"Accept-Language": "da"}).get_data(as_text=True)
    assert 'id="reminder"' in page and "Påmindelse" in page
    assert 'value="20:00"' in page and 'value="Europe/Copenhagen"' in page
    assert 'href="/reminder.ics"' in page


def test_the_form_saves_her_reminder_without_javascript(app, client, alice):
    response = client.post(
        "/settings/reminder",
        data={"reminder-enabled": "y", "reminder-time": "19:45", "reminder-timezone": "Europe/Oslo"},
    )
    assert response.status_code == 302 and response.location.endswith("/settings#reminder-outcome")
    [row] = rows(app, Reminder)
    assert (row.enabled, row.time, row.timezone) == (True, "19:45", "Europe/Oslo")
    page = client.get("/settings").get_data(as_text=True)
    assert "hver dag kl. 19:45" in page


def test_unticking_the_box_turns_the_reminder_off(app, client, alice):
    client.post(
        "/settings/reminder",
        data={"reminder-enabled": "y", "reminder-time": "19:45", "reminder-timezone": "UTC"},
    )
    client.post("/settings/reminder", data={"reminder-time": "19:45", "reminder-timezone": "UTC"})
    assert rows(app, Reminder)[0].enabled is False


def test_the_form_says_when_this_phone_refused_notifications(client, alice):
    data = {
        "reminder-enabled": "y",
        "reminder-time": "20:00",
        "reminder-timezone": "UTC",
        "reminder-push": "denied",
    }
    page = client.post("/settings/reminder", data=data, follow_redirects=True).get_data(as_text=True)
    assert "tillader ikke notifikationer" in page


@pytest.mark.parametrize(
    ("time_value", "zone", "message"),
    [("26:00", "Europe/Copenhagen", "Skriv et klokkeslæt"), ("20:00", "Copenhagen", "Skriv en tidszone")],
)
def test_a_bad_form_is_a_400_with_the_error_at_the_field_and_nothing_saved(
    app, client, alice, time_value, zone, message
):
    data = {"reminder-enabled": "y", "reminder-time": time_value, "reminder-timezone": zone}
    response = client.post("/settings/reminder", data=data, headers={"Accept-Language": "da"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and 'aria-invalid="true"' in page
    assert f'value="{zone}"' in page  # what she typed stays, to correct
    assert rows(app, Reminder) == []


def test_the_form_is_csrf_protected(client, alice, csrf_app):
    data = {"reminder-enabled": "y", "reminder-time": "20:00", "reminder-timezone": "UTC"}
    assert client.post("/settings/reminder", data=data).status_code == 400
    assert rows(csrf_app, Reminder) == []


# --- the calendar file ---------------------------------------------------------------------------


def test_the_calendar_file_is_a_daily_event_at_her_time_with_an_alarm(client, alice):
    client.put("/api/v1/reminder", json={"enabled": False, "time": "21:15", "timezone": "Europe/Copenhagen"})
    response = client.get("/reminder.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    calendar = Calendar.from_ical(response.data)
    [event] = calendar.walk("VEVENT")
    assert event["RRULE"]["FREQ"] == ["DAILY"]
    start = event.decoded("DTSTART")
    assert start.time() == time(21, 15) and str(start.tzinfo) == "Europe/Copenhagen"
    assert (
        event.decoded("URL") == b"http://localhost/?source=reminder"
        or str(event["URL"]) == "http://localhost/?source=reminder"
    )
    [alarm] = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]


def test_the_calendar_file_uses_the_public_address_and_needs_a_log_in(app, client, alice, auth):
    app.config["PUBLIC_URL"] = "https://dagbog.example.dk"
    event = Calendar.from_ical(client.get("/reminder.ics").data).walk("VEVENT")[0]
    assert str(event["URL"]) == "https://dagbog.example.dk/?source=reminder"
    auth.logout()
    assert client.get("/reminder.ics").status_code == 302


# --- her data rights ---------------------------------------------------------------------------


def test_the_export_has_her_reminder_but_not_her_devices_secrets(client, alice, public_dns):
    client.put("/api/v1/reminder", json={"enabled": True, "time": "19:00", "timezone": "Europe/Berlin"})
    client.post("/api/v1/push-subscriptions", json=subscription())
    export = client.get("/api/v1/export").get_json()
    assert export["reminder"] == {"enabled": True, "time": "19:00", "timezone": "Europe/Berlin"}
    assert "fcm.googleapis.com" not in client.get("/api/v1/export").get_data(as_text=True)


def test_an_import_brings_her_reminder_to_a_diary_without_one(app, client, alice, bob_client):
    client.put("/api/v1/reminder", json={"enabled": True, "time": "19:00", "timezone": "Europe/Berlin"})
    export = client.get("/api/v1/export").get_json()
    assert bob_client.post("/api/v1/import", json=export).status_code == 200
    assert bob_client.get("/api/v1/reminder").get_json() == export["reminder"]
    # One she set herself is newer than the file's.
    client.put("/api/v1/reminder", json={"enabled": False, "time": "07:00", "timezone": "UTC"})
    client.post("/api/v1/import", json=export)
    assert client.get("/api/v1/reminder").get_json()["time"] == "07:00"


def test_an_import_with_a_bad_reminder_changes_nothing(app, client, alice):
    export = client.get("/api/v1/export").get_json()
    export["reminder"] = {"enabled": True, "time": "99:99", "timezone": "UTC"}
    response = client.post("/api/v1/import", json=export)
    assert response.status_code == 400 and "reminder.time" in response.get_json()["error"]["fields"]
    assert rows(app, Reminder) == []


def test_deleting_the_account_deletes_her_reminder_and_devices(app, client, alice, public_dns):
    client.put("/api/v1/reminder", json={"enabled": True, "time": "19:00", "timezone": "UTC"})
    client.post("/api/v1/push-subscriptions", json=subscription())
    client.post("/settings/delete", data={"delete-current_password": PASSWORD})
    assert rows(app, User) == [] and rows(app, Reminder) == [] and rows(app, PushSubscription) == []


def test_the_page_counts_her_devices_only_while_the_reminder_is_on(app, client, alice, public_dns):
    client.post("/api/v1/push-subscriptions", json=subscription())
    client.put("/api/v1/reminder", json={"enabled": True, "time": "20:00", "timezone": "UTC"})
    assert "Påmindelsen sendes til 1 telefon eller computer." in client.get("/settings").get_data(
        as_text=True
    )
    client.put("/api/v1/reminder", json={"enabled": False, "time": "20:00", "timezone": "UTC"})
    assert 'id="reminder-devices"' not in client.get("/settings").get_data(as_text=True)


# --- a logged-out device gets no reminders -----------------------------------------------------


def _phone_of(app, name):
    """Alice on a second device that subscribed."""
    from tests.conftest import Auth

    other = app.test_client()
    Auth(other).login()
    other.post("/api/v1/push-subscriptions", json=subscription(f"https://push.example.net/{name}"))
    return other


def endpoints_kept(app) -> set[str]:
    return {row.endpoint.rsplit("/", 1)[1] for row in rows(app, PushSubscription)}


def test_logging_out_stops_the_reminders_on_that_device_only(app, client, alice, public_dns):
    phone = _phone_of(app, "phone")
    _phone_of(app, "tablet")
    phone.post("/logout")
    assert endpoints_kept(app) == {"tablet"}


def test_logging_out_another_device_from_settings_stops_its_reminders(app, client, alice, public_dns):
    _phone_of(app, "phone")
    with in_app(app):
        from diary.models import Session

        phone_session = Session.select().order_by(Session.id.desc()).first().id
    assert client.post(f"/settings/sessions/{phone_session}/end").status_code == 302
    assert endpoints_kept(app) == set()


def test_logging_out_everywhere_stops_every_devices_reminders(app, client, alice, public_dns):
    _phone_of(app, "phone")
    client.post("/api/v1/push-subscriptions", json=subscription("https://push.example.net/laptop"))
    client.post("/settings/logout-everywhere")
    assert endpoints_kept(app) == set()


def test_a_new_password_keeps_the_reminders(app, client, alice, public_dns):
    _phone_of(app, "phone")
    data = {"password-current_password": PASSWORD, "password-new_password": "a whole new sentence here"}
    assert client.post("/settings/password", data=data).status_code == 302
    assert endpoints_kept(app) == {"phone"}


def test_another_users_logout_leaves_her_devices(app, client, alice, bob_client, public_dns):
    client.post("/api/v1/push-subscriptions", json=subscription())
    bob_client.post("/logout")
    assert len(rows(app, PushSubscription)) == 1
