"""Everything that belongs to a user, as data she can take with her: JSON and CSV."""

import csv
import io

from diary.checkins.store import checkins_between
from diary.entries.codes import CODE_SETS
from diary.entries.store import ENTRY_FIELDS, entries_between, format_timestamp
from diary.models import Share, TipFeedback
from diary.reports.shares import share_facts

EXPORT_FORMAT = "baekkendagbog-export"
EXPORT_VERSION = 1
CSV_COLUMNS = ENTRY_FIELDS
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_of(user) -> dict:
    """The user's profile, every entry and weekly check (oldest first), her report links and her feedback on tips."""
    feedback = TipFeedback.of(user).order_by(TipFeedback.created_at, TipFeedback.id)
    shares = Share.of(user).order_by(Share.created_at, Share.id)
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "language": user.language,
            "due_date": user.due_date.isoformat() if user.due_date else None,
            "birth_date": user.birth_date.isoformat() if user.birth_date else None,
            "maternity_phone": user.maternity_phone,
            "doctor_phone": user.doctor_phone,
            "created_at": format_timestamp(user.created_at),
        },
        "entries": entries_between(user),
        "checkins": checkins_between(user),
        "shares": [share_facts(share) for share in shares],
        "tip_feedback": [
            {"advice": row.advice, "kind": row.kind, "created_at": format_timestamp(row.created_at)}
            for row in feedback
        ],
    }


def safe_cell(value) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_csv(user) -> str:
    """The user's entries as CSV: one row per day, code sets joined with ';'."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries_between(user):
        row = {name: ";".join(entry[name]) if name in CODE_SETS else entry[name] for name in CSV_COLUMNS}
        writer.writerow([safe_cell(row[name]) for name in CSV_COLUMNS])
    return out.getvalue()
