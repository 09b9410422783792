"""Bringing an export back in: the whole file is checked first, then merged in short
transactions: entries by date (the newer edit wins), tip feedback kept."""

import json
import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime

from diary.accounts.export import EXPORT_FORMAT, EXPORT_VERSION
from diary.accounts.phone_numbers import InvalidPhoneNumber, normalise
from diary.accounts.spreadsheet import read_days
from diary.checkins.questionnaires import function_check, leg_raise
from diary.checkins.store import edit_times as checkin_edit_times
from diary.checkins.store import save_checkin
from diary.checkins.validation import CleanCheckin, validate_checkin
from diary.db import is_sqlite, write_transaction
from diary.entries.codes import N_
from diary.entries.entry import DayEntry
from diary.entries.store import StaleEdit, edit_times, save_entry
from diary.entries.validation import InvalidEntry, LowerBound, lower_bound, parse_date, validate_entry
from diary.models import Reminder, TipFeedback, User
from diary.reminders.schedule import InvalidReminder, validate_settings
from diary.reminders.store import save_settings
from diary.summary.weeks import parse_week, week_name
from diary.web.json_bounds import check_json

#: Caps a real diary never reaches, which bound the work one file can cause: three years of
#: days (validation allows about two), and far more feedback rows than the library's items
#: times the two kinds (a few dozen items).
MAX_IMPORT_ENTRIES = 3 * 366
MAX_IMPORT_FEEDBACK = 1000
MAX_IMPORT_CHECKINS = 3 * 53  # a weekly check for every week of three years
IMPORT_MAX_BYTES = 16 * 1024 * 1024  # a year of days with long notes fits well within this
#: What an advice id looks like (an advice file's name); anything else in a file is forged.
ADVICE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")

#: Each transaction holds SQLite's single write lock for at most about BATCH_SECONDS (or
#: BATCH_MAX days), then the import pauses BATCH_PAUSE so that waiting writers get the lock:
#: SQLite's busy handler sleeps and retries, at most 100 ms apart, so every waiting writer
#: looks at least once while the lock is free. Writing takes about half the import's time;
#: no one else waits much more than one batch. bench/import_wait.py measures the longest
#: wait (docs/benchmarks.md).
BATCH_SECONDS = 0.1
BATCH_MAX = 100
BATCH_PAUSE = 0.1


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    feedback_added: int = 0
    feedback_unknown: int = 0  # feedback on advice the library does not have (any more): left out
    checkins_created: int = 0
    checkins_updated: int = 0
    checkins_skipped: int = 0  # weeks the diary already had in the same or a newer edit


@dataclass
class CheckedExport:
    """An export that passed every check: its entries, and the feedback on advice we have."""

    entries: list[DayEntry]
    feedback: set[tuple[str, str]] = field(default_factory=set)  # (advice id, kind)
    unknown_feedback: int = 0
    checkins: list[CleanCheckin] = field(default_factory=list)


def check_export(
    data, today: date, now: datetime, known_advice=frozenset(), earliest: LowerBound | None = None
) -> CheckedExport:
    """Validate a whole export before anything is written; raise InvalidEntry naming each bad part.

    Report links are not imported (a link's token comes from the old server's key), nor is
    the profile but for her two phone numbers, which check_phone_numbers reads; her reminder
    settings are read by check_reminder.
    """
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise InvalidEntry({"format": N_("This is not a Bækkendagbog export file.")})
    errors: dict[str, str] = {}
    entries = _check_entries(data.get("entries"), today, now, earliest, errors)
    feedback, unknown = _check_feedback(data.get("tip_feedback", []), known_advice, errors)
    checkins = _check_checkins(
        data.get("checkins", []), today, now, earliest or lower_bound(today, None), errors
    )
    if errors:
        raise InvalidEntry(errors)
    return CheckedExport(entries, feedback, unknown, checkins)


def _check_entries(
    entries, today: date, now: datetime, earliest: LowerBound | None, errors: dict
) -> list[DayEntry]:
    if not isinstance(entries, list) or len(entries) > MAX_IMPORT_ENTRIES:
        errors["entries"] = N_("The export's entries are missing or too many.")
        return []
    clean, seen = [], set()
    for index, body in enumerate(entries):
        day = parse_date(body.get("date")) if isinstance(body, dict) else None
        if day is None:
            errors[f"entries[{index}].date"] = N_("Use a date written YYYY-MM-DD.")
            continue
        if day in seen:
            errors[f"entries[{index}].date"] = N_("This day is in the file twice.")
            continue
        seen.add(day)
        try:
            entry = validate_entry(body, day=day, today=today, now=now, earliest=earliest)
        except InvalidEntry as invalid:
            for name, message in invalid.errors.items():
                errors[f"entries[{index}].{name}"] = message
            continue
        if entry.updated_at is None:
            errors[f"entries[{index}].updated_at"] = N_("Each imported day needs the time of its last edit.")
            continue
        clean.append(entry)
    return clean


def _check_checkins(
    rows, today: date, now: datetime, earliest: LowerBound, errors: dict
) -> list[CleanCheckin]:
    """The export's weekly checks, each validated as the API validates one, with its time of edit."""
    if not isinstance(rows, list) or len(rows) > MAX_IMPORT_CHECKINS:
        errors["checkins"] = N_("The export's weekly checks are not a list, or there are too many.")
        return []
    clean, seen = [], set()
    for index, body in enumerate(rows):
        week = (
            parse_week(body["week"]) if isinstance(body, dict) and isinstance(body.get("week"), str) else None
        )
        if week is None:
            errors[f"checkins[{index}].week"] = N_("Write the week as YYYY-Www, e.g. 2026-W47.")
            continue
        if week in seen:
            errors[f"checkins[{index}].week"] = N_("This week is in the file twice.")
            continue
        seen.add(week)
        try:
            checkin = validate_checkin(
                body,
                week=week,
                today=today,
                now=now,
                earliest=earliest,
                function_check=function_check(),
                leg_raise=leg_raise(),
                week_name=week_name(week),
            )
        except InvalidEntry as invalid:
            for name, message in invalid.errors.items():
                errors[f"checkins[{index}].{name}"] = message
            continue
        if checkin.updated_at is None:
            errors[f"checkins[{index}].updated_at"] = N_(
                "Each imported weekly check needs the time of its last edit."
            )
            continue
        clean.append(checkin)
    return clean


def _check_feedback(rows, known_advice, errors: dict) -> tuple[set[tuple[str, str]], int]:
    """Feedback on known advice; a malformed row is an error, advice we lack is counted and left out."""
    if not isinstance(rows, list) or len(rows) > MAX_IMPORT_FEEDBACK:
        errors["tip_feedback"] = N_("The export's tip feedback is not a list, or it has too many rows.")
        return set(), 0
    known, unknown = set(), 0
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            errors[f"tip_feedback[{index}]"] = N_("Each piece of tip feedback needs an advice id and a kind.")
            continue
        advice, kind = row.get("advice"), row.get("kind")
        if not isinstance(advice, str) or not ADVICE_ID.fullmatch(advice):
            errors[f"tip_feedback[{index}].advice"] = N_("This is not the id of an advice item.")
        if kind not in TipFeedback.KINDS:
            errors[f"tip_feedback[{index}].kind"] = N_("Use helpful or dismissed.")
        elif isinstance(advice, str) and ADVICE_ID.fullmatch(advice):
            if advice in known_advice:
                known.add((advice, kind))
            else:
                unknown += 1
    return known, unknown


PHONE_FIELDS = ("maternity_phone", "doctor_phone")


def check_phone_numbers(data) -> dict[str, str]:
    """The profile's phone numbers, normalised; raise InvalidEntry when one is not a number."""
    profile = data.get("profile")
    found, errors = {}, {}
    for name in PHONE_FIELDS:
        value = profile.get(name) if isinstance(profile, dict) else None
        if value is None or value == "":
            continue
        try:
            if not isinstance(value, str):
                raise InvalidPhoneNumber(value)
            found[name] = normalise(value)
        except InvalidPhoneNumber:
            errors[f"profile.{name}"] = N_("This phone number is not one a phone can call.")
    if errors:
        raise InvalidEntry(errors)
    return found


def check_reminder(data):
    """The file's reminder settings as (enabled, time, zone), or None; raise InvalidEntry when they are bad."""
    reminder = data.get("reminder")
    if reminder is None:
        return None
    try:
        return validate_settings(reminder)
    except InvalidReminder as invalid:
        raise InvalidEntry(
            {f"reminder.{name}": message for name, message in invalid.errors.items()}
        ) from None


def _fill_reminder(user, reminder) -> None:
    """Take the file's reminder when she has not set one here: one she saved herself is newer."""
    if reminder is not None and not Reminder.of(user).exists():
        save_settings(user, *reminder)


def read_export_file(raw: bytes, translate=str):
    """The export inside an uploaded file, JSON or the days' spreadsheet (CSV, English or in the
    language of translate); raise InvalidEntry when it is empty or neither."""
    if not raw.strip():
        raise InvalidEntry({"file": N_("Choose an export file from Bækkendagbog (a .json file) first.")})
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text)
    except UnicodeDecodeError:
        raise InvalidEntry({"file": N_("This file is not a Bækkendagbog export: it is not JSON.")}) from None
    except (ValueError, RecursionError):
        if not text.lstrip().startswith(("{", "[")):
            return read_spreadsheet(text, translate)
        raise InvalidEntry({"file": N_("This file is not a Bækkendagbog export: it is not JSON.")}) from None
    try:
        check_json(data)  # the same bound as a JSON body sent to the API
    except ValueError:
        raise InvalidEntry({"format": N_("This is not a Bækkendagbog export file.")}) from None
    return data


def read_spreadsheet(text: str, translate=str) -> dict:
    """The days of an exported spreadsheet as an export of days alone (no profile, links or feedback)."""
    entries = read_days(text, translate)
    if len(entries) > MAX_IMPORT_ENTRIES:
        raise InvalidEntry({"entries": N_("The export's entries are missing or too many.")})
    return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "entries": entries}


def import_export(user, data, today: date, now: datetime, known_advice=frozenset()) -> ImportCounts:
    """Check a whole export, then merge it into the user's diary in short transactions; count what happened.

    A bad file raises InvalidEntry before anything is written. Each batch is complete in
    itself (a day is merged whole or not at all), so an import stopped half-way leaves a sound
    diary, and importing the same file again finishes it: days it already brought in are skipped.
    """
    checked = check_export(data, today, now, known_advice, lower_bound(today, user.due_date))
    numbers = check_phone_numbers(data)
    reminder = check_reminder(data)
    counts = ImportCounts(feedback_unknown=checked.unknown_feedback)
    pending = sorted(checked.entries, key=lambda entry: entry.date)
    while pending:
        written = _merge_batch(user, pending, counts)
        del pending[:written]
        if pending and is_sqlite():
            time.sleep(BATCH_PAUSE)  # the write lock is free: a waiting writer takes it now
    counts.feedback_added = _add_feedback(user, checked.feedback)
    _merge_checkins(user, checked.checkins, counts)
    _fill_phone_numbers(user, numbers)
    _fill_reminder(user, reminder)
    return counts


def _fill_phone_numbers(user, numbers: dict[str, str]) -> None:
    """Fill in the file's numbers where she has none: a number she saved herself is newer."""
    missing = {name: number for name, number in numbers.items() if not getattr(user, name)}
    if missing:
        User.update(**missing).where(User.id == user.id).execute()
        for name, number in missing.items():
            setattr(user, name, number)


def _merge_batch(user, pending: list[DayEntry], counts: ImportCounts) -> int:
    """Merge the first days of pending in one transaction, for at most BATCH_SECONDS; return how many."""
    started = time.monotonic()
    batch = pending[:BATCH_MAX]
    # Read-then-write: on SQLite the write lock is taken first, or a write by another request
    # between the reads and the writes makes SQLite refuse ("database is locked").
    with write_transaction():
        stored = edit_times(user, batch[0].date, batch[-1].date)
        for done, entry in enumerate(batch, start=1):
            _merge_one(user, entry, stored, counts)
            if time.monotonic() - started >= BATCH_SECONDS:
                return done
    return len(batch)


def _merge_one(user, entry: DayEntry, stored: dict, counts: ImportCounts) -> None:
    if entry.date in stored and entry.updated_at <= stored[entry.date]:
        counts.skipped += 1  # the diary already has this edit or a newer one
        return
    try:
        _, created = save_entry(user, entry)
    except StaleEdit:
        counts.skipped += 1  # PostgreSQL: a newer edit of the day was saved meanwhile
        return
    if created:
        counts.created += 1
    else:
        counts.updated += 1


def _merge_checkins(user, checkins: list[CleanCheckin], counts: ImportCounts) -> None:
    """Bring in the file's weekly checks: a week's check replaces the stored one only when newer."""
    stored = checkin_edit_times(user)
    for checkin in sorted(checkins, key=lambda checkin: checkin.week):
        if checkin.week in stored and checkin.updated_at <= stored[checkin.week]:
            counts.checkins_skipped += 1
            continue
        _, created = save_checkin(user, checkin)
        if created:
            counts.checkins_created += 1
        else:
            counts.checkins_updated += 1


def _add_feedback(user, feedback: set[tuple[str, str]]) -> int:
    """Store the feedback she had not given here yet (one short statement); return how many rows are new."""
    if not feedback:
        return 0
    with write_transaction():
        have = set(TipFeedback.of(user).select(TipFeedback.advice, TipFeedback.kind).tuples())
        new = sorted(feedback - have)
        if new:
            rows = [{"user": user.id, "advice": advice, "kind": kind} for advice, kind in new]
            # A tip's button pressed meanwhile (PostgreSQL has no file lock) is the same fact: kept once.
            TipFeedback.insert_many(rows).on_conflict_ignore().execute()
    return len(new)
