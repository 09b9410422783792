"""The weekly check's page without JavaScript: one form, this week only, CSRF-protected; the
log page offers it until it is done, and the week page shows the trend."""

import re
from datetime import timedelta

import pytest

from diary.checkins.questionnaires import function_check
from diary.models import Checkin
from diary.summary.weeks import week_name, week_of
from tests.conftest import PASSWORD, csrf_token_of
from tests.support.database import in_app

ITEMS = function_check().item_ids


def in_english(client):
    client.post("/language", data={"language": "en"})


def form(values=(1, 2, 0, 3, 1, 1, 2, 0, 1, 2), left="2", right="3"):
    data = {f"answer-{item}": str(value) for item, value in zip(ITEMS, values)}
    return data | {"leg-left": left, "leg-right": right}


def stored(app):
    with in_app(app):
        return list(Checkin.select())


def test_the_page_has_every_activity_with_labelled_answers(client, alice):
    in_english(client)
    page = client.get("/checkin").get_data(as_text=True)
    for item in ITEMS:
        assert page.count(f'name="answer-{item}"') == 5  # four steps and "does not apply"
    assert "not a validated questionnaire" in page
    assert page.count('name="leg-left"') == 7  # 0-5 and "not done"
    assert 'id="leg-left-skip"' in page and re.search(r'id="leg-left-skip"\s+checked', page)
    assert '<svg class="leg-raise-svg"' in page


def test_the_form_saves_this_week_and_leads_to_the_week_page(client, alice, today):
    in_english(client)
    response = client.post("/checkin", data=form())
    assert response.status_code == 302
    assert response.headers["Location"] == f"/week/{week_name(week_of(today))}"
    [row] = stored(client.application)
    assert row.week == week_of(today)
    assert row.function_score == 43
    assert (row.leg_raise_left, row.leg_raise_right) == (2, 3)
    page = client.get("/checkin").get_data(as_text=True)
    assert re.search(r'id="answer-getting_up-3"\s+checked', page)
    assert "Save changes" in page


def test_does_not_apply_and_a_skipped_leg_raise_are_saved_as_such(client, alice):
    data = form(left="", right="") | {"answer-stairs": "na"}
    assert client.post("/checkin", data=data).status_code == 302
    [row] = stored(client.application)
    assert (row.leg_raise_left, row.leg_raise_right) == (None, None)
    assert '"stairs": null' in row.answers
    page = client.get("/checkin").get_data(as_text=True)
    assert re.search(r'id="answer-stairs-na"\s+checked', page)


def test_an_unanswered_activity_is_marked_and_nothing_is_saved(client, alice):
    data = form()
    del data["answer-housework"]
    response = client.post("/checkin", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'href="#group-answers-housework"' in page
    assert 'id="group-answers-housework"' in page
    assert re.search(r'id="answer-walking-1"\s+checked', page)  # her other answers are kept
    assert stored(client.application) == []


def test_one_leg_only_is_refused(client, alice):
    in_english(client)
    response = client.post("/checkin", data=form(right=""))
    assert response.status_code == 400
    assert "Rate both legs" in response.get_data(as_text=True)
    assert stored(client.application) == []


def test_the_form_needs_the_csrf_token(csrf_app):
    client = csrf_app.test_client()
    token = csrf_token_of(client, "/register")
    client.post("/register", data={"email": "alice@example.dk", "password": PASSWORD, "csrf_token": token})
    assert client.post("/checkin", data=form()).status_code == 400
    assert stored(csrf_app) == []
    token = csrf_token_of(client, "/checkin")
    assert client.post("/checkin", data=form() | {"csrf_token": token}).status_code == 302


def test_the_page_needs_a_log_in(client):
    assert client.get("/checkin").status_code == 302
    assert client.post("/checkin", data=form()).status_code == 302


def test_the_log_page_offers_the_check_until_it_is_done(client, alice):
    in_english(client)
    page = client.get("/").get_data(as_text=True)
    assert "Your weekly check is due" in page
    assert 'href="/checkin"' in page
    client.post("/checkin", data=form())
    page = client.get("/").get_data(as_text=True)
    assert "Your weekly check is due" not in page
    assert "Weekly check done" in page


@pytest.mark.parametrize(
    "language, words",
    [
        (
            "da",
            [
                "Hverdagens gøremål var sværere end ved sidste tjek: 43 af 100, 10 point mere end 33.",
                "Benløftet var sværere end ved sidste tjek: 5 af 10, 3 point mere end 2.",
            ],
        ),
        (
            "en",
            [
                "Everyday activities were harder than at the check before: 43 of 100, 10 points more than 33.",
                "The leg raise was harder than at the check before: 5 of 10, 3 points more than 2.",
            ],
        ),
    ],
)
def test_the_week_page_shows_the_trend_in_words(client, alice, today, language, words):
    client.post("/language", data={"language": language})
    monday = week_of(today)
    client.put(
        f"/api/v1/checkins/{week_name(monday - timedelta(weeks=1))}",
        json={"answers": dict.fromkeys(ITEMS, 1), "leg_raise": {"left": 1, "right": 1}},
    )
    client.post("/checkin", data=form())
    page = client.get(f"/week/{week_name(monday)}").get_data(as_text=True)
    for sentence in words:
        assert sentence in page
    assert 'class="chart-svg"' in page and page.count("trend-dot") >= 2


def test_a_week_page_without_checks_says_so(client, alice, today):
    in_english(client)
    page = client.get(f"/week/{week_name(week_of(today))}").get_data(as_text=True)
    assert "No weekly check in these weeks." in page
    assert 'href="/checkin"' in page
