"""Rate limits (Flask-Limiter). One process keeps counts in memory; several processes share
them through RATELIMIT_STORAGE_URI (e.g. redis://host:6379), see README."""

import hashlib
import hmac

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user

limiter = Limiter(get_remote_address)


def configured(name: str):
    """A limit read from the app's configuration at request time, so tests and operators can set it."""

    def limit() -> str:
        return current_app.config[name]

    return limit


report_limit = configured("REPORT_RATE_LIMIT")
login_limit = configured("LOGIN_RATE_LIMIT")
register_limit = configured("REGISTER_RATE_LIMIT")
reset_limit = configured("RESET_RATE_LIMIT")
login_account_limit = configured("LOGIN_ACCOUNT_RATE_LIMIT")


def account_key() -> str:
    """The per-account log-in key: the submitted email, normalised, as an HMAC.

    Guesses at one account from many addresses share it. A keyed hash, so the counts
    (in redis, say) hold no email address and cannot be checked against a list of them.
    """
    email = (request.form.get("email") or "").strip().lower()
    key = hashlib.sha256(b"login-account\0" + current_app.secret_key.encode()).digest()
    return "account:" + hmac.new(key, email.encode(), hashlib.sha256).hexdigest()


def failed_login(response) -> bool:
    """Only a refused log-in counts towards the account's limit: her own log-ins never lock her out."""
    return response.status_code == 400


def account_or_address() -> str:
    """The signed-in account (the person, whichever network her phone is on), else the address."""
    if current_user.is_authenticated:
        return f"account:{current_user.id}"
    return get_remote_address()


#: Imports from the API and from the settings page draw on one count per account.
import_limit = limiter.shared_limit(
    configured("IMPORT_RATE_LIMIT"), scope="import", key_func=account_or_address
)


def init_app(app) -> None:
    """Bind the limiter; counts live in RATELIMIT_STORAGE_URI (memory:// for one process)."""
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
