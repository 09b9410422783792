"""Server-side sessions: a row per signed-in device, so that logging out really ends it.

The session cookie and the remember cookie carry a random token (flask-login's id, see
User.get_id); the database keeps only its hash. A device is logged out by deleting its row:
a copy of either cookie then opens nothing. Other code ends a user's sessions with
end_sessions(user), or end_sessions(user, keep=current_session()) to keep this device.
"""

import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from flask import current_app, g, request, session
from flask_babel import gettext
from flask_login import current_user, login_user, logout_user

from diary.clock import local_today
from diary.models import Session, User, utc_now
from diary.reminders.store import forget_devices
from diary.reports.tokens import token_hash

# Last use is written when it is older than this (or a quarter of a short lifetime): not a
# database write on every request.
TOUCH_EVERY = timedelta(minutes=5)
NAME_LENGTH = Session.browser.max_length


def lifetime(remember: bool) -> timedelta:
    """How long a device stays logged in after its last use."""
    config = current_app.config
    return config["REMEMBER_COOKIE_DURATION"] if remember else config["SESSION_IDLE_LIFETIME"]


def expires_at(row: Session) -> datetime:
    """When the session ends if the device is not used again (UTC, naive)."""
    return row.last_used_at + lifetime(row.remember)


@lru_cache(maxsize=256)
def device_of(user_agent: str) -> tuple[str, str]:
    """The browser and the system a User-Agent names ("Chrome", "Android"); "" where unknown."""
    from ua_parser import parse  # its rules take a moment to load: only when someone logs in

    parsed = parse(user_agent[:512])
    browser = parsed.user_agent.family if parsed.user_agent else ""
    system = parsed.os.family if parsed.os else ""
    # "Chrome Mobile", "Mobile Safari": the list says which device it is, the browser's name is enough.
    browser = " ".join(word for word in browser.split() if word != "Mobile")
    return (browser if browser != "Other" else "")[:NAME_LENGTH], (system if system != "Other" else "")[
        :NAME_LENGTH
    ]


def open_session(user: User, remember: bool) -> None:
    """Log the user in on this device with a new session row (no state carried over from before)."""
    token = secrets.token_urlsafe(32)
    browser, system = device_of(request.headers.get("User-Agent", ""))
    user.session_row = Session.create(
        user=user, token_hash=token_hash(token), remember=remember, browser=browser, system=system
    )
    user.session_key = token
    session.clear()
    login_user(user, remember=remember)
    if not remember and current_app.config["REMEMBER_COOKIE_NAME"] in request.cookies:
        # A remember cookie left from an ended session must not outlive her unticked box.
        session["_remember"] = "clear"


def load_user(token: str) -> User | None:
    """The user whose live session has this token (flask-login's user_loader); an idle one ends."""
    row = Session.select(Session, User).join(User).where(Session.token_hash == token_hash(token)).first()
    if row is None:
        return None
    now = utc_now()
    if expires_at(row) <= now:
        row.delete_instance()
        return None
    if now - row.last_used_at >= min(TOUCH_EVERY, lifetime(row.remember) / 4):
        Session.update(last_used_at=now).where(Session.id == row.id).execute()
        row.last_used_at = now
    user = row.user
    user.session_row, user.session_key = row, token
    return user


def current_session() -> Session | None:
    """The session row of the device making this request, when logged in."""
    return current_user.session_row if current_user.is_authenticated else None


def end_sessions(user: User, keep: Session | None = None) -> int:
    """End every session of the user (all but `keep`, when given); returns how many ended."""
    ending = Session.delete().where(Session.user == user)
    if keep is not None:
        ending = ending.where(Session.id != keep.id)
    return ending.execute()


def end_other_sessions(user: User) -> int:
    """End every session of the user but this device's, when this device is logged in as her."""
    this_device = current_session() if current_user.is_authenticated and current_user.id == user.id else None
    return end_sessions(user, keep=this_device)


def end_current_session() -> None:
    """Log this device out: its row and its reminders go, its cookies are cleared."""
    row = current_session()
    if row is not None:
        forget_devices([row.id])
        Session.delete().where(Session.id == row.id).execute()
    session.clear()
    logout_user()  # after clear(): it leaves the note that tells flask-login to delete the remember cookie


def devices(user: User) -> list[Session]:
    """Her signed-in devices, this one first, then the most recently used; ended ones left out.

    A device unused past its lifetime is logged out (load_user refuses it) though its row
    stays until its cookie comes back, so the list leaves it out.
    """
    this = current_session()
    now = utc_now()
    rows = [
        row
        for row in Session.of(user).order_by(Session.last_used_at.desc(), Session.id.desc())
        if expires_at(row) > now
    ]
    return sorted(rows, key=lambda row: this is None or row.id != this.id)


def remembered() -> bool:
    """Whether she chose "remember me" when she logged in on this device (her session row says so).

    Not whether a remember cookie is present: one left from a session that ended elsewhere
    would otherwise override the box she left unticked at her next log-in.
    """
    return current_user.is_authenticated and current_user.session_row.remember


def keep_remembering(response):
    """Slide "remember me" forward once a day: 30 days from her last visit, not from her log-in."""
    if current_app.config["REMEMBER_COOKIE_NAME"] not in request.cookies:
        return response  # the cheap test first: a report view or a page without the cookie loads no user
    today = local_today().isoformat()
    if remembered() and session.get("remembered_on") != today:
        session["remembered_on"] = today
        session["_remember"] = "set"  # flask-login's own after-request hook writes the cookie anew
    return response


def device_name(row: Session) -> str:
    """A device as she would name it: "Chrome on Android"."""
    if row.browser and row.system:
        return gettext("%(browser)s on %(system)s", browser=row.browser, system=row.system)
    return row.browser or row.system or gettext("Unknown browser")


def announce_expiry(response):
    """Tell the service worker when the session of a logged-in page ends (the Session-Expires header).

    The worker keeps some pages for offline use and drops them at this time (static/js/sw.js).
    """
    if response.mimetype == "text/html" and "_login_user" in g and current_user.is_authenticated:
        ends = expires_at(current_user.session_row)
        response.headers["Session-Expires"] = ends.isoformat(timespec="seconds") + "Z"
    return response


def init_app(app) -> None:
    """Announce each logged-in page's session end, slide "remember me" forward, and offer the
    device helpers to templates.

    After the LoginManager's set-up: hooks run last-registered first, and keep_remembering must
    run before flask-login's own hook writes the remember cookie.
    """
    app.after_request(announce_expiry)
    app.after_request(keep_remembering)
    app.jinja_env.globals["device_name"] = device_name
