"""Bringing an export back in: entries merged by date (the newer edit wins), feedback kept."""

import json
from dataclasses import dataclass
from datetime import date, datetime

from peewee import IntegrityError

from .codes import N_
from .db import db, write_transaction
from .entries import StaleEdit, edit_times, save_entry
from .export import EXPORT_FORMAT
from .models import TipFeedback, User
from .phone_numbers import InvalidPhoneNumber, normalise
from .validation import InvalidEntry, parse_date, validate_entry

MAX_IMPORT_ENTRIES = 5000
IMPORT_MAX_BYTES = 16 * 1024 * 1024  # a year of days with long notes fits well within this


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    skipped: int = 0


def check_export(data, today: date, now: datetime) -> list:
    """Validate a whole export before anything is written; raise InvalidEntry naming each bad part."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise InvalidEntry({"format": N_("This is not a Bækkendagbog export file.")})
    entries = data.get("entries")
    if not isinstance(entries, list) or len(entries) > MAX_IMPORT_ENTRIES:
        raise InvalidEntry({"entries": N_("The export's entries are missing or too many.")})
    clean, errors = [], {}
    for index, body in enumerate(entries):
        day = parse_date(body.get("date")) if isinstance(body, dict) else None
        if day is None:
            errors[f"entries[{index}].date"] = N_("Use a date written YYYY-MM-DD.")
            continue
        try:
            entry = validate_entry(body, day=day, today=today, now=now)
        except InvalidEntry as invalid:
            for field, message in invalid.errors.items():
                errors[f"entries[{index}].{field}"] = message
            continue
        if entry.updated_at is None:
            errors[f"entries[{index}].updated_at"] = N_("Each imported day needs the time of its last edit.")
            continue
        clean.append(entry)
    if errors:
        raise InvalidEntry(errors)
    return clean


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


def read_export_file(raw: bytes):
    """The JSON inside an uploaded export file; raise InvalidEntry when it is empty or not JSON."""
    if not raw.strip():
        raise InvalidEntry({"file": N_("Choose an export file from Bækkendagbog (a .json file) first.")})
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InvalidEntry({"file": N_("This file is not a Bækkendagbog export: it is not JSON.")}) from None


def import_export(user, data, today: date, now: datetime) -> ImportCounts:
    """Merge an export into the user's diary in one transaction and count what happened."""
    clean = check_export(data, today, now)
    numbers = check_phone_numbers(data)
    counts = ImportCounts()
    # Read-then-write: on SQLite the write lock is taken first, or a write by another request
    # between the reads and the writes makes SQLite refuse ("database is locked").
    with write_transaction():
        stored = edit_times(user, min(entry.date for entry in clean), max(entry.date for entry in clean)) if clean else {}
        for entry in clean:
            if entry.date in stored and entry.updated_at <= stored[entry.date]:
                counts.skipped += 1  # the diary already has this edit or a newer one
                continue
            try:
                _, created = save_entry(user, entry)
            except StaleEdit:
                counts.skipped += 1  # PostgreSQL: a newer edit of the day was saved meanwhile
                continue
            if created:
                counts.created += 1
            else:
                counts.updated += 1
        # A number she saved herself is newer than the file's: only empty ones are filled in.
        missing = {name: number for name, number in numbers.items() if not getattr(user, name)}
        if missing:
            User.update(**missing).where(User.id == user.id).execute()
            for name, number in missing.items():
                setattr(user, name, number)
        feedback = data.get("tip_feedback")
        for row in feedback if isinstance(feedback, list) else []:
            if isinstance(row, dict) and row.get("kind") in TipFeedback.KINDS and isinstance(row.get("advice"), str):
                try:
                    with db.atomic():
                        TipFeedback.create(user=user, advice=row["advice"][:64], kind=row["kind"])
                except IntegrityError:
                    pass  # she gave this feedback already
    return counts
