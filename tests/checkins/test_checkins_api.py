"""GET and PUT /api/v1/checkins/<YYYY-Www> (API.md, "The weekly check"), as Alice, Bob and an
anonymous caller see them, and the summary's "function"."""

from datetime import timedelta

import pytest

from diary.models import Checkin
from diary.summary.weeks import week_name, week_of
from tests.conftest import csrf_token_of
from tests.support.database import in_app

ANSWERS = {
    "walking": 1,
    "stairs": 2,
    "turning_in_bed": 0,
    "getting_up": 3,
    "standing": 1,
    "sitting": 1,
    "dressing": 2,
    "carrying": 0,
    "housework": 1,
    "sleeping": 2,
}
BODY = {"answers": ANSWERS, "leg_raise": {"left": 2, "right": 3}}


def this_week(today):
    return week_name(week_of(today))


def put(client, week, body, **kwargs):
    return client.put(f"/api/v1/checkins/{week}", json=body, **kwargs)


def rows(app):
    with in_app(app):
        return list(Checkin.select().dicts())


def test_it_stores_a_check_and_answers_in_the_documented_shape(client, alice, today):
    response = put(client, this_week(today), BODY)
    assert response.status_code == 200
    checkin = response.get_json()
    assert list(checkin) == ["week", "answers", "leg_raise", "function_score", "updated_at"]
    assert checkin["week"] == this_week(today)
    assert checkin["answers"] == ANSWERS
    assert checkin["leg_raise"] == {"left": 2, "right": 3, "sum": 5}
    assert checkin["function_score"] == 43  # 13 of 30
    assert checkin["updated_at"].endswith("Z")
    assert client.get(f"/api/v1/checkins/{this_week(today)}").get_json() == checkin


def test_does_not_apply_and_no_leg_raise_are_null(client, alice, today):
    body = {"answers": dict.fromkeys(ANSWERS) | {"walking": 3}, "leg_raise": None}
    checkin = put(client, this_week(today), body).get_json()
    assert checkin["answers"]["stairs"] is None
    assert checkin["function_score"] == 100
    assert checkin["leg_raise"] is None


def test_nothing_answered_has_no_score(client, alice, today):
    checkin = put(client, this_week(today), {"answers": dict.fromkeys(ANSWERS), "leg_raise": None}).get_json()
    assert checkin["function_score"] is None


def test_a_second_put_replaces_the_week_and_a_get_sends_back_unchanged(client, alice, today):
    week = this_week(today)
    first = put(client, week, BODY).get_json()
    second = put(client, week, first | {"answers": ANSWERS | {"walking": 3}}).get_json()
    assert second["answers"]["walking"] == 3
    assert second["function_score"] == 50
    assert second["updated_at"] == first["updated_at"]  # the time of the edit she sent
    assert len(rows(client.application)) == 1


def test_a_week_without_a_check_is_404(client, alice, today):
    response = client.get(f"/api/v1/checkins/{this_week(today)}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("week", ["2026-W54", "2026-47", "26-W01", "2026-W1", "nonsense", "2021-W53"])
def test_a_bad_week_is_400(client, alice, week):
    for response in (client.get(f"/api/v1/checkins/{week}"), put(client, week, BODY)):
        assert response.status_code == 400
        assert "week" in response.get_json()["error"]["fields"]


def test_a_future_week_is_400_and_stores_nothing(client, alice, today):
    week = week_name(week_of(today) + timedelta(weeks=1))
    response = put(client, week, BODY)
    assert response.status_code == 400
    assert response.get_json()["error"]["fields"]["week"].startswith("Du kan ikke udfylde tjekket for en uge")
    assert rows(client.application) == []


def test_a_week_before_the_diarys_lower_bound_is_400(client, alice, today):
    long_ago = week_of(today) - timedelta(weeks=106)  # more than two years back
    response = put(client, week_name(long_ago), BODY)
    assert response.status_code == 400
    assert "to år tilbage" in response.get_json()["error"]["fields"]["week"]


def test_a_past_week_inside_the_diary_is_taken(client, alice, today):
    week = week_name(week_of(today) - timedelta(weeks=3))
    assert put(client, week, BODY).status_code == 200


@pytest.mark.parametrize(
    "body, field",
    [
        ({"answers": ANSWERS | {"swimming": 1}}, "answers.swimming"),
        ({"answers": ANSWERS | {"walking": 4}}, "answers.walking"),
        ({"answers": ANSWERS | {"walking": -1}}, "answers.walking"),
        ({"answers": ANSWERS | {"walking": "2"}}, "answers.walking"),
        ({"answers": ANSWERS | {"walking": True}}, "answers.walking"),
        ({"answers": ANSWERS | {"walking": 1.5}}, "answers.walking"),
        ({"answers": {k: v for k, v in ANSWERS.items() if k != "sleeping"}}, "answers.sleeping"),
        ({"answers": [1, 2]}, "answers"),
        ({}, "answers"),
        ({"answers": ANSWERS, "leg_raise": {"left": 6, "right": 0}}, "leg_raise"),
        ({"answers": ANSWERS, "leg_raise": {"left": 2}}, "leg_raise"),
        ({"answers": ANSWERS, "leg_raise": {"left": 2, "right": None}}, "leg_raise"),
        ({"answers": ANSWERS, "leg_raise": {"left": 2, "right": 1, "middle": 1}}, "leg_raise"),
        ({"answers": ANSWERS, "leg_raise": 5}, "leg_raise"),
        ({"answers": ANSWERS, "mood": "good"}, "mood"),
        ({"answers": ANSWERS, "week": "2020-W01"}, "week"),
        ({"answers": ANSWERS, "updated_at": "yesterday"}, "updated_at"),
    ],
)
def test_a_bad_check_is_400_naming_the_field_and_stores_nothing(client, alice, today, body, field):
    response = put(client, this_week(today), body)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]
    assert rows(client.application) == []


@pytest.mark.parametrize("body", [[1, 2], "text", None])
def test_a_body_that_is_not_an_object_is_400(client, alice, today, body):
    response = client.put(f"/api/v1/checkins/{this_week(today)}", json=body)
    assert response.status_code == 400


def test_the_errors_are_in_her_language(client, alice, today):
    client.post("/settings/language", data={"language": "da"})
    response = put(client, this_week(today), {"answers": ANSWERS | {"walking": 9}})
    assert response.status_code == 400
    assert "et helt tal fra 0 til 3" in response.get_json()["error"]["fields"]["answers.walking"]


def test_bob_never_sees_alices_check(client, alice, bob_client, today):
    week = this_week(today)
    put(client, week, BODY)
    assert bob_client.get(f"/api/v1/checkins/{week}").status_code == 404
    put(bob_client, week, BODY | {"answers": dict.fromkeys(ANSWERS, 0)})
    assert client.get(f"/api/v1/checkins/{week}").get_json()["function_score"] == 43


def test_an_anonymous_caller_gets_401(client, today):
    assert client.get(f"/api/v1/checkins/{this_week(today)}").status_code == 401
    assert put(client, this_week(today), BODY).status_code == 401


def test_a_put_without_the_csrf_token_is_refused(csrf_app, today):
    client = csrf_app.test_client()
    token = csrf_token_of(client, "/register")
    client.post(
        "/register",
        data={"email": "alice@example.dk", "password": "correct horse battery", "csrf_token": token},
    )
    assert put(client, this_week(today), BODY).status_code == 400
    assert rows(csrf_app) == []
    token = csrf_token_of(client, "/")
    assert put(client, this_week(today), BODY, headers={"X-CSRFToken": token}).status_code == 200


def test_the_summary_has_the_function_scores_and_those_of_the_check_before(client, alice, today):
    monday = week_of(today)
    put(
        client,
        week_name(monday - timedelta(weeks=3)),
        {"answers": dict.fromkeys(ANSWERS, 0), "leg_raise": {"left": 1, "right": 1}},
    )
    put(
        client,
        week_name(monday - timedelta(weeks=1)),
        {"answers": dict.fromkeys(ANSWERS, 1), "leg_raise": None},
    )
    put(client, week_name(monday), BODY)
    function = client.get(f"/api/v1/summary/{this_week(today)}").get_json()["function"]
    assert function == {"score": 43, "previous_score": 33, "leg_raise_sum": 5, "previous_leg_raise_sum": 2}


def test_the_summary_of_a_week_without_checks_has_null_function_figures(client, alice, today):
    function = client.get(f"/api/v1/summary/{this_week(today)}").get_json()["function"]
    assert function == {
        "score": None,
        "previous_score": None,
        "leg_raise_sum": None,
        "previous_leg_raise_sum": None,
    }
