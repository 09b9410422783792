"""Forgotten passwords: a single-use link, mailed, good for an hour; only its hash is stored."""

import secrets
from datetime import timedelta
from functools import partial

from diary.accounts.mail import compose, queue_mail
from diary.entries.codes import N_
from diary.models import PasswordReset, User, utc_now
from diary.reports.tokens import token_hash
from diary.web.i18n import select_locale
from diary.web.links import external_url

RESET_LIFETIME = timedelta(hours=1)
RESET_HOURS = int(RESET_LIFETIME.total_seconds() // 3600)


def _store_reset(user_id: int, digest: str) -> None:
    now = utc_now()
    PasswordReset.create(user=user_id, token_hash=digest, created_at=now, expires_at=now + RESET_LIFETIME)


def issue_reset_token(user: User) -> str:
    """A new single-use reset token for the user, good for an hour; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    _store_reset(user.id, token_hash(token))
    return token


def send_reset_link(user: User | None) -> None:
    """Mail a reset link to the user; for no user, do the very same work and send nothing.

    A known and an unknown address run the same steps here, in the same order: a token,
    its hash, the link, the email in a language, and the mail queue. Only on the mail
    queue's own thread does a known address store the token and reach the SMTP server,
    after the page has been answered (bench/forgot_timing.py measures the two).
    """
    token = secrets.token_urlsafe(32)
    digest = token_hash(token)
    link = external_url("auth.reset_password", token=token)  # on PUBLIC_URL, never the Host header
    subject, body = compose(
        user.language if user else select_locale(),
        "accounts/email/reset_password.txt",
        N_("Set a new password for Bækkendagbog"),
        link=link,
        hours=RESET_HOURS,
    )
    queue_mail(
        user.email if user else None,
        subject,
        body,
        "a password-reset email",
        prepare=partial(_store_reset, user.id, digest) if user else None,
    )


def open_reset(token: str) -> PasswordReset | None:
    """The reset behind a token while it is open: unused and not expired."""
    reset = PasswordReset.get_or_none(PasswordReset.token_hash == token_hash(token))
    if reset is None or reset.used_at is not None or reset.expires_at <= utc_now():
        return None
    return reset


def claim(reset: PasswordReset) -> bool:
    """Mark the link used if it still is open; of two requests with one link, only one wins."""
    now = utc_now()
    claimed = (
        PasswordReset.update(used_at=now)
        .where(
            (PasswordReset.id == reset.id)
            & PasswordReset.used_at.is_null()
            & (PasswordReset.expires_at > now)
        )
        .execute()
    )
    return claimed == 1
