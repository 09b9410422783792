"""The weekly summary equals a brute-force computation over any set of entries."""

import importlib.util
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diary.db import db, open_database
from diary.entries.codes import ALLOWED, CODE_SETS
from diary.entries.entry import DayEntry
from diary.entries.store import save_entry
from diary.models import Entry, EntryCode, User
from diary.summary.figures import round_half_up
from diary.summary.weekly import weekly_summary
from diary.summary.weeks import parse_week, week_days, week_name, week_of
from tests.support.database import in_app

WEEKS = ["2026-W47", "2026-W53", "2027-W01", "2024-W01", "2025-W52"]


def brute_force(entries: list[DayEntry], monday: date) -> dict:
    """The summary's figures computed the plain way, from the entries themselves."""
    days = set(week_days(monday))
    week = [entry for entry in entries if entry.date in days]
    before = [entry for entry in entries if monday - timedelta(days=7) <= entry.date < monday]

    def mean(group):
        return round_half_up(Fraction(sum(e.pain for e in group), len(group))) if group else None

    def counts(field):
        tally = {}
        for entry in week:
            for code in getattr(entry, field):
                tally[code] = tally.get(code, 0) + 1
        order = [code.code for code in CODE_SETS[field]]
        return [
            {"code": c, "days": n}
            for c, n in sorted(tally.items(), key=lambda item: (-item[1], order.index(item[0])))
        ]

    now, previous = mean(week), mean(before)
    return {
        "week": week_name(monday),
        "days_logged": len(week),
        "pain": {
            "mean": now,
            "max": max((e.pain for e in week), default=None),
            "min": min((e.pain for e in week), default=None),
            "previous_mean": previous,
            "change": round_half_up(Fraction(str(now)) - Fraction(str(previous)))
            if week and before
            else None,
        },
        "nights_disrupted": sum(1 for e in week if e.night_wakings > 0),
        "night_wakings": sum(e.night_wakings for e in week),
        **{field: counts(field) for field in ("triggers", "locations", "sensations", "relief")},
    }


def entries_around(monday):
    """Entries on any days of the week before, the week itself and the days just around them."""
    offsets = st.lists(st.integers(-9, 9), unique=True, max_size=17)
    return offsets.flatmap(
        lambda chosen: st.tuples(
            *[
                st.builds(
                    DayEntry,
                    date=st.just(monday + timedelta(days=offset)),
                    pain=st.integers(0, 10),
                    night_wakings=st.integers(0, 20),
                    **{
                        field: st.lists(st.sampled_from(sorted(ALLOWED[field])), unique=True, max_size=4)
                        for field in CODE_SETS
                    },
                )
                for offset in chosen
            ]
        )
    )


@pytest.mark.parametrize("week", WEEKS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_summary_equals_a_brute_force_computation(app, alice, week, data):
    monday = parse_week(week)
    entries = list(data.draw(entries_around(monday)))
    with in_app(app):
        user = User.by_email("alice@example.dk")
        EntryCode.delete().execute()
        Entry.delete().execute()
        for entry in entries:
            save_entry(user, entry)
        summary = weekly_summary(user, monday, None)
    expected = brute_force(entries, monday)
    assert {key: summary[key] for key in expected} == expected
    assert summary["start"] == monday and summary["end"] == monday + timedelta(days=6)
    assert [day["date"] for day in summary["days"]] == week_days(monday)


def test_an_empty_week_has_zero_days_and_null_pain_figures(app, alice):
    with in_app(app):
        summary = weekly_summary(User.by_email("alice@example.dk"), parse_week("2026-W53"), None)
    assert summary["days_logged"] == 0
    assert summary["pain"] == {"mean": None, "max": None, "min": None, "previous_mean": None, "change": None}
    assert summary["triggers"] == [] and summary["nights_disrupted"] == 0


@pytest.mark.parametrize(
    "text, monday",
    [
        ("2026-W53", date(2026, 12, 28)),
        ("2027-W01", date(2027, 1, 4)),
        ("2026-W47", date(2026, 11, 16)),
        ("2025-W53", None),
        ("2026-W54", None),
        ("2026-W00", None),
        ("2026-47", None),
        ("26-W47", None),
    ],
)
def test_iso_weeks_are_parsed_across_year_boundaries(text, monday):
    assert parse_week(text) == monday


def test_the_week_of_a_day_is_named_by_its_iso_year():
    assert week_name(week_of(date(2027, 1, 1))) == "2026-W53"
    assert week_name(week_of(date(2025, 12, 29))) == "2026-W01"


def load_benchmark():
    """bench/summary_and_tips.py as a module (bench/ is not a package)."""
    path = Path(__file__).resolve().parents[2] / "bench" / "summary_and_tips.py"
    spec = importlib.util.spec_from_file_location("bench_summary_and_tips", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def emails_in(database_url: str) -> list[str]:
    """The users of a database, read afresh (the benchmark binds the database to its own)."""
    db.initialize(open_database(database_url))
    with db.connection_context():
        return sorted(user.email for user in User.select())


def test_the_benchmark_refuses_a_database_that_holds_users(app, database_url, alice, capsys):
    with pytest.raises(SystemExit) as stopped:
        load_benchmark().main(
            ["--database-url", database_url, "--users", "1", "--days", "2", "--repeat", "1"]
        )
    assert stopped.value.code == 2
    assert "refused: the database already holds users (1)" in capsys.readouterr().err
    assert emails_in(database_url) == ["alice@example.dk"]


def test_the_benchmark_never_takes_its_database_from_the_environment(
    app, database_url, alice, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", database_url)
    load_benchmark().main(["--users", "1", "--days", "3", "--repeat", "1"])
    output = capsys.readouterr().out
    assert output.startswith("database: sqlite, 1 users x 3 days: 3 entries")
    assert "summary + tips (week page)" in output
    assert emails_in(database_url) == ["alice@example.dk"]


@pytest.mark.parametrize("week, status", [("1999-W52", 404), ("2000-W01", 200)])
def test_the_week_page_and_the_api_agree_on_the_earliest_week(client, alice, week, status):
    assert client.get(f"/week/{week}").status_code == status
    assert client.get(f"/api/v1/summary/{week}").status_code == status
