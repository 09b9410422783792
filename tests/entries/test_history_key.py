"""The history calendar says which of a day's two numbers is the pain, in words and to a screen reader."""

import re


def history(client) -> str:
    client.post("/language", data={"language": "en"})
    return client.get("/history").get_data(as_text=True)


def test_it_explains_the_two_numbers_beside_the_calendar(client, alice, today):
    client.put(f"/api/v1/entries/{today}", json={"pain": 7})
    page = history(client)
    key = re.search(r'<div class="calendar-key" id="calendar-key">.*?</div>', page, re.S).group(0)
    assert "the small number is the date, the large number is the pain that day (0–10)" in key
    assert 'aria-describedby="calendar-key"' in re.search(r"<table[^>]*>", page).group(0)


def test_each_logged_day_is_named_with_its_date_and_pain(client, alice, today):
    client.put(f"/api/v1/entries/{today}", json={"pain": 7})
    page = history(client)
    cell = re.search(rf'<a class="day-cell pain-7"[^>]*href="/entries/{today}"[^>]*>', page, re.S).group(0)
    assert re.search(r'aria-label="[^"]*: pain 7"', cell)


def test_the_colour_scale_is_labelled_as_pain(client, alice):
    legend = re.search(r'<p class="legend">.*?</p>', history(client), re.S).group(0)
    assert "Pain:" in legend
