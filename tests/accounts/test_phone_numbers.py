"""Her own numbers: checked and stored in E.164, one tap on the warning signs, exported,
imported, deleted with her, and a bad number changes nothing."""

import re
from datetime import timedelta

import pytest

from diary.accounts.phone_numbers import InvalidPhoneNumber, for_display, normalise, own_numbers_in_call_order
from diary.db import db
from diary.models import MODELS, User
from diary.ops.migrations import LATEST, current_version, migrate, v1_models
from tests.advice.test_warning_signs import call_box
from tests.conftest import PASSWORD, csrf_token_of
from tests.support.database import in_app


@pytest.mark.parametrize(
    "written, stored",
    [
        ("33 12 34 56", "+4533123456"),
        ("33123456", "+4533123456"),
        ("+45 33 12 34 56", "+4533123456"),
        ("0045 3312 3456", "+4533123456"),
        ("  70 11 31 31 ", "+4570113131"),
        ("+46 8 123 456 78", "+46812345678"),
        ("+1 202-555-0143", "+12025550143"),
        ("", None),
        ("   ", None),
    ],
)
def test_it_accepts_danish_and_international_numbers_and_stores_e164(written, stored):
    assert normalise(written) == stored


@pytest.mark.parametrize(
    "written",
    [
        "3312345",
        "331234567",
        "12345678",
        "1813",
        "33 12 34 5x",
        "tel:33123456",
        "+45",
        "+999 1234 5678",
        "33 12 34 56; 22",
        "=33123456",
        "3" * 31,
        "<script>",
        "+45 +45 33 12 34 56",
    ],
)
def test_it_refuses_what_a_phone_cannot_call(written):
    with pytest.raises(InvalidPhoneNumber):
        normalise(written)


def test_a_stored_number_is_shown_as_she_would_write_it():
    assert for_display("+4533123456") == "33 12 34 56"
    assert for_display("+46812345678") == "+46 8 123 456 78"


@pytest.mark.parametrize(
    "after_birth, weeks, first",
    [
        (False, 28, "maternity"),
        (False, 20, "maternity"),
        (False, 19, "doctor"),
        (True, None, "doctor"),
        (False, None, "maternity"),
    ],
)
def test_the_number_for_her_stage_comes_first(after_birth, weeks, first):
    calls = own_numbers_in_call_order("+4533123456", "+4570113131", after_birth, weeks)
    assert [kind for kind, _ in calls][0] == first and len(calls) == 2


def test_only_saved_numbers_are_offered():
    assert own_numbers_in_call_order(None, "+4570113131", False, 30) == [("doctor", "+4570113131")]
    assert own_numbers_in_call_order(None, None, True, None) == []


def save(client, maternity="", doctor=""):
    return client.post(
        "/settings/phone-numbers", data={"phones-maternity_phone": maternity, "phones-doctor_phone": doctor}
    )


def stored(app, email="alice@example.dk"):
    with in_app(app):
        user = User.by_email(email)
        return user.maternity_phone, user.doctor_phone


def test_the_settings_page_has_the_numbers_form_with_labels_and_phone_keyboards(client, alice):
    page = client.get("/settings").get_data(as_text=True)
    for name in ("maternity_phone", "doctor_phone"):
        assert f'<label class="field-label" for="phones-{name}">' in page
        assert re.search(
            rf'<input[^>]*id="phones-{name}"[^>]*type="tel"|<input[^>]*type="tel"[^>]*id="phones-{name}"',
            page,
        )
    assert 'action="/settings/phone-numbers#phone-numbers-outcome"' in page


def test_saved_numbers_are_stored_in_e164_and_shown_back_as_written(app, client, alice):
    response = save(client, "35 45 12 34", "+45 70 11 31 31")
    assert response.status_code == 302 and response.headers["Location"].endswith("/advice/warning-signs#main")
    assert stored(app) == ("+4535451234", "+4570113131")
    page = client.get("/settings").get_data(as_text=True)
    assert 'value="35 45 12 34"' in page and 'value="70 11 31 31"' in page


def test_a_user_with_saved_numbers_gets_one_tap_calls_in_the_call_box_and_at_the_end(
    app, client, alice, today
):
    save(client, "35 45 12 34", "70 11 31 31")
    page = client.get("/advice/warning-signs").get_data(as_text=True)  # Alice is in week 28
    box = call_box(page)
    maternity = box.index('href="tel:+4535451234"')
    assert maternity < box.index('href="tel:+4570113131"') < box.index('href="tel:112"')
    assert "Ring til fødemodtagelsen" in box and "Ring til lægen" in box and "35 45 12 34" in box
    assert page.count('href="tel:+4535451234"') == 2  # once more under "Ring nu" at the end of the signs
    assert "Skift dine numre" in box


def test_after_birth_the_doctor_is_offered_first(app, client, alice, today):
    born = (today - timedelta(days=3)).isoformat()
    client.post(
        "/settings", data={"profile-due_date": born, "profile-birth_date": born, "profile-language": "en"}
    )
    save(client, "35 45 12 34", "70 11 31 31")
    box = call_box(client.get("/advice/warning-signs").get_data(as_text=True))
    assert box.index('href="tel:+4570113131"') < box.index('href="tel:+4535451234"')
    assert "Call your doctor" in box


def test_another_users_numbers_are_never_shown(client, alice, bob_client):
    save(client, "35 45 12 34", "70 11 31 31")
    page = bob_client.get("/advice/warning-signs").get_data(as_text=True)
    assert "+4535451234" not in page and "35 45 12 34" not in page


@pytest.mark.parametrize(
    "maternity, doctor", [("1234", "70 11 31 31"), ("35 45 12 34", "call me"), ("x" * 40, "")]
)
def test_a_bad_number_is_a_translated_400_that_changes_nothing(app, client, alice, maternity, doctor):
    save(client, "33 12 34 56", "22 33 44 55")
    response = save(client, maternity, doctor)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Skriv et dansk nummer med 8 cifre" in page and 'aria-invalid="true"' in page
    assert f'value="{doctor}"' in page or not doctor  # shown back as she wrote it, to correct
    assert stored(app) == ("+4533123456", "+4522334455")


def test_emptying_both_fields_removes_the_numbers(app, client, alice):
    save(client, "33 12 34 56", "22 33 44 55")
    response = save(client)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/settings#phone-numbers-outcome"
    )
    assert stored(app) == (None, None)
    assert 'href="tel:+45' not in client.get("/advice/warning-signs").get_data(as_text=True)


def test_saving_numbers_needs_the_csrf_token(csrf_app, client, app):
    client.post(
        "/register",
        data={
            "email": "carol@example.dk",
            "password": PASSWORD,
            "csrf_token": csrf_token_of(client, "/register"),
        },
    )
    response = client.post("/settings/phone-numbers", data={"phones-maternity_phone": "33 12 34 56"})
    assert response.status_code == 400
    assert stored(app, "carol@example.dk") == (None, None)
    token = csrf_token_of(client)
    response = client.post(
        "/settings/phone-numbers", data={"phones-maternity_phone": "33 12 34 56", "phones-csrf_token": token}
    )
    assert response.status_code == 302 and stored(app, "carol@example.dk") == ("+4533123456", None)


def test_saving_numbers_needs_a_login(client):
    response = save(client, "33 12 34 56")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_numbers_are_in_the_export_and_import_into_another_diary(app, client, alice, bob_client):
    save(client, "35 45 12 34", "+46 8 123 456 78")
    export = client.get("/api/v1/export").get_json()
    assert export["profile"]["maternity_phone"] == "+4535451234"
    assert export["profile"]["doctor_phone"] == "+46812345678"
    assert bob_client.post("/api/v1/import", json=export).status_code == 200
    assert stored(app, "bob@example.dk") == ("+4535451234", "+46812345678")


def test_an_import_fills_in_missing_numbers_but_keeps_the_ones_she_saved(app, client, alice):
    save(client, "", "70 11 31 31")
    export = {
        "format": "baekkendagbog-export",
        "version": 1,
        "entries": [],
        "profile": {"maternity_phone": "+45 35 45 12 34", "doctor_phone": "+4522334455"},
    }
    assert client.post("/api/v1/import", json=export).status_code == 200
    assert stored(app) == ("+4535451234", "+4570113131")


@pytest.mark.parametrize("bad", ["1234", 33123456, ["+4533123456"], "javascript:alert(1)"])
def test_an_import_with_a_bad_number_is_a_400_and_imports_nothing(app, client, alice, today, bad):
    export = {
        "format": "baekkendagbog-export",
        "version": 1,
        "profile": {"maternity_phone": bad},
        "entries": [
            {"date": (today - timedelta(days=1)).isoformat(), "pain": 3, "updated_at": "2026-02-01T10:00:00Z"}
        ],
    }
    response = client.post("/api/v1/import", json=export)
    assert response.status_code == 400
    assert "profile.maternity_phone" in response.get_json()["error"]["fields"]
    assert client.get("/api/v1/entries").get_json()["entries"] == []
    assert stored(app) == (None, None)


def test_the_numbers_are_deleted_with_her(app, client, alice):
    save(client, "35 45 12 34", "70 11 31 31")
    assert client.post("/settings/delete", data={"delete-current_password": PASSWORD}).status_code == 200
    with in_app(app):
        assert (
            not User.select()
            .where((User.maternity_phone == "+4535451234") | (User.doctor_phone == "+4570113131"))
            .exists()
        )


def test_an_older_database_gains_the_two_empty_number_columns(app):
    with in_app(app):
        from diary.ops.migrations import SchemaVersion

        db.drop_tables([*MODELS, SchemaVersion], safe=True)
        v1_users, v1_entries, v1_codes = v1_models()
        db.create_tables([v1_users, v1_entries, v1_codes])
        v1_users.create(
            email="old@example.dk", password_hash="h", session_token="t", created_at="2026-01-01 10:00:00"
        )
        assert migrate() == (1, LATEST) and current_version() == LATEST
        old = User.by_email("old@example.dk")
        assert (old.maternity_phone, old.doctor_phone) == (None, None)
        old.maternity_phone = "+4533123456"
        old.save(only=[User.maternity_phone])
        assert User.by_email("old@example.dk").maternity_phone == "+4533123456"


def test_the_privacy_page_says_the_numbers_are_stored_and_never_in_reports(client):
    page = client.get("/privacy", headers={"Accept-Language": "da"}).get_data(as_text=True)
    assert "Telefonnumre til din fødemodtagelse og din egen læge" in page and "aldrig i en rapport" in page


def test_a_report_never_shows_her_numbers(client, alice, today):
    save(client, "35 45 12 34", "70 11 31 31")
    client.put(f"/api/v1/entries/{today}", json={"pain": 4})
    link = client.post("/api/v1/shares", json={}).get_json()["url"]
    report = client.get(link.split("localhost", 1)[-1]).get_data(as_text=True)
    assert "Bækkendagbog" in report
    assert "35 45 12 34" not in report and "4535451234" not in report and "70 11 31 31" not in report
