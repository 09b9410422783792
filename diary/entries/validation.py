"""The one validation path for a daily entry, shared by the web form and the JSON API.

Pure: takes plain data, returns a clean entry or per-field error messages. Messages are
English msgids marked for translation; the caller translates them for the user.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from diary.entries.codes import (
    ALLOWED,
    CODE_SETS,
    N_,
    NIGHT_WAKINGS_MAX,
    NOTE_MAX_LENGTH,
    PAIN_MAX,
    PAIN_MIN,
    ordered,
)
from diary.entries.entry import ENTRY_FIELDS, DayEntry
from diary.sanitize import plain_text, unix_newlines

# The server clock and a phone's clock disagree a little; an edit stamped further ahead
# than this would block every later edit, so it is refused.
CLOCK_SKEW = timedelta(minutes=10)
EARLIEST_EDIT = datetime(2000, 1, 1)  # before any phone this diary runs on
# The diary's lower bound (PRODUCT.md): a pregnancy diary needs no day older than this, and
# every view's cost (history, reports) stays bounded when no day can be older.
YEARS_BACK = 2
WEEKS_BEFORE_DUE_DATE = 42  # the earliest a pregnancy diary can sensibly begin


class Message(str):
    """An untranslated message (a msgid) with the values to put into it once translated."""

    params: dict

    def __new__(cls, msgid: str, **params):
        message = super().__new__(cls, msgid)
        message.params = params
        return message


@dataclass(frozen=True)
class LowerBound:
    """The earliest day the diary takes, and whether her due date set it."""

    day: date
    by_due_date: bool

    def message(self) -> Message:
        """Why a day before the bound is refused, naming the bound and its date."""
        if self.by_due_date:
            return Message(
                N_("You can log days from 42 weeks before your due date, so from %(day)s at the earliest."),
                day=self.day,
            )
        return Message(
            N_("You can log days up to two years back, so from %(day)s at the earliest."), day=self.day
        )


def years_before(day: date, years: int) -> date:
    """The same day `years` years earlier; 28 February for a 29 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def lower_bound(today: date, due_date: date | None) -> LowerBound:
    """The diary's earliest day: two years before today, or 42 weeks before her due date if earlier."""
    two_years = years_before(today, YEARS_BACK)
    if due_date is not None and due_date - timedelta(weeks=WEEKS_BEFORE_DUE_DATE) < two_years:
        return LowerBound(due_date - timedelta(weeks=WEEKS_BEFORE_DUE_DATE), by_due_date=True)
    return LowerBound(two_years, by_due_date=False)


class InvalidEntry(ValueError):
    """Raised with a mapping of field name to an untranslated error message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def parse_date(value) -> date | None:
    """Return the date of a strict YYYY-MM-DD string, or None."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_timestamp(value) -> datetime | None:
    """Return a naive UTC datetime, to the millisecond, from an ISO 8601 string with a zone."""
    if not isinstance(value, str) or not 20 <= len(value) <= 40:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        if moment.tzinfo is None:
            return None
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError):  # OverflowError: a zone offset past year 1 or 9999
        return None
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _is_unicode(text: str) -> bool:
    """False for a string with a lone surrogate (JSON's \\u escapes allow one): no database stores it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate_entry(
    data, *, day: date, today: date, now: datetime, earliest: LowerBound | None = None
) -> DayEntry:
    """Check an entry body for the given day and return it clean, or raise InvalidEntry.

    ``today`` is the diary's current date and ``now`` the current naive UTC time; ``earliest``
    is her diary's lower bound (lower_bound), two years back when not given.
    """
    earliest = earliest or lower_bound(today, None)
    if not isinstance(data, dict):
        raise InvalidEntry({"body": N_("Send the entry as a JSON object.")})
    errors: dict[str, str] = {}
    for name in sorted(set(data) - set(ENTRY_FIELDS)):
        errors[name] = N_("This field is not part of an entry.")

    if day > today:
        errors["date"] = N_("You cannot log a day in the future.")
    elif day < earliest.day:
        errors["date"] = earliest.message()
    if "date" in data and parse_date(data["date"]) != day:
        errors["date"] = N_("The date must match the day in the address.")

    pain = data.get("pain")
    if pain is None or pain == "":
        errors["pain"] = N_("Choose how bad the pain was, from 0 to 10.")
    elif not _is_int(pain) or not PAIN_MIN <= pain <= PAIN_MAX:
        errors["pain"] = N_("Pain must be a whole number from 0 to 10.")

    sets = {}
    for name in CODE_SETS:
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            errors[name] = N_("Send a list of codes.")
        elif not set(value) <= ALLOWED[name]:
            errors[name] = N_("Choose only from the listed options.")
        else:
            sets[name] = ordered(name, value)

    wakings = data.get("night_wakings", 0)
    if not _is_int(wakings) or not 0 <= wakings <= NIGHT_WAKINGS_MAX:
        errors["night_wakings"] = N_("Night wakings must be a whole number from 0 to 20.")

    note = data.get("note", "")
    if note is None:
        note = ""
    if not isinstance(note, str) or not _is_unicode(note):
        errors["note"] = N_("The note must be text.")
    elif len(unix_newlines(note)) > NOTE_MAX_LENGTH:  # as the text box counted it
        errors["note"] = N_("The note can be at most 2,000 characters.")

    updated_at = edit_time(data, now, errors)

    if errors:
        raise InvalidEntry(errors)
    return DayEntry(
        date=day,
        pain=pain,
        night_wakings=wakings,
        note=plain_text(note),
        updated_at=updated_at,
        **sets,
    )


def form_to_entry(form) -> dict:
    """Turn the log form's fields (a MultiDict of strings) into an entry body for validation.

    Only the conversion of text to numbers and lists happens here; every rule stays in
    validate_entry, so the form and the API are judged alike.
    """
    body: dict = {name: form.getlist(name) for name in CODE_SETS}
    for name in ("pain", "night_wakings"):
        raw = form.get(name, "").strip()
        body[name] = int(raw) if raw.isdigit() and len(raw) <= 3 else (raw or None)
    if body["night_wakings"] is None:
        body["night_wakings"] = 0
    body["note"] = form.get("note", "")
    return body


def edit_time(data: dict, now: datetime, errors: dict) -> datetime | None:
    """The edit's time sent with a write (``updated_at``), or None; a bad or unlikely one goes into errors."""
    if data.get("updated_at") is None:
        return None
    updated_at = parse_timestamp(data["updated_at"])
    if updated_at is None:
        errors["updated_at"] = N_("Send the time of the edit as an ISO 8601 time with a zone.")
    elif updated_at < EARLIEST_EDIT:
        errors["updated_at"] = N_("The time of the edit is too long ago; check the phone's clock.")
    elif updated_at > now + CLOCK_SKEW:
        errors["updated_at"] = N_("The time of the edit is in the future; check the phone's clock.")
    return updated_at
