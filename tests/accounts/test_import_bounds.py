"""An import is bounded: every collection validated and capped, written in short
transactions that let other people's saves through, and rate-limited."""

import io
import json
import threading
from datetime import timedelta

import pytest

from diary.accounts.importing import MAX_IMPORT_ENTRIES, MAX_IMPORT_FEEDBACK
from diary.db import db, is_sqlite
from diary.models import TipFeedback
from tests.support.database import in_app

EDITED = "2026-02-01T10:00:00Z"


NO_CHECKINS = {"checkins_created": 0, "checkins_updated": 0, "checkins_skipped": 0}


def export(days=(), feedback=()):
    """An export file's JSON: one entry per date in days, and the given tip feedback rows."""
    return {
        "format": "baekkendagbog-export",
        "version": 1,
        "entries": [
            {"date": day.isoformat(), "pain": 3, "triggers": ["stairs"], "updated_at": EDITED} for day in days
        ],
        "tip_feedback": list(feedback),
    }


def days_before(today, count):
    return [today - timedelta(days=offset) for offset in range(1, count + 1)]


def stored_feedback(app):
    with in_app(app):
        return sorted((row.advice, row.kind) for row in TipFeedback.select())


def entry_count(client):
    return len(client.get("/api/v1/entries").get_json()["entries"])


def test_known_feedback_is_imported_and_advice_the_library_lacks_is_skipped_and_counted(
    client, alice, app, today
):
    body = export(
        days_before(today, 2),
        [
            {"advice": "stairs", "kind": "dismissed"},
            {"advice": "heat", "kind": "helpful"},
            {"advice": "heat", "kind": "helpful"},  # twice in the file: stored once
            {"advice": "an-item-since-removed", "kind": "helpful"},
        ],
    )
    response = client.post("/api/v1/import", json=body)
    assert response.status_code == 200
    assert response.get_json() == {
        "created": 2,
        "updated": 0,
        "skipped": 0,
        "feedback_added": 2,
        "feedback_unknown": 1,
        "checkins_created": 0,
        "checkins_updated": 0,
        "checkins_skipped": 0,
    }
    assert stored_feedback(app) == [("heat", "helpful"), ("stairs", "dismissed")]
    again = client.post("/api/v1/import", json=body).get_json()
    assert (
        again
        == {"created": 0, "updated": 0, "skipped": 2, "feedback_added": 0, "feedback_unknown": 1}
        | NO_CHECKINS
    )


@pytest.mark.parametrize(
    "row, field",
    [
        ({"advice": "../../etc/passwd", "kind": "dismissed"}, "tip_feedback[1].advice"),
        ({"advice": "Stairs", "kind": "dismissed"}, "tip_feedback[1].advice"),
        ({"advice": "x" * 65, "kind": "helpful"}, "tip_feedback[1].advice"),
        ({"advice": "", "kind": "helpful"}, "tip_feedback[1].advice"),
        ({"advice": 7, "kind": "helpful"}, "tip_feedback[1].advice"),
        ({"advice": "stairs", "kind": "loved"}, "tip_feedback[1].kind"),
        ({"advice": "stairs"}, "tip_feedback[1].kind"),
        ("stairs", "tip_feedback[1]"),
    ],
)
def test_malformed_tip_feedback_is_a_400_that_changes_nothing(client, alice, app, today, row, field):
    client.put(f"/api/v1/entries/{today}", json={"pain": 5})
    body = export(days_before(today, 3), [{"advice": "heat", "kind": "helpful"}, row])
    response = client.post("/api/v1/import", json=body)
    assert response.status_code == 400, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert entry_count(client) == 1 and stored_feedback(app) == []


@pytest.mark.parametrize(
    "feedback",
    ["many", {"advice": "heat"}, [{"advice": "heat", "kind": "helpful"}] * (MAX_IMPORT_FEEDBACK + 1)],
)
def test_tip_feedback_that_is_not_a_list_or_too_long_is_a_400_that_changes_nothing(
    client, alice, app, today, feedback
):
    body = export(days_before(today, 2))
    body["tip_feedback"] = feedback
    response = client.post("/api/v1/import", json=body)
    assert response.status_code == 400 and "tip_feedback" in response.get_json()["error"]["fields"]
    assert entry_count(client) == 0 and stored_feedback(app) == []


def test_more_days_than_three_years_hold_is_a_400_that_changes_nothing(client, alice, today):
    assert MAX_IMPORT_ENTRIES == 3 * 366
    body = export([today - timedelta(days=1)] * (MAX_IMPORT_ENTRIES + 1))
    response = client.post("/api/v1/import", json=body)
    assert response.status_code == 400 and "entries" in response.get_json()["error"]["fields"]
    assert entry_count(client) == 0


def test_a_day_twice_in_the_file_is_a_400_that_changes_nothing(client, alice, today):
    day = today - timedelta(days=4)
    body = export([today - timedelta(days=1), day, day])
    response = client.post("/api/v1/import", json=body)
    assert response.status_code == 400 and "entries[2].date" in response.get_json()["error"]["fields"]
    assert entry_count(client) == 0


def test_a_danish_diarist_is_told_in_danish_what_is_wrong_with_the_feedback(client, alice, today):
    body = export([], [{"advice": "../../etc/passwd", "kind": "helpful"}])
    response = client.post("/api/v1/import", json=body, headers={"Accept-Language": "da"})
    message = response.get_json()["error"]["fields"]["tip_feedback[0].advice"]
    assert response.status_code == 400 and message != "" and "advice" not in message


def test_the_settings_page_says_which_feedback_was_left_out(client, alice, today):
    client.post("/language", data={"language": "en"})
    content = json.dumps(export(days_before(today, 1), [{"advice": "gone-item", "kind": "helpful"}])).encode()
    response = client.post(
        "/settings/import",
        data={"file": (io.BytesIO(content), "export.json")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "New days: 1." in page
    assert "1 piece of feedback on a tip was left out" in page


def test_imports_are_rate_limited_per_account_across_the_api_and_the_settings_page(
    app, client, alice, bob_client, today
):
    app.config["IMPORT_RATE_LIMIT"] = "2 per minute"
    body = export(days_before(today, 1))
    assert client.post("/api/v1/import", json=body).status_code == 200
    upload = {"file": (io.BytesIO(json.dumps(body).encode()), "export.json")}
    assert client.post("/settings/import", data=upload, content_type="multipart/form-data").status_code == 302
    refused = client.post("/api/v1/import", json=body)
    assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "too_many_requests"
    upload = {"file": (io.BytesIO(json.dumps(body).encode()), "export.json")}
    assert client.post("/settings/import", data=upload, content_type="multipart/form-data").status_code == 429
    assert bob_client.post("/api/v1/import", json=body).status_code == 200  # another account: its own count


def test_the_import_rate_limit_is_a_setting_with_a_default(monkeypatch, tmp_path):
    from diary.config import DEFAULT_LIMITS, from_environment

    monkeypatch.delenv("IMPORT_RATE_LIMIT", raising=False)
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    assert from_environment(tmp_path)["IMPORT_RATE_LIMIT"] == DEFAULT_LIMITS["IMPORT_RATE_LIMIT"]
    monkeypatch.setenv("IMPORT_RATE_LIMIT", "1 per hour")
    assert from_environment(tmp_path)["IMPORT_RATE_LIMIT"] == "1 per hour"


#: Two years of days, the most a diary holds (older days are refused by validation).
LARGE_IMPORT_DAYS = 700
#: How long a save may wait for SQLite's write lock here before it fails ("database is
#: locked", a 500): the aim is about half a second; the app's own busy timeout is 5 s.
LOCK_WAIT_ALLOWED_MS = 1000


def test_another_users_saves_go_through_while_a_large_import_runs(app, client, alice, bob_client, today):
    if is_sqlite():
        with in_app(app):
            db.obj.pragma(
                "busy_timeout", LOCK_WAIT_ALLOWED_MS, permanent=True
            )  # every connection from now on
    body = export(days_before(today, LARGE_IMPORT_DAYS))
    answer = {}

    def import_it():
        answer["response"] = client.post("/api/v1/import", json=body)

    importer = threading.Thread(target=import_it)
    importer.start()
    statuses, number = [], 0
    while importer.is_alive() and number < 2000:
        number += 1
        response = bob_client.put(
            f"/api/v1/entries/{today - timedelta(days=number % 30)}",
            json={"pain": number % 11, "note": f"save {number}"},
        )
        statuses.append(response.status_code)
    importer.join(timeout=120)
    response = answer["response"]
    assert response.status_code == 200 and response.get_json()["created"] == LARGE_IMPORT_DAYS
    assert set(statuses) == {200}, statuses  # before the batches: 500, database is locked
    assert len(statuses) >= 5, "the import ended before the other user's saves could overlap it"


def test_the_api_description_names_every_import_count():
    from dataclasses import fields

    from diary.accounts.importing import ImportCounts
    from diary.api.schemas import IMPORT_COUNTS

    assert list(IMPORT_COUNTS) == [each.name for each in fields(ImportCounts)]
