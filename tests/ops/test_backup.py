"""Backups made while the app runs, and restoring them (SQLite and PostgreSQL)."""

import os
import sqlite3
import stat
import threading
import time
from datetime import timedelta

from diary.db import db
from diary.entries.entry import DayEntry
from diary.entries.store import save_entry
from diary.models import Entry, EntryCode, User
from tests.support.database import in_app


def pains(app):
    with in_app(app):
        return sorted((entry.date, entry.pain) for entry in Entry.select())


def test_a_backup_restores_the_database_as_it_was(app, client, alice, runner, tmp_path, today):
    for offset in range(5):
        client.put(
            f"/api/v1/entries/{today - timedelta(days=offset)}", json={"pain": offset, "triggers": ["stairs"]}
        )
    before = pains(app)
    backup_file = tmp_path / "backups" / "diary.backup"
    result = runner.invoke(args=["backup", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert backup_file.stat().st_size > 0

    # Life goes on after the backup: a day is changed, one deleted, a user added.
    client.put(f"/api/v1/entries/{today}", json={"pain": 10})
    client.delete(f"/api/v1/entries/{today - timedelta(days=1)}")
    app.test_client().post("/register", data={"email": "late@example.dk", "password": "a late long password"})
    assert pains(app) != before

    result = runner.invoke(args=["restore", str(backup_file), "--yes"])
    assert result.exit_code == 0, result.output
    assert pains(app) == before
    with in_app(app):
        assert User.by_email("late@example.dk") is None
        assert User.by_email("alice@example.dk") is not None
    assert client.get(f"/api/v1/entries/{today}").get_json()["pain"] == 0  # her session still works


def test_restore_asks_before_it_replaces_anything(app, client, alice, runner, tmp_path, today):
    backup_file = tmp_path / "diary.backup"
    runner.invoke(args=["backup", str(backup_file)])
    client.put(f"/api/v1/entries/{today}", json={"pain": 3})
    result = runner.invoke(args=["restore", str(backup_file)], input="n\n")
    assert result.exit_code != 0
    assert pains(app) == [(today, 3)]


def test_restoring_a_file_that_is_not_a_backup_fails_and_changes_nothing(
    app, client, alice, runner, tmp_path, today
):
    client.put(f"/api/v1/entries/{today}", json={"pain": 3})
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"this is not a database" * 100)
    result = runner.invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code != 0
    assert pains(app) == [(today, 3)]


def test_a_backup_file_is_readable_by_its_owner_only(app, client, alice, runner, tmp_path, today):
    client.put(f"/api/v1/entries/{today}", json={"pain": 3, "note": "health data"})
    backup_file = tmp_path / "backups" / "diary.backup"
    backup_file.parent.mkdir()
    backup_file.write_bytes(b"an older backup, world-readable")
    backup_file.chmod(0o644)
    old_umask = os.umask(0o022)  # the usual umask, which would make a new file 0644
    try:
        result = runner.invoke(args=["backup", str(backup_file)])
    finally:
        os.umask(old_umask)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600
    assert not backup_file.with_name("diary.backup.partial").exists()


def test_a_backup_taken_while_another_thread_writes_is_consistent_and_restores(
    app, client, alice, runner, tmp_path, today
):
    stop = threading.Event()
    written = []
    problems = []

    def keep_writing():
        # Every entry has exactly two codes, written in one transaction: a torn backup would show.
        try:
            with db.connection_context():
                for number in range(100_000):
                    if stop.is_set():
                        return
                    day = today - timedelta(days=number % 300)
                    save_entry(
                        alice, DayEntry(date=day, pain=number % 11, triggers=["stairs"], relief=["heat"])
                    )
                    written.append(day)
        except Exception as problem:  # reported by the assertions below
            problems.append(problem)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        deadline = time.monotonic() + 10
        while len(written) < 20 and time.monotonic() < deadline:
            time.sleep(0.01)
        backup_file = tmp_path / "during-writes.backup"
        result = runner.invoke(args=["backup", str(backup_file)])
        during = len(written)
    finally:
        stop.set()
        writer.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert problems == [] and len(written) > during  # the writes went on while the backup ran
    if backup_file.read_bytes().startswith(b"SQLite format 3"):
        check = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
        try:
            assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert check.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            check.close()
    result = runner.invoke(args=["restore", str(backup_file), "--yes"])
    assert result.exit_code == 0, result.output
    with in_app(app):
        entries = Entry.select().count()
        assert entries >= 20
        assert (
            EntryCode.select().count() == 2 * entries
        )  # no entry without its codes, no code without its entry
    assert client.get("/api/v1/entries").status_code == 200
