"""Sending email over SMTP (only the password-reset link, for now)."""

import smtplib
from email.message import EmailMessage

from flask import current_app


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
