"""Settings read from the environment through small typed helpers that fail loudly."""

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The folder holding diary/, templates/, static/ and advice/.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """A setting in the environment has a value the app cannot use."""


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no setting; anything but a clear yes or no stops start-up."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    """Read a whole-number setting of at least ``minimum``."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}")
    return value


def env_timezone(name: str, default: str) -> ZoneInfo:
    """Read an IANA time zone name such as Europe/Copenhagen."""
    raw = os.environ.get(name) or default
    try:
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{name} must be a time zone name such as Europe/Copenhagen, not {raw!r}") from None


def database_url(instance_path: Path) -> str:
    """DATABASE_URL, or a SQLite file in the instance folder."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'diary.sqlite3'}"
    if not url.startswith(("sqlite:///", "postgresql://", "postgres://")):
        raise ConfigError(
            f"DATABASE_URL must start with sqlite:/// or postgresql://, not {url.split(':')[0]!r}"
        )
    return url


def public_url(name: str = "PUBLIC_URL") -> str:
    """The address users open the diary at (scheme://host[:port][/path]), or "" when unset."""
    raw = (os.environ.get(name) or "").strip()
    if not raw:
        return ""
    problem = f"{name} must be the address users open, such as https://dagbog.example.dk, not {raw!r}"
    try:
        parts = urlsplit(raw)
        sound = parts.scheme in {"http", "https"} and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a port that is not a number, or a broken IPv6 address
        sound = False
    if not sound or parts.username or parts.password or parts.query or parts.fragment:
        raise ConfigError(problem)
    return raw.rstrip("/")


def trusted_proxy(proxy_count: int, name: str = "TRUSTED_PROXY") -> str:
    """The address the reverse proxy connects from (127.0.0.1 by default), or "" without a proxy."""
    raw = (os.environ.get(name) or "").strip()
    if not proxy_count:
        if raw:
            raise ConfigError(
                f"{name} is set, but PROXY_COUNT is 0: set PROXY_COUNT to the number of proxies too"
            )
        return ""
    if not raw:
        return "127.0.0.1"  # the README's nginx on the same machine
    try:
        return str(ipaddress.ip_address(raw))  # the form the server compares with the peer's address
    except ValueError:
        raise ConfigError(
            f"{name} must be the IP address the proxy connects from, such as 127.0.0.1, not {raw!r}"
        ) from None


def check_links(config: dict) -> None:
    """Emails must link to a configured address: the request's Host header is the sender's to choose."""
    if config["SMTP_HOST"] and not config["PUBLIC_URL"]:
        raise ConfigError("PUBLIC_URL must be set when SMTP_HOST is: password-reset emails link to it")
    if config["HTTPS"] and config["PUBLIC_URL"].startswith("http://"):
        raise ConfigError("PUBLIC_URL must start with https:// when HTTPS=true")


def vapid_subject(name: str = "VAPID_SUBJECT") -> str:
    """Whom push services may contact about our pushes: a mailto: or https:// address, or "" when unset."""
    raw = (os.environ.get(name) or "").strip()
    if raw and not (raw.startswith("mailto:") and "@" in raw or raw.startswith("https://")):
        raise ConfigError(f"{name} must be mailto:you@example.dk or an https:// address, not {raw!r}")
    return raw


def vapid_keys():
    """VAPID_PRIVATE_KEY (and VAPID_PUBLIC_KEY) from the environment, or None: then the instance folder's."""
    from diary.reminders.vapid import from_environment

    return from_environment()


def secret_key(instance_path: Path) -> str:
    """SECRET_KEY, or a key generated once and kept in the instance folder."""
    key = os.environ.get("SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters long")
        return key
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def from_environment(instance_path: Path) -> dict:
    """Build the Flask configuration from the environment."""
    config = {
        "SECRET_KEY": secret_key(instance_path),
        "DATABASE_URL": database_url(instance_path),
        "DIARY_TIMEZONE": env_timezone("DIARY_TIMEZONE", "Europe/Copenhagen"),
        "PROXY_COUNT": env_int("PROXY_COUNT", 0),
        "TRUSTED_PROXY": trusted_proxy(env_int("PROXY_COUNT", 0)),
        "HTTPS": env_bool("HTTPS"),
        "PUBLIC_URL": public_url(),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI") or "memory://",
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT") or DEFAULT_LIMITS["LOGIN_RATE_LIMIT"],
        "LOGIN_ACCOUNT_RATE_LIMIT": os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT")
        or DEFAULT_LIMITS["LOGIN_ACCOUNT_RATE_LIMIT"],
        "REGISTER_RATE_LIMIT": os.environ.get("REGISTER_RATE_LIMIT") or DEFAULT_LIMITS["REGISTER_RATE_LIMIT"],
        "RESET_RATE_LIMIT": os.environ.get("RESET_RATE_LIMIT") or DEFAULT_LIMITS["RESET_RATE_LIMIT"],
        "REPORT_RATE_LIMIT": os.environ.get("REPORT_RATE_LIMIT") or DEFAULT_LIMITS["REPORT_RATE_LIMIT"],
        "IMPORT_RATE_LIMIT": os.environ.get("IMPORT_RATE_LIMIT") or DEFAULT_LIMITS["IMPORT_RATE_LIMIT"],
        "SMTP_HOST": os.environ.get("SMTP_HOST", ""),
        "SMTP_PORT": env_int("SMTP_PORT", 587, minimum=1),
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": env_bool("SMTP_STARTTLS", default=True),
        "MAIL_FROM": os.environ.get("MAIL_FROM", ""),
        "SESSION_IDLE_LIFETIME": timedelta(seconds=env_int("SESSION_IDLE_SECONDS", IDLE_SECONDS, minimum=10)),
        "VAPID_KEYS": vapid_keys(),
        "VAPID_SUBJECT": vapid_subject(),
        "PUSH_ALLOW_PRIVATE_ENDPOINTS": env_bool("PUSH_ALLOW_PRIVATE_ENDPOINTS"),
    }
    check_links(config)
    return config


#: How long a device logged in without "remember me" stays logged in unused: 12 hours.
IDLE_SECONDS = 12 * 3600

#: Rate limits (Flask-Limiter notation); each can be set in the environment. All are per
#: client address but IMPORT_RATE_LIMIT (imports per account) and LOGIN_ACCOUNT_RATE_LIMIT
#: (refused log-ins per account, from anywhere).
DEFAULT_LIMITS = {
    "LOGIN_RATE_LIMIT": "10 per minute; 50 per hour",
    "LOGIN_ACCOUNT_RATE_LIMIT": "5 per minute; 20 per hour",
    "REGISTER_RATE_LIMIT": "5 per minute; 30 per hour",
    "RESET_RATE_LIMIT": "5 per minute; 20 per hour",
    "REPORT_RATE_LIMIT": "60 per minute",
    "IMPORT_RATE_LIMIT": "5 per minute; 20 per day",
}


def defaults_for_tests(instance_path: Path) -> dict:
    """Settings for a test app: a fixed key, Copenhagen time, plain HTTP."""
    return {
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,  # tests about CSRF turn it back on (tests/conftest.py: csrf_app)
        "SECRET_KEY": "test-" + "k" * 40,
        "DATABASE_URL": f"sqlite:///{instance_path / 'test.sqlite3'}",
        "DIARY_TIMEZONE": ZoneInfo("Europe/Copenhagen"),
        "PROXY_COUNT": 0,
        "TRUSTED_PROXY": "",
        "HTTPS": False,
        "PUBLIC_URL": "",
        "RATELIMIT_STORAGE_URI": "memory://",
        # Tests register many users from one address; the limits have tests of their own.
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "LOGIN_ACCOUNT_RATE_LIMIT": "1000 per minute",
        "REGISTER_RATE_LIMIT": "1000 per minute",
        "RESET_RATE_LIMIT": "1000 per minute",
        "REPORT_RATE_LIMIT": "1000 per minute",
        "IMPORT_RATE_LIMIT": "1000 per minute",
        "SMTP_HOST": "",
        "SMTP_PORT": 25,
        "SMTP_USERNAME": "",
        "SMTP_PASSWORD": "",
        "SMTP_STARTTLS": False,
        "MAIL_FROM": "",
        "SESSION_IDLE_LIFETIME": timedelta(seconds=IDLE_SECONDS),
        # A key pair per test app: a test never writes one into the project's instance folder.
        "VAPID_KEYS": _test_vapid_keys(),
        "VAPID_SUBJECT": "mailto:operator@example.dk",
        "PUSH_ALLOW_PRIVATE_ENDPOINTS": False,
    }


def _test_vapid_keys():
    from diary.reminders.vapid import new_keys

    return new_keys()


#: Settings that are policy, not deployment choices.
FIXED = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_DURATION": timedelta(days=30),
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    # A log page left open in the evening is still saved at night.
    "WTF_CSRF_TIME_LIMIT": 12 * 3600,
    "WTF_I18N_ENABLED": True,
    "MAX_CONTENT_LENGTH": 256 * 1024,
}


def apply_policy(config) -> None:
    """Add the fixed settings and those that follow from HTTPS."""
    config.update(FIXED)
    https = config["HTTPS"]
    config["SESSION_COOKIE_SECURE"] = https
    config["REMEMBER_COOKIE_SECURE"] = https
    # Over HTTPS the browser takes a __Host- cookie only if it is Secure, for Path=/ and
    # without Domain, so no subdomain or plain-HTTP page can plant or overwrite one.
    config["SESSION_COOKIE_NAME"] = "__Host-session" if https else "session"
    config["REMEMBER_COOKIE_NAME"] = "__Host-remember" if https else "remember_token"
    for cookie in ("SESSION_COOKIE", "REMEMBER_COOKIE"):
        config[f"{cookie}_PATH"] = "/"
        config[f"{cookie}_DOMAIN"] = None
    config["PREFERRED_URL_SCHEME"] = "https" if https else "http"
