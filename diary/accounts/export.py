"""Everything that belongs to a user, as data she can take with her: JSON and CSV."""

import csv
import io

from diary.entries.codes import CODE_SETS
from diary.entries.entry import ENTRY_FIELDS, entry_json, format_timestamp
from diary.entries.store import entries_between
from diary.models import Share, TipFeedback
from diary.reminders.store import settings_as_dict, settings_of
from diary.reports.shares import share_facts

EXPORT_FORMAT = "baekkendagbog-export"
EXPORT_VERSION = 1
CSV_COLUMNS = ENTRY_FIELDS
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_of(user) -> dict:
    """The user's profile, every entry (oldest first), her report links, her feedback on tips and her reminder.

    Her devices' push subscriptions are left out: each is a secret of one browser, bound to this
    server's signing key, and of no use anywhere else.
    """
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
        "entries": [entry_json(entry) for entry in entries_between(user)],
        "shares": [share_facts(share) for share in shares],
        "tip_feedback": [
            {"advice": row.advice, "kind": row.kind, "created_at": format_timestamp(row.created_at)}
            for row in feedback
        ],
        "reminder": settings_as_dict(settings_of(user)),
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
        shown = entry_json(entry)
        row = {name: ";".join(shown[name]) if name in CODE_SETS else shown[name] for name in CSV_COLUMNS}
        writer.writerow([safe_cell(row[name]) for name in CSV_COLUMNS])
    return out.getvalue()
