"""The VAPID keys (environment or instance folder), their settings, and the reminder commands."""

import stat
import threading
from datetime import datetime, timezone

import pytest

from diary.config import ConfigError, vapid_subject
from diary.reminders import sender
from diary.reminders.endpoints import endpoint_problem, public_address
from diary.reminders.schedule import time_to_live
from diary.reminders.vapid import (
    b64url_decode,
    from_environment,
    instance_keys,
    keys_from_private,
    new_keys,
    subject,
)


@pytest.fixture
def no_vapid_env(monkeypatch):
    for name in ("VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY", "VAPID_SUBJECT"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_it_makes_the_key_pair_once_and_keeps_it_private_in_the_instance_folder(tmp_path):
    keys, made = instance_keys(tmp_path / "instance")
    key_file = tmp_path / "instance" / "vapid_private_key"
    assert made and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(b64url_decode(keys.public)) == 65 and b64url_decode(keys.public)[0] == 4
    again, made_again = instance_keys(tmp_path / "instance")
    assert again == keys and not made_again


def test_a_broken_key_file_stops_with_a_message_naming_it(tmp_path):
    (tmp_path / "vapid_private_key").write_text("not a key")
    with pytest.raises(ConfigError, match="vapid_private_key"):
        instance_keys(tmp_path)


def test_it_takes_the_keys_from_the_environment(no_vapid_env):
    keys = new_keys()
    no_vapid_env.setenv("VAPID_PRIVATE_KEY", keys.private)
    no_vapid_env.setenv("VAPID_PUBLIC_KEY", keys.public)
    assert from_environment() == keys
    assert keys_from_private(keys.private) == keys


@pytest.mark.parametrize(
    ("private", "public", "named"),
    [
        ("not-a-key", None, "VAPID_PRIVATE_KEY"),
        (None, "BBBB", "VAPID_PUBLIC_KEY is set without VAPID_PRIVATE_KEY"),
        ("mine", "someone-elses", "VAPID_PUBLIC_KEY does not belong"),
    ],
)
def test_bad_keys_in_the_environment_stop_start_up_loudly(no_vapid_env, private, public, named):
    if private == "mine":
        private, public = new_keys().private, new_keys().public
    if private:
        no_vapid_env.setenv("VAPID_PRIVATE_KEY", private)
    if public:
        no_vapid_env.setenv("VAPID_PUBLIC_KEY", public)
    with pytest.raises(ConfigError, match=named):
        from_environment()


@pytest.mark.parametrize("raw", ["you@example.dk", "http://dagbog.example.dk", "mailto:nobody"])
def test_a_bad_vapid_subject_stops_start_up(no_vapid_env, raw):
    no_vapid_env.setenv("VAPID_SUBJECT", raw)
    with pytest.raises(ConfigError, match="VAPID_SUBJECT"):
        vapid_subject()


def test_the_subject_falls_back_to_the_public_address_or_the_mail_sender():
    assert subject({"VAPID_SUBJECT": "mailto:a@b.dk"}) == "mailto:a@b.dk"
    assert (
        subject({"VAPID_SUBJECT": "", "PUBLIC_URL": "https://dagbog.example.dk"})
        == "https://dagbog.example.dk"
    )
    assert (
        subject({"VAPID_SUBJECT": "", "PUBLIC_URL": "http://x", "MAIL_FROM": "dagbog@x.dk"})
        == "mailto:dagbog@x.dk"
    )
    with pytest.raises(ConfigError, match="VAPID_SUBJECT"):
        subject({"VAPID_SUBJECT": "", "PUBLIC_URL": "", "MAIL_FROM": ""})


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("142.250.74.36", True),
        ("2a00:1450:400f:80d::200e", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("100.64.1.1", False),
        ("169.254.169.254", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fd00::1", False),
        ("fe80::1%eth0", False),
        ("::ffff:10.0.0.1", False),
    ],
)
def test_it_tells_public_addresses_from_the_others(address, public):
    assert public_address(address) is public


def test_a_name_that_does_not_resolve_is_refused():
    assert endpoint_problem("https://push.example.invalid/x", False, lambda host, port: []) is not None


def test_a_reminder_waits_for_her_phone_until_her_midnight_at_most_four_hours():
    from zoneinfo import ZoneInfo

    cph = ZoneInfo("Europe/Copenhagen")
    at_21 = datetime(2026, 12, 4, 20, 0, tzinfo=timezone.utc)  # 21:00 in Copenhagen: three hours left
    assert time_to_live(at_21, cph) == 3 * 3600
    assert time_to_live(datetime(2026, 12, 4, 13, 0, tzinfo=timezone.utc), cph) == 4 * 3600
    assert (
        time_to_live(datetime(2026, 12, 4, 22, 59, 30, tzinfo=timezone.utc), cph) == 60
    )  # at least a minute


def test_vapid_keys_command_makes_the_keys_once_and_prints_the_public_key(app, runner, tmp_path, monkeypatch):
    app.config["VAPID_KEYS"] = None
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    first = runner.invoke(args=["vapid-keys"])
    assert first.exit_code == 0 and "Made a new key pair" in first.output
    public = instance_keys(tmp_path)[0].public
    assert public in first.output
    second = runner.invoke(args=["vapid-keys"])
    assert "Made a new" not in second.output and public in second.output


def test_the_push_key_is_made_on_first_need_when_the_environment_has_none(
    app, client, alice, tmp_path, monkeypatch
):
    app.config["VAPID_KEYS"] = None
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    key = client.get("/api/v1/push-key").get_json()["public_key"]
    assert key == instance_keys(tmp_path)[0].public


def test_serve_with_reminders_refuses_to_start_without_a_public_address(app, runner):
    app.config["PUBLIC_URL"] = ""
    result = runner.invoke(args=["serve", "--reminders", "--port", "1"])
    assert result.exit_code != 0 and "PUBLIC_URL" in result.output


def test_the_reminder_loop_runs_a_pass_at_once_then_every_interval(app, monkeypatch):
    passes = threading.Semaphore(0)

    def counted(now=None):
        passes.release()
        return sender.SendReport()

    monkeypatch.setattr(sender, "send_due", counted)
    thread = sender.start_loop(app, interval=0.01)
    try:
        assert passes.acquire(timeout=5) and passes.acquire(timeout=5)
    finally:
        thread.stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()


def test_a_failing_pass_does_not_end_the_loop(app, monkeypatch, caplog):
    calls = threading.Semaphore(0)

    def broken(now=None):
        calls.release()
        raise RuntimeError("the database is away")

    monkeypatch.setattr(sender, "send_due", broken)
    thread = sender.start_loop(app, interval=0.01)
    try:
        assert calls.acquire(timeout=5) and calls.acquire(timeout=5)
    finally:
        thread.stop.set()
        thread.join(timeout=5)
