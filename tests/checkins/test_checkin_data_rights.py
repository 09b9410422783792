"""Her weekly checks are hers: in the JSON export, brought back by an import (checked whole
first, bounded, the newer edit winning), and gone with her account."""

import io
import json
from datetime import timedelta

import pytest

from diary.accounts.importing import MAX_IMPORT_CHECKINS
from diary.checkins.questionnaires import function_check
from diary.models import Checkin, Entry
from diary.summary.weeks import week_name, week_of
from tests.conftest import PASSWORD
from tests.support.database import in_app

ITEMS = function_check().item_ids
EDITED = "2026-02-01T10:00:00Z"


def counts(app):
    with in_app(app):
        return Checkin.select().count(), Entry.select().count()


def checkin(week, value=1, leg_raise=None, updated_at=EDITED):
    return {
        "week": week,
        "answers": dict.fromkeys(ITEMS, value),
        "leg_raise": leg_raise,
        "updated_at": updated_at,
    }


def test_the_export_holds_every_check_in_the_apis_shape(client, alice, today):
    week = week_name(week_of(today))
    stored = client.put(f"/api/v1/checkins/{week}", json=checkin(week, 2, {"left": 1, "right": 2})).get_json()
    export = client.get("/api/v1/export").get_json()
    assert export["checkins"] == [stored]


def test_an_export_brings_the_checks_into_another_diary_and_again_skips_them(
    client, alice, bob_client, today
):
    for back in range(3):
        week = week_name(week_of(today) - timedelta(weeks=back))
        client.put(f"/api/v1/checkins/{week}", json=checkin(week, back, {"left": back, "right": 1}))
    export = client.get("/api/v1/export").get_json()
    first = bob_client.post("/api/v1/import", json=export).get_json()
    assert (first["checkins_created"], first["checkins_updated"], first["checkins_skipped"]) == (3, 0, 0)
    assert bob_client.get("/api/v1/export").get_json()["checkins"] == export["checkins"]
    again = bob_client.post("/api/v1/import", json=export).get_json()
    assert (again["checkins_created"], again["checkins_updated"], again["checkins_skipped"]) == (0, 0, 3)


def test_the_newer_edit_of_a_week_wins(client, alice, today):
    week = week_name(week_of(today))
    client.put(f"/api/v1/checkins/{week}", json=checkin(week, 1, updated_at="2026-02-01T10:00:00Z"))
    base = {"format": "baekkendagbog-export", "version": 1, "entries": []}
    older = client.post(
        "/api/v1/import", json=base | {"checkins": [checkin(week, 3, updated_at="2026-01-01T10:00:00Z")]}
    )
    assert older.get_json()["checkins_skipped"] == 1
    newer = client.post(
        "/api/v1/import", json=base | {"checkins": [checkin(week, 3, updated_at="2026-03-01T10:00:00Z")]}
    )
    assert newer.get_json()["checkins_updated"] == 1
    assert client.get(f"/api/v1/checkins/{week}").get_json()["function_score"] == 100


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"week": "2026-W99"}, "checkins[0].week"),
        ({"answers": {"walking": 7}}, "checkins[0].answers.walking"),
        ({"leg_raise": {"left": 9, "right": 0}}, "checkins[0].leg_raise"),
        ({"updated_at": None}, "checkins[0].updated_at"),
        ({"colour": "blue"}, "checkins[0].colour"),
    ],
)
def test_a_bad_check_in_a_file_is_a_400_and_nothing_is_imported(client, alice, app, today, bad, field):
    week = week_name(week_of(today))
    body = {
        "format": "baekkendagbog-export",
        "version": 1,
        "entries": [{"date": today.isoformat(), "pain": 3, "updated_at": EDITED}],
        "checkins": [checkin(week) | bad],
    }
    response = client.post("/api/v1/import", json=body)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]
    assert counts(app) == (0, 0)


def test_a_week_twice_in_a_file_is_refused(client, alice, app, today):
    week = week_name(week_of(today))
    body = {
        "format": "baekkendagbog-export",
        "version": 1,
        "entries": [],
        "checkins": [checkin(week), checkin(week)],
    }
    response = client.post("/api/v1/import", json=body)
    assert response.status_code == 400 and "checkins[1].week" in response.get_json()["error"]["fields"]


def test_more_checks_than_three_years_of_weeks_are_refused(client, alice, app, today):
    week = week_name(week_of(today))
    body = {
        "format": "baekkendagbog-export",
        "version": 1,
        "entries": [],
        "checkins": [checkin(week)] * (MAX_IMPORT_CHECKINS + 1),
    }
    response = client.post("/api/v1/import", json=body)
    assert response.status_code == 400 and "checkins" in response.get_json()["error"]["fields"]
    assert counts(app) == (0, 0)


def test_deleting_the_account_deletes_her_checks_and_no_one_elses(client, alice, bob_client, app, today):
    week = week_name(week_of(today))
    client.put(f"/api/v1/checkins/{week}", json=checkin(week))
    bob_client.put(f"/api/v1/checkins/{week}", json=checkin(week))
    assert client.post("/settings/delete", data={"delete-current_password": PASSWORD}).status_code == 200
    with in_app(app):
        assert [row.user.email for row in Checkin.select()] == ["bob@example.dk"]


def test_the_settings_import_tells_how_many_checks_came_in_and_names_a_bad_one(client, alice, today):
    week = week_name(week_of(today))
    good = {"format": "baekkendagbog-export", "version": 1, "entries": [], "checkins": [checkin(week)]}

    def upload(body):
        data = {"file": (io.BytesIO(json.dumps(body).encode()), "export.json")}
        return client.post(
            "/settings/import", data=data, content_type="multipart/form-data", follow_redirects=True
        )

    assert "1 ugetjek blev hentet ind." in upload(good).get_data(as_text=True)
    bad = good | {"checkins": [checkin(week) | {"answers": {"walking": 9}}]}
    response = upload(bad)
    assert response.status_code == 400
    assert "Ugetjek 1 i filen:" in response.get_data(as_text=True)
