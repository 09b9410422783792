"""What the account sends by email and why: /forgot does the same work for every address,
a new email address is confirmed by a link sent to it and announced to the old one, and a
password change or reset is announced."""

import re
import time

import pytest

from diary.db import db
from diary.models import User
from tests.conftest import PASSWORD, Auth
from tests.test_account import Inbox, smtp, smtp_server  # noqa: F401 (smtp is a fixture)


def user(app, email="alice@example.dk"):
    with app.app_context(), db.connection_context():
        return User.by_email(email)


def body_of(message):
    """A mail's text with quoted-printable soft line breaks joined."""
    return re.sub(r"=\r?\n", "", message)


def sent_to(inbox, address, count, timeout=10.0):
    """The messages to one address, once `count` of them have arrived."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [message for message in inbox.messages if f"To: {address}" in message]
        if len(found) >= count:
            return found
        time.sleep(0.02)
    return [message for message in inbox.messages if f"To: {address}" in message]


# --- /forgot: the same work for a known and an unknown address -----------------------------------

def test_forgot_runs_the_same_expensive_steps_for_known_and_unknown_addresses(app, client, auth, smtp, monkeypatch):
    import diary.account
    import diary.mail

    auth.register()
    auth.logout()
    steps = []

    def spy(module, name):
        real = getattr(module, name)

        def recorded(*args, **kwargs):
            steps.append(name)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, recorded)

    spy(diary.account.secrets, "token_urlsafe")
    spy(diary.account, "token_hash")
    spy(diary.account, "external_url")
    spy(diary.mail, "render_template")
    spy(diary.account, "queue_mail")
    spy(diary.mail.threading.Thread, "start")

    walks = {}
    for email in ("alice@example.dk", "nobody@example.dk"):
        steps.clear()
        assert client.post("/forgot", data={"email": email}).status_code == 200
        walks[email] = list(steps)
    assert walks["alice@example.dk"] == walks["nobody@example.dk"]
    assert {"token_urlsafe", "token_hash", "render_template", "queue_mail", "start"} <= set(walks["nobody@example.dk"])
    assert len(sent_to(smtp, "alice@example.dk", 1)) == 1
    time.sleep(0.2)
    assert len(smtp.messages) == 1  # the unknown address got the null send: nothing left the server
