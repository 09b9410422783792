"""How entries are stored: one row per day, codes counted by one indexed query."""

from datetime import timedelta

import pytest

from diary.db import db, is_sqlite
from diary.entries.entry import DayEntry
from diary.entries.store import save_entry
from diary.models import Entry, EntryCode, User
from tests.support.database import in_app


def test_counting_days_with_a_trigger_is_one_query_on_an_index(app, alice, today):
    with in_app(app):
        user = User.by_email("alice@example.dk")
        for offset in range(10):
            triggers = ["stairs"] if offset % 3 == 0 else ["walking"]
            save_entry(user, DayEntry(date=today - timedelta(days=offset), pain=4, triggers=triggers))
        query = EntryCode.days_with(user, "triggers", "stairs", today - timedelta(days=6), today)
        assert query.scalar() == 3  # days 0, 3 and 6
        sql, params = query.sql()
        if is_sqlite():
            plan = " ".join(str(row) for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
            assert "USING COVERING INDEX" in plan or "USING INDEX" in plan, plan
        else:
            db.execute_sql("SET enable_seqscan = off")  # a tiny table would be scanned anyway
            plan = " ".join(row[0] for row in db.execute_sql("EXPLAIN " + sql, params))
            db.execute_sql("RESET enable_seqscan")
            assert "Index" in plan and "user_id_field_code_date" in plan, plan


@pytest.mark.parametrize("field", ["locations", "sensations", "triggers", "relief"])
def test_an_unknown_code_never_reaches_the_database_even_past_validation(app, alice, today, field):
    with in_app(app):
        user = User.by_email("alice@example.dk")
        with pytest.raises(ValueError, match=f"unknown {field} codes: \\['flying'\\]"):
            save_entry(user, DayEntry(date=today, pain=4, **{field: ["flying"]}))
        assert (Entry.select().count(), EntryCode.select().count()) == (0, 0)


def test_deleting_a_user_removes_her_entries_and_codes(app, alice, today):
    with in_app(app):
        user = User.by_email("alice@example.dk")
        save_entry(user, DayEntry(date=today, pain=4, triggers=["stairs"], locations=["hips"]))
        user.delete_instance()
        assert (Entry.select().count(), EntryCode.select().count()) == (0, 0)


def test_sqlite_runs_in_wal_mode_with_foreign_keys_on(app):
    with in_app(app):
        if is_sqlite():
            assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
        else:
            assert db.execute_sql("SHOW server_version").fetchone()[0].startswith("15")
