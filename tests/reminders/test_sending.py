"""Sending the reminders that are due, to a push service on localhost that decrypts each one."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from diary.models import PushSubscription, Reminder, User
from diary.reminders.endpoints import validate_subscription
from diary.reminders.schedule import parse_time
from diary.reminders.sender import send_due
from diary.reminders.store import save_settings, subscribe
from tests.support.database import in_app
from tests.support.push_service import PushService

CPH = ZoneInfo("Europe/Copenhagen")
# 20:05 in Copenhagen on a winter day: five minutes after her reminder.
DUE = datetime(2026, 12, 4, 19, 5, tzinfo=timezone.utc)


@pytest.fixture
def push_service():
    service = PushService()
    yield service
    service.stop()


@pytest.fixture
def push_app(app):
    app.config.update(PUBLIC_URL="https://dagbog.example.dk", PUSH_ALLOW_PRIVATE_ENDPOINTS=True)
    return app


def _remind(app, email: str, devices, push_service, *, language="da", at="20:00", zone=CPH, enabled=True):
    with in_app(app):
        user = User.by_email(email) or User.create(email=email, password_hash="x", language=language)
        save_settings(user, enabled, parse_time(at), zone)
        for device in devices:
            subscribe(user, validate_subscription(device.subscription(push_service.base_url), True))
        return user


def _send(app, now=DUE):
    with in_app(app):
        return send_due(now)


def test_it_sends_an_encrypted_reminder_with_its_ttl_and_urgency(push_app, push_service):
    phone = push_service.device("phone")
    _remind(push_app, "alice@example.dk", [phone], push_service)
    report = _send(push_app)
    assert (report.sent, report.reminders) == (1, 1)
    [message] = push_service.received
    assert message.headers["content-encoding"] == "aes128gcm"
    assert message.headers["urgency"] == "normal"
    # Until her midnight, at most four hours: here 3 h 55 min.
    assert int(message.headers["ttl"]) == 3 * 3600 + 55 * 60
    payload = message.payload
    assert payload["title"] == "Hvordan har dagen været?"
    assert payload["url"] == "https://dagbog.example.dk/?source=reminder"
    assert payload["day"] == "2026-12-04"
    # The declarative fields iOS 18.4+ shows even when the worker fails.
    assert payload["web_push"] == 8030
    assert payload["notification"]["title"] == "Hvordan har dagen været?"
    assert payload["notification"]["navigate"] == "https://dagbog.example.dk/?source=reminder"
    assert payload["notification"]["lang"] == "da"


def test_it_signs_each_push_with_the_servers_vapid_key_for_that_push_service(push_app, push_service):
    _remind(push_app, "alice@example.dk", [push_service.device("phone")], push_service)
    _send(push_app)
    [message] = push_service.received
    assert message.vapid_claims is not None, "the VAPID signature must verify"
    assert message.vapid_key == push_app.config["VAPID_KEYS"].public
    assert message.vapid_claims["aud"] == push_service.base_url
    assert message.vapid_claims["sub"] == "mailto:operator@example.dk"


def test_it_writes_in_her_language(push_app, push_service):
    _remind(push_app, "emma@example.com", [push_service.device("laptop")], push_service, language="en")
    _send(push_app)
    assert push_service.received[0].payload["title"] == "How was your day?"
    assert push_service.received[0].payload["notification"]["lang"] == "en"


def test_it_reaches_every_device_she_turned_it_on_for(push_app, push_service):
    devices = [push_service.device("phone"), push_service.device("tablet")]
    _remind(push_app, "alice@example.dk", devices, push_service)
    assert _send(push_app).sent == 2
    assert {message.path for message in push_service.received} == {"/push/phone", "/push/tablet"}


def test_it_never_sends_two_on_the_same_day(push_app, push_service):
    _remind(push_app, "alice@example.dk", [push_service.device("phone")], push_service)
    _send(push_app)
    assert _send(push_app, DUE + timedelta(minutes=1)).sent == 0
    assert _send(push_app, DUE + timedelta(days=1)).sent == 1  # the next evening it comes again
    assert len(push_service.received) == 2
    with in_app(push_app):
        assert Reminder.get().last_sent_on == date(2026, 12, 5)


def test_it_sends_nothing_when_today_is_already_logged(push_app, push_service):
    user = _remind(push_app, "alice@example.dk", [push_service.device("phone")], push_service)
    with in_app(push_app):
        from diary.models import Entry

        Entry.create(user=user, date=date(2026, 12, 4), pain=3, updated_at=DUE.replace(tzinfo=None))
    assert _send(push_app).sent == 0
    assert push_service.received == []


def test_it_sends_nothing_when_the_diarys_today_is_logged_for_someone_far_away(push_app, push_service):
    # 20:05 in New York is 02:05 the next day in Copenhagen, the diary's "today" on the log page.
    new_york = ZoneInfo("America/New_York")
    user = _remind(push_app, "alice@example.dk", [push_service.device("phone")], push_service, zone=new_york)
    now = datetime(2026, 12, 5, 1, 5, tzinfo=timezone.utc)
    with in_app(push_app):
        from diary.models import Entry

        Entry.create(user=user, date=date(2026, 12, 5), pain=3, updated_at=now.replace(tzinfo=None))
    assert _send(push_app, now).sent == 0


def test_it_skips_a_reminder_more_than_an_hour_late(push_app, push_service):
    _remind(push_app, "alice@example.dk", [push_service.device("phone")], push_service)
    assert _send(push_app, datetime(2026, 12, 4, 20, 1, tzinfo=timezone.utc)).sent == 0
    assert push_service.received == []


def test_it_sends_nothing_when_turned_off(push_app, push_service):
    _remind(push_app, "alice@example.dk", [push_service.device("phone")], push_service, enabled=False)
    assert _send(push_app).sent == 0


@pytest.mark.parametrize("status", [404, 410])
def test_it_deletes_a_subscription_the_push_service_calls_gone(push_app, push_service, status):
    gone, kept = push_service.device("old-phone", status=status), push_service.device("phone")
    _remind(push_app, "alice@example.dk", [gone, kept], push_service)
    report = _send(push_app)
    assert (report.sent, report.removed) == (1, 1)
    with in_app(push_app):
        assert [row.endpoint for row in PushSubscription.select()] == [push_service.base_url + "/push/phone"]


def test_it_tries_again_within_the_hour_when_no_device_could_be_reached(push_app, push_service):
    phone = push_service.device("phone", status=500)
    _remind(push_app, "alice@example.dk", [phone], push_service)
    assert _send(push_app).failed == 1
    push_service.status[phone.path] = 201
    assert _send(push_app, DUE + timedelta(minutes=1)).sent == 1
    with in_app(push_app):
        assert PushSubscription.select().count() == 1  # a server error is not "gone"


def test_it_does_not_call_a_private_address_unless_the_operator_allows_it(push_app, push_service):
    _remind(push_app, "alice@example.dk", [push_service.device("phone")], push_service)
    push_app.config["PUSH_ALLOW_PRIVATE_ENDPOINTS"] = False
    report = _send(push_app)
    assert (report.sent, report.failed) == (0, 1)
    assert push_service.received == []


def test_it_sends_at_her_time_in_her_own_time_zone(push_app, push_service):
    _remind(
        push_app,
        "alice@example.dk",
        [push_service.device("phone")],
        push_service,
        zone=ZoneInfo("Asia/Tokyo"),
    )
    assert _send(push_app, datetime(2026, 12, 4, 10, 59, tzinfo=timezone.utc)).sent == 0
    assert _send(push_app, datetime(2026, 12, 4, 11, 0, tzinfo=timezone.utc)).sent == 1


def test_the_cli_sends_what_is_due_and_says_so(push_app, push_service, runner, monkeypatch):
    _remind(push_app, "alice@example.dk", [push_service.device("phone")], push_service, at="00:00")
    now = datetime.now(timezone.utc).astimezone(CPH)
    with in_app(push_app):
        Reminder.update(time=now.strftime("%H:%M")).execute()
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 reminder" in result.output
    assert len(push_service.received) == 1


def test_the_cli_refuses_to_send_without_a_public_address(push_app, runner):
    push_app.config["PUBLIC_URL"] = ""
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code != 0 and "PUBLIC_URL" in result.output


def test_a_subscription_it_cannot_encrypt_to_fails_alone(push_app, push_service):
    # A row from before keys were checked, or written by hand: the other devices still get theirs.
    _remind(push_app, "alice@example.dk", [push_service.device("phone")], push_service)
    with in_app(push_app):
        user = User.by_email("alice@example.dk")
        PushSubscription.create(
            user=user,
            endpoint=push_service.base_url + "/push/broken",
            p256dh="BAAA" * 21 + "BAA",
            auth="x" * 22,
        )
    report = _send(push_app)
    assert (report.sent, report.failed) == (1, 1)
