"""Bounds that keep every request's cost small (security finding 3): no diary date before the
diary's lower bound, no report period longer than one year; and malformed input of any kind is
a translated 400 or a 404 for an address that names nothing, never a 500 (finding 8)."""

import json
from datetime import timedelta

import pytest
from babel.dates import format_date

from diary.models import Entry, Share, User
from tests.support.database import in_app, row_count

DANISH = "da"


def set_due_date(app, due_date):
    with in_app(app):
        User.update(due_date=due_date).where(User.email == "alice@example.dk").execute()


def years_before(day, years):
    """The same day `years` years earlier (28 February for 29 February), as the bound counts."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def long_date(day) -> str:
    return format_date(day, "long", locale=DANISH)


def test_the_lower_bound_is_two_years_back_or_42_weeks_before_an_early_due_date(today):
    from diary.entries.validation import lower_bound
    from diary.entries.validation import years_before as counted

    two_years = years_before(today, 2)
    assert counted(today, 2) == two_years
    assert two_years.year == today.year - 2 and (two_years.month, two_years.day) in {
        (today.month, today.day),
        (2, 28),
    }
    assert lower_bound(today, None).day == two_years and not lower_bound(today, None).by_due_date
    assert lower_bound(today, today + timedelta(weeks=12)).day == two_years
    due = today - timedelta(days=500)
    bound = lower_bound(today, due)
    assert bound.day == due - timedelta(weeks=42) < two_years and bound.by_due_date


def test_a_day_on_the_bound_is_saved_and_the_day_before_is_a_400_naming_the_bound(app, client, alice, today):
    earliest = years_before(today, 2)
    assert client.put(f"/api/v1/entries/{earliest}", json={"pain": 3}).status_code == 200
    response = client.put(f"/api/v1/entries/{earliest - timedelta(days=1)}", json={"pain": 3})
    assert response.status_code == 400
    message = response.get_json()["error"]["fields"]["date"]
    assert "to år" in message and long_date(earliest) in message
    assert row_count(app)[0] == 1


def test_an_early_due_date_moves_the_bound_back_and_the_error_says_so(app, client, alice, today):
    due = today - timedelta(days=500)
    set_due_date(app, due)
    earliest = due - timedelta(weeks=42)
    assert client.put(f"/api/v1/entries/{earliest}", json={"pain": 3}).status_code == 200
    response = client.put(f"/api/v1/entries/{earliest - timedelta(days=1)}", json={"pain": 3})
    message = response.get_json()["error"]["fields"]["date"]
    assert (
        response.status_code == 400 and "42 uger før din termin" in message and long_date(earliest) in message
    )


def test_the_error_is_in_english_for_an_english_diary(app, client, alice, today):
    client.post("/language", data={"language": "en"})
    earliest = years_before(today, 2)
    response = client.put(f"/api/v1/entries/{earliest - timedelta(days=1)}", json={"pain": 3})
    message = response.get_json()["error"]["fields"]["date"]
    assert "two years" in message and format_date(earliest, "long", locale="en") in message


def test_the_form_refuses_a_day_before_the_bound_with_the_bound_in_the_page(app, client, alice, today):
    earliest = years_before(today, 2)
    too_early = earliest - timedelta(days=1)
    assert client.get(f"/entries/{too_early}").status_code == 404  # as a future day: no page to offer
    assert client.get(f"/entries/{earliest}").status_code == 200
    response = client.post(f"/entries/{too_early}", data={"pain": "4"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and long_date(earliest) in page and 'id="group-date"' in page
    scripted = client.put(f"/api/v1/entries/{too_early}", json={"pain": 4})  # the page's outbox
    assert scripted.status_code == 400 and "date" in scripted.get_json()["error"]["fields"]
    assert row_count(app)[0] == 0
    assert (
        client.post(f"/entries/{earliest}", data={"pain": "4"}).status_code == 302
    )  # the bound itself is saved
    assert row_count(app)[0] == 1


def test_an_import_with_a_day_before_the_bound_is_refused_and_names_it(app, client, alice, today):
    too_early = years_before(today, 2) - timedelta(days=1)
    export = {
        "format": "baekkendagbog-export",
        "version": 1,
        "entries": [
            {
                "date": (today - timedelta(days=1)).isoformat(),
                "pain": 3,
                "updated_at": "2026-02-01T10:00:00Z",
            },
            {"date": too_early.isoformat(), "pain": 3, "updated_at": "2026-02-01T10:00:00Z"},
        ],
    }
    response = client.post("/api/v1/import", json=export)
    assert response.status_code == 400 and "entries[1].date" in response.get_json()["error"]["fields"]
    assert row_count(app)[0] == 0


def test_the_settings_import_names_the_bound_of_a_day_before_it(app, client, alice, today):
    import io

    earliest = years_before(today, 2)
    export = {
        "format": "baekkendagbog-export",
        "version": 1,
        "entries": [
            {
                "date": (earliest - timedelta(days=1)).isoformat(),
                "pain": 3,
                "updated_at": "2026-02-01T10:00:00Z",
            }
        ],
    }
    data = {"file": (io.BytesIO(json.dumps(export).encode()), "baekkendagbog-export.json")}
    response = client.post("/settings/import", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and long_date(earliest) in page and "%(day)s" not in page
    assert row_count(app)[0] == 0


def test_history_offers_no_month_before_the_bound(app, client, alice, today):
    earliest = years_before(today, 2)
    bound_month = earliest.replace(day=1)
    page = client.get(f"/history?month={bound_month:%Y-%m}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'rel="prev"' not in html
    assert f'href="/entries/{earliest}"' in html
    if earliest.day > 1:  # the days of that month before the bound are not offered either
        assert f'href="/entries/{earliest - timedelta(days=1)}"' not in html
    before = (bound_month - timedelta(days=1)).replace(day=1)
    assert client.get(f"/history?month={before:%Y-%m}").status_code == 404
    following = (bound_month + timedelta(days=32)).replace(day=1)
    assert 'rel="prev"' in client.get(f"/history?month={following:%Y-%m}").get_data(as_text=True)


# Report periods: at most one year, never before the diary's bound.


def test_a_share_of_exactly_one_year_is_made_and_a_day_longer_is_a_400(app, client, alice, today):
    start = years_before(today, 1) + timedelta(days=1)
    response = client.post("/api/v1/shares", json={"from": start.isoformat()})
    assert response.status_code == 201, response.get_json()
    longer = client.post("/api/v1/shares", json={"from": (start - timedelta(days=1)).isoformat()})
    assert longer.status_code == 400
    message = longer.get_json()["error"]["fields"]["from"]
    assert "ét år" in message and long_date(start) in message
    with in_app(app):
        assert Share.select().count() == 1


def test_the_shares_form_refuses_a_period_longer_than_a_year(app, client, alice, today):
    start = years_before(today, 1)
    response = client.post(
        "/shares", data={"from": start.isoformat(), "to": today.isoformat(), "expires_in_days": "14"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="share-from-error"' in page and "ét år" in page


def test_a_share_cannot_start_before_the_diarys_bound(app, client, alice, today):
    earliest = years_before(today, 2)
    end = earliest + timedelta(days=100)
    assert (
        client.post("/api/v1/shares", json={"from": earliest.isoformat(), "to": end.isoformat()}).status_code
        == 201
    )
    response = client.post(
        "/api/v1/shares", json={"from": (earliest - timedelta(days=1)).isoformat(), "to": end.isoformat()}
    )
    assert (
        response.status_code == 400 and long_date(earliest) in response.get_json()["error"]["fields"]["from"]
    )


# Malformed input: a translated 400 (JSON under /api/, a page elsewhere), never a 500.

NESTED = [
    ("[" * 1000) + ("]" * 1000),
    '{"a":' * 1000 + "1" + "}" * 1000,
    ("[" * 100_000) + ("]" * 100_000),
    json.dumps(
        {
            "pain": 3,
            "note": "x",
            "locations": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["symphysis"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],
        }
    ),
]


@pytest.mark.parametrize(
    "method, path",
    [
        ("put", "/api/v1/entries/{yesterday}"),
        ("post", "/api/v1/shares"),
        ("post", "/api/v1/import"),
        ("post", "/api/v1/tips/stairs/feedback"),
    ],
)
@pytest.mark.parametrize(
    "body", NESTED, ids=["array-1000", "object-1000", "array-100000", "list-34-in-a-field"]
)
def test_deeply_nested_json_is_a_translated_400(app, client, alice, today, method, path, body):
    path = path.format(yesterday=today - timedelta(days=1))
    response = getattr(client, method)(path, data=body, content_type="application/json")
    assert response.status_code == 400 and response.is_json
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and error["message"].isprintable()
    assert "ikke" in error["message"] or "fields" in error  # Danish, her language
    assert row_count(app)[0] == 0


@pytest.mark.parametrize(
    "month",
    [
        "99999999999999999999-01",
        "9999999999-01",
        "10000-01",
        "2026-13",
        "2026-00",
        "garbage",
        "-1-01",
        "2026-1-",
        "2026",
        "2026-01-01",
        "",
        "٢٠٢٦-٠١",
    ],
)
def test_a_malformed_history_month_is_a_translated_400_page(client, alice, month):
    response = client.get("/history", query_string={"month": month} if month else {"month": " "})
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "Skriv måneden som ÅÅÅÅ-MM" in response.get_data(as_text=True)


@pytest.mark.parametrize("month", ["0001-01", "1999-12", "9999-12"])
def test_a_well_formed_month_outside_the_diary_is_a_404(client, alice, month):
    assert client.get(f"/history?month={month}").status_code == 404


@pytest.mark.parametrize(
    "path, status",
    [
        ("/week/2026-W99", 404),
        ("/week/2026-W00", 404),
        ("/week/0001-W01", 404),
        ("/week/9999-W52", 404),
        ("/week/99999-W01", 404),
        ("/week/2026-w47", 404),
        ("/entries/0001-01-01", 404),
        ("/entries/9999-12-31", 404),
        ("/entries/99999-01-01", 404),
        ("/entries/0001-01-01/delete", 404),
        ("/api/v1/summary/2026-W99", 404),
        ("/api/v1/summary/0001-W01", 404),
        ("/api/v1/summary/99999-W01", 404),
        ("/api/v1/entries/0001-01-01", 404),
        ("/api/v1/entries/99999-01-01", 404),
        ("/api/v1/entries?from=0001-01-01", 200),
        ("/api/v1/entries?to=9999-12-31", 200),
        ("/api/v1/entries?from=99999-01-01", 400),
        ("/api/v1/entries?to=99999999999999999999-01-01", 400),
        ("/api/v1/entries?from=2026-W47", 400),
        ("/api/v1/entries?from=%00", 400),
    ],
)
def test_odd_dates_and_weeks_are_never_a_500(client, alice, path, status):
    response = client.get(path)
    assert response.status_code == status
    if path.startswith("/api/"):
        assert response.is_json
        if status == 400:
            assert response.get_json()["error"]["fields"]


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31"])
def test_putting_a_day_before_the_bound_is_a_400_on_date(client, alice, day):
    response = client.put(f"/api/v1/entries/{day}", json={"pain": 3})
    assert response.status_code == 400 and "date" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize(
    "body",
    [
        {"from": "0001-01-01"},
        {"from": "99999-01-01"},
        {"to": "0001-01-01"},
        {"from": "0001-01-01", "to": "0001-12-31"},
        {"expires_in_days": 10**30},
    ],
)
def test_odd_share_dates_are_a_400(app, client, alice, body):
    response = client.post("/api/v1/shares", json=body)
    assert response.status_code == 400 and response.get_json()["error"]["fields"]
    with in_app(app):
        assert Share.select().count() == 0 and Entry.select().count() == 0


LONE_SURROGATE = '"\\ud800"'  # valid JSON, but no Unicode text: it cannot be stored


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("put", "/api/v1/entries/{yesterday}", '{"pain": 3, "note": %s}' % LONE_SURROGATE),
        ("put", "/api/v1/entries/{yesterday}", '{"pain": 3, %s: 1}' % LONE_SURROGATE),
        ("post", "/api/v1/shares", '{"from": %s}' % LONE_SURROGATE),
        (
            "post",
            "/api/v1/import",
            '{"format": "baekkendagbog-export", "version": 1, "entries": [], '
            '"tip_feedback": [{"advice": %s, "kind": "helpful"}]}' % LONE_SURROGATE,
        ),
        ("post", "/api/v1/tips/stairs/feedback", '{"kind": %s}' % LONE_SURROGATE),
        ("put", "/api/v1/entries/{yesterday}", '{"pain": 100000000000000000000000000000000000000000}'),
        ("put", "/api/v1/entries/{yesterday}", '{"pain": 3, "night_wakings": 1e308}'),
        ("put", "/api/v1/entries/{yesterday}", '{"pain": 3, "note": "a\\u0000b", "locations": ["\\u0000"]}'),
    ],
)
def test_json_that_parses_but_is_no_storable_text_is_a_400(app, client, alice, today, method, path, body):
    path = path.format(yesterday=today - timedelta(days=1))
    response = getattr(client, method)(path, data=body, content_type="application/json")
    assert response.status_code == 400 and response.is_json
    assert row_count(app)[0] == 0


def test_a_settings_import_with_a_lone_surrogate_in_a_note_is_a_400(app, client, alice, today):
    import io

    raw = (
        '{"format": "baekkendagbog-export", "version": 1, "entries": [{"date": "%s", "pain": 3, '
        '"note": "\\udc80", "updated_at": "2026-02-01T10:00:00Z"}]}' % (today - timedelta(days=1))
    )
    data = {"file": (io.BytesIO(raw.encode()), "baekkendagbog-export.json")}
    response = client.post("/settings/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert row_count(app)[0] == 0


@pytest.mark.parametrize(
    "data",
    [
        {"pain": "99999999999999999999"},
        {"pain": "3", "night_wakings": "1e308"},
        {"pain": "3", "locations": "\x00"},
        {"pain": "-0"},
    ],
)
def test_odd_form_values_are_a_400_page(app, client, alice, today, data):
    response = client.post(f"/entries/{today - timedelta(days=1)}", data=data)
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert row_count(app)[0] == 0


def test_an_import_takes_days_back_to_her_own_bound_and_refuses_the_day_before(app, client, alice, today):
    due = today - timedelta(days=500)
    set_due_date(app, due)
    earliest = due - timedelta(weeks=42)
    body = {
        "format": "baekkendagbog-export",
        "version": 1,
        "tip_feedback": [],
        "entries": [{"date": earliest.isoformat(), "pain": 3, "updated_at": "2026-02-01T10:00:00Z"}],
    }
    assert client.post("/api/v1/import", json=body).get_json()["created"] == 1
    body["entries"][0]["date"] = (earliest - timedelta(days=1)).isoformat()
    response = client.post("/api/v1/import", json=body)
    assert (
        response.status_code == 400
        and "42 uger før din termin" in response.get_json()["error"]["fields"]["entries[0].date"]
    )
    assert row_count(app)[0] == 1


@pytest.mark.parametrize("path", ["/settings/sessions/{}/end", "/shares/{}/revoke"])
@pytest.mark.parametrize("number", [2**31, 2**63, 10**30])
def test_an_id_too_large_for_the_database_is_a_404(client, alice, path, number):
    assert client.post(path.format(number)).status_code == 404
    assert client.get("/history").status_code == 200  # still logged in: nothing was ended


def test_an_api_share_id_too_large_for_the_database_is_a_json_404(client, alice):
    response = client.delete(f"/api/v1/shares/{2**63}")
    assert response.status_code == 404 and response.is_json
