"""Emails about her account: a password changed or reset, an email address to confirm, an
email address changed. Each is sent only when the operator set up mail (README)."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from diary.accounts.mail import compose, mail_configured, queue_mail
from diary.entries.codes import N_
from diary.models import User
from diary.web.links import external_url, public_url_set

EMAIL_CHANGE_HOURS = 24


def links_mailable() -> bool:
    """Whether emails with links can go out: SMTP is set up, and PUBLIC_URL to build the links on."""
    return mail_configured() and public_url_set()


def announce_password_changed(user: User) -> None:
    """Tell her by email that her password changed (in settings or by a reset link)."""
    if not links_mailable():
        return
    subject, body = compose(
        user.language,
        "accounts/email/password_changed.txt",
        N_("Your Bækkendagbog password was changed"),
        forgot=external_url("auth.forgot_password"),
    )
    queue_mail(user.email, subject, body, "a password-changed notice")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="email-change")


def email_change_token(user: User, new_email: str) -> str:
    """A signed link token: this user, from her email today, to new_email; good for 24 hours.

    Nothing is stored. It binds her current email, so it works once: when the change is
    made (or her email changes otherwise), the email it names is no longer hers.
    """
    return _serializer().dumps([user.id, user.email, new_email])


def read_email_change(token: str) -> tuple[User, str] | None:
    """The user and new email of a token still good, or None (forged, expired, used)."""
    try:
        user_id, old_email, new_email = _serializer().loads(token, max_age=EMAIL_CHANGE_HOURS * 3600)
    except (BadSignature, ValueError, TypeError):  # SignatureExpired is a BadSignature
        return None
    user = User.get_or_none(User.id == user_id)
    if user is None or user.email != old_email:
        return None
    return user, new_email


def send_email_change_link(user: User, new_email: str) -> None:
    """Mail the link that makes new_email hers to new_email itself."""
    link = external_url("auth.confirm_email", token=email_change_token(user, new_email))
    subject, body = compose(
        user.language,
        "accounts/email/confirm_email.txt",
        N_("Confirm your new email for Bækkendagbog"),
        link=link,
        hours=EMAIL_CHANGE_HOURS,
        new_email=new_email,
    )
    queue_mail(new_email, subject, body, "an email-change link")


def announce_email_changed(user: User, old_email: str) -> None:
    """Tell the old address that the diary's email is now user.email."""
    if not links_mailable():
        return
    subject, body = compose(
        user.language,
        "accounts/email/email_changed.txt",
        N_("The email of your Bækkendagbog diary was changed"),
        new_email=user.email,
        old_email=old_email,
        forgot=external_url("auth.forgot_password"),
    )
    queue_mail(old_email, subject, body, "an email-changed notice")
