"""The tip card's "Helpful" button is a toggle: it shows when she has said a tip helped, and
pressing it again takes that back. The state is in the page, so it shows without JavaScript."""

import re
from datetime import timedelta

from diary.models import TipFeedback, User
from tests.support.database import in_app


def log_stair_days(client, today, count=4):
    for offset in range(count):
        client.put(
            f"/api/v1/entries/{today - timedelta(days=offset)}", json={"pain": 4, "triggers": ["stairs"]}
        )


def helpful_button(client) -> str:
    """The stairs tip's "Helpful" button on the log page."""
    page = client.get("/").get_data(as_text=True)
    card = re.search(r'<li class="tip-card[^"]*">(?:(?!</li>).)*href="/advice/stairs".*?</li>', page, re.S)
    assert card, "no stairs tip on the log page"
    return re.search(r"<button[^>]*aria-pressed[^>]*>", card.group(0)).group(0)


def helpful_rows(app, email="alice@example.dk") -> list[str]:
    with in_app(app):
        user = User.by_email(email)
        return [row.advice for row in TipFeedback.of(user).where(TipFeedback.kind == "helpful")]


def test_it_shows_the_helpful_button_unpressed_until_she_presses_it(client, alice, today):
    log_stair_days(client, today)
    button = helpful_button(client)
    assert 'aria-pressed="false"' in button and 'value="helpful"' in button


def test_it_shows_the_button_pressed_once_the_tip_helped(app, client, alice, today):
    log_stair_days(client, today)
    response = client.post("/tips/stairs/feedback", data={"kind": "helpful", "next": "/"})
    assert response.status_code == 302
    button = helpful_button(client)
    assert 'aria-pressed="true"' in button and 'value="undo-helpful"' in button
    assert helpful_rows(app) == ["stairs"]


def test_pressing_it_again_takes_the_word_back(app, client, alice, today):
    log_stair_days(client, today)
    client.post("/tips/stairs/feedback", data={"kind": "helpful", "next": "/"})
    response = client.post("/tips/stairs/feedback", data={"kind": "undo-helpful", "next": "/"})
    assert response.status_code == 302
    assert helpful_rows(app) == []
    assert 'aria-pressed="false"' in helpful_button(client)
    client.post("/tips/stairs/feedback", data={"kind": "undo-helpful", "next": "/"})  # twice changes nothing
    assert helpful_rows(app) == []


def test_another_users_word_does_not_press_her_button(app, client, alice, bob_client, today):
    log_stair_days(client, today)
    bob_client.post("/tips/stairs/feedback", data={"kind": "helpful", "next": "/"})
    assert helpful_rows(app, "bob@example.dk") == ["stairs"]
    assert 'aria-pressed="false"' in helpful_button(client)
