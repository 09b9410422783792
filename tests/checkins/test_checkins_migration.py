"""Schema step 8 adds the check-ins table to a database of an earlier version, once."""

import json
from datetime import date, datetime

from diary.db import db
from diary.models import Checkin, User
from diary.ops.migrations import LATEST, STEPS, SchemaVersion, current_version, migrate, to_v8_checkins
from tests.support.database import in_app


def test_step_8_adds_the_checkins_table_to_an_older_database(app, alice):
    with in_app(app):
        db.drop_tables([Checkin])
        SchemaVersion.delete().execute()
        SchemaVersion.create(version=6)
        assert "checkins" not in db.get_tables()
        assert migrate() == (6, LATEST)
        assert current_version() == LATEST
        user = User.get(User.email == "alice@example.dk")
        Checkin.create(
            user=user, week=date(2026, 11, 30), answers=json.dumps({}), updated_at=datetime(2026, 12, 1)
        )
        to_v8_checkins(None)  # again, as a database made by a newer create_tables would meet it
        assert Checkin.select().count() == 1


def test_step_8_is_a_step():
    assert STEPS[8] is to_v8_checkins and LATEST >= 8
