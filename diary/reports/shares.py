"""Share links for the midwife report: validation, creation, lookup, views and revocation."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from diary.entries.codes import N_
from diary.entries.entry import format_timestamp
from diary.entries.validation import InvalidEntry, Message, lower_bound, parse_date, years_before
from diary.models import Share, utc_now
from diary.reports.tokens import new_nonce, token_for, token_hash, token_matches
from diary.sanitize import without_control_characters

DEFAULT_WEEKS = 4
DEFAULT_EXPIRY_DAYS = 14
MAX_EXPIRY_DAYS = 90
MAX_PERIOD_YEARS = 1  # API.md: a longer period is a 400; a report's cost grows with its period
# Programs that fetch a link to draw its preview in a chat, or to index it, are not the
# midwife opening it. Lower case; the named ones, then what bots in general call themselves.
LINK_PREVIEW_AGENTS = (
    "facebookexternalhit",
    "whatsapp",
    "slackbot",
    "telegrambot",
    "twitterbot",
    "discordbot",
    "linkedinbot",
    "skypeuripreview",
    "applebot",
    "googlebot",
)
GENERIC_BOT = re.compile(r"bot[/;\-]|crawler|spider|preview", re.IGNORECASE)
SHARE_FIELDS = frozenset({"from", "to", "include_notes", "expires_in_days"})
REPORT_NAME_MAX = 60  # as the settings' name field (User.display_name)


@dataclass(frozen=True)
class CleanShare:
    start: date
    end: date
    include_notes: bool
    expires_in_days: int


def default_period(today: date) -> tuple[date, date]:
    """The last four weeks, today included."""
    return today - timedelta(days=DEFAULT_WEEKS * 7 - 1), today


def earliest_start(user, today: date) -> date:
    """The earliest day a report may start: the diary's lower bound (validation.lower_bound)."""
    return lower_bound(today, user.due_date).day


def earliest_start_for(end: date) -> date:
    """The earliest start of a period of at most one year that ends on `end`."""
    if end.year <= MAX_PERIOD_YEARS:
        return date.min
    return years_before(end, MAX_PERIOD_YEARS) + timedelta(days=1)


def validate_share(data, today: date, earliest: date) -> CleanShare:
    """Check a share request (API body or form, already as JSON types) or raise InvalidEntry.

    A period may be any range of at most one year from `earliest` (see earliest_start) to today.
    """
    if not isinstance(data, dict):
        raise InvalidEntry({"body": N_("Send the share as a JSON object.")})
    errors = {name: N_("This field is not part of a share.") for name in sorted(set(data) - SHARE_FIELDS)}
    default_start, default_end = default_period(today)
    start = parse_date(data["from"]) if "from" in data else default_start
    end = parse_date(data["to"]) if "to" in data else default_end
    if start is None:
        errors["from"] = N_("Use a date written YYYY-MM-DD.")
    if end is None:
        errors["to"] = N_("Use a date written YYYY-MM-DD.")
    elif end > today:
        errors["to"] = N_("The period cannot end in the future.")
    if start and end and start > end:
        errors["to"] = N_("The end of the range must not be before its start.")
    if start and start < earliest:
        errors["from"] = Message(
            N_("Your diary goes back to %(day)s, so the report can start then at the earliest."), day=earliest
        )
    elif start and end and "to" not in errors and start < earliest_start_for(end):
        errors["from"] = Message(
            N_("A report can cover at most one year: start it on %(day)s or later."),
            day=earliest_start_for(end),
        )
    include_notes = data.get("include_notes", False)
    if not isinstance(include_notes, bool):
        errors["include_notes"] = N_("Answer yes or no.")
    expires = data.get("expires_in_days", DEFAULT_EXPIRY_DAYS)
    if isinstance(expires, bool) or not isinstance(expires, int) or not 1 <= expires <= MAX_EXPIRY_DAYS:
        errors["expires_in_days"] = N_("A link can last from 1 to 90 days.")
    if errors:
        raise InvalidEntry(errors)
    return CleanShare(start, end, include_notes, expires)


def clean_report_name(raw) -> str:
    """The name or initials the report is titled with, as typed in the share form; InvalidEntry if too long."""
    name = without_control_characters(raw if isinstance(raw, str) else "").strip()
    if len(name) > REPORT_NAME_MAX:
        raise InvalidEntry({"display_name": N_("At most 60 characters.")})
    return name


def form_to_share(form) -> dict:
    """The shares form's fields as a share request for validate_share."""
    body = {"include_notes": form.get("include_notes") in ("y", "on", "true", "1")}
    for name in ("from", "to"):
        if form.get(name):
            body[name] = form[name]
    raw = form.get("expires_in_days", "").strip()
    body["expires_in_days"] = int(raw) if raw.isdigit() and len(raw) <= 3 else raw or DEFAULT_EXPIRY_DAYS
    return body


def create_share(user, clean: CleanShare, secret_key: str) -> tuple[Share, str]:
    """Store a new share; return it with its token (shown to the diarist, never stored)."""
    nonce = new_nonce()
    token = token_for(secret_key, nonce)
    now = utc_now()
    share = Share.create(
        user=user,
        nonce=nonce,
        token_hash=token_hash(token),
        start=clean.start,
        end=clean.end,
        include_notes=clean.include_notes,
        created_at=now,
        expires_at=now + timedelta(days=clean.expires_in_days),
    )
    return share, token


def find_share(token: str, secret_key: str) -> Share | None:
    """The share a token opens under the server's current key, or None.

    The lookup is by the SHA-256 of the token, so its timing can tell a guesser at most how
    much of the hash of her guess matches a stored hash, which brings her no nearer to a
    token. The token is then compared, in constant time, with the one the current key
    derives from the share's nonce: a changed key closes every link.
    """
    if not 20 <= len(token) <= 64:
        return None
    share = Share.get_or_none(Share.token_hash == token_hash(token))
    if share is None or not token_matches(secret_key, share.nonce, token):
        return None
    return share


def link_works(share: Share, secret_key: str) -> bool:
    """Whether the link the current key derives for a share still opens it (False after a key change)."""
    return token_hash(token_for(secret_key, share.nonce)) == share.token_hash


def is_link_preview(user_agent: str) -> bool:
    """Whether a request comes from a chat app drawing a link preview, or a bot."""
    agent = user_agent.lower()
    return any(name in agent for name in LINK_PREVIEW_AGENTS) or GENERIC_BOT.search(agent) is not None


def is_open(share: Share, now: datetime) -> bool:
    """Whether a share can still be read: not revoked and not expired."""
    return share.revoked_at is None and now < share.expires_at


def count_view(share: Share, now: datetime) -> None:
    """Add one to the share's views (in SQL, so concurrent opens all count)."""
    Share.update(views=Share.views + 1, last_viewed_at=now).where(Share.id == share.id).execute()


def revoke(user, share_id: int) -> bool:
    """Revoke one of the user's shares at once; False when she has no such share."""
    share = Share.of(user).where(Share.id == share_id).first()
    if share is None:
        return False
    if share.revoked_at is None:
        share.revoked_at = utc_now()
        share.save(only=[Share.revoked_at])
    return True


def share_facts(share: Share) -> dict:
    """What a share is, without its link: for the API, the shares page and exports."""
    return {
        "from": share.start.isoformat(),
        "to": share.end.isoformat(),
        "include_notes": share.include_notes,
        "created_at": format_timestamp(share.created_at),
        "expires_at": format_timestamp(share.expires_at),
        "revoked": share.revoked_at is not None,
        "revoked_at": format_timestamp(share.revoked_at) if share.revoked_at else None,
        "views": share.views,
        "last_viewed_at": format_timestamp(share.last_viewed_at) if share.last_viewed_at else None,
    }


def purge_closed(now: datetime) -> int:
    """Delete shares that have expired or were revoked; return how many."""
    return Share.delete().where((Share.expires_at <= now) | Share.revoked_at.is_null(False)).execute()
