"""The report's "Funktion" block: the function score and the leg-raise sum of the period's
weekly checks, with the change from the check before."""

from datetime import date, timedelta

from diary.checkins.questionnaires import function_check
from diary.checkins.trend import TrendPoint
from diary.reports.model import build_report
from diary.summary.weeks import week_name, week_of

ITEMS = function_check().item_ids
MONDAY = date(2026, 11, 2)


def report(checkins):
    return build_report(
        [],
        MONDAY,
        MONDAY + timedelta(days=27),
        name="",
        due_date=None,
        birth_date=None,
        include_notes=False,
        made_on=MONDAY + timedelta(days=27),
        checkins=checkins,
    )


def test_a_report_without_checks_has_no_function_block():
    assert report([]).function is None


def test_a_report_has_the_checks_of_its_weeks_compared_with_the_check_before():
    points = [
        TrendPoint(MONDAY - timedelta(weeks=2), 60, 8),
        TrendPoint(MONDAY + timedelta(weeks=1), 50, 7),
        TrendPoint(MONDAY + timedelta(weeks=3), 30, None),
    ]
    function = report(points).function
    assert [row.week for row in function.rows] == [MONDAY + timedelta(weeks=1), MONDAY + timedelta(weeks=3)]
    assert function.rows[0].score.previous == 60 and function.rows[0].score.direction == "easier"
    assert function.latest.score.change == -20
    assert len(function.chart.weeks) == 4


def test_the_report_page_shows_the_function_trend_and_the_leg_raise_sum(app, client, alice, today):
    monday = week_of(today)
    client.put(
        f"/api/v1/checkins/{week_name(monday - timedelta(weeks=2))}",
        json={"answers": dict.fromkeys(ITEMS, 2), "leg_raise": {"left": 3, "right": 3}},
    )
    client.put(
        f"/api/v1/checkins/{week_name(monday)}",
        json={"answers": dict.fromkeys(ITEMS, 1), "leg_raise": {"left": 2, "right": 1}},
    )
    share = client.post("/api/v1/shares", json={"from": (today - timedelta(days=27)).isoformat()}).get_json()
    page = app.test_client().get(share["url"].removeprefix("http://localhost")).get_data(as_text=True)
    assert '<h2 id="function-trend-title">Funktion <span class="trend-when">' in page
    assert "dagbogens eget tjek, ikke valideret; højere er sværere" in page
    assert "Hverdagens gøremål var lettere end ved sidste tjek: 33 af 100, 34 point mindre end 67." in page
    assert "Benløftet var lettere end ved sidste tjek: 3 af 10, 3 point mindre end 6." in page
    # Weeks by their Monday: a calendar week number beside "uge 28+3" would read as one of pregnancy.
    assert "Ugen fra" in page and "Tjek i uge " not in page
