"""The settings page opens at the form she used: its error summary, or its confirmation."""

import io
import re

import pytest

from tests.conftest import PASSWORD, csrf_token_of

# Each settings form: the section it sits in, and where it posts.
FORMS = {
    "profile": "/settings",
    "reminder": "/settings/reminder",
    "phone-numbers": "/settings/phone-numbers",
    "password": "/settings/password",
    "email": "/settings/email",
    "your-data": "/settings/import",
    "delete": "/settings/delete",
}


def section(page: str, section_id: str) -> str:
    """The HTML of the settings page's <section id=...>."""
    found = re.search(rf'<section[^>]*\bid="{section_id}"[^>]*>.*?</section>', page, re.S)
    assert found, f"no section {section_id}"
    return found.group(0)


def top_of(page: str) -> str:
    """The page above its first section: where page-wide messages are shown."""
    return page[: page.index("<section")]


def error_summary(html: str) -> str:
    found = re.search(r'<div class="error-summary"[^>]*>.*?</div>', html, re.S)
    assert found, "no error summary"
    return found.group(0)


@pytest.mark.parametrize("section_id, action", FORMS.items())
def test_it_posts_each_form_to_its_own_section(client, alice, section_id, action):
    """The fragment in the action opens the answer at the form, without JavaScript too."""
    page = client.get("/settings").get_data(as_text=True)
    assert f'action="{action}#{section_id}-outcome"' in section(page, section_id)


FAILURES = [
    pytest.param(
        "password",
        "/settings/password",
        {"password-current_password": "not my password", "password-new_password": "a brand new password"},
        "#password-current_password",
        "That is not your current password.",
        id="wrong current password",
    ),
    pytest.param(
        "delete",
        "/settings/delete",
        {"delete-current_password": "not my password"},
        "#delete-current_password",
        "That is not your password. Nothing was deleted.",
        id="wrong delete password",
    ),
    pytest.param(
        "email",
        "/settings/email",
        {"email-email": "new@example.dk", "email-current_password": "not my password"},
        "#email-current_password",
        "That is not your current password.",
        id="wrong password for a new email",
    ),
    pytest.param(
        "phone-numbers",
        "/settings/phone-numbers",
        {"phones-maternity_phone": "call me maybe", "phones-doctor_phone": ""},
        "#phones-maternity_phone",
        None,
        id="not a phone number",
    ),
    pytest.param(
        "profile",
        "/settings",
        {"profile-due_date": "soon", "profile-language": "en"},
        "#profile-due_date",
        None,
        id="not a date",
    ),
    pytest.param(
        "reminder",
        "/settings/reminder",
        {
            "reminder-enabled": "y",
            "reminder-time": "half past eight",
            "reminder-timezone": "Europe/Copenhagen",
        },
        "#reminder-time",
        "Use a time written HH:MM, such as 20:00.",
        id="not a reminder time",
    ),
]


@pytest.mark.parametrize("section_id, action, data, target, message", FAILURES)
def test_a_failed_form_shows_a_focusable_summary_in_its_own_section(
    client, alice, section_id, action, data, target, message
):
    client.post("/language", data={"language": "en"})
    response = client.post(action, data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    summary = error_summary(section(page, section_id))
    # The fragment the form posted to names the summary, which can take focus: the browser moves it there.
    assert (
        f'id="{section_id}-outcome"' in summary and 'tabindex="-1"' in summary and 'role="alert"' in summary
    )
    assert "That did not work. Please check:" in summary
    assert f'href="{target}"' in summary
    if message:
        assert message in summary
    assert page.count('class="error-summary"') == 1  # only the form she sent
    # The summary comes before the form it is about, where the fragment opens the page.
    form_html = section(page, section_id)
    assert form_html.index("error-summary") < form_html.index("<form")


def test_a_bad_import_file_is_summed_up_at_the_import_form(client, alice):
    client.post("/language", data={"language": "en"})
    response = client.post(
        "/settings/import",
        data={"file": (io.BytesIO(b"this is not json"), "export.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    html = section(response.get_data(as_text=True), "your-data")
    summary = error_summary(html)
    assert 'href="#import-file"' in summary
    assert "The file was not imported. Nothing in your diary was changed." in summary
    assert 'id="import-file-error"' in html  # the problems themselves, at the field


SUCCESSES = [
    pytest.param(
        "password",
        "/settings/password",
        {"password-current_password": PASSWORD, "password-new_password": "a brand new password"},
        "Your password is changed.",
        id="password changed",
    ),
    pytest.param(
        "phone-numbers",
        "/settings/phone-numbers",
        {"phones-maternity_phone": "", "phones-doctor_phone": ""},
        "Your phone numbers are removed.",
        id="numbers removed",
    ),
    pytest.param(
        "email",
        "/settings/email",
        {"email-email": "new@example.dk", "email-current_password": PASSWORD},
        "Your email is changed.",
        id="email changed",
    ),
    pytest.param(
        "reminder",
        "/settings/reminder",
        {"reminder-time": "20:00", "reminder-timezone": "Europe/Copenhagen"},
        "Your reminder is off.",
        id="reminder off",
    ),
]


@pytest.mark.parametrize("section_id, action, data, message", SUCCESSES)
def test_a_form_that_worked_opens_the_page_at_its_confirmation(
    client, alice, section_id, action, data, message
):
    client.post("/language", data={"language": "en"})
    response = client.post(action, data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/settings#{section_id}-outcome"
    page = client.get("/settings").get_data(as_text=True)
    html = section(page, section_id)
    notice = re.search(r'<p class="flash flash-success form-notice"[^>]*>(.*?)</p>', html, re.S)
    assert notice and message in notice.group(1)
    assert f'id="{section_id}-outcome"' in notice.group(0) and 'tabindex="-1"' in notice.group(0)
    assert message not in top_of(page)  # shown once, beside the form, not at the top
    assert message not in client.get("/settings").get_data(as_text=True)  # and only once


def test_a_reminder_this_phone_could_not_take_is_said_beside_the_reminder_form(client, alice):
    client.post("/language", data={"language": "en"})
    data = {
        "reminder-enabled": "y",
        "reminder-time": "20:30",
        "reminder-timezone": "Europe/Copenhagen",
        "reminder-push": "denied",
    }
    assert client.post("/settings/reminder", data=data).headers["Location"] == "/settings#reminder-outcome"
    page = client.get("/settings").get_data(as_text=True)
    html = section(page, "reminder")
    assert "Your reminder is on, every day at 20:30." in html
    assert "This phone does not allow notifications from the diary." in html
    assert "Your reminder is on" not in top_of(page) and "does not allow" not in top_of(page)


def test_a_message_for_no_section_still_shows_at_the_top(client, alice):
    client.post("/language", data={"language": "en"})
    client.post("/tips/stairs/feedback", data={"kind": "helpful", "next": "/settings"})
    page = client.get("/settings").get_data(as_text=True)
    assert "We noted that the tip helped." in top_of(page)


def test_it_confirms_a_language_change_in_the_new_language(csrf_app, client):
    """She switches to English from Danish: the confirmation is in English, as is the page."""
    client.post(
        "/register",
        data={
            "email": "alice@example.dk",
            "password": PASSWORD,
            "csrf_token": csrf_token_of(client, "/register"),
        },
    )
    data = {"profile-due_date": "", "profile-language": "en", "profile-csrf_token": csrf_token_of(client)}
    assert client.post("/settings", data=data).headers["Location"] == "/settings#profile-outcome"
    page = client.get("/settings").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Your settings are saved." in section(page, "profile")

    data["profile-language"] = "da"
    client.post("/settings", data=data)
    page = client.get("/settings").get_data(as_text=True)
    assert "Dine indstillinger er gemt." in section(page, "profile")
