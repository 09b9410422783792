"""Settings from the environment: defaults that just work, and bad values that stop start-up
with a message naming the variable."""

import os
import stat
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from diary.config import (
    ConfigError,
    database_url,
    env_bool,
    env_int,
    env_timezone,
    from_environment,
    secret_key,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clean_env(monkeypatch):
    """An environment without any of the app's settings."""
    for name in list(os.environ):
        if name in {"SECRET_KEY", "DATABASE_URL", "DIARY_TIMEZONE", "HTTPS", "PROXY_COUNT", "SMTP_PORT"}:
            monkeypatch.delenv(name)
    return monkeypatch


def test_it_generates_a_secret_key_once_and_keeps_it_private_in_the_instance_folder(clean_env, tmp_path):
    first = secret_key(tmp_path / "instance")
    key_file = tmp_path / "instance" / "secret_key"
    assert len(first) >= 64 and key_file.read_text().strip() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert secret_key(tmp_path / "instance") == first  # the next start reads the same key


def test_a_secret_key_from_the_environment_wins_and_writes_no_file(clean_env, tmp_path):
    clean_env.setenv("SECRET_KEY", "s" * 32)
    assert secret_key(tmp_path) == "s" * 32
    assert not (tmp_path / "secret_key").exists()


def test_a_short_secret_key_stops_start_up(clean_env, tmp_path):
    clean_env.setenv("SECRET_KEY", "too short")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        secret_key(tmp_path)


def test_the_default_database_is_a_sqlite_file_in_the_instance_folder(clean_env, tmp_path):
    assert database_url(tmp_path) == f"sqlite:///{tmp_path / 'diary.sqlite3'}"


@pytest.mark.parametrize("url", ["postgresql://diary@localhost/diary", "sqlite:////var/lib/diary.sqlite3"])
def test_it_takes_a_postgresql_or_sqlite_database_url(clean_env, tmp_path, url):
    clean_env.setenv("DATABASE_URL", url)
    assert database_url(tmp_path) == url


@pytest.mark.parametrize("url", ["mysql://diary@localhost/diary", "diary.sqlite3", "sqlite://relative.db"])
def test_an_unknown_database_url_stops_start_up(clean_env, tmp_path, url):
    clean_env.setenv("DATABASE_URL", url)
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        database_url(tmp_path)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1", True),
        ("true", True),
        ("Yes", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("NO", False),
        ("off", False),
        ("", False),
    ],
)
def test_yes_no_settings_take_the_usual_words(clean_env, raw, expected):
    clean_env.setenv("HTTPS", raw)
    assert env_bool("HTTPS") is expected


@pytest.mark.parametrize("raw", ["maybe", "2", "ja"])
def test_an_unclear_yes_no_setting_stops_start_up(clean_env, raw):
    clean_env.setenv("HTTPS", raw)
    with pytest.raises(ConfigError, match="HTTPS"):
        env_bool("HTTPS")


def test_whole_number_settings_have_a_default_and_a_minimum(clean_env):
    assert env_int("PROXY_COUNT", 0) == 0
    clean_env.setenv("PROXY_COUNT", "2")
    assert env_int("PROXY_COUNT", 0) == 2
    for raw, problem in (("two", "whole number"), ("-1", "at least 0")):
        clean_env.setenv("PROXY_COUNT", raw)
        with pytest.raises(ConfigError, match=f"PROXY_COUNT must be .*{problem}"):
            env_int("PROXY_COUNT", 0)


def test_the_time_zone_defaults_to_copenhagen_and_refuses_unknown_names(clean_env):
    assert env_timezone("DIARY_TIMEZONE", "Europe/Copenhagen") == ZoneInfo("Europe/Copenhagen")
    clean_env.setenv("DIARY_TIMEZONE", "Europe/Atlantis")
    with pytest.raises(ConfigError, match="DIARY_TIMEZONE"):
        env_timezone("DIARY_TIMEZONE", "Europe/Copenhagen")


def test_the_environment_builds_a_whole_configuration(clean_env, tmp_path):
    clean_env.setenv("HTTPS", "true")
    clean_env.setenv("PROXY_COUNT", "1")
    config = from_environment(tmp_path)
    assert config["HTTPS"] is True and config["PROXY_COUNT"] == 1
    assert config["DATABASE_URL"].startswith("sqlite:///") and len(config["SECRET_KEY"]) >= 32


def test_the_operator_sees_which_variable_is_wrong_when_the_app_will_not_start(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'diary.sqlite3'}", "HTTPS": "perhaps"}
    done = subprocess.run(
        [sys.executable, "manage.py", "init-db"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert done.stderr.strip() == "Bækkendagbog cannot start: HTTPS must be true or false, not 'perhaps'."
    assert not (tmp_path / "diary.sqlite3").exists()


def test_the_idle_lifetime_of_a_session_is_12_hours_unless_set(clean_env, tmp_path):
    from datetime import timedelta

    clean_env.delenv("SESSION_IDLE_SECONDS", raising=False)
    assert from_environment(tmp_path)["SESSION_IDLE_LIFETIME"] == timedelta(hours=12)
    clean_env.setenv("SESSION_IDLE_SECONDS", "1800")
    assert from_environment(tmp_path)["SESSION_IDLE_LIFETIME"] == timedelta(minutes=30)
    clean_env.setenv("SESSION_IDLE_SECONDS", "5")
    with pytest.raises(ConfigError, match="SESSION_IDLE_SECONDS"):
        from_environment(tmp_path)
