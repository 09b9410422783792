"""A day's entry as the app holds it, and the one list of an entry's fields.

Inside the app an entry is a DayEntry: its day a ``date``, its last edit a ``datetime``, its
codes tuples. Validation, storage, the export, the OpenAPI schemas and the log page all take
their field list from this class. The API's JSON shape, with its ISO strings, is made only at
the edges, by entry_json.
"""

from dataclasses import MISSING, dataclass, fields
from datetime import date, datetime

from diary.entries.codes import CODE_SETS


@dataclass(frozen=True)
class DayEntry:
    """One day of her diary, as validated or as stored; the fields are in the API's order (API.md)."""

    date: date
    pain: int
    locations: tuple[str, ...] = ()
    sensations: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()
    night_wakings: int = 0
    relief: tuple[str, ...] = ()
    note: str = ""
    updated_at: datetime | None = None  # UTC, naive; None in an edit not yet stored means "now"

    def __post_init__(self):
        # Codes given as lists or sets (a test, the demo) are kept as tuples, so an entry never changes.
        for name in CODE_SETS:
            object.__setattr__(self, name, tuple(getattr(self, name)))


#: An entry's fields in the API's order (API.md); the CSV export's columns are the same.
ENTRY_FIELDS: tuple[str, ...] = tuple(field.name for field in fields(DayEntry))
#: The value of each field that has one when it is left out: no codes, no wakings, no note.
ENTRY_DEFAULTS: dict[str, object] = {
    field.name: field.default for field in fields(DayEntry) if field.default is not MISSING
}


def format_timestamp(moment: datetime) -> str:
    """UTC time as ISO 8601 with Z, to the millisecond when there is one."""
    text = f"{moment.year:04d}-" + moment.strftime("%m-%dT%H:%M:%S")  # %Y does not pad years below 1000
    if moment.microsecond:
        text += f".{moment.microsecond // 1000:03d}"
    return text + "Z"


def entry_json(entry: DayEntry) -> dict:
    """An entry as the API and the export show it: ISO strings and lists, fields in the API's order."""
    body = {name: getattr(entry, name) for name in ENTRY_FIELDS}
    body["date"] = entry.date.isoformat()
    body["updated_at"] = format_timestamp(entry.updated_at) if entry.updated_at else None
    for name in CODE_SETS:
        body[name] = list(body[name])
    return body
