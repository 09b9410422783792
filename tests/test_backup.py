"""Backups made while the app runs, and restoring them (SQLite and PostgreSQL)."""

from datetime import timedelta

from diary.db import db
from diary.models import Entry, User


def pains(app):
    with app.app_context(), db.connection_context():
        return sorted((entry.date, entry.pain) for entry in Entry.select())


def test_a_backup_restores_the_database_as_it_was(app, client, alice, runner, tmp_path, today):
    for offset in range(5):
        client.put(f"/api/v1/entries/{today - timedelta(days=offset)}", json={"pain": offset, "triggers": ["stairs"]})
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
    with app.app_context(), db.connection_context():
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


def test_restoring_a_file_that_is_not_a_backup_fails_and_changes_nothing(app, client, alice, runner, tmp_path, today):
    client.put(f"/api/v1/entries/{today}", json={"pain": 3})
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"this is not a database" * 100)
    result = runner.invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code != 0
    assert pains(app) == [(today, 3)]
