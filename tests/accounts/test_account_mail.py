"""What the account sends by email and why: /forgot does the same work for every address,
a new email address is confirmed by a link sent to it and announced to the old one, and a
password change or reset is announced."""

import re
import time

import pytest

from diary.db import db
from diary.models import User
from tests.accounts.test_account import Inbox, smtp, smtp_server  # noqa: F401 (smtp is a fixture)
from tests.conftest import PASSWORD, Auth
from tests.support.database import in_app


def user(app, email="alice@example.dk"):
    with in_app(app):
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


def test_forgot_runs_the_same_expensive_steps_for_known_and_unknown_addresses(
    app, client, auth, smtp, monkeypatch
):
    import diary.accounts.mail
    import diary.accounts.resets

    auth.register()
    auth.logout()
    steps = []

    def spy(module, name):
        real = getattr(module, name)

        def recorded(*args, **kwargs):
            steps.append(name)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, recorded)

    spy(diary.accounts.resets.secrets, "token_urlsafe")
    spy(diary.accounts.resets, "token_hash")
    spy(diary.accounts.resets, "external_url")
    spy(diary.accounts.mail, "render_template")
    spy(diary.accounts.resets, "queue_mail")
    spy(diary.accounts.mail.threading.Thread, "start")

    walks = {}
    for email in ("alice@example.dk", "nobody@example.dk"):
        steps.clear()
        assert client.post("/forgot", data={"email": email}).status_code == 200
        walks[email] = list(steps)
    assert walks["alice@example.dk"] == walks["nobody@example.dk"]
    assert {"token_urlsafe", "token_hash", "render_template", "queue_mail", "start"} <= set(
        walks["nobody@example.dk"]
    )
    assert len(sent_to(smtp, "alice@example.dk", 1)) == 1
    time.sleep(0.2)
    assert len(smtp.messages) == 1  # the unknown address got the null send: nothing left the server


# --- a password change or reset is announced -------------------------------------------------------


def test_a_password_change_is_announced_by_email_in_her_language(app, client, alice, smtp):
    client.post("/language", data={"language": "en"})
    response = client.post(
        "/settings/password",
        data={"password-current_password": PASSWORD, "password-new_password": "a brand new passphrase"},
    )
    assert response.status_code == 302
    message = body_of(sent_to(smtp, "alice@example.dk", 1)[0])
    assert "Your Bækkendagbog password was changed" in message or "password was changed" in message
    assert "http://localhost/forgot" in message  # what to do if it was not her
    assert "a brand new passphrase" not in message


def test_a_reset_is_announced_and_refuses_a_password_with_her_email(app, client, auth, smtp):
    auth.register()
    auth.logout()
    assert client.post("/forgot", data={"email": "alice@example.dk"}).status_code == 200
    link = re.search(
        r"http://localhost(/reset/[A-Za-z0-9_-]+)", body_of(sent_to(smtp, "alice@example.dk", 1)[0])
    ).group(1)
    assert client.post(link, data={"new_password": "alice@example.dk!!"}).status_code == 400
    assert client.post(link, data={"new_password": "a fresh new password"}).status_code == 302
    notices = sent_to(smtp, "alice@example.dk", 2)
    assert len(notices) == 2 and "/reset/" not in body_of(notices[1])


def test_without_mail_a_password_change_sends_nothing_and_still_works(app, client, alice, auth):
    response = client.post(
        "/settings/password",
        data={"password-current_password": PASSWORD, "password-new_password": "a brand new passphrase"},
    )
    assert response.status_code == 302
    auth.logout()
    assert auth.login(password="a brand new passphrase").status_code == 302


# --- a new email address is confirmed by a link sent to it -------------------------------------------


def ask_for(client, new="new@example.dk"):
    return client.post("/settings/email", data={"email-email": new, "email-current_password": PASSWORD})


def confirm_link(inbox, new="new@example.dk"):
    body = body_of(sent_to(inbox, new, 1)[-1])
    return re.search(r"http://localhost(/settings/email/confirm/[A-Za-z0-9_.-]+)", body).group(1)


def test_a_new_email_takes_effect_only_through_the_link_sent_to_it(app, client, alice, smtp):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = ask_for(client, "New@Example.dk")
    assert response.status_code == 302
    assert "new@example.dk" in client.get("/settings").get_data(as_text=True)  # the flash says where it went
    assert user(app).email == "alice@example.dk"
    link = confirm_link(smtp)
    assert sent_to(smtp, "alice@example.dk", 0, timeout=0.2) == []  # nothing to the old address yet

    mail_app = app.test_client()  # her mail app's browser: not logged in
    page = mail_app.get(link)
    assert page.status_code == 200 and "new@example.dk" in page.get_data(as_text=True)
    assert user(app).email == "alice@example.dk"  # opening it (or a mail scanner's fetch) changes nothing

    assert mail_app.post(link).status_code == 200
    assert user(app) is None and user(app, "new@example.dk") is not None
    notice = body_of(sent_to(smtp, "alice@example.dk", 1)[0])
    assert "new@example.dk" in notice and "/settings/email/confirm/" not in notice
    assert mail_app.post(link).status_code == 410  # single use
    assert Auth(mail_app).login("new@example.dk").status_code == 302


def test_confirming_ends_her_other_sessions_and_keeps_this_one(app, client, alice, smtp):
    other_phone = app.test_client()
    Auth(other_phone).login(remember=True)
    assert ask_for(client).status_code == 302
    assert client.post(confirm_link(smtp)).status_code == 200
    assert client.get("/history").status_code == 200  # the device that confirmed, logged in as her, stays
    other_phone.delete_cookie("session")  # only the remember cookie left
    assert other_phone.get("/history").status_code == 302


def test_a_confirm_link_lives_24_hours(app, client, alice, smtp, monkeypatch):
    assert ask_for(client).status_code == 302
    link = confirm_link(smtp)
    import itsdangerous.timed

    real = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real() + 23 * 3600)
    assert app.test_client().get(link).status_code == 200
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real() + 25 * 3600)
    assert app.test_client().post(link).status_code == 410
    assert user(app).email == "alice@example.dk"


def test_a_tampered_or_made_up_link_changes_nothing(app, client, alice, smtp):
    assert ask_for(client).status_code == 302
    link = confirm_link(smtp)
    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    for path in (tampered, "/settings/email/confirm/" + "x" * 60):
        assert app.test_client().post(path).status_code == 410
    assert user(app).email == "alice@example.dk"


def test_an_address_taken_before_the_link_is_opened_is_refused(app, client, alice, smtp):
    assert ask_for(client).status_code == 302
    link = confirm_link(smtp)
    Auth(app.test_client()).register("new@example.dk")
    response = app.test_client().post(link)
    assert response.status_code == 409
    assert user(app).email == "alice@example.dk"


def test_an_email_change_link_ends_when_her_email_changes_otherwise(app, client, alice, smtp):
    assert ask_for(client, "first@example.dk").status_code == 302
    first = confirm_link(smtp, "first@example.dk")
    assert ask_for(client, "second@example.dk").status_code == 302
    assert client.post(confirm_link(smtp, "second@example.dk")).status_code == 200
    assert client.post(first).status_code == 410  # made for alice@example.dk, which is no longer hers
    assert user(app, "second@example.dk") is not None


def test_asking_for_an_email_change_is_rate_limited(app, client, alice, smtp):
    app.config["RESET_RATE_LIMIT"] = "2 per minute"
    statuses = [ask_for(client, f"n{number}@example.dk").status_code for number in range(3)]
    assert statuses == [302, 302, 429]


def test_without_mail_the_change_is_at_once_and_ends_other_sessions(app, client, alice):
    other_phone = app.test_client()
    Auth(other_phone).login(remember=True)
    assert ask_for(client).status_code == 302
    assert user(app, "new@example.dk") is not None
    assert client.get("/history").status_code == 200
    other_phone.delete_cookie("session")
    assert other_phone.get("/history").status_code == 302


@pytest.mark.parametrize(
    "language, says", [("en", "open this link within 24 hours"), ("da", "inden for 24 timer")]
)
def test_the_confirm_mail_speaks_her_language(app, client, alice, smtp, language, says):
    client.post("/language", data={"language": language})
    assert ask_for(client).status_code == 302
    assert says in body_of(sent_to(smtp, "new@example.dk", 1)[0])


def test_two_confirmations_with_one_link_change_and_announce_once(app, client, alice, smtp):
    from diary.accounts.email_change import apply_email_change

    assert ask_for(client).status_code == 302
    with app.test_request_context("/"), db.connection_context():
        stale = User.by_email("alice@example.dk")  # both requests read her before either wrote
        assert apply_email_change(User.by_email("alice@example.dk"), "new@example.dk")
        assert apply_email_change(stale, "new@example.dk")
    assert len(sent_to(smtp, "alice@example.dk", 1)) == 1
    time.sleep(0.3)
    assert len(sent_to(smtp, "alice@example.dk", 1, timeout=0)) == 1


def test_confirming_needs_the_pages_csrf_token(app, client, alice, smtp):
    assert ask_for(client).status_code == 302
    link = confirm_link(smtp)
    app.config["WTF_CSRF_ENABLED"] = True
    browser = app.test_client()
    assert browser.post(link).status_code == 400 and user(app) is not None
    page = browser.get(link).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert browser.post(link, data={"csrf_token": token}).status_code == 200
    assert user(app, "new@example.dk") is not None


def test_the_settings_page_says_how_an_email_change_works(app, client, alice, smtp):
    page = client.get("/settings").get_data(as_text=True)
    assert "Vi sender et link til den nye adresse" in page


def test_without_mail_the_settings_page_says_the_change_is_at_once(client, alice):
    page = client.get("/settings").get_data(as_text=True)
    assert "Din e-mail skifter med det samme" in page and "Vi sender et link" not in page
