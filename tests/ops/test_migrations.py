"""Upgrading a database of the first released schema in place, with every row kept."""

from datetime import date, datetime, timedelta

from diary.db import db
from diary.models import MODELS, Entry, EntryCode, Session, Share, TipFeedback, User
from diary.ops.migrations import LATEST, SchemaVersion, current_version, migrate, v1_models
from tests.support.database import in_app


def drop_everything():
    db.drop_tables([*MODELS, SchemaVersion], safe=True)


def build_v1_and_fill(users=3, days=20):
    """The first released schema, filled through its own frozen models."""
    v1_users, v1_entries, v1_codes = v1_models()
    db.create_tables([v1_users, v1_entries, v1_codes])
    now = datetime(2026, 11, 1, 12, 0)
    for index in range(users):
        user = v1_users.create(
            email=f"u{index}@example.dk", password_hash="h", session_token=f"t{index}", created_at=now
        )
        for offset in range(days):
            day = date(2026, 11, 1) - timedelta(days=offset)
            entry = v1_entries.create(
                user=user,
                date=day,
                pain=offset % 11,
                night_wakings=offset % 3,
                note=f"note {index}-{offset}",
                updated_at=now,
                created_at=now,
            )
            v1_codes.create(entry=entry, user=user, date=day, field="triggers", code="stairs")
            if offset % 2:
                v1_codes.create(entry=entry, user=user, date=day, field="locations", code="symphysis")


def snapshot():
    entries = sorted((e.user_id, e.date, e.pain, e.night_wakings, e.note) for e in Entry.select())
    codes = sorted((c.entry_id, c.field, c.code) for c in EntryCode.select())
    # Only the first schema's columns that are still there: later steps add and drop columns.
    users = sorted((u.email, u.password_hash) for u in User.select(User.email, User.password_hash))
    return users, entries, codes


def test_an_empty_database_is_created_at_the_latest_version(app):
    with in_app(app):
        drop_everything()
        assert current_version() is None
        assert migrate() == (None, LATEST)
        assert current_version() == LATEST
        assert set(db.get_tables()) >= {model._meta.table_name for model in MODELS}


def test_the_first_released_schema_is_migrated_in_place_and_every_row_survives(app):
    with in_app(app):
        drop_everything()
        build_v1_and_fill()
        assert current_version() == 1
        before = snapshot()
        assert len(before[1]) == 60 and len(before[2]) == 90
        assert migrate() == (1, LATEST)
        assert current_version() == LATEST
        assert snapshot() == before
        # The new tables work with the live models.
        alice = User.get(User.email == "u0@example.dk")
        TipFeedback.create(user=alice, advice="stairs", kind="helpful")
        Share.create(
            user=alice,
            nonce="n",
            token_hash="h" * 64,
            start=date(2026, 10, 1),
            end=date(2026, 10, 28),
            expires_at=datetime(2026, 12, 1),
        )
        assert TipFeedback.select().count() == 1 and Share.select().count() == 1


def test_migrating_twice_changes_nothing(app):
    with in_app(app):
        drop_everything()
        build_v1_and_fill(users=1, days=3)
        migrate()
        before = snapshot()
        assert migrate() == (LATEST, LATEST)
        assert snapshot() == before


def test_the_cli_migrates_and_says_what_it_did(app, runner):
    with in_app(app):
        drop_everything()
        build_v1_and_fill(users=1, days=2)
    result = runner.invoke(args=["migrate"])
    assert result.exit_code == 0 and f"from schema version 1 to {LATEST}" in result.output
    assert f"at schema version {LATEST}, the latest" in runner.invoke(args=["migrate"]).output


def test_step_5_moves_sessions_to_their_own_table_and_drops_the_old_token(app):
    with in_app(app):
        drop_everything()
        build_v1_and_fill(users=2, days=1)
        migrate()
        assert "session_token" not in {column.name for column in db.get_columns("users")}
        alice = User.get(User.email == "u0@example.dk")
        Session.create(user=alice, token_hash="a" * 64, browser="Firefox", system="Linux")
        User.create(email="new@example.dk", password_hash="h")  # no token column left to fill
        alice.delete_instance()
        assert Session.select().count() == 0  # her devices go with her account
