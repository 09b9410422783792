"""Sending email over SMTP: reset and confirmation links, and notices about her account.

Every email goes through queue_mail, on a thread of its own: a page answers as fast
whatever the mail server does, and a broken one costs the person nothing (its error is
logged for the operator, without the address).
"""

import smtplib
import threading
from email.message import EmailMessage

from flask import current_app, render_template
from flask_babel import force_locale, gettext

from diary.db import db


class MailNotConfigured(RuntimeError):
    """SMTP_HOST is not set: this server sends no email."""


def mail_configured() -> bool:
    """Whether the operator set up SMTP (SMTP_HOST and MAIL_FROM)."""
    return bool(current_app.config["SMTP_HOST"] and current_app.config["MAIL_FROM"])


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text email through the configured SMTP server."""
    config = current_app.config
    if not mail_configured():
        raise MailNotConfigured("set SMTP_HOST and MAIL_FROM to send email")
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=20) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config["SMTP_USERNAME"]:
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        smtp.send_message(message)


def compose(language: str, template: str, subject: str, **context) -> tuple[str, str]:
    """An email's translated subject (an English msgid) and body (templates/accounts/email/…), in her language."""
    with force_locale(language):
        return gettext(subject), render_template(template, **context)


def queue_mail(to: str | None, subject: str, body: str, what: str, prepare=None) -> None:
    """Send an email on a thread of its own; `to=None` is a null send that leaves the server nothing.

    `prepare`, when given, runs first on that thread with a database connection (storing
    the token the email carries, say); if it raises, nothing is sent. `what` names the
    email in the log ("a password-reset email").
    """
    app = current_app._get_current_object()

    def deliver():
        with app.app_context():
            try:
                if prepare is not None:
                    with db.connection_context():
                        prepare()
                if to is not None:
                    send_mail(to, subject, body)
            except Exception:  # smtplib's and the database's errors: logged, never shown to her
                app.logger.exception("could not send %s", what)

    threading.Thread(target=deliver, name="mail", daemon=True).start()
