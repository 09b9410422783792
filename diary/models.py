"""The data model: users, one entry per user per day, and the entries' codes.

The set-valued fields live in their own table, one row per entry and code, carrying the
user and the date, so "days with trigger X in a date range" is one query on one index in
SQLite and PostgreSQL alike.
"""

from datetime import datetime, timezone

from flask_login import UserMixin
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
    fn,
)

from diary.db import db

# Ids are 32-bit integers in PostgreSQL; routes cap theirs at this, so a larger number in an
# address is a 404 rather than a database error.
MAX_ID = 2**31 - 1


def utc_now() -> datetime:
    """The current UTC time, naive, to the millisecond (the precision phones send)."""
    moment = datetime.now(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


class BaseModel(Model):
    class Meta:
        database = db


class User(UserMixin, BaseModel):
    id = AutoField()
    email = CharField(max_length=254, unique=True)  # stored lower-cased: unique without regard to case
    password_hash = CharField(max_length=255)
    language = CharField(max_length=5, default="da")
    display_name = CharField(max_length=60, default="")
    due_date = DateField(null=True)
    birth_date = DateField(null=True)
    # Her maternity reception's and her own doctor's numbers in E.164 (diary/accounts/phone_numbers.py).
    maternity_phone = CharField(max_length=16, null=True)
    doctor_phone = CharField(max_length=16, null=True)
    created_at = DateTimeField(default=utc_now)

    class Meta:
        table_name = "users"

    # The signed-in device this user object was loaded for (diary/accounts/sessions.py): its row and
    # the token in its cookies, which is flask-login's id, so that ending the row ends the cookies.
    session_row = None
    session_key = None

    def get_id(self) -> str:
        """flask-login's id: the token of this device's session row, never the user's own id."""
        if self.session_key is None:
            raise RuntimeError("a user logs in through diary.accounts.sessions.open_session")
        return self.session_key

    # Written only by replace_password and upgrade_password_hash, never by a save: a save
    # from a request that loaded the user earlier would write an old password back.
    GUARDED_FIELDS = frozenset({"password_hash"})

    def save(self, force_insert=False, only=None):
        """Write the named fields (only=[...]) of a stored user; a whole-row save is refused."""
        if self._pk is not None and not force_insert:
            if only is None:
                raise TypeError("save a user with only=[...]: a whole row could undo a password change")
            if self.GUARDED_FIELDS & {getattr(field, "name", field) for field in only}:
                raise TypeError("a user's password and sessions change only through User.replace_password")
        return super().save(force_insert=force_insert, only=only)

    def replace_password(self, password_hash: str) -> None:
        """Store a new password: every session, remember cookie and reset link made before ends."""
        self.password_hash = password_hash
        User.update(password_hash=password_hash).where(User.id == self.id).execute()
        Session.delete().where(Session.user == self).execute()
        PasswordReset.cancel_open(self)

    def upgrade_password_hash(self, old_hash: str, new_hash: str) -> None:
        """Store a stronger hash of the same password, unless the password changed meanwhile."""
        changed = User.update(password_hash=new_hash).where(
            (User.id == self.id) & (User.password_hash == old_hash)
        )
        if changed.execute():
            self.password_hash = new_hash

    @staticmethod
    def normalize_email(email: str) -> str:
        """The form in which an email is stored and looked up."""
        return email.strip().lower()

    @classmethod
    def by_email(cls, email: str):
        """The user with this email, in any case, or None."""
        return cls.get_or_none(cls.email == cls.normalize_email(email))


class Entry(BaseModel):
    id = AutoField()
    user = ForeignKeyField(User, backref="entries", on_delete="CASCADE")
    date = DateField()
    pain = IntegerField()
    night_wakings = IntegerField(default=0)
    note = TextField(default="")
    updated_at = DateTimeField()  # the client's time of the edit, UTC
    created_at = DateTimeField(default=utc_now)

    class Meta:
        table_name = "entries"
        indexes = ((("user", "date"), True),)

    @classmethod
    def of(cls, user):
        """Every entry of one user: the one scope through which entries are read."""
        return cls.select().where(cls.user == user)


class EntryCode(BaseModel):
    """One code of one set-valued field (locations, sensations, triggers, relief) of an entry."""

    id = AutoField()
    entry = ForeignKeyField(Entry, backref="codes", on_delete="CASCADE")
    user = ForeignKeyField(User, on_delete="CASCADE")
    date = DateField()
    field = CharField(max_length=16)
    code = CharField(max_length=32)

    class Meta:
        table_name = "entry_codes"
        indexes = (
            (("user", "field", "code", "date"), False),
            (("entry", "field", "code"), True),
        )

    @classmethod
    def of(cls, user):
        """Every code row of one user."""
        return cls.select().where(cls.user == user)

    @classmethod
    def days_with(cls, user, field: str, code: str, start, end):
        """The query counting the user's days from start to end that have one code."""
        in_range = (cls.field == field) & (cls.code == code) & cls.date.between(start, end)
        return cls.of(user).where(in_range).select(fn.COUNT(cls.id))


class TipShown(BaseModel):
    """A tip shown to a user on a day, so it can wait a day before it is shown again."""

    id = AutoField()
    user = ForeignKeyField(User, on_delete="CASCADE")
    advice = CharField(max_length=64)
    date = DateField()

    class Meta:
        table_name = "tips_shown"
        indexes = ((("user", "date", "advice"), True),)


class TipFeedback(BaseModel):
    """A user's word on a tip: "dismissed" (never show again) or "helpful"."""

    KINDS = ("dismissed", "helpful")

    id = AutoField()
    user = ForeignKeyField(User, on_delete="CASCADE")
    advice = CharField(max_length=64)
    kind = CharField(max_length=16)
    created_at = DateTimeField(default=utc_now)

    class Meta:
        table_name = "tip_feedback"
        indexes = ((("user", "advice", "kind"), True),)

    @classmethod
    def of(cls, user):
        """Every piece of feedback of one user."""
        return cls.select().where(cls.user == user)


class Share(BaseModel):
    """A report link for a midwife. The token itself is never stored: only a random nonce,
    from which the server re-derives it with its secret key, and a hash to look it up by."""

    id = AutoField()
    user = ForeignKeyField(User, backref="shares", on_delete="CASCADE")
    nonce = CharField(max_length=64, unique=True)
    token_hash = CharField(max_length=64, unique=True)
    start = DateField()
    end = DateField()
    include_notes = BooleanField(default=False)
    created_at = DateTimeField(default=utc_now)
    expires_at = DateTimeField()
    revoked_at = DateTimeField(null=True)
    views = IntegerField(default=0)
    last_viewed_at = DateTimeField(null=True)

    class Meta:
        table_name = "shares"

    @classmethod
    def of(cls, user):
        """Every share of one user."""
        return cls.select().where(cls.user == user)


class PasswordReset(BaseModel):
    """A single-use link to set a new password, sent by email; only its hash is stored."""

    id = AutoField()
    user = ForeignKeyField(User, on_delete="CASCADE")
    token_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utc_now)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)

    class Meta:
        table_name = "password_resets"

    @classmethod
    def cancel_open(cls, user) -> int:
        """Mark every unused link of the user as used (a new password or email ends them all)."""
        return cls.update(used_at=utc_now()).where((cls.user == user) & cls.used_at.is_null()).execute()


class Session(BaseModel):
    """One signed-in device: its cookies carry a random token, of which only a hash is kept here.

    Deleting the row logs the device out for good (diary/accounts/sessions.py)."""

    id = AutoField()
    user = ForeignKeyField(User, backref="sessions", on_delete="CASCADE")
    token_hash = CharField(max_length=64, unique=True)
    remember = BooleanField(default=False)  # "remember me": a longer idle lifetime
    browser = CharField(max_length=40, default="")  # from the User-Agent, to name the device to her
    system = CharField(max_length=40, default="")
    created_at = DateTimeField(default=utc_now)
    last_used_at = DateTimeField(default=utc_now)  # written at most every few minutes

    class Meta:
        table_name = "sessions"

    @classmethod
    def of(cls, user):
        """Every session of one user."""
        return cls.select().where(cls.user == user)


class Reminder(BaseModel):
    """Her daily reminder: on or off, the local time, her time zone, and the last day one went out."""

    id = AutoField()
    user = ForeignKeyField(User, on_delete="CASCADE", unique=True)
    enabled = BooleanField(default=False)
    time = CharField(max_length=5, default="20:00")  # HH:MM on her clock
    timezone = CharField(max_length=64, default="Europe/Copenhagen")  # an IANA name
    last_sent_on = DateField(null=True)  # her local date of the last reminder sent: never two a day

    class Meta:
        table_name = "reminders"

    @classmethod
    def of(cls, user):
        """The user's reminder settings (at most one row)."""
        return cls.select().where(cls.user == user)


class PushSubscription(BaseModel):
    """One device's Web Push subscription: the push service's URL and the keys to encrypt for it.

    The endpoint is unique: a device that a second user logs in on and subscribes moves to her."""

    id = AutoField()
    user = ForeignKeyField(User, on_delete="CASCADE")
    endpoint = CharField(max_length=1024, unique=True)
    p256dh = CharField(max_length=100)
    auth = CharField(max_length=50)
    # The signed-in device that subscribed: logging it out in the app ends its reminders too
    # (diary/accounts/sessions.py). A session that ends otherwise (a new password) leaves it.
    session = ForeignKeyField(Session, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utc_now)

    class Meta:
        table_name = "push_subscriptions"

    @classmethod
    def of(cls, user):
        """Every push subscription of one user."""
        return cls.select().where(cls.user == user)


class Checkin(BaseModel):
    """One weekly check of one user: her answers to the function check and her leg-raise test.

    The answers are a JSON object (item -> 0-3, or null for "does not apply"), since the
    items come from a questionnaire file; the score is kept beside them for the trends."""

    id = AutoField()
    user = ForeignKeyField(User, backref="checkins", on_delete="CASCADE")
    week = DateField()  # the Monday of the ISO week
    answers = TextField()
    function_score = IntegerField(null=True)
    leg_raise_left = IntegerField(null=True)
    leg_raise_right = IntegerField(null=True)
    updated_at = DateTimeField()  # UTC
    created_at = DateTimeField(default=utc_now)

    class Meta:
        table_name = "checkins"
        indexes = ((("user", "week"), True),)

    @classmethod
    def of(cls, user):
        """Every weekly check of one user: the one scope through which they are read."""
        return cls.select().where(cls.user == user)


MODELS = (
    User,
    Entry,
    EntryCode,
    TipShown,
    TipFeedback,
    Share,
    PasswordReset,
    Session,
    Reminder,
    PushSubscription,
    Checkin,
)


def create_tables() -> None:
    """Create every table that does not exist yet."""
    with db.connection_context():
        db.create_tables(MODELS, safe=True)
