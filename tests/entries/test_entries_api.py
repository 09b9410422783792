"""The entries API of API.md: every rule, as Alice, Bob and an anonymous caller see it."""

from datetime import timedelta

import pytest

from tests.conftest import csrf_token_of
from tests.support.database import row_count
from tests.support.entries import SAMPLE_ENTRY

BODY = SAMPLE_ENTRY


def put(client, day, body, **kwargs):
    return client.put(f"/api/v1/entries/{day}", json=body, **kwargs)


def test_it_creates_and_returns_an_entry_in_the_documented_shape(client, alice, today):
    response = put(client, today, BODY | {"updated_at": "2026-01-01T10:00:00Z"})
    assert response.status_code == 200
    entry = response.get_json()
    assert list(entry) == [
        "date",
        "pain",
        "locations",
        "sensations",
        "triggers",
        "night_wakings",
        "relief",
        "note",
        "updated_at",
    ]
    assert entry == BODY | {"date": today.isoformat(), "updated_at": "2026-01-01T10:00:00Z"}
    assert client.get(f"/api/v1/entries/{today}").get_json() == entry


def test_it_stamps_an_edit_without_updated_at_with_the_server_time(client, alice, today):
    entry = put(client, today, {"pain": 2}).get_json()
    assert entry["updated_at"].endswith("Z") and entry["updated_at"][:4] == str(today.year)


def test_putting_the_same_body_twice_leaves_one_entry(app, client, alice, today):
    body = BODY | {"updated_at": "2026-01-01T10:00:00.250Z"}
    first = put(client, today, body)
    second = put(client, today, body)
    assert first.status_code == second.status_code == 200
    assert first.get_json() == second.get_json()
    assert row_count(app) == (1, 6)


def test_it_replaces_the_whole_entry(client, alice, today):
    put(client, today, BODY)
    entry = put(client, today, {"pain": 1, "relief": ["heat"]}).get_json()
    assert entry["locations"] == [] and entry["triggers"] == [] and entry["relief"] == ["heat"]
    assert entry["pain"] == 1


def test_it_accepts_a_date_in_the_body_that_matches(client, alice, today):
    assert put(client, today, {"pain": 1, "date": today.isoformat()}).status_code == 200


@pytest.mark.parametrize(
    "change, field",
    [
        ({"pain": 11}, "pain"),
        ({"pain": -1}, "pain"),
        ({"pain": 5.5}, "pain"),
        ({"pain": "5"}, "pain"),
        ({"triggers": ["skiing"]}, "triggers"),
        ({"locations": ["knee"]}, "locations"),
        ({"note": "x" * 2001}, "note"),
        ({"night_wakings": 21}, "night_wakings"),
        ({"mood": "fine"}, "mood"),
        ({"updated_at": "not a time"}, "updated_at"),
    ],
)
def test_bad_input_gets_a_400_naming_the_field_and_changes_nothing(app, client, alice, today, change, field):
    put(client, today, BODY | {"updated_at": "2026-01-01T10:00:00Z"})
    before = client.get(f"/api/v1/entries/{today}").get_json()
    response = put(client, today, BODY | change)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and field in error["fields"] and error["message"]
    assert client.get(f"/api/v1/entries/{today}").get_json() == before
    assert row_count(app) == (1, 6)


def test_a_future_date_is_refused_and_nothing_is_stored(app, client, alice, today):
    response = put(client, today + timedelta(days=1), BODY)
    assert response.status_code == 400
    assert "date" in response.get_json()["error"]["fields"]
    assert row_count(app) == (0, 0)


def test_errors_are_translated_for_a_danish_user(client, alice, today):
    error = put(client, today, {"pain": 11}, headers={"Accept-Language": "da"}).get_json()["error"]
    english = put(client, today, {"pain": 11}, headers={"Accept-Language": "en"}).get_json()["error"]
    # Alice registered with the default language, Danish; her setting wins over the header.
    assert error["fields"]["pain"] == english["fields"]["pain"]
    assert error["fields"]["pain"] != "Pain must be a whole number from 0 to 10."


def test_a_stale_edit_gets_409_with_the_stored_entry_and_changes_nothing(client, alice, today):
    newer = put(client, today, BODY | {"updated_at": "2026-01-02T10:00:00Z"}).get_json()
    response = put(client, today, {"pain": 1, "updated_at": "2026-01-01T10:00:00Z"})
    assert response.status_code == 409
    body = response.get_json()
    assert body["error"]["code"] == "conflict"
    assert body["entry"] == newer
    assert client.get(f"/api/v1/entries/{today}").get_json() == newer


def test_a_newer_edit_replaces_an_older_one(client, alice, today):
    put(client, today, BODY | {"updated_at": "2026-01-01T10:00:00Z"})
    response = put(client, today, {"pain": 1, "updated_at": "2026-01-01T10:00:00.001Z"})
    assert response.status_code == 200 and response.get_json()["pain"] == 1


def test_it_lists_entries_in_a_range_oldest_first(client, alice, today):
    for offset in (0, 3, 1, 10):
        put(client, today - timedelta(days=offset), {"pain": offset})
    listed = client.get(f"/api/v1/entries?from={today - timedelta(days=3)}&to={today}").get_json()["entries"]
    assert [entry["pain"] for entry in listed] == [3, 1, 0]
    assert len(client.get("/api/v1/entries").get_json()["entries"]) == 4


@pytest.mark.parametrize("query", ["from=yesterday", "to=2026-02-30", "from=2026-11-10&to=2026-11-01"])
def test_a_bad_range_is_a_400(client, alice, query):
    response = client.get(f"/api/v1/entries?{query}")
    assert response.status_code == 400 and response.get_json()["error"]["fields"]


def test_delete_removes_the_entry_and_its_codes(app, client, alice, today):
    put(client, today, BODY)
    assert client.delete(f"/api/v1/entries/{today}").status_code == 204
    assert client.get(f"/api/v1/entries/{today}").status_code == 404
    assert client.delete(f"/api/v1/entries/{today}").status_code == 404
    assert row_count(app) == (0, 0)


def test_a_missing_day_is_a_json_404(client, alice, today):
    response = client.get(f"/api/v1/entries/{today}")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("path", ["/api/v1/entries/2026-02-30", "/api/v1/entries/today", "/api/v1/nothing"])
def test_unknown_addresses_under_the_api_are_json_404s(client, alice, path):
    response = client.get(path)
    assert response.status_code == 404 and response.is_json


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/v1/entries"),
        ("get", "/api/v1/entries/2026-11-01"),
        ("put", "/api/v1/entries/2026-11-01"),
        ("delete", "/api/v1/entries/2026-11-01"),
    ],
)
def test_anonymous_calls_get_a_json_401_not_a_redirect(client, method, path):
    response = getattr(client, method)(path, json={"pain": 1})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_bob_cannot_see_change_or_delete_alices_entries(app, client, alice, bob_client, today):
    put(client, today, BODY | {"updated_at": "2026-01-01T10:00:00Z"})
    assert bob_client.get(f"/api/v1/entries/{today}").status_code == 404
    assert bob_client.get("/api/v1/entries").get_json() == {"entries": []}
    assert bob_client.delete(f"/api/v1/entries/{today}").status_code == 404
    assert put(bob_client, today, {"pain": 0}).status_code == 200  # Bob's own day, not Alice's
    assert client.get(f"/api/v1/entries/{today}").get_json()["pain"] == 6
    assert bob_client.get(f"/api/v1/entries/{today}").get_json()["pain"] == 0


def test_it_refuses_a_body_that_is_not_json(client, alice, today):
    response = client.put(
        f"/api/v1/entries/{today}", data="pain=5", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400 and response.is_json


def test_it_refuses_malformed_json(client, alice, today):
    response = client.put(f"/api/v1/entries/{today}", data="{pain: 5", content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"]["message"]


def test_an_oversized_body_is_a_413(client, alice, today):
    response = client.put(
        f"/api/v1/entries/{today}", data='{"note": "' + "x" * 300_000 + '"}', content_type="application/json"
    )
    assert response.status_code == 413 and response.is_json


class TestCsrf:
    @pytest.mark.parametrize(
        "method, path",
        [
            ("put", "/api/v1/entries/2026-11-01"),
            ("delete", "/api/v1/entries/2026-11-01"),
            ("post", "/api/v1/import"),
            ("post", "/api/v1/shares"),
            ("delete", "/api/v1/shares/1"),
            ("post", "/api/v1/tips/stairs/feedback"),
        ],
    )
    def test_an_anonymous_write_gets_the_json_401_not_the_csrf_400(self, app, csrf_app, client, method, path):
        response = getattr(client, method)(path, json={"pain": 1})
        assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
        assert row_count(app) == (0, 0)

    def test_a_json_write_without_the_csrf_header_is_refused_and_changes_nothing(
        self, app, client, alice, csrf_app, today
    ):
        response = put(client, today, BODY)
        assert response.status_code in (400, 403)
        assert response.get_json()["error"]["code"] == "csrf"
        assert row_count(app) == (0, 0)

    def test_a_json_write_with_the_pages_token_is_accepted(self, csrf_app, client, today):
        token = csrf_token_of(client, "/register")
        client.post(
            "/register", data={"email": "carol@example.dk", "password": "long enough pw", "csrf_token": token}
        )
        token = csrf_token_of(client, "/")
        assert put(client, today, BODY, headers={"X-CSRFToken": token}).status_code == 200
        assert client.delete(f"/api/v1/entries/{today}").status_code == 400
        assert client.delete(f"/api/v1/entries/{today}", headers={"X-CSRFToken": token}).status_code == 204
