"""Schema versions and `manage.py migrate`: upgrade an older database in place.

Version 1 is the first released schema (users, entries and their codes). Each later step
is a function of peewee's schema migrator that upgrades from the version before; steps
declare the tables they add as frozen copies, independent of the live models, so an old
step keeps meaning what it meant when it was written. The version lives in the table
`schema_version`; a database from before it existed is version 1.
"""

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator
from playhouse.migrate import migrate as apply_operations

from diary.db import db, is_sqlite
from diary.models import create_tables, utc_now


class SchemaVersion(Model):
    version = IntegerField()
    migrated_at = DateTimeField(default=utc_now)

    class Meta:
        database = db
        table_name = "schema_version"


def _frozen(name: str, fields: dict, indexes=()):
    """A model class bound to the database, frozen at the version that adds its table."""
    meta = type("Meta", (), {"database": db, "table_name": name, "indexes": indexes})
    return type(f"Frozen_{name}", (Model,), {"Meta": meta, **fields})


def v1_models():
    """The first released schema: users, entries, entry codes."""
    users = _frozen(
        "users",
        {
            "id": AutoField(),
            "email": CharField(max_length=254, unique=True),
            "password_hash": CharField(max_length=255),
            "session_token": CharField(max_length=64, unique=True),
            "language": CharField(max_length=5, default="da"),
            "display_name": CharField(max_length=60, default=""),
            "due_date": DateField(null=True),
            "birth_date": DateField(null=True),
            "created_at": DateTimeField(),
        },
    )
    entries = _frozen(
        "entries",
        {
            "id": AutoField(),
            "user": ForeignKeyField(users, on_delete="CASCADE"),
            "date": DateField(),
            "pain": IntegerField(),
            "night_wakings": IntegerField(default=0),
            "note": TextField(default=""),
            "updated_at": DateTimeField(),
            "created_at": DateTimeField(),
        },
        indexes=((("user", "date"), True),),
    )
    codes = _frozen(
        "entry_codes",
        {
            "id": AutoField(),
            "entry": ForeignKeyField(entries, on_delete="CASCADE"),
            "user": ForeignKeyField(users, on_delete="CASCADE"),
            "date": DateField(),
            "field": CharField(max_length=16),
            "code": CharField(max_length=32),
        },
        indexes=((("user", "field", "code", "date"), False), (("entry", "field", "code"), True)),
    )
    return users, entries, codes


def _users():
    return v1_models()[0]


def to_v2_tips(migrator) -> None:
    """Tips: which were shown on which day, and the user's feedback on them."""
    users = _users()
    shown = _frozen(
        "tips_shown",
        {
            "id": AutoField(),
            "user": ForeignKeyField(users, on_delete="CASCADE"),
            "advice": CharField(max_length=64),
            "date": DateField(),
        },
        indexes=((("user", "date", "advice"), True),),
    )
    feedback = _frozen(
        "tip_feedback",
        {
            "id": AutoField(),
            "user": ForeignKeyField(users, on_delete="CASCADE"),
            "advice": CharField(max_length=64),
            "kind": CharField(max_length=16),
            "created_at": DateTimeField(),
        },
        indexes=((("user", "advice", "kind"), True),),
    )
    db.create_tables([shown, feedback], safe=True)


def to_v3_shares(migrator) -> None:
    """Report links for the midwife."""
    shares = _frozen(
        "shares",
        {
            "id": AutoField(),
            "user": ForeignKeyField(_users(), on_delete="CASCADE"),
            "nonce": CharField(max_length=64, unique=True),
            "token_hash": CharField(max_length=64, unique=True),
            "start": DateField(),
            "end": DateField(),
            "include_notes": BooleanField(default=False),
            "created_at": DateTimeField(),
            "expires_at": DateTimeField(),
            "revoked_at": DateTimeField(null=True),
            "views": IntegerField(default=0),
            "last_viewed_at": DateTimeField(null=True),
        },
    )
    db.create_tables([shares], safe=True)


def to_v4_password_resets(migrator) -> None:
    """Single-use password-reset links."""
    resets = _frozen(
        "password_resets",
        {
            "id": AutoField(),
            "user": ForeignKeyField(_users(), on_delete="CASCADE"),
            "token_hash": CharField(max_length=64, unique=True),
            "created_at": DateTimeField(),
            "expires_at": DateTimeField(),
            "used_at": DateTimeField(null=True),
        },
    )
    db.create_tables([resets], safe=True)


def to_v5_sessions(migrator) -> None:
    """Server-side sessions, a row per signed-in device; the per-user session token goes.

    Every device is logged out once by the upgrade: their cookies carry the old token.
    """
    sessions = _frozen(
        "sessions",
        {
            "id": AutoField(),
            "user": ForeignKeyField(_users(), on_delete="CASCADE"),
            "token_hash": CharField(max_length=64, unique=True),
            "remember": BooleanField(default=False),
            "browser": CharField(max_length=40, default=""),
            "system": CharField(max_length=40, default=""),
            "created_at": DateTimeField(),
            "last_used_at": DateTimeField(),
        },
    )
    db.create_tables([sessions], safe=True)
    if "session_token" not in {column.name for column in db.get_columns("users")}:
        return  # tables made by create_tables of a newer version, without a schema_version yet
    if is_sqlite():  # SQLite drops no column that an index covers; PostgreSQL drops the index with it
        for index in db.get_indexes("users"):
            if "session_token" in index.columns:
                migrator.drop_index("users", index.name).run()
    migrator.drop_column("users", "session_token").run()


def to_v6_phone_numbers(migrator) -> None:
    """Her own numbers for the warning signs: the maternity reception and her doctor (E.164)."""
    have = {column.name for column in db.get_columns("users")}
    # Tables made by create_tables of a newer version, without a schema_version yet, have them.
    apply_operations(
        *(
            migrator.add_column("users", name, CharField(max_length=16, null=True))
            for name in ("maternity_phone", "doctor_phone")
            if name not in have
        )
    )


def to_v7_reminders(migrator) -> None:
    """Daily reminders: her settings, and a Web Push subscription per device."""
    users = _users()
    reminders = _frozen(
        "reminders",
        {
            "id": AutoField(),
            "user": ForeignKeyField(users, on_delete="CASCADE", unique=True),
            "enabled": BooleanField(default=False),
            "time": CharField(max_length=5, default="20:00"),
            "timezone": CharField(max_length=64, default="Europe/Copenhagen"),
            "last_sent_on": DateField(null=True),
        },
    )
    subscriptions = _frozen(
        "push_subscriptions",
        {
            "id": AutoField(),
            "user": ForeignKeyField(users, on_delete="CASCADE"),
            "endpoint": CharField(max_length=1024, unique=True),
            "p256dh": CharField(max_length=100),
            "auth": CharField(max_length=50),
            "session": ForeignKeyField(
                _frozen("sessions", {"id": AutoField()}), null=True, on_delete="SET NULL"
            ),
            "created_at": DateTimeField(),
        },
    )
    db.create_tables([reminders, subscriptions], safe=True)


def to_v8_checkins(migrator) -> None:
    """The weekly check: one row per user and ISO week, answers as JSON, the scores beside them."""
    checkins = _frozen(
        "checkins",
        {
            "id": AutoField(),
            "user": ForeignKeyField(_users(), on_delete="CASCADE"),
            "week": DateField(),
            "answers": TextField(),
            "function_score": IntegerField(null=True),
            "leg_raise_left": IntegerField(null=True),
            "leg_raise_right": IntegerField(null=True),
            "updated_at": DateTimeField(),
            "created_at": DateTimeField(),
        },
        indexes=((("user", "week"), True),),
    )
    db.create_tables([checkins], safe=True)


STEPS = {
    2: to_v2_tips,
    3: to_v3_shares,
    4: to_v4_password_resets,
    5: to_v5_sessions,
    6: to_v6_phone_numbers,
    7: to_v7_reminders,
    8: to_v8_checkins,
}
LATEST = max(STEPS)


def current_version() -> int | None:
    """The database's schema version; None for an empty database."""
    tables = set(db.get_tables())
    if "schema_version" in tables:
        return SchemaVersion.select().order_by(SchemaVersion.version.desc()).first().version
    return 1 if "users" in tables else None


def _stamp(version: int) -> None:
    SchemaVersion.delete().execute()
    SchemaVersion.create(version=version)


def migrate() -> tuple[int | None, int]:
    """Bring the database to the latest version; return (version before, version after)."""
    before = current_version()
    if before is None:
        create_tables()
        db.create_tables([SchemaVersion], safe=True)
        with db.atomic():
            _stamp(LATEST)
        return None, LATEST
    migrator = SqliteMigrator(db.obj) if is_sqlite() else PostgresqlMigrator(db.obj)
    db.create_tables([SchemaVersion], safe=True)
    for version in sorted(step for step in STEPS if step > before):
        with db.atomic():
            STEPS[version](migrator)
            _stamp(version)
    return before, LATEST
