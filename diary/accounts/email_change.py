"""Changing her email: the new address becomes hers, her open reset links and other
sessions end, and the old address is told. With mail set up, a link sent to the new address
(views/auth.py, confirm_email) makes the change."""

from peewee import IntegrityError

from diary.accounts.notices import announce_email_changed
from diary.accounts.sessions import end_other_sessions
from diary.db import db
from diary.models import PasswordReset, User


def apply_email_change(user: User, new_email: str) -> bool:
    """Make new_email hers: open reset links end, so do her other sessions, and the old
    address is told. False, with nothing changed, when another account has the address."""
    old_email = user.email
    try:
        with db.atomic():
            # Only from the email the link was made for: of two requests with one link, one changes it.
            changed = (
                User.update(email=new_email).where((User.id == user.id) & (User.email == old_email)).execute()
            )
            PasswordReset.cancel_open(user)  # links mailed to the old address end
    except IntegrityError:
        return False
    if not changed:
        return True  # the other request made this very change a moment ago, and told her
    user.email = new_email
    end_other_sessions(user)
    announce_email_changed(user, old_email)
    return True
