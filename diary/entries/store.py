"""Reading and writing one user's entries: every entry query goes through here."""

from collections import defaultdict
from datetime import date, datetime, timedelta

from peewee import IntegrityError

from diary.db import locked, write_transaction
from diary.entries.codes import ALLOWED, CODE_SETS, ordered
from diary.entries.entry import ENTRY_FIELDS, DayEntry
from diary.models import Entry, EntryCode, utc_now

ONE_MILLISECOND = timedelta(milliseconds=1)  # the API's times carry milliseconds


class StaleEdit(Exception):
    """A write older than the stored entry; carries the stored entry."""

    def __init__(self, stored: DayEntry):
        super().__init__("stored entry is newer")
        self.stored = stored


def _day_entry(row: Entry, codes: dict[str, list[str]]) -> DayEntry:
    """A stored row with its codes: each code set from the codes, in order, every other field from the row."""
    return DayEntry(
        **{
            name: ordered(name, codes.get(name, ())) if name in CODE_SETS else getattr(row, name)
            for name in ENTRY_FIELDS
        }
    )


def _codes_by_entry(user, entry_ids) -> dict[int, dict[str, list[str]]]:
    found: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    if entry_ids:
        rows = EntryCode.of(user).where(EntryCode.entry.in_(list(entry_ids))).tuples()
        for entry_id, field, code in rows.select(EntryCode.entry, EntryCode.field, EntryCode.code):
            found[entry_id][field].append(code)
    return found


def entries_between(user, start: date | None = None, end: date | None = None) -> list[DayEntry]:
    """The user's entries from start to end inclusive (either may be open), oldest first."""
    query = Entry.of(user).order_by(Entry.date)
    if start is not None:
        query = query.where(Entry.date >= start)
    if end is not None:
        query = query.where(Entry.date <= end)
    entries = list(query)
    codes = _codes_by_entry(user, [entry.id for entry in entries])
    return [_day_entry(entry, codes[entry.id]) for entry in entries]


def get_entry(user, day: date) -> DayEntry | None:
    """The user's entry for one day, or None."""
    found = entries_between(user, day, day)
    return found[0] if found else None


def save_entry(user, clean: DayEntry) -> tuple[DayEntry, bool]:
    """Create or replace the user's entry for clean.date; return it and whether it is new.

    Raises StaleEdit when the stored entry was edited later than this write.
    """
    _refuse_unknown_codes(clean)
    try:
        return _save_once(user, clean)
    except IntegrityError:
        # Two first writes of the same day raced (PostgreSQL has no row to lock yet):
        # the loser now finds the winner's row and replaces it under the usual rules.
        return _save_once(user, clean)


def _refuse_unknown_codes(clean: DayEntry) -> None:
    """Unknown codes never reach the database, however the DayEntry was made (form, API, import, demo)."""
    for name in CODE_SETS:
        unknown = set(getattr(clean, name)) - ALLOWED[name]
        if unknown:
            raise ValueError(f"unknown {name} codes: {sorted(unknown)}")


def _save_once(user, clean: DayEntry) -> tuple[DayEntry, bool]:
    with write_transaction():
        entry = locked(Entry.of(user).where(Entry.date == clean.date)).first()
        created = entry is None
        if created:
            entry = Entry(user=user, date=clean.date)
            updated_at = clean.updated_at or utc_now()
        elif clean.updated_at is None:
            # An edit made here and now (the web form, the demo) wins: a stored edit stamped by a
            # phone whose clock runs ahead of this server's is followed, not refused.
            updated_at = max(utc_now(), entry.updated_at + ONE_MILLISECOND)
        else:
            updated_at = clean.updated_at
            if updated_at < entry.updated_at:
                raise StaleEdit(_day_entry(entry, _codes_by_entry(user, [entry.id])[entry.id]))
        if not created:
            EntryCode.delete().where(EntryCode.entry == entry).execute()
        entry.pain = clean.pain
        entry.night_wakings = clean.night_wakings
        entry.note = clean.note
        entry.updated_at = updated_at
        entry.save()
        rows = [
            {"entry": entry.id, "user": user.id, "date": clean.date, "field": name, "code": code}
            for name in CODE_SETS
            for code in getattr(clean, name)
        ]
        if rows:
            EntryCode.insert_many(rows).execute()
    return get_entry(user, clean.date), created


def edit_times(user, start: date, end: date) -> dict[date, datetime]:
    """When each of the user's days from start to end was last edited, in one query."""
    query = Entry.of(user).select(Entry.date, Entry.updated_at).where(Entry.date.between(start, end))
    return {day: edited for day, edited in query.tuples()}


def delete_entry(user, day: date) -> bool:
    """Delete the user's entry for a day, codes and all; return whether there was one."""
    with write_transaction():  # the write lock before the read, as in _save_once
        entry = locked(Entry.of(user).where(Entry.date == day)).first()
        if entry is None:
            return False
        entry.delete_instance()  # the entry's codes go with it (ON DELETE CASCADE)
        return True
