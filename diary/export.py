"""Everything that belongs to a user, as data she can take with her."""

from .entries import entries_between, format_timestamp
from .models import TipFeedback

EXPORT_VERSION = 1


def export_of(user) -> dict:
    """The user's profile, every entry (oldest first) and her feedback on tips."""
    feedback = TipFeedback.of(user).order_by(TipFeedback.created_at, TipFeedback.id)
    return {
        "format": "baekkendagbog-export",
        "version": EXPORT_VERSION,
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "language": user.language,
            "due_date": user.due_date.isoformat() if user.due_date else None,
            "birth_date": user.birth_date.isoformat() if user.birth_date else None,
            "created_at": format_timestamp(user.created_at),
        },
        "entries": entries_between(user),
        "tip_feedback": [
            {"advice": row.advice, "kind": row.kind, "created_at": format_timestamp(row.created_at)} for row in feedback
        ],
    }
