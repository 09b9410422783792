"""Everything that belongs to a user, as data she can take with her: JSON and CSV."""

from collections.abc import Callable

from diary.accounts.spreadsheet import DIALECTS, ENGLISH, FORMULA_STARTS, safe_cell, write_days
from diary.checkins.store import checkins_between
from diary.entries.entry import entry_json, format_timestamp
from diary.entries.store import entries_between
from diary.models import Share, TipFeedback
from diary.reminders.store import settings_as_dict, settings_of
from diary.reports.shares import share_facts

EXPORT_FORMAT = "baekkendagbog-export"
EXPORT_VERSION = 1
__all__ = ["EXPORT_FORMAT", "EXPORT_VERSION", "FORMULA_STARTS", "export_csv", "export_of", "safe_cell"]


def export_of(user) -> dict:
    """The user's profile, every entry and weekly check (oldest first), her report links, her feedback
    on tips and her reminder.

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
        "checkins": checkins_between(user),
        "shares": [share_facts(share) for share in shares],
        "tip_feedback": [
            {"advice": row.advice, "kind": row.kind, "created_at": format_timestamp(row.created_at)}
            for row in feedback
        ],
        "reminder": settings_as_dict(settings_of(user)),
    }


def export_csv(user, language: str = "en", translate: Callable[[str], str] = str) -> str:
    """The user's entries as a spreadsheet in her language's conventions (diary.accounts.spreadsheet).

    translate gives the words of her language (headers and labels); the codes stay in the JSON export.
    """
    return write_days(entries_between(user), DIALECTS.get(language, ENGLISH), translate)
